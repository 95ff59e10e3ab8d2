//! Clock health and the policies of real systems: a node that stops itself,
//! the events it refuses, and each system's settings. Golden tables worked out
//! by hand, one comment per row, then property tests over random scenarios.

mod support;

use hlc::{Time, Timestamp};
use hlcviz::analysis::{check_invariants, happened_before};
use hlcviz::generate::random_scenario;
use hlcviz::policies::{find, SYSTEMS};
use hlcviz::presets;
use hlcviz::report::{refusal, trace_json, trace_table};
use hlcviz::scenario::{
    ClockStep, EventRef, Scenario, ScenarioError, Settings, StopRule, MAX_OFFSET_LIMIT_MS,
};
use hlcviz::sim::{replay, Trace};
use hlcviz::table::{cell, Column};
use proptest::prelude::*;
use support::{local, message, scenario, skewed};

const MAJORITY: StopRule = StopRule {
    threshold_ms: 400,
    majority: true,
};
const ANY_PEER: StopRule = StopRule {
    threshold_ms: 400,
    majority: false,
};

fn with_rule(mut s: Scenario, rule: StopRule) -> Scenario {
    s.settings.stop_on_skew = Some(rule);
    s
}

/// `(source, stopped, unsent, hlc)` of every event in trace order.
fn rows(trace: &Trace) -> Vec<(EventRef, bool, bool, Timestamp)> {
    trace
        .events()
        .iter()
        .map(|e| (e.source, e.stopped, e.unsent, e.hlc()))
        .collect()
}

/// A, B, C at real time, D 450 ms ahead; a local event on A at 10, on D at 20
/// and on A at 30.
fn one_far_peer() -> Scenario {
    scenario(
        vec![
            skewed("A", 0),
            skewed("B", 0),
            skewed("C", 0),
            skewed("D", 450),
        ],
        vec![local(0, 10), local(3, 20), local(0, 30)],
        vec![],
    )
}

#[test]
fn the_majority_rule_stops_the_far_node_and_not_a_node_with_one_far_peer() {
    let trace = replay(&with_rule(one_far_peer(), MAJORITY)).unwrap();
    let e = EventRef::Local;
    assert_eq!(
        rows(&trace),
        [
            // A @10, pt 10: peers B 0, C 0, D 450 ms away: 1 far of 3 < 2 needed.
            (e(0), false, false, Timestamp::new(10, 0)),
            // D @20, pt 470: 450 ms from A, B and C: 3 far of 3 >= 2: stops.
            (e(1), true, false, Timestamp::MIN),
            // A @30: D stopped before 30, so its peers are B and C: none far.
            (e(2), false, false, Timestamp::new(30, 0)),
        ]
    );
    assert_eq!(trace.stopped_at(3), Some(20));
    assert_eq!(trace.stopped_at(0), None);
    let stop = trace.stop(3).unwrap();
    assert_eq!(
        (
            stop.event,
            stop.pt,
            stop.offset_ms,
            stop.far_peers,
            stop.peers
        ),
        (1, 470, 450, 3, 3)
    );
}

#[test]
fn the_any_peer_rule_stops_a_healthy_node_next_to_a_far_one() {
    let trace = replay(&with_rule(one_far_peer(), ANY_PEER)).unwrap();
    let e = EventRef::Local;
    assert_eq!(
        rows(&trace),
        [
            // A @10: D is 450 > 400 ms away, and one far peer is enough: stops.
            (e(0), true, false, Timestamp::MIN),
            // D @20: A stopped at 10, so its peers are B and C, both far: stops.
            (e(1), true, false, Timestamp::MIN),
            // A @30: stopped since 10; no live event yet, so no clock value.
            (e(2), true, false, Timestamp::MIN),
        ]
    );
    assert_eq!(
        (trace.stopped_at(0), trace.stopped_at(3)),
        (Some(10), Some(20))
    );
    assert_eq!(
        trace.stop(0).unwrap().reason(),
        "clock 450 ms from a peer, threshold 400 ms"
    );
}

#[test]
fn an_offset_equal_to_the_threshold_is_not_too_far() {
    // D exactly 400 ms ahead: 400 > 400 is false, under either rule.
    let mut s = one_far_peer();
    s.nodes[3].skew_ms = 400;
    for rule in [MAJORITY, ANY_PEER] {
        let trace = replay(&with_rule(s.clone(), rule)).unwrap();
        assert!(trace.events().iter().all(|e| !e.refused()), "{rule:?}");
        assert_eq!((0..4).find_map(|n| trace.stopped_at(n)), None);
    }
}

#[test]
fn a_node_without_live_peers_never_stops() {
    // A alone, or A next to B that stopped first: nothing to compare with.
    let mut s = scenario(vec![skewed("A", 900)], vec![local(0, 1)], vec![]);
    let trace = replay(&with_rule(s.clone(), ANY_PEER)).unwrap();
    assert_eq!(trace.stopped_at(0), None);
    s.nodes.push(skewed("B", 0));
    s.events = vec![local(1, 1), local(0, 2)];
    let trace = replay(&with_rule(s, ANY_PEER)).unwrap();
    // B @1 is 900 ms from A: stops. A @2: its only peer stopped at 1: keeps on.
    assert_eq!((trace.stopped_at(1), trace.stopped_at(0)), (Some(1), None));
}

/// The `node-stops` preset, worked by hand (all clocks at real time until C's
/// clock steps 450 ms ahead at 400; CockroachDB's policy: stop at 400 ms from
/// at least half the peers).
#[test]
fn the_node_stops_preset_refuses_a_local_event_a_send_its_receive_and_a_receive() {
    let s = presets::find("node-stops").unwrap().scenario();
    let trace = replay(&s).unwrap();
    let (l, snd, rcv) = (EventRef::Local, EventRef::Send, EventRef::Recv);
    assert_eq!(
        rows(&trace),
        [
            // A send m0 @100, pt 100.
            (snd(0), false, false, Timestamp::new(100, 0)),
            // C recv m0 @200, pt 200 beats l_m 100.
            (rcv(0), false, false, Timestamp::new(200, 0)),
            // C send m1 @300, pt 300.
            (snd(1), false, false, Timestamp::new(300, 0)),
            // B recv m1 @380, pt 380.
            (rcv(1), false, false, Timestamp::new(380, 0)),
            // C local e0 @420, pt 870: 450 ms from A and B: stops; keeps (300, 0).
            (l(0), true, false, Timestamp::new(300, 0)),
            // B send m2 @500: C stopped before, B's only peer A is at 0 ms.
            (snd(2), false, false, Timestamp::new(500, 0)),
            // C recv m2 @600: C has stopped: refused, no edge.
            (rcv(2), true, false, Timestamp::new(300, 0)),
            // C send m3 @650: refused, so m3 is never sent.
            (snd(3), true, false, Timestamp::new(300, 0)),
            // A recv m3 @700: never sent; A keeps (100, 0) and does not tick.
            (rcv(3), false, true, Timestamp::new(100, 0)),
            // A local e1 @750, pt 750.
            (l(1), false, false, Timestamp::new(750, 0)),
        ]
    );
    assert_eq!(trace.stopped_at(2), Some(420));
    assert_eq!((trace.stopped_at(0), trace.stopped_at(1)), (None, None));
    // Only the vector clock's own entry ticks on a refused event.
    let vectors: Vec<&[u32]> = (0..10).map(|i| trace.vector(i)).collect();
    assert_eq!(vectors[4], [1, 0, 3]);
    assert_eq!(vectors[6], [1, 0, 4], "the refused receive merged nothing");
    assert_eq!(vectors[8], [2, 0, 0], "the unsent message merged nothing");
    assert!(!happened_before(&trace, 5, 6), "no edge from B's send to C");
    assert!(
        !happened_before(&trace, 7, 8),
        "no edge from C's refused send"
    );
    assert!(
        happened_before(&trace, 2, 3),
        "m1 was delivered before the stop"
    );
    // Refused events are judged by no invariant: every check holds.
    let checks = check_invariants(&s, &trace);
    assert!(checks.iter().all(|c| c.holds), "{checks:?}");

    let why = "C stopped at 420 ms (clock 450 ms or more from 2 of 2 peers, threshold 400 ms: no majority within it)";
    assert_eq!(refusal(&s, &trace, 4).as_deref(), Some(why));
    assert_eq!(refusal(&s, &trace, 6).as_deref(), Some(why));
    assert_eq!(refusal(&s, &trace, 8), Some(format!("never sent: {why}")));
    assert_eq!(refusal(&s, &trace, 5), None);
    let table = trace_table(&s, &trace);
    let line = |i: usize| table.lines().nth(i + 1).unwrap_or_default().to_string();
    assert!(line(4).ends_with(&format!("REFUSED: {why}")), "{table}");
    assert!(
        line(8).ends_with(&format!("REFUSED: never sent: {why}")),
        "{table}"
    );
    assert!(!line(5).contains("REFUSED"));
    let json = trace_json(&s, &trace);
    assert_eq!(json["events"][6]["refused"], why);
    assert_eq!(json["events"][5]["refused"], serde_json::Value::Null);
    assert_eq!(
        json["settings"]["stop_on_skew"],
        serde_json::json!({"threshold_ms": 400, "majority": true})
    );
    assert_eq!(cell(&s, &trace, 6, Column::Event), "recv m2 (refused)");
    assert_eq!(
        cell(&s, &trace, 6, Column::Rule),
        "refused: node stopped, clocks kept"
    );
    assert_eq!(
        cell(&s, &trace, 8, Column::Rule),
        "refused: never sent, clocks kept"
    );
    assert_eq!(
        trace.events()[6].explain(),
        "Refused: the node had stopped itself because its clock was too far from its peers' (clock health), so nothing happens here; the clocks keep the values of the node's last live event, HLC (300, 0)."
    );
    assert!(trace.explain(8).ends_with(&format!(
        "Its sender (stopped at 420 ms: {}).",
        trace.stop(2).unwrap().reason()
    )));
    // The preset runs CockroachDB's policy.
    let cockroach = find("cockroachdb").unwrap().apply(&Settings::default());
    assert_eq!(s.settings, cockroach);
}

#[test]
fn each_system_policy_sets_the_figures_read_in_its_code() {
    let table: Vec<(&str, Option<Time>, u8, Option<StopRule>)> = SYSTEMS
        .iter()
        .map(|p| {
            let s = p.apply(&Settings::default());
            (p.id, s.max_offset_ms, s.counter_bits, s.stop_on_skew)
        })
        .collect();
    assert_eq!(
        table,
        [
            // base.DefaultMaxClockOffset 500 ms; int32 Logical; stop at
            // toleratedOffsetMultiplier 0.8 * 500 from at least half the peers.
            ("cockroachdb", Some(500), 31, Some(MAJORITY)),
            // no max-offset rejection in HybridClock::Update; 12 logical bits;
            // max_clock_skew_usec 500 000.
            (
                "yugabytedb",
                None,
                12,
                Some(StopRule {
                    threshold_ms: 500,
                    majority: false
                })
            ),
            // a year of accepted drift (past our one-day cap); int32 increment.
            ("mongodb", None, 31, None),
            // DEFAULT_DELTA_MS 500; CSIZE 4.
            ("uhlc", Some(500), 4, None),
        ]
    );
    for p in SYSTEMS {
        assert!(!p.title.is_empty() && !p.summary.is_empty() && p.source.contains(": "));
        assert_eq!(find(p.id).map(|q| q.id), Some(p.id));
        // Applying a policy twice, or after another one, gives the same settings.
        let once = p.apply(&Settings::default());
        assert_eq!(p.apply(&once), once);
        for other in SYSTEMS {
            assert_eq!(p.apply(&other.apply(&Settings::default())), once);
        }
        // Every policy's settings are valid.
        let mut s = Scenario::with_nodes(&["A", "B"]);
        s.settings = once;
        assert_eq!(s.validate(), Ok(()), "{}", p.id);
    }
}

#[test]
fn the_threshold_is_validated_and_an_absent_rule_is_not_written() {
    let mut s = Scenario::with_nodes(&["A", "B"]);
    assert!(!s.to_json().contains("stop_on_skew"));
    for (threshold_ms, ok) in [
        (0, false),                       // a node would stop at any offset
        (1, true),                        // the smallest threshold
        (MAX_OFFSET_LIMIT_MS, true),      // a day
        (MAX_OFFSET_LIMIT_MS + 1, false), // past the max-offset cap
        (-5, false),                      // negative
    ] {
        s.settings.stop_on_skew = Some(StopRule {
            threshold_ms,
            majority: true,
        });
        let got = s.validate();
        assert_eq!(got.is_ok(), ok, "{threshold_ms}: {got:?}");
        if let Err(ScenarioError::OutOfRange { field, .. }) = got {
            assert_eq!(field, "settings stop_on_skew threshold_ms");
        }
    }
    s.settings.stop_on_skew = Some(MAJORITY);
    let back = Scenario::from_json(&s.to_json()).unwrap();
    assert_eq!(back, s);
}

#[test]
fn a_clock_that_steps_back_stops_its_node_too() {
    // The offset is absolute: B's clock stepped 500 ms back at 50 is as far
    // from A's as one 500 ms ahead.
    let mut s = scenario(
        vec![skewed("A", 0), skewed("B", 0)],
        vec![local(1, 40), local(1, 60)],
        vec![message(1, 70, 0, 80)],
    );
    s.nodes[1].steps.push(ClockStep {
        at_ms: 50,
        by_ms: -500,
    });
    let trace = replay(&with_rule(s, MAJORITY)).unwrap();
    // B @40 pt 40: live. B @60 pt -440, 500 ms from A: stops. B's send @70 is
    // refused and A's receive @80 never happens.
    let flags: Vec<(bool, bool)> = trace
        .events()
        .iter()
        .map(|e| (e.stopped, e.unsent))
        .collect();
    assert_eq!(
        flags,
        [(false, false), (true, false), (true, false), (false, true)]
    );
    assert_eq!(trace.stopped_at(1), Some(60));
}

// ---------------------------------------------------------------- properties

fn stop_scenarios() -> impl Strategy<Value = Scenario> {
    (
        2usize..7,
        0usize..30,
        0usize..30,
        any::<u64>(),
        prop::collection::vec((0i64..200, -400i64..=400), 0..4),
        1i64..400,
        any::<bool>(),
        prop_oneof![Just(None), (0i64..300).prop_map(Some)],
    )
        .prop_map(
            |(nodes, messages, locals, seed, steps, threshold_ms, majority, max_offset)| {
                let mut s = random_scenario(nodes, messages, locals, seed);
                for (k, (at_ms, by_ms)) in steps.into_iter().enumerate() {
                    let node = k % s.nodes.len();
                    s.nodes[node].steps.push(ClockStep { at_ms, by_ms });
                }
                s.settings.max_offset_ms = max_offset;
                s.settings.stop_on_skew = Some(StopRule {
                    threshold_ms,
                    majority,
                });
                s
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn replay_with_stop_rules_is_deterministic_and_live_events_stay_monotone(
        s in stop_scenarios()
    ) {
        let trace = replay(&s).unwrap();
        prop_assert_eq!(&trace, &replay(&s).unwrap());
        let events = trace.events();
        for node in 0..trace.node_count() {
            let on_node = trace.node_events(node);
            // Once refused because stopped, always refused, from stopped_at on.
            let first = on_node.iter().position(|&e| events[e].stopped);
            prop_assert_eq!(
                first.map(|k| events[on_node[k]].real_ms),
                trace.stopped_at(node)
            );
            if let Some(k) = first {
                prop_assert!(on_node[k..].iter().all(|&e| events[e].stopped));
            }
            // Live events strictly increase; a refused one repeats the last live.
            let mut last: Option<Timestamp> = None;
            for &e in on_node {
                let ts = events[e].hlc();
                if events[e].refused() {
                    prop_assert_eq!(ts, last.unwrap_or(Timestamp::MIN));
                } else {
                    prop_assert!(last.is_none_or(|l| l < ts), "{:?} then {:?}", last, ts);
                    last = Some(ts);
                }
            }
        }
        for node in 0..trace.node_count() {
            // A refused event merges no message: its vector is the previous
            // one on its node with its own entry one higher.
            let mut previous = vec![0u32; trace.node_count()];
            for &e in trace.node_events(node) {
                if events[e].refused() {
                    let mut expected = previous.clone();
                    expected[node] += 1;
                    prop_assert_eq!(trace.vector(e), expected.as_slice());
                }
                previous = trace.vector(e).to_vec();
            }
        }
        for e in events {
            prop_assert_eq!(e.unsent, e.kind() == hlcviz::sim::EventKind::Recv
                && !e.stopped
                && e.partner.is_some_and(|p| events[p].refused()));
        }
        // Every invariant of the paper holds on the live events whose checks hold
        // without stops (causality, l >= pt, snapshots).
        let checks = check_invariants(&s, &trace);
        for c in checks.iter().filter(|c| matches!(c.invariant,
            hlcviz::analysis::Invariant::Causality
            | hlcviz::analysis::Invariant::LogicalNotBehindPhysical
            | hlcviz::analysis::Invariant::SnapshotConsistent))
        {
            prop_assert!(c.holds, "{:?}", c);
        }
    }
}

/// A node that has stopped itself serves no database operation: a put on it
/// writes no version, a get on it reads nothing, and a write carried to it is
/// never applied. The node-stops preset: C stops at 420 ms.
#[test]
fn a_stopped_node_writes_and_reads_nothing() {
    use hlcviz::scenario::{KvOp, LocalEvent, Message, Put};
    let mut s = hlcviz::presets::find("node-stops").unwrap().scenario();
    let c = 2;
    s.events.push(LocalEvent {
        node: c,
        at_ms: 900,
        kv: Some(KvOp::Put {
            key: "x".into(),
            value: "on C".into(),
        }),
    });
    s.events.push(LocalEvent {
        node: c,
        at_ms: 910,
        kv: Some(KvOp::Get { key: "x".into() }),
    });
    s.events.push(LocalEvent {
        node: 0,
        at_ms: 50,
        kv: Some(KvOp::Put {
            key: "x".into(),
            value: "on A".into(),
        }),
    });
    let mut carried = Message::between(1, 920, c, 960);
    carried.put = Some(Put {
        key: "x".into(),
        value: "to C".into(),
    });
    s.messages.push(carried);
    let trace = hlcviz::sim::replay(&s).unwrap();
    assert_eq!(trace.stopped_at(c), Some(420));
    let run = hlcviz::kv::evaluate(&s, &trace);
    let values: Vec<&str> = run.versions.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(values, ["on A"], "only the live node's put is a version");
    assert!(
        run.reads.is_empty(),
        "the get on the stopped node is never served"
    );
}
