//! Golden tables in the style of CockroachDB's `TestHLCClock`
//! (pkg/util/hlc/hlc_test.go): each table is a list of rows driven through ONE clock
//! in order, every row stating the physical time, the event, the exact timestamp it
//! must get and the branch of the rule that must fire.

use hlc::{ClockError, Hlc, PackError, Policy, Rule, Tick, Time, Timestamp};

/// What happens at a row.
#[derive(Debug, Clone, Copy)]
enum Event {
    Local,
    Send,
    Recv(Timestamp),
}

/// One row of the main table.
#[derive(Debug)]
struct Row {
    pt: Time,
    event: Event,
    expected: Timestamp,
    rule: Rule,
}

const fn ts(l: Time, c: u32) -> Timestamp {
    Timestamp::new(l, c)
}

fn apply(clock: &mut Hlc, pt: Time, event: Event) -> Result<Tick, ClockError> {
    match event {
        Event::Local => clock.local(pt),
        Event::Send => clock.send(pt),
        Event::Recv(m) => clock.recv(pt, m),
    }
}

/// Drives `rows` through `clock` and checks every field of every tick.
fn drive(clock: &mut Hlc, rows: &[Row]) {
    for (i, row) in rows.iter().enumerate() {
        let before = clock.now();
        let tick = apply(clock, row.pt, row.event)
            .unwrap_or_else(|e| panic!("row {i} ({row:?}): unexpected error {e}"));
        assert_eq!(tick.timestamp, row.expected, "row {i} ({row:?}): timestamp");
        assert_eq!(tick.rule, row.rule, "row {i} ({row:?}): rule");
        assert_eq!(tick.previous, before, "row {i} ({row:?}): previous");
        assert_eq!(tick.pt, row.pt, "row {i} ({row:?}): pt");
        let message = match row.event {
            Event::Recv(m) => Some(m),
            Event::Local | Event::Send => None,
        };
        assert_eq!(tick.message, message, "row {i} ({row:?}): message");
        assert_eq!(
            tick.rule.is_receive(),
            message.is_some(),
            "row {i}: is_receive"
        );
        assert!(!tick.carried, "row {i} ({row:?}): no carry expected");
        assert_eq!(clock.now(), row.expected, "row {i} ({row:?}): now()");
        assert!(
            tick.timestamp > before,
            "row {i}: timestamps must strictly increase"
        );
        if let Some(m) = message {
            assert!(
                tick.timestamp > m,
                "row {i}: a receive is above its message"
            );
        }
    }
}

#[test]
fn figure5_every_branch_in_one_clock() {
    use Event::*;
    use Rule::*;
    #[rustfmt::skip]
    let rows = [
        // physical clock ahead of the initial (0, 0): l = pt, c = 0
        Row { pt: 10, event: Local, expected: ts(10, 0), rule: PhysicalAhead },
        // pt == l: a tie between pt and l does not move l, c counts
        Row { pt: 10, event: Local, expected: ts(10, 1), rule: LogicalHeld },
        // a send uses the same rule; pt moved forward so c resets
        Row { pt: 12, event: Send, expected: ts(12, 0), rule: PhysicalAhead },
        // the physical clock stepped back (12 -> 9): l holds, c counts
        Row { pt: 9, event: Local, expected: ts(12, 1), rule: LogicalHeld },
        // still behind after the step back, a send also holds l
        Row { pt: 11, event: Send, expected: ts(12, 2), rule: LogicalHeld },
        // receive: pt = 20 beats both l = 12 and l_m = 15, so l = pt, c = 0
        Row { pt: 20, event: Recv(ts(15, 7)), expected: ts(20, 0), rule: RecvPhysicalAhead },
        // receive: l_m = 25 beats l = 20 and pt = 21, so l = l_m and c = c_m + 1
        Row { pt: 21, event: Recv(ts(25, 3)), expected: ts(25, 4), rule: RecvMessageAhead },
        // receive: l == l_m with different c's, the message's larger c_m = 9 wins
        Row { pt: 22, event: Recv(ts(25, 9)), expected: ts(25, 10), rule: RecvTie },
        // receive: l == l_m with different c's, the local larger c = 10 wins
        Row { pt: 23, event: Recv(ts(25, 2)), expected: ts(25, 11), rule: RecvTie },
        // message from the past (l_m = 3 far behind): its big c_m = 50 is ignored
        Row { pt: 24, event: Recv(ts(3, 50)), expected: ts(25, 12), rule: RecvLocalAhead },
        // all three equal (pt == l == l_m): a tie, c = max(12, 0) + 1
        Row { pt: 25, event: Recv(ts(25, 0)), expected: ts(25, 13), rule: RecvTie },
        // all three equal again, this time the message's c_m = 40 is the larger
        Row { pt: 25, event: Recv(ts(25, 40)), expected: ts(25, 41), rule: RecvTie },
        // pt == l > l_m: pt only ties l, so the local clock is the one ahead
        Row { pt: 25, event: Recv(ts(10, 0)), expected: ts(25, 42), rule: RecvLocalAhead },
        // pt == l_m > l: pt only ties l_m, so the message wins and c = c_m + 1 (no reset)
        Row { pt: 30, event: Recv(ts(30, 5)), expected: ts(30, 6), rule: RecvMessageAhead },
        // a local event after a receive with pt stepped back (30 -> 26): l held
        Row { pt: 26, event: Local, expected: ts(30, 7), rule: LogicalHeld },
        // pt = 31 one past l == l_m = 30: physical ahead, the huge c_m is dropped
        Row { pt: 31, event: Recv(ts(30, 100)), expected: ts(31, 0), rule: RecvPhysicalAhead },
        // l == l_m == pt with equal c's (0 and 0): c = 0 + 1
        Row { pt: 31, event: Recv(ts(31, 0)), expected: ts(31, 1), rule: RecvTie },
        // the physical clock jumps far back, below zero: l still holds
        Row { pt: -5, event: Local, expected: ts(31, 2), rule: LogicalHeld },
        // message ahead of pt but behind l: the local clock still wins
        Row { pt: -5, event: Recv(ts(30, 9)), expected: ts(31, 3), rule: RecvLocalAhead },
        // message stamped with the initial (0, 0) from a fresh node: local ahead
        Row { pt: 0, event: Recv(Timestamp::ZERO), expected: ts(31, 4), rule: RecvLocalAhead },
        // a long pause, then a receive of a stale message: pt wins, c resets
        Row { pt: 1_000, event: Recv(ts(31, 4)), expected: ts(1_000, 0), rule: RecvPhysicalAhead },
        // message ahead of pt (500) but one behind l (1000): local ahead
        Row { pt: 500, event: Recv(ts(999, 3)), expected: ts(1_000, 1), rule: RecvLocalAhead },
        // a send right after: l held, c + 1
        Row { pt: 1_000, event: Send, expected: ts(1_000, 2), rule: LogicalHeld },
        // pt one past l: physical ahead by the smallest possible step
        Row { pt: 1_001, event: Send, expected: ts(1_001, 0), rule: PhysicalAhead },
    ];
    let mut clock = Hlc::new();
    assert_eq!(clock.now(), Timestamp::ZERO);
    drive(&mut clock, &rows);
}

#[test]
fn clock_starting_at_min_takes_negative_physical_time() {
    use Event::*;
    use Rule::*;
    #[rustfmt::skip]
    let rows = [
        // from Timestamp::MIN any pt is ahead, even a negative one
        Row { pt: -40, event: Local, expected: ts(-40, 0), rule: PhysicalAhead },
        // step back further below zero: l holds
        Row { pt: -41, event: Local, expected: ts(-40, 1), rule: LogicalHeld },
        // pt = -39 beats l = -40 and a message from a clock reading even lower
        Row { pt: -39, event: Recv(ts(-100, 7)), expected: ts(-39, 0), rule: RecvPhysicalAhead },
        // a message stamped (0, 0) is ahead of a negative l and pt
        Row { pt: -30, event: Recv(Timestamp::ZERO), expected: ts(0, 1), rule: RecvMessageAhead },
    ];
    let mut clock = Hlc::new().starting_at(Timestamp::MIN);
    drive(&mut clock, &rows);

    // The default start (0, 0) instead holds l = 0 over a negative physical clock.
    let mut zero = Hlc::new();
    let tick = zero.local(-40).unwrap();
    assert_eq!((tick.timestamp, tick.rule), (ts(0, 1), LogicalHeld));
}

#[test]
fn hlc_order_does_not_imply_happened_before() {
    // Two nodes that never exchange messages: their events are concurrent, yet HLC
    // orders them (it is a total order extending happened-before, not a test of it).
    let mut a = Hlc::new();
    let mut b = Hlc::new();
    let ea = a.local(5).unwrap().timestamp;
    let eb = b.local(7).unwrap().timestamp;
    assert!(ea < eb, "HLC orders the concurrent events: {ea} < {eb}");
    let mut va = hlc::VectorClock::new(2, 0);
    let mut vb = hlc::VectorClock::new(2, 1);
    let (va, vb) = (va.local().to_vec(), vb.local().to_vec());
    assert_eq!(
        hlc::VectorClock::compare(&va, &vb),
        None,
        "vector clocks see them concurrent"
    );
}

// ---------------------------------------------------------------------------
// Tick::explain
// ---------------------------------------------------------------------------

/// Whether `text` contains `needle` as a whole token: not preceded by a letter,
/// digit or `_` and not followed by a digit (so "l = 1" does not match "l = 12" and
/// "l = 3" does not match "l_m = 3").
fn mentions(text: &str, needle: &str) -> bool {
    text.match_indices(needle).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + needle.len()..].chars().next();
        !before.is_some_and(|ch| ch.is_alphanumeric() || ch == '_')
            && !after.is_some_and(|ch| ch.is_ascii_digit())
    })
}

#[test]
fn mentions_helper_matches_whole_values_only() {
    assert!(mentions("so l = 12 and", "l = 12"));
    assert!(!mentions("so l = 12 and", "l = 1"));
    assert!(!mentions("the l_m = 3.", "l = 3"));
    assert!(mentions("the l_m = 3.", "l_m = 3"));
}

struct ExplainRow {
    pt: Time,
    event: Event,
    rule: Rule,
    needles: &'static [&'static str],
}

#[test]
fn explain_mentions_the_winning_values_of_each_branch() {
    use Event::*;
    use Rule::*;
    #[rustfmt::skip]
    let rows = [
        // pt = 10 beat l = 0
        ExplainRow { pt: 10, event: Local, rule: PhysicalAhead, needles: &["pt = 10", "l = 0", "c resets to 0"] },
        // pt = 7 did not beat l = 10, c = 0 + 1 = 1
        ExplainRow { pt: 7, event: Send, rule: LogicalHeld, needles: &["pt = 7", "l = 10", "0 + 1 = 1"] },
        // pt = 20 beat l = 10 and l_m = 15
        ExplainRow { pt: 20, event: Recv(ts(15, 7)), rule: RecvPhysicalAhead, needles: &["pt = 20", "l = 10", "l_m = 15", "c resets to 0"] },
        // l_m = 25 beat l = 20 and pt = 21, c = c_m + 1 = 4
        ExplainRow { pt: 21, event: Recv(ts(25, 3)), rule: RecvMessageAhead, needles: &["l_m = 25", "l = 20", "pt = 21", "c_m + 1 = 4"] },
        // l = 25 beat l_m = 3 and pt = 22, c = 4 + 1 = 5
        ExplainRow { pt: 22, event: Recv(ts(3, 50)), rule: RecvLocalAhead, needles: &["l = 25", "l_m = 3", "pt = 22", "4 + 1 = 5"] },
        // l and l_m tie at 25, c = max(5, 9) + 1 = 10
        ExplainRow { pt: 23, event: Recv(ts(25, 9)), rule: RecvTie, needles: &["tie at 25", "pt = 23", "max(5, 9) + 1 = 10"] },
    ];
    let mut clock = Hlc::new();
    for (i, row) in rows.iter().enumerate() {
        let tick = apply(&mut clock, row.pt, row.event).unwrap();
        assert_eq!(tick.rule, row.rule, "row {i}");
        let text = tick.explain();
        for needle in row.needles {
            assert!(
                mentions(&text, needle),
                "row {i}: {text:?} should mention {needle:?}"
            );
        }
        assert!(
            !text.contains("carried"),
            "row {i}: no carry to mention in {text:?}"
        );
    }

    // A carry is explained with the carried timestamp.
    let mut small = Hlc::with_policy(Policy {
        counter_bits: 1,
        ..Policy::default()
    })
    .starting_at(ts(40, 1));
    let tick = small.local(3).unwrap();
    assert!(tick.carried);
    let text = tick.explain();
    for needle in ["pt = 3", "l = 40", "1 + 1 = 2", "carried", "(41, 0)"] {
        assert!(text.contains(needle), "{text:?} should mention {needle:?}");
    }

    // A clock starting at MIN does not print i64::MIN as its l.
    let mut fresh = Hlc::new().starting_at(Timestamp::MIN);
    let text = fresh.local(-40).unwrap().explain();
    assert!(mentions(&text, "pt = -40"), "{text:?}");
    assert!(!text.contains(&Time::MIN.to_string()), "{text:?}");
    assert!(text.contains("unset"), "{text:?}");
}

// ---------------------------------------------------------------------------
// Max offset
// ---------------------------------------------------------------------------

/// A row whose outcome may be an error; after an error the clock must be unchanged.
#[derive(Debug)]
struct PolicyRow {
    pt: Time,
    event: Event,
    expected: Result<Timestamp, ClockError>,
    rule: Option<Rule>,
    carried: bool,
}

fn drive_policy(clock: &mut Hlc, rows: &[PolicyRow]) {
    for (i, row) in rows.iter().enumerate() {
        let before = clock.now();
        let got = apply(clock, row.pt, row.event);
        match (&got, &row.expected) {
            (Ok(tick), Ok(expected)) => {
                assert_eq!(tick.timestamp, *expected, "row {i} ({row:?})");
                assert_eq!(Some(tick.rule), row.rule, "row {i} ({row:?})");
                assert_eq!(tick.carried, row.carried, "row {i} ({row:?}): carried");
                assert_eq!(tick.previous, before, "row {i} ({row:?})");
                assert_eq!(clock.now(), *expected, "row {i} ({row:?})");
                assert!(tick.timestamp > before, "row {i}: strictly increasing");
            }
            (Err(err), Err(expected)) => {
                assert_eq!(err, expected, "row {i} ({row:?})");
                assert_eq!(
                    clock.now(),
                    before,
                    "row {i} ({row:?}): an error leaves the clock alone"
                );
            }
            _ => panic!("row {i} ({row:?}): got {got:?}"),
        }
    }
}

fn too_far(remote_l: Time, pt: Time, max_offset: Time) -> Result<Timestamp, ClockError> {
    Err(ClockError::ExceedsMaxOffset {
        remote_l,
        pt,
        max_offset,
    })
}

#[test]
fn max_offset_policy() {
    use Event::*;
    use Rule::*;
    #[rustfmt::skip]
    let rows = [
        // an ordinary local event: the bound only concerns receives
        PolicyRow { pt: 1_000, event: Local, expected: Ok(ts(1_000, 0)), rule: Some(PhysicalAhead), carried: false },
        // l_m - pt == 500 exactly at the bound: accepted
        PolicyRow { pt: 1_000, event: Recv(ts(1_500, 2)), expected: Ok(ts(1_500, 3)), rule: Some(RecvMessageAhead), carried: false },
        // l_m - pt == 501, one past the bound: rejected, clock stays (1500, 3)
        PolicyRow { pt: 1_000, event: Recv(ts(1_501, 0)), expected: too_far(1_501, 1_000, 500), rule: None, carried: false },
        // the same message once pt has moved by 1 is exactly at the bound again
        PolicyRow { pt: 1_001, event: Recv(ts(1_501, 0)), expected: Ok(ts(1_501, 1)), rule: Some(RecvMessageAhead), carried: false },
        // a message from the end of time: rejected without overflowing l_m - pt
        PolicyRow { pt: 1_001, event: Recv(ts(Time::MAX, 0)), expected: too_far(Time::MAX, 1_001, 500), rule: None, carried: false },
        // the bound is measured from pt, not l: l_m = 1_600 is only 99 past l = 1_501 but 600 past pt = 1_000
        PolicyRow { pt: 1_000, event: Recv(ts(1_600, 0)), expected: too_far(1_600, 1_000, 500), rule: None, carried: false },
        // a message far behind is never rejected
        PolicyRow { pt: 2_000, event: Recv(ts(0, 0)), expected: Ok(ts(2_000, 0)), rule: Some(RecvPhysicalAhead), carried: false },
        // a message from the beginning of time: l_m - pt hugely negative, accepted
        PolicyRow { pt: 2_000, event: Recv(ts(Time::MIN, 9)), expected: Ok(ts(2_000, 1)), rule: Some(RecvLocalAhead), carried: false },
        // a negative pt with l_m exactly 500 ahead of it: accepted (local l still wins)
        PolicyRow { pt: -10_000, event: Recv(ts(-9_500, 0)), expected: Ok(ts(2_000, 2)), rule: Some(RecvLocalAhead), carried: false },
        // a negative pt with l_m 501 ahead of it: rejected, although l_m is far behind l
        PolicyRow { pt: -10_000, event: Recv(ts(-9_499, 0)), expected: too_far(-9_499, -10_000, 500), rule: None, carried: false },
        // local events and sends are never rejected, however far pt jumps
        PolicyRow { pt: 1_000_000, event: Send, expected: Ok(ts(1_000_000, 0)), rule: Some(PhysicalAhead), carried: false },
    ];
    let policy = Policy {
        max_offset: Some(500),
        ..Policy::default()
    };
    let mut clock = Hlc::with_policy(policy);
    drive_policy(&mut clock, &rows);
}

#[test]
fn max_offset_zero_and_none() {
    use Event::*;
    use Rule::*;
    #[rustfmt::skip]
    let rows = [
        // l_m == pt: 0 ahead, accepted by a zero bound
        PolicyRow { pt: 50, event: Recv(ts(50, 4)), expected: Ok(ts(50, 5)), rule: Some(RecvMessageAhead), carried: false },
        // l_m one ahead of pt: rejected by a zero bound
        PolicyRow { pt: 50, event: Recv(ts(51, 0)), expected: too_far(51, 50, 0), rule: None, carried: false },
        // a message behind: accepted
        PolicyRow { pt: 60, event: Recv(ts(10, 0)), expected: Ok(ts(60, 0)), rule: Some(RecvPhysicalAhead), carried: false },
    ];
    let mut clock = Hlc::with_policy(Policy {
        max_offset: Some(0),
        ..Policy::default()
    });
    drive_policy(&mut clock, &rows);

    // Without a bound even a message from the end of time is taken.
    let mut open = Hlc::new();
    let tick = open.recv(0, ts(Time::MAX - 1, 0)).unwrap();
    assert_eq!(
        (tick.timestamp, tick.rule),
        (ts(Time::MAX - 1, 1), RecvMessageAhead)
    );
}

#[test]
fn max_offset_error_message_names_the_values() {
    let err = ClockError::ExceedsMaxOffset {
        remote_l: 1_600,
        pt: 1_000,
        max_offset: 500,
    };
    let text = err.to_string();
    for needle in ["1600", "1000", "500", "600"] {
        assert!(text.contains(needle), "{text:?} should mention {needle}");
    }
    // no overflow when the difference does not fit an i64
    let err = ClockError::ExceedsMaxOffset {
        remote_l: Time::MAX,
        pt: Time::MIN,
        max_offset: 0,
    };
    assert!(err.to_string().contains("18446744073709551615"), "{err}");
}

// ---------------------------------------------------------------------------
// Counter width
// ---------------------------------------------------------------------------

#[test]
fn counter_width_two_bits_carries_into_l() {
    use Event::*;
    use Rule::*;
    #[rustfmt::skip]
    let rows = [
        // first event: l = pt, c = 0
        PolicyRow { pt: 5, event: Local, expected: Ok(ts(5, 0)), rule: Some(PhysicalAhead), carried: false },
        // c = 1
        PolicyRow { pt: 5, event: Local, expected: Ok(ts(5, 1)), rule: Some(LogicalHeld), carried: false },
        // c = 2
        PolicyRow { pt: 5, event: Send, expected: Ok(ts(5, 2)), rule: Some(LogicalHeld), carried: false },
        // c = 3 is the largest 2 bits hold: no carry yet
        PolicyRow { pt: 5, event: Local, expected: Ok(ts(5, 3)), rule: Some(LogicalHeld), carried: false },
        // c would be 4: carry into l, (l + 1, 0)
        PolicyRow { pt: 5, event: Local, expected: Ok(ts(6, 0)), rule: Some(LogicalHeld), carried: true },
        // after the carry l is ahead of pt = 5, so l holds and c counts again
        PolicyRow { pt: 5, event: Local, expected: Ok(ts(6, 1)), rule: Some(LogicalHeld), carried: false },
        // pt catches up with the carried l: a tie, still held
        PolicyRow { pt: 6, event: Send, expected: Ok(ts(6, 2)), rule: Some(LogicalHeld), carried: false },
        // receive tie with c_m = 3: max(2, 3) + 1 = 4 carries
        PolicyRow { pt: 6, event: Recv(ts(6, 3)), expected: Ok(ts(7, 0)), rule: Some(RecvTie), carried: true },
        // receive of a message ahead with c_m = 3: c_m + 1 = 4 carries past l_m
        PolicyRow { pt: 0, event: Recv(ts(9, 3)), expected: Ok(ts(10, 0)), rule: Some(RecvMessageAhead), carried: true },
        // local ahead: c = 1
        PolicyRow { pt: 10, event: Recv(ts(4, 3)), expected: Ok(ts(10, 1)), rule: Some(RecvLocalAhead), carried: false },
        // local ahead: c = 2
        PolicyRow { pt: 10, event: Recv(ts(4, 3)), expected: Ok(ts(10, 2)), rule: Some(RecvLocalAhead), carried: false },
        // local ahead: c = 3, full
        PolicyRow { pt: 10, event: Recv(ts(4, 3)), expected: Ok(ts(10, 3)), rule: Some(RecvLocalAhead), carried: false },
        // local ahead with a full counter: carry
        PolicyRow { pt: 10, event: Recv(ts(4, 3)), expected: Ok(ts(11, 0)), rule: Some(RecvLocalAhead), carried: true },
        // pt ties l_m = 20 with c_m = 3: message ahead, c_m + 1 carries to (21, 0)
        PolicyRow { pt: 20, event: Recv(ts(20, 3)), expected: Ok(ts(21, 0)), rule: Some(RecvMessageAhead), carried: true },
        // physical ahead resets c: never carries, even if c_m was full
        PolicyRow { pt: 30, event: Recv(ts(29, 3)), expected: Ok(ts(30, 0)), rule: Some(RecvPhysicalAhead), carried: false },
    ];
    let mut clock = Hlc::with_policy(Policy {
        counter_bits: 2,
        ..Policy::default()
    });
    assert_eq!(clock.policy().counter_max(), 3);
    drive_policy(&mut clock, &rows);
}

#[test]
fn counter_carry_at_the_end_of_time_overflows() {
    use Event::*;
    use Rule::*;
    let max = Time::MAX;
    #[rustfmt::skip]
    let rows = [
        // l = i64::MAX and c = 2 -> 3 still fits
        PolicyRow { pt: 0, event: Local, expected: Ok(ts(max, 3)), rule: Some(LogicalHeld), carried: false },
        // a carry from (MAX, 3) would need l = MAX + 1: TimeOverflow, clock unchanged
        PolicyRow { pt: max, event: Local, expected: Err(ClockError::TimeOverflow), rule: None, carried: false },
        // same on a receive tie
        PolicyRow { pt: 0, event: Recv(ts(max, 1)), expected: Err(ClockError::TimeOverflow), rule: None, carried: false },
        // same on a send
        PolicyRow { pt: 0, event: Send, expected: Err(ClockError::TimeOverflow), rule: None, carried: false },
    ];
    let policy = Policy {
        counter_bits: 2,
        ..Policy::default()
    };
    let mut clock = Hlc::with_policy(policy).starting_at(ts(max, 2));
    drive_policy(&mut clock, &rows);

    // A receive on a fresh clock of a message at (MAX, 3): c_m + 1 carries, overflow.
    let mut fresh = Hlc::with_policy(policy);
    assert_eq!(fresh.recv(0, ts(max, 3)), Err(ClockError::TimeOverflow));
    assert_eq!(fresh.now(), Timestamp::ZERO);
    // One below the end of time the carry still fits.
    let tick = fresh.recv(0, ts(max - 1, 3)).unwrap();
    assert_eq!(
        (tick.timestamp, tick.rule, tick.carried),
        (ts(max, 0), RecvMessageAhead, true)
    );
    assert!(ClockError::TimeOverflow
        .to_string()
        .contains(&max.to_string()));
}

#[test]
fn counter_width_boundaries() {
    struct WidthRow {
        bits: u8,
        max: u32,
    }
    #[rustfmt::skip]
    let rows = [
        // 0 is clamped to 1 bit
        WidthRow { bits: 0, max: 1 },
        // 1 bit
        WidthRow { bits: 1, max: 1 },
        // YugabyteDB's 12 bits
        WidthRow { bits: 12, max: 4_095 },
        // the default: fits the packed form
        WidthRow { bits: hlc::DEFAULT_COUNTER_BITS, max: 65_535 },
        // 31 bits
        WidthRow { bits: 31, max: (1 << 31) - 1 },
        // the full u32
        WidthRow { bits: 32, max: u32::MAX },
        // wider than u32 is clamped to 32
        WidthRow { bits: 200, max: u32::MAX },
    ];
    for row in rows {
        let policy = Policy {
            counter_bits: row.bits,
            ..Policy::default()
        };
        assert_eq!(policy.counter_max(), row.max, "bits = {}", row.bits);
        // c = max - 1 -> max does not carry, max -> max + 1 does.
        let mut clock = Hlc::with_policy(policy).starting_at(ts(100, row.max - 1));
        let tick = clock.local(0).unwrap();
        assert_eq!(
            (tick.timestamp, tick.carried),
            (ts(100, row.max), false),
            "bits = {}",
            row.bits
        );
        let tick = clock.local(0).unwrap();
        assert_eq!(
            (tick.timestamp, tick.carried),
            (ts(101, 0), true),
            "bits = {}",
            row.bits
        );
        // The same on a receive tie at the full counter.
        let mut clock = Hlc::with_policy(policy).starting_at(ts(100, 0));
        let tick = clock.recv(0, ts(100, row.max)).unwrap();
        assert_eq!(
            (tick.timestamp, tick.rule, tick.carried),
            (ts(101, 0), Rule::RecvTie, true)
        );
    }
}

#[test]
fn default_clock_timestamps_always_pack() {
    // With the default 16-bit counter, a clock pushed through 70_000 held events
    // keeps c within the packed 16 bits.
    let mut clock = Hlc::new();
    for _ in 0..70_000 {
        let tick = clock.local(1).unwrap();
        let word = tick.timestamp.pack().unwrap();
        assert_eq!(Timestamp::unpack(word), tick.timestamp);
    }
    assert_eq!(clock.now(), ts(2, 70_000 - 65_536 - 1));
}

// ---------------------------------------------------------------------------
// Packing
// ---------------------------------------------------------------------------

const L_MAX: Time = (1 << 48) - 1;
const C_MAX: u32 = (1 << 16) - 1;

#[test]
fn pack_table() {
    struct PackRow {
        input: Timestamp,
        expected: Result<u64, PackError>,
    }
    #[rustfmt::skip]
    let rows = [
        // the zero timestamp is the zero word
        PackRow { input: ts(0, 0), expected: Ok(0) },
        // l in the high bits, c in the low 16
        PackRow { input: ts(1, 2), expected: Ok(0x1_0002) },
        // a millisecond wall time from 2023
        PackRow { input: ts(1_700_000_000_000, 7), expected: Ok((1_700_000_000_000 << 16) | 7) },
        // the largest c on its own
        PackRow { input: ts(0, C_MAX), expected: Ok(0xFFFF) },
        // the largest l on its own
        PackRow { input: ts(L_MAX, 0), expected: Ok(0xFFFF_FFFF_FFFF_0000) },
        // both at their largest: every bit set
        PackRow { input: ts(L_MAX, C_MAX), expected: Ok(u64::MAX) },
        // l one past 48 bits
        PackRow { input: ts(L_MAX + 1, 0), expected: Err(PackError::LogicalTimeOutOfRange(L_MAX + 1)) },
        // l = i64::MAX
        PackRow { input: ts(Time::MAX, 0), expected: Err(PackError::LogicalTimeOutOfRange(Time::MAX)) },
        // a negative l
        PackRow { input: ts(-1, 0), expected: Err(PackError::LogicalTimeOutOfRange(-1)) },
        // the most negative l (Timestamp::MIN)
        PackRow { input: Timestamp::MIN, expected: Err(PackError::LogicalTimeOutOfRange(Time::MIN)) },
        // c one past 16 bits
        PackRow { input: ts(0, C_MAX + 1), expected: Err(PackError::CounterOutOfRange(C_MAX + 1)) },
        // c = u32::MAX
        PackRow { input: ts(5, u32::MAX), expected: Err(PackError::CounterOutOfRange(u32::MAX)) },
    ];
    for (i, row) in rows.iter().enumerate() {
        let got = row.input.pack();
        assert_eq!(got, row.expected, "row {i}: pack({})", row.input);
        if let Ok(word) = got {
            assert_eq!(Timestamp::unpack(word), row.input, "row {i}: round trip");
        }
    }
    assert!(PackError::LogicalTimeOutOfRange(-1)
        .to_string()
        .contains("-1"));
    assert!(PackError::CounterOutOfRange(65_536)
        .to_string()
        .contains("65536"));
}

#[test]
fn unpack_table() {
    #[rustfmt::skip]
    let rows: [(u64, Timestamp); 5] = [
        // zero
        (0, ts(0, 0)),
        // only the counter
        (0xFFFF, ts(0, C_MAX)),
        // the lowest bit of l
        (0x1_0000, ts(1, 0)),
        // every bit
        (u64::MAX, ts(L_MAX, C_MAX)),
        // the top bit lands in l, not in a sign
        (1 << 63, ts(1 << 47, 0)),
    ];
    for (word, expected) in rows {
        assert_eq!(Timestamp::unpack(word), expected, "unpack({word:#x})");
        assert_eq!(expected.pack(), Ok(word), "pack({expected})");
    }
}

#[test]
fn packed_order_equals_timestamp_order() {
    // Sorted by the timestamp order; the packed words must be strictly increasing.
    let sorted = [
        ts(0, 0),
        ts(0, 1),
        ts(0, C_MAX),
        ts(1, 0),
        ts(1, 1),
        ts(255, C_MAX),
        ts(256, 0),
        ts(1 << 32, 0),
        ts(1_700_000_000_000, 7),
        ts(L_MAX - 1, C_MAX),
        ts(L_MAX, 0),
        ts(L_MAX, C_MAX),
    ];
    for pair in sorted.windows(2) {
        assert!(
            pair[0] < pair[1],
            "table not sorted: {} {}",
            pair[0],
            pair[1]
        );
        let (a, b) = (pair[0].pack().unwrap(), pair[1].pack().unwrap());
        assert!(
            a < b,
            "pack({}) = {a:#x} should be below pack({}) = {b:#x}",
            pair[0],
            pair[1]
        );
    }
}
