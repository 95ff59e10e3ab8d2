//! Replay: hand-checked traces, computed by hand from the paper's Figure 5
//! rules (send/local: `l = max(l, pt)`, `c = c + 1` if `l` held
//! else 0; receive: `l = max(l, l_m, pt)` with the four `c` branches), and the
//! structure of a `Trace`.

mod support;

use support::{local, message, skewed};

use hlc::{ClockError, Rule, Timestamp};
use hlcviz::generate::random_scenario;
use hlcviz::scenario::{ClockStep, EventRef, Node, Scenario, ScenarioError, Settings};
use hlcviz::sim::{replay, replay_valid, EventKind, Trace};
use EventRef::{Local, Recv, Send};

/// One expected row: scenario event, node, real time, pt, (l, c), rule.
type Row = (EventRef, usize, i64, i64, (i64, u32), Rule);

fn assert_table(trace: &Trace, rows: &[Row]) {
    assert_eq!(trace.events().len(), rows.len(), "number of events");
    for (index, (row, event)) in rows.iter().zip(trace.events()).enumerate() {
        let &(source, node, real, pt, (l, c), rule) = row;
        let got = (
            event.source,
            event.node,
            event.real_ms,
            event.pt(),
            event.hlc(),
            event.tick.rule,
        );
        let want = (source, node, real, pt, Timestamp::new(l, c), rule);
        assert_eq!(got, want, "trace event {index}");
    }
}

fn hlcs(trace: &Trace) -> Vec<(i64, u32)> {
    trace
        .events()
        .iter()
        .map(|e| (e.hlc().l, e.hlc().c))
        .collect()
}

/// Nodes A (+100 ms), B and C (0 ms).
///
/// | # | real | node | event  | pt  | rule                       | hlc      |
/// |---|------|------|--------|-----|----------------------------|----------|
/// | 0 |    5 | B    | L0     |   5 | start below pt: l = pt     | (5, 0)   |
/// | 1 |   10 | A    | send 0 | 110 | pt ahead                   | (110, 0) |
/// | 2 |   12 | B    | recv 0 |  12 | l_m = 110 wins, c_m + 1    | (110, 1) |
/// | 3 |   13 | B    | L1     |  13 | l held                     | (110, 2) |
/// | 4 |   14 | B    | send 1 |  14 | l held                     | (110, 3) |
/// | 5 |   20 | C    | recv 1 |  20 | l_m = 110 wins, c = 3 + 1  | (110, 4) |
/// | 6 |  200 | C    | L2     | 200 | pt ahead                   | (200, 0) |
/// | 7 |  210 | C    | send 2 | 210 | pt ahead                   | (210, 0) |
/// | 8 |  215 | B    | recv 2 | 215 | pt beats 110 and 210       | (215, 0) |
/// | 9 |  220 | A    | send 3 | 320 | pt ahead                   | (320, 0) |
/// |10 |  230 | B    | recv 3 | 230 | l_m = 320 wins, c = 0 + 1  | (320, 1) |
/// |11 |  240 | C    | send 4 | 240 | pt ahead                   | (240, 0) |
/// |12 |  250 | B    | recv 4 | 250 | local 320 wins, c = 1 + 1  | (320, 2) |
fn sender_ahead() -> Scenario {
    Scenario {
        nodes: vec![skewed("A", 100), Node::named("B"), Node::named("C")],
        events: vec![local(1, 5), local(1, 13), local(2, 200)],
        messages: vec![
            message(0, 10, 1, 12),
            message(1, 14, 2, 20),
            message(2, 210, 1, 215),
            message(0, 220, 1, 230),
            message(2, 240, 1, 250),
        ],
        ..Scenario::with_nodes(&[])
    }
}

#[test]
fn sender_ahead_receiver_takes_l_m_and_c_m_plus_one() {
    let s = sender_ahead();
    let trace = replay(&s).unwrap();
    use Rule::*;
    assert_table(
        &trace,
        &[
            (Local(0), 1, 5, 5, (5, 0), PhysicalAhead),
            (Send(0), 0, 10, 110, (110, 0), PhysicalAhead),
            (Recv(0), 1, 12, 12, (110, 1), RecvMessageAhead),
            (Local(1), 1, 13, 13, (110, 2), LogicalHeld),
            (Send(1), 1, 14, 14, (110, 3), LogicalHeld),
            (Recv(1), 2, 20, 20, (110, 4), RecvMessageAhead),
            (Local(2), 2, 200, 200, (200, 0), PhysicalAhead),
            (Send(2), 2, 210, 210, (210, 0), PhysicalAhead),
            (Recv(2), 1, 215, 215, (215, 0), RecvPhysicalAhead),
            (Send(3), 0, 220, 320, (320, 0), PhysicalAhead),
            (Recv(3), 1, 230, 230, (320, 1), RecvMessageAhead),
            (Send(4), 2, 240, 240, (240, 0), PhysicalAhead),
            (Recv(4), 1, 250, 250, (320, 2), RecvLocalAhead),
        ],
    );
    // The receive's tick records its inputs.
    let recv = &trace.events()[2];
    assert_eq!(recv.tick.previous, Timestamp::new(5, 0));
    assert_eq!(recv.tick.message, Some(Timestamp::new(110, 0)));
    assert!(!recv.tick.carried);
    assert_eq!(recv.rejection, None);
    assert_eq!(recv.kind(), EventKind::Recv);
    assert!(recv.explain().contains("l_m = 110"), "{}", recv.explain());
    assert_eq!(trace.events()[1].tick.message, None);
}

/// Nodes A, B (0 ms) and C (+1000 ms): A and B both hold l = 1001 from C.
///
/// | # | real | node | event  | pt   | rule                         | hlc        |
/// |---|------|------|--------|------|------------------------------|------------|
/// | 0 |    1 | C    | send 0 | 1001 | pt ahead                     | (1001, 0)  |
/// | 1 |    2 | A    | recv 0 |    2 | l_m wins, c = 0 + 1          | (1001, 1)  |
/// | 2 |    3 | A    | send 1 |    3 | l held                       | (1001, 2)  |
/// | 3 |    4 | B    | recv 1 |    4 | l_m wins, c = 2 + 1          | (1001, 3)  |
/// | 4 |    5 | B    | L0     |    5 | l held                       | (1001, 4)  |
/// | 5 |    6 | A    | send 2 |    6 | l held                       | (1001, 3)  |
/// | 6 |    7 | B    | recv 2 |    7 | tie: max(4, 3) + 1           | (1001, 5)  |
/// | 7 |    8 | A    | L1     |    8 | l held                       | (1001, 4)  |
/// | 8 |    9 | A    | L2     |    9 | l held                       | (1001, 5)  |
/// | 9 |   10 | A    | send 3 |   10 | l held                       | (1001, 6)  |
/// |10 |   11 | B    | recv 3 |   11 | tie: max(5, 6) + 1           | (1001, 7)  |
#[test]
fn ties_take_the_larger_counter_plus_one() {
    let s = Scenario {
        nodes: vec![Node::named("A"), Node::named("B"), skewed("C", 1_000)],
        events: vec![local(1, 5), local(0, 8), local(0, 9)],
        messages: vec![
            message(2, 1, 0, 2),
            message(0, 3, 1, 4),
            message(0, 6, 1, 7),
            message(0, 10, 1, 11),
        ],
        ..Scenario::with_nodes(&[])
    };
    let trace = replay(&s).unwrap();
    use Rule::*;
    assert_table(
        &trace,
        &[
            (Send(0), 2, 1, 1001, (1001, 0), PhysicalAhead),
            (Recv(0), 0, 2, 2, (1001, 1), RecvMessageAhead),
            (Send(1), 0, 3, 3, (1001, 2), LogicalHeld),
            (Recv(1), 1, 4, 4, (1001, 3), RecvMessageAhead),
            (Local(0), 1, 5, 5, (1001, 4), LogicalHeld),
            (Send(2), 0, 6, 6, (1001, 3), LogicalHeld),
            (Recv(2), 1, 7, 7, (1001, 5), RecvTie),
            (Local(1), 0, 8, 8, (1001, 4), LogicalHeld),
            (Local(2), 0, 9, 9, (1001, 5), LogicalHeld),
            (Send(3), 0, 10, 10, (1001, 6), LogicalHeld),
            (Recv(3), 1, 11, 11, (1001, 7), RecvTie),
        ],
    );
}

#[test]
fn same_instant_on_different_nodes_replays_in_node_order() {
    let mut s = Scenario::with_nodes(&["A", "B", "C"]);
    s.events = vec![local(2, 5), local(0, 5), local(1, 5), local(1, 4)];
    s.messages = vec![message(2, 1, 0, 4)];
    let trace = replay(&s).unwrap();
    let order: Vec<(i64, usize, EventRef)> = trace
        .events()
        .iter()
        .map(|e| (e.real_ms, e.node, e.source))
        .collect();
    assert_eq!(
        order,
        [
            (1, 2, Send(0)),
            (4, 0, Recv(0)),
            (4, 1, Local(3)),
            (5, 0, Local(1)),
            (5, 1, Local(2)),
            (5, 2, Local(0)),
        ]
    );
}

/// Nodes A (-100 ms) and B (-200 ms): every pt near t = 0 is negative, and the
/// clocks start below all of them, so l = pt, c = 0 (never the paper's (0, 1)).
///
/// | # | real | node | event  | pt   | hlc       | naive l                         |
/// |---|------|------|--------|------|-----------|---------------------------------|
/// | 0 |   10 | A    | L0     |  -90 | (-90, 0)  | -90                             |
/// | 1 |   20 | A    | send 0 |  -80 | (-80, 0)  | max(-89, -80) = -80             |
/// | 2 |   21 | B    | recv 0 | -179 | (-80, 1)  | max(MIN+1, -79, -179) = -79     |
/// | 3 |   30 | B    | L1     | -170 | (-80, 2)  | max(-78, -170) = -78            |
#[test]
fn clocks_start_below_every_negative_physical_time() {
    let s = Scenario {
        nodes: vec![skewed("A", -100), skewed("B", -200)],
        events: vec![local(0, 10), local(1, 30)],
        messages: vec![message(0, 20, 1, 21)],
        ..Scenario::with_nodes(&[])
    };
    let trace = replay(&s).unwrap();
    use Rule::*;
    assert_table(
        &trace,
        &[
            (Local(0), 0, 10, -90, (-90, 0), PhysicalAhead),
            (Send(0), 0, 20, -80, (-80, 0), PhysicalAhead),
            (Recv(0), 1, 21, -179, (-80, 1), RecvMessageAhead),
            (Local(1), 1, 30, -170, (-80, 2), LogicalHeld),
        ],
    );
    assert_eq!(trace.events()[0].tick.previous, Timestamp::MIN);
    assert_eq!(trace.events()[2].tick.previous, Timestamp::MIN);
    let naive: Vec<i64> = trace.events().iter().map(|e| e.naive_l).collect();
    assert_eq!(naive, [-90, -80, -79, -78]);
    let lamport: Vec<u64> = trace.events().iter().map(|e| e.lamport).collect();
    assert_eq!(lamport, [1, 2, 3, 4]);
}

/// Max offset 50 ms; A is 100 ms ahead of B.
///
/// | # | real | node | event   | pt  | hlc      | lamport | vector | naive |
/// |---|------|------|---------|-----|----------|---------|--------|-------|
/// | 0 |    0 | A    | L0      | 100 | (100, 0) | 1       | [1, 0] | 100   |
/// | 1 |    1 | A    | L2      | 101 | (101, 0) | 2       | [2, 0] | 101   |
/// | 2 |    1 | B    | L1      |   1 | (1, 0)   | 1       | [0, 1] | 1     |
/// | 3 |    2 | A    | send 0  | 102 | (102, 0) | 3       | [3, 0] | 102   |
/// | 4 |    3 | B    | recv 0  |   3 | rejected: 102 - 3 = 99 > 50, local tick:    |
/// |   |      |      |         |     | (3, 0)   | 2       | [0, 2] | 3     |
/// | 5 |    4 | B    | L3      |   4 | (4, 0)   | 3       | [0, 3] | 4     |
/// | 6 |   60 | A    | send 1  | 160 | (160, 0) | 4       | [4, 0] | 160   |
/// | 7 |  115 | B    | recv 1  | 115 | 160 - 115 = 45: accepted, (160, 1),    |
/// |   |      |      |         |     |          | max(3,4)+1 = 5 | [4, 4] | 161 |
/// | 8 |  200 | A    | send 2  | 300 | (300, 0) | 5       | [5, 0] | 300   |
/// | 9 |  250 | B    | recv 2  | 250 | 300 - 250 = 50: exactly the bound, accepted |
/// |   |      |      |         |     | (300, 1) | 6       | [5, 5] | 301   |
#[test]
fn max_offset_rejection_is_a_local_event_without_a_causal_edge() {
    let s = Scenario {
        nodes: vec![skewed("A", 100), Node::named("B")],
        events: vec![local(0, 0), local(1, 1), local(0, 1), local(1, 4)],
        messages: vec![
            message(0, 2, 1, 3),
            message(0, 60, 1, 115),
            message(0, 200, 1, 250),
        ],
        settings: Settings {
            max_offset_ms: Some(50),
            ..Settings::default()
        },
        ..Scenario::with_nodes(&[])
    };
    let trace = replay(&s).unwrap();
    use Rule::*;
    assert_table(
        &trace,
        &[
            (Local(0), 0, 0, 100, (100, 0), PhysicalAhead),
            (Local(2), 0, 1, 101, (101, 0), PhysicalAhead),
            (Local(1), 1, 1, 1, (1, 0), PhysicalAhead),
            (Send(0), 0, 2, 102, (102, 0), PhysicalAhead),
            (Recv(0), 1, 3, 3, (3, 0), PhysicalAhead),
            (Local(3), 1, 4, 4, (4, 0), PhysicalAhead),
            (Send(1), 0, 60, 160, (160, 0), PhysicalAhead),
            (Recv(1), 1, 115, 115, (160, 1), RecvMessageAhead),
            (Send(2), 0, 200, 300, (300, 0), PhysicalAhead),
            (Recv(2), 1, 250, 250, (300, 1), RecvMessageAhead),
        ],
    );
    let rejected = &trace.events()[4];
    assert_eq!(
        rejected.rejection,
        Some(ClockError::ExceedsMaxOffset {
            remote_l: 102,
            pt: 3,
            max_offset: 50
        })
    );
    assert_eq!(rejected.tick.message, None, "the clock ignored the message");
    assert!(rejected.explain().starts_with("Message rejected"));
    assert!(rejected.explain().contains("99"), "{}", rejected.explain());
    for (index, event) in trace.events().iter().enumerate() {
        if index != 4 {
            assert_eq!(event.rejection, None, "event {index}");
        }
    }
    let lamport: Vec<u64> = trace.events().iter().map(|e| e.lamport).collect();
    assert_eq!(lamport, [1, 2, 1, 3, 2, 3, 4, 5, 5, 6]);
    let naive: Vec<i64> = trace.events().iter().map(|e| e.naive_l).collect();
    assert_eq!(naive, [100, 101, 1, 102, 3, 4, 160, 161, 300, 301]);
    let vectors: Vec<&[u32]> = (0..10).map(|i| trace.vector(i)).collect();
    assert_eq!(
        vectors,
        [
            &[1, 0][..],
            &[2, 0],
            &[0, 1],
            &[3, 0],
            &[0, 2],
            &[0, 3],
            &[4, 0],
            &[4, 4],
            &[5, 0],
            &[5, 5],
        ]
    );
    // The rejected message is still drawn: partners link both ways.
    assert_eq!(trace.events()[3].partner, Some(4));
    assert_eq!(trace.events()[4].partner, Some(3));
    // But nothing on B after the refusal is in the send's causal future, until
    // the accepted message 1 (sent after it) arrives.
    use hlcviz::analysis::{causal_future, causal_past, happened_before};
    assert!(!happened_before(&trace, 3, 4));
    assert!(!happened_before(&trace, 3, 5));
    assert!(happened_before(&trace, 3, 7));
    assert_eq!(causal_future(&trace, 3), [6, 7, 8, 9]);
    assert_eq!(causal_past(&trace, 5), [2, 4]);
}

/// Counter of 2 bits (0 to 3); A is 100 ms ahead, so B and C hold l = 100.
///
/// | # | real | node | event  | pt  | rule                    | hlc      | carried |
/// |---|------|------|--------|-----|-------------------------|----------|---------|
/// | 0 |    0 | A    | send 0 | 100 | pt ahead                | (100, 0) |         |
/// | 1 |    1 | B    | recv 0 |   1 | l_m wins, c = 1         | (100, 1) |         |
/// | 2 |    2 | B    | L0     |   2 | l held                  | (100, 2) |         |
/// | 3 |    3 | B    | L1     |   3 | l held                  | (100, 3) |         |
/// | 4 |    4 | B    | L2     |   4 | c = 4 > 3: carry        | (101, 0) | yes     |
/// | 5 |    5 | B    | L3     |   5 | l held                  | (101, 1) |         |
/// | 6 |    6 | B    | L4     |   6 | l held                  | (101, 2) |         |
/// | 7 |    7 | B    | send 1 |   7 | l held                  | (101, 3) |         |
/// | 8 |    8 | B    | L5     |   8 | c = 4 > 3: carry        | (102, 0) | yes     |
/// | 9 |    9 | C    | recv 1 |   9 | l_m wins, c = 4: carry  | (102, 0) | yes     |
#[test]
fn a_two_bit_counter_carries_into_l() {
    let s = Scenario {
        nodes: vec![skewed("A", 100), Node::named("B"), Node::named("C")],
        events: (2..=6).chain([8]).map(|t| local(1, t)).collect(),
        messages: vec![message(0, 0, 1, 1), message(1, 7, 2, 9)],
        settings: Settings {
            counter_bits: 2,
            ..Settings::default()
        },
        ..Scenario::with_nodes(&[])
    };
    let trace = replay(&s).unwrap();
    use Rule::*;
    assert_table(
        &trace,
        &[
            (Send(0), 0, 0, 100, (100, 0), PhysicalAhead),
            (Recv(0), 1, 1, 1, (100, 1), RecvMessageAhead),
            (Local(0), 1, 2, 2, (100, 2), LogicalHeld),
            (Local(1), 1, 3, 3, (100, 3), LogicalHeld),
            (Local(2), 1, 4, 4, (101, 0), LogicalHeld),
            (Local(3), 1, 5, 5, (101, 1), LogicalHeld),
            (Local(4), 1, 6, 6, (101, 2), LogicalHeld),
            (Send(1), 1, 7, 7, (101, 3), LogicalHeld),
            (Local(5), 1, 8, 8, (102, 0), LogicalHeld),
            (Recv(1), 2, 9, 9, (102, 0), RecvMessageAhead),
        ],
    );
    let carried: Vec<usize> = (0..trace.events().len())
        .filter(|&i| trace.events()[i].tick.carried)
        .collect();
    assert_eq!(carried, [4, 8, 9]);
    assert!(trace.events()[4].explain().contains("carried into l"));
    assert!(!trace.events()[3].explain().contains("carried"));
    // The same scenario with the default 16-bit counter never carries.
    let wide = Scenario {
        settings: Settings::default(),
        ..s
    };
    let trace = replay(&wide).unwrap();
    assert!(trace.events().iter().all(|e| !e.tick.carried));
    assert_eq!(trace.events()[8].hlc(), Timestamp::new(100, 8));
    assert_eq!(trace.events()[9].hlc(), Timestamp::new(100, 8));
}

/// A (0 ms) steps back 30 ms at real 50 and forward 1000 ms at real 200; B (0 ms).
///
/// | real | node | event  | pt   | rule                 | hlc        |
/// |------|------|--------|------|----------------------|------------|
/// |   40 | A    | L0     |   40 | pt ahead             | (40, 0)    |
/// |   50 | A    | L1     |   20 | l held (clock back)  | (40, 1)    |
/// |   55 | B    | send 0 |   55 | pt ahead             | (55, 0)    |
/// |   60 | A    | L2     |   30 | l held               | (40, 2)    |
/// |   65 | A    | recv 0 |   35 | l_m wins             | (55, 1)    |
/// |   70 | A    | L3     |   40 | l held               | (55, 2)    |
/// |   80 | A    | L4     |   50 | l held               | (55, 3)    |
/// |   90 | A    | L5     |   60 | pt ahead             | (60, 0)    |
/// |  100 | A    | send 1 |   70 | pt ahead             | (70, 0)    |
/// |  101 | B    | recv 1 |  101 | pt beats 55 and 70   | (101, 0)   |
/// |  200 | A    | L6     | 1170 | pt ahead (stepped)   | (1170, 0)  |
/// |  201 | A    | send 2 | 1171 | pt ahead             | (1171, 0)  |
/// |  202 | B    | recv 2 |  202 | l_m wins             | (1171, 1)  |
#[test]
fn a_clock_step_back_keeps_every_node_strictly_increasing() {
    let s = Scenario {
        nodes: vec![
            Node {
                steps: vec![
                    ClockStep {
                        at_ms: 200,
                        by_ms: 1_000,
                    },
                    ClockStep {
                        at_ms: 50,
                        by_ms: -30,
                    },
                ],
                ..Node::named("A")
            },
            Node::named("B"),
        ],
        events: [40, 50, 60, 70, 80, 90, 200]
            .into_iter()
            .map(|t| local(0, t))
            .collect(),
        messages: vec![
            message(1, 55, 0, 65),
            message(0, 100, 1, 101),
            message(0, 201, 1, 202),
        ],
        ..Scenario::with_nodes(&[])
    };
    let trace = replay(&s).unwrap();
    use Rule::*;
    assert_table(
        &trace,
        &[
            (Local(0), 0, 40, 40, (40, 0), PhysicalAhead),
            (Local(1), 0, 50, 20, (40, 1), LogicalHeld),
            (Send(0), 1, 55, 55, (55, 0), PhysicalAhead),
            (Local(2), 0, 60, 30, (40, 2), LogicalHeld),
            (Recv(0), 0, 65, 35, (55, 1), RecvMessageAhead),
            (Local(3), 0, 70, 40, (55, 2), LogicalHeld),
            (Local(4), 0, 80, 50, (55, 3), LogicalHeld),
            (Local(5), 0, 90, 60, (60, 0), PhysicalAhead),
            (Send(1), 0, 100, 70, (70, 0), PhysicalAhead),
            (Recv(1), 1, 101, 101, (101, 0), RecvPhysicalAhead),
            (Local(6), 0, 200, 1170, (1170, 0), PhysicalAhead),
            (Send(2), 0, 201, 1171, (1171, 0), PhysicalAhead),
            (Recv(2), 1, 202, 202, (1171, 1), RecvMessageAhead),
        ],
    );
    for node in 0..2 {
        let stamps: Vec<Timestamp> = trace
            .node_events(node)
            .iter()
            .map(|&i| trace.events()[i].hlc())
            .collect();
        assert!(
            stamps.windows(2).all(|w| w[0] < w[1]),
            "node {node}: {stamps:?}"
        );
    }
}

/// Nodes A (0 ms), B (+10 ms), C (-5 ms). Naive: `max(l + 1, pt)` on send/local,
/// `max(l + 1, l_m + 1, pt)` on receive. Lamport: +1, `max(lc, lc_m) + 1`.
///
/// | # | real | node | event  | pt | naive                  | lamport     | vector    | hlc      |
/// |---|------|------|--------|----|------------------------|-------------|-----------|----------|
/// | 0 |    1 | A    | L0     |  1 | 1                      | 1           | [1,0,0]   | (1, 0)   |
/// | 1 |    2 | A    | send 0 |  2 | max(2, 2) = 2          | 2           | [2,0,0]   | (2, 0)   |
/// | 2 |    3 | B    | recv 0 | 13 | max(_, 3, 13) = 13     | max(0,2)+1=3| [2,1,0]   | (13, 0)  |
/// | 3 |    4 | B    | send 1 | 14 | max(14, 14) = 14       | 4           | [2,2,0]   | (14, 0)  |
/// | 4 |    5 | C    | recv 1 |  0 | max(_, 15, 0) = 15     | max(0,4)+1=5| [2,2,1]   | (14, 1)  |
/// | 5 |    6 | C    | send 2 |  1 | max(16, 1) = 16        | 6           | [2,2,2]   | (14, 2)  |
/// | 6 |    7 | A    | recv 2 |  7 | max(3, 17, 7) = 17     | max(2,6)+1=7| [3,2,2]   | (14, 3)  |
/// | 7 |    8 | C    | L1     |  3 | max(17, 3) = 17        | 7           | [2,2,3]   | (14, 3)  |
/// | 8 |    9 | A    | send 3 |  9 | max(18, 9) = 18        | 8           | [4,2,2]   | (14, 4)  |
/// | 9 |   10 | C    | recv 3 |  5 | max(18, 19, 5) = 19    | max(7,8)+1=9| [4,2,4]   | (14, 5)  |
#[test]
fn naive_lamport_and_vector_clocks_on_three_nodes() {
    let s = Scenario {
        nodes: vec![Node::named("A"), skewed("B", 10), skewed("C", -5)],
        events: vec![local(0, 1), local(2, 8)],
        messages: vec![
            message(0, 2, 1, 3),
            message(1, 4, 2, 5),
            message(2, 6, 0, 7),
            message(0, 9, 2, 10),
        ],
        ..Scenario::with_nodes(&[])
    };
    let trace = replay(&s).unwrap();
    let sources: Vec<EventRef> = trace.events().iter().map(|e| e.source).collect();
    assert_eq!(
        sources,
        [
            Local(0),
            Send(0),
            Recv(0),
            Send(1),
            Recv(1),
            Send(2),
            Recv(2),
            Local(1),
            Send(3),
            Recv(3)
        ]
    );
    let naive: Vec<i64> = trace.events().iter().map(|e| e.naive_l).collect();
    assert_eq!(naive, [1, 2, 13, 14, 15, 16, 17, 17, 18, 19]);
    let lamport: Vec<u64> = trace.events().iter().map(|e| e.lamport).collect();
    assert_eq!(lamport, [1, 2, 3, 4, 5, 6, 7, 7, 8, 9]);
    let vectors: Vec<Vec<u32>> = (0..10).map(|i| trace.vector(i).to_vec()).collect();
    assert_eq!(
        vectors,
        [
            [1, 0, 0],
            [2, 0, 0],
            [2, 1, 0],
            [2, 2, 0],
            [2, 2, 1],
            [2, 2, 2],
            [3, 2, 2],
            [2, 2, 3],
            [4, 2, 2],
            [4, 2, 4],
        ]
    );
    assert_eq!(
        hlcs(&trace),
        [
            (1, 0),
            (2, 0),
            (13, 0),
            (14, 0),
            (14, 1),
            (14, 2),
            (14, 3),
            (14, 3),
            (14, 4),
            (14, 5)
        ]
    );
    // HLC stays within eps = 15 of pt where the naive clock runs away.
    let last = &trace.events()[9];
    assert_eq!(last.naive_l - last.pt(), 14);
    assert_eq!(last.hlc().l - last.pt(), 9);
    assert!(trace.vector(10).is_empty(), "no vector past the end");
}

fn assert_trace_structure(s: &Scenario, trace: &Trace) {
    let events = trace.events();
    assert_eq!(events.len(), s.event_count());
    assert_eq!(trace.node_count(), s.nodes.len());
    // Replay order: real time, then node.
    assert!(events
        .windows(2)
        .all(|w| (w[0].real_ms, w[0].node) < (w[1].real_ms, w[1].node)));
    // index_of finds every scenario event, with its node and time.
    let mut seen = vec![false; events.len()];
    for (event, node, at) in s.all_events() {
        let index = trace.index_of(event).expect("every event is mapped");
        assert!(!seen[index], "two events map to {index}");
        seen[index] = true;
        let e = trace.event(index).unwrap();
        assert_eq!((e.source, e.node, e.real_ms), (event, node, at));
        assert_eq!(e.pt(), s.nodes[node].physical_time(at));
        let kind = match event {
            Local(_) => EventKind::Local,
            Send(_) => EventKind::Send,
            Recv(_) => EventKind::Recv,
        };
        assert_eq!(e.kind(), kind);
    }
    assert!(seen.iter().all(|&x| x));
    assert_eq!(trace.index_of(Local(s.events.len())), None);
    assert_eq!(trace.index_of(Send(s.messages.len())), None);
    assert_eq!(trace.index_of(Recv(usize::MAX)), None);
    assert!(trace.event(events.len()).is_none());
    // Partners link both ways; local events have none.
    for i in 0..s.messages.len() {
        let send = trace.index_of(Send(i)).unwrap();
        let recv = trace.index_of(Recv(i)).unwrap();
        assert!(send < recv);
        assert_eq!(events[send].partner, Some(recv), "message {i}");
        assert_eq!(events[recv].partner, Some(send), "message {i}");
    }
    for i in 0..s.events.len() {
        assert_eq!(events[trace.index_of(Local(i)).unwrap()].partner, None);
    }
    // node_events: each node's events, in time order, covering the trace once.
    let mut covered = 0;
    for node in 0..s.nodes.len() {
        let on_node = trace.node_events(node);
        covered += on_node.len();
        assert!(on_node.windows(2).all(|w| w[0] < w[1]));
        assert!(on_node
            .windows(2)
            .all(|w| events[w[0]].real_ms < events[w[1]].real_ms));
        assert!(on_node.iter().all(|&i| events[i].node == node));
        // Each node's own vector entry counts its events.
        for (k, &i) in on_node.iter().enumerate() {
            assert_eq!(trace.vector(i)[node] as usize, k + 1);
        }
        let expected = s.all_events().filter(|&(_, n, _)| n == node).count();
        assert_eq!(on_node.len(), expected);
    }
    assert_eq!(covered, events.len());
    assert!(trace.node_events(s.nodes.len()).is_empty());
}

#[test]
fn trace_structure_on_hand_made_and_generated_scenarios() {
    assert_trace_structure(&sender_ahead(), &replay(&sender_ahead()).unwrap());
    for seed in [0, 1, 7, 99, u64::MAX] {
        for (n, m, l) in [(2, 10, 5), (4, 40, 20), (9, 60, 0), (1, 5, 12)] {
            let mut s = random_scenario(n, m, l, seed);
            if seed % 2 == 1 {
                s.settings.max_offset_ms = Some(40);
            }
            let trace = replay(&s).unwrap();
            assert_trace_structure(&s, &trace);
        }
    }
}

#[test]
fn replay_is_deterministic() {
    for seed in [3, 4, 5] {
        let mut s = random_scenario(5, 80, 40, seed);
        s.settings.max_offset_ms = Some(100);
        s.settings.counter_bits = 3;
        s.nodes[1].steps.push(ClockStep {
            at_ms: 150,
            by_ms: -120,
        });
        let a = replay(&s).unwrap();
        let b = replay(&s).unwrap();
        assert_eq!(a, b);
        let reloaded = Scenario::from_json(&s.to_json()).unwrap();
        assert_eq!(replay(&reloaded).unwrap(), a);
        assert_eq!(replay_valid(&s), a);
    }
    // And a change to the input changes the output.
    let mut s = random_scenario(3, 10, 10, 1);
    let before = replay(&s).unwrap();
    s.nodes[0].skew_ms += 1;
    assert_ne!(replay(&s).unwrap(), before);
}

#[test]
fn replay_refuses_invalid_scenarios_and_replay_valid_skips_unknown_nodes() {
    let mut s = Scenario::with_nodes(&["A", "B"]);
    s.events = vec![local(0, 1), local(5, 2), local(1, 3)];
    s.messages = vec![message(0, 4, 1, 5), message(9, 6, 0, 7)];
    assert_eq!(
        replay(&s),
        Err(ScenarioError::UnknownNode {
            event: Local(1),
            node: 5,
            nodes: 2
        })
    );
    let trace = replay_valid(&s);
    assert_eq!(trace.events().len(), 5, "two events name node 5 or 9");
    assert_eq!(trace.index_of(Local(1)), None);
    assert_eq!(trace.index_of(Send(1)), None);
    let recv = trace.index_of(Recv(1)).unwrap();
    // Its send was skipped, so it is a plain local event.
    assert_eq!(trace.events()[recv].partner, None);
    assert_eq!(trace.events()[recv].tick.message, None);
    assert_eq!(trace.index_of(Local(0)), Some(0));
}
