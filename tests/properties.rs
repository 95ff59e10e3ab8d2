//! Property tests on random valid scenarios: replay, the file format, causality
//! (against an independent breadth-first search), the invariants of
//! the paper (Kulkarni et al. 2014) and snapshot cuts.

mod support;

use support::{bfs_happened_before, check};

use hlc::{Time, Timestamp};
use hlcviz::analysis::{check_invariants, clock_spread, happened_before, hlc_cut, Invariant};
use hlcviz::generate::random_scenario;
use hlcviz::scenario::{
    ClockStep, EventRef, LocalEvent, Message, Node, Scenario, Settings, StopRule,
};
use hlcviz::sim::{replay, replay_edited, Trace};
use proptest::prelude::*;
use std::collections::HashSet;

// ---------------------------------------------------------------- strategy

/// What the random scenarios may contain.
#[derive(Debug, Clone, Copy)]
struct Options {
    /// Clock steps (back and forward) on some nodes.
    steps: bool,
    /// Counters of 1 to 4 bits (and 16), not only 32.
    small_counter: bool,
}

const ANY: Options = Options {
    steps: true,
    small_counter: true,
};
const PAPER: Options = Options {
    steps: false,
    small_counter: false,
};

fn node(steps: bool) -> impl Strategy<Value = Node> {
    let drift = prop_oneof![
        4 => Just(0i64),
        2 => -1_000i64..=1_000,
        1 => -100_000i64..=100_000,
    ];
    let step = (0i64..2_300, -300i64..=300).prop_map(|(at_ms, by_ms)| ClockStep { at_ms, by_ms });
    let steps = if steps {
        prop_oneof![2 => Just(Vec::new()), 1 => prop::collection::vec(step, 1..4)].boxed()
    } else {
        Just(Vec::new()).boxed()
    };
    (
        "[a-zA-Z0-9<>&é🦀][a-zA-Z0-9 <>&é🦀]{0,10}",
        -500i64..500,
        drift,
        steps,
    )
        .prop_map(|(name, skew_ms, drift_ppm, steps)| Node {
            name,
            skew_ms,
            drift_ppm,
            steps,
        })
}

fn settings(small_counter: bool) -> impl Strategy<Value = Settings> {
    let counter_bits = if small_counter {
        prop_oneof![1u8..=4, Just(16u8), Just(32u8)].boxed()
    } else {
        Just(32u8).boxed()
    };
    let max_offset = prop_oneof![2 => Just(None), 1 => (0i64..400).prop_map(Some)];
    (max_offset, counter_bits).prop_map(|(max_offset_ms, counter_bits)| Settings {
        max_offset_ms,
        counter_bits,
        ..Settings::default()
    })
}

/// Random valid scenarios: 2 to 7 nodes, skews in -500..500, sometimes drift,
/// up to 40 local events and 40 messages in about 2 s of real time, distinct
/// instants on each node and every receive after its send.
fn scenarios(options: Options) -> impl Strategy<Value = Scenario> {
    (2usize..8)
        .prop_flat_map(move |n| {
            (
                prop::collection::vec(node(options.steps), n),
                prop::collection::vec((0..n, 0i64..2_000), 0..40),
                prop::collection::vec((0..n, 1..n, 0i64..2_000, 1i64..300), 0..40),
                settings(options.small_counter),
            )
        })
        .prop_map(|(nodes, locals, messages, settings)| {
            let n = nodes.len();
            let mut taken: HashSet<(usize, Time)> = HashSet::new();
            // A clashing instant moves later by whole ms, so a receive stays
            // after its send.
            let mut claim = |node: usize, mut at: Time| {
                while !taken.insert((node, at)) {
                    at += 1;
                }
                at
            };
            let messages = messages
                .into_iter()
                .map(|(from, offset, sent, delay)| {
                    let to = (from + offset) % n;
                    let sent_at_ms = claim(from, sent);
                    let received_at_ms = claim(to, sent_at_ms + delay);
                    Message::between(from, sent_at_ms, to, received_at_ms)
                })
                .collect();
            let events = locals
                .into_iter()
                .map(|(node, at)| LocalEvent::at(node, claim(node, at)))
                .collect();
            Scenario {
                nodes,
                events,
                messages,
                settings,
                ..Scenario::with_nodes(&[])
            }
        })
}

// ---------------------------------------------------------------- oracles

/// `a < b` componentwise-or-equal with at least one strict entry.
fn vector_less(a: &[u32], b: &[u32]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x <= y) && a != b
}

/// The largest spread between the clocks at any whole ms of the run's span.
fn spread_by_brute_force(s: &Scenario, trace: &Trace) -> Time {
    let (Some(first), Some(last)) = (trace.events().first(), trace.events().last()) else {
        return 0;
    };
    (first.real_ms..=last.real_ms)
        .map(|t| {
            let readings = s.nodes.iter().map(|n| n.physical_time(t));
            readings.clone().max().unwrap() - readings.min().unwrap()
        })
        .max()
        .unwrap()
}

fn no_drift(s: &Scenario) -> bool {
    s.nodes.iter().all(|n| n.drift_ppm == 0)
}

// ---------------------------------------------------------------- properties

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn replay_is_ok_and_deterministic(s in scenarios(ANY)) {
        prop_assert_eq!(s.validate(), Ok(()));
        let a = replay(&s).unwrap();
        let b = replay(&s.clone()).unwrap();
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(a.events().len(), s.event_count());
        for (event, node, at) in s.all_events() {
            let e = &a.events()[a.index_of(event).unwrap()];
            prop_assert_eq!((e.node, e.real_ms), (node, at));
            prop_assert_eq!(e.pt(), s.nodes[node].physical_time(at));
        }
    }

    /// A skew edit replayed from the trace before it (whose vector clocks it
    /// may take over) gives the same trace as a fresh replay, also where a max
    /// offset or a stopping node changes which messages count.
    #[test]
    fn replay_after_a_skew_edit_equals_a_fresh_one(
        s in scenarios(ANY),
        pick in 0usize..8,
        skew_ms in -600i64..600,
        stop in prop_oneof![2 => Just(None), 1 => (50i64..800, any::<bool>()).prop_map(Some)],
    ) {
        let mut before = s.clone();
        before.settings.stop_on_skew =
            stop.map(|(threshold_ms, majority)| StopRule { threshold_ms, majority });
        let mut after = before.clone();
        let node = pick % after.nodes.len();
        after.nodes[node].skew_ms = skew_ms;
        let mut previous = replay(&before).unwrap();
        let fresh = replay(&after);
        let edited = replay_edited(&after, &mut previous);
        prop_assert_eq!(edited, fresh);
    }

    #[test]
    fn json_round_trip_is_exact(s in scenarios(ANY)) {
        let text = s.to_json();
        let back = Scenario::from_json(&text).unwrap();
        prop_assert_eq!(&back, &s);
        prop_assert_eq!(back.to_json(), text);
    }

    #[test]
    fn hlc_order_never_contradicts_happened_before(s in scenarios(ANY)) {
        let trace = replay(&s).unwrap();
        let reach = bfs_happened_before(&s, &trace);
        let events = trace.events();
        for a in 0..events.len() {
            for b in 0..events.len() {
                if reach[a][b] {
                    prop_assert!(
                        events[a].hlc() < events[b].hlc(),
                        "{} -> {} but hlc {} >= {}", a, b, events[a].hlc(), events[b].hlc()
                    );
                    prop_assert!(events[a].lamport < events[b].lamport);
                }
            }
        }
    }

    #[test]
    fn vector_clocks_give_exactly_happened_before(s in scenarios(ANY)) {
        let trace = replay(&s).unwrap();
        let reach = bfs_happened_before(&s, &trace);
        prop_assert_eq!(reach.len(), trace.events().len());
        for (a, row) in reach.iter().enumerate() {
            for (b, &before) in row.iter().enumerate() {
                prop_assert_eq!(happened_before(&trace, a, b), before, "{} -> {}", a, b);
                prop_assert_eq!(
                    vector_less(trace.vector(a), trace.vector(b)),
                    before,
                    "vc({}) < vc({})", a, b
                );
            }
        }
    }

    #[test]
    fn causality_not_behind_and_snapshots_always_hold(s in scenarios(ANY)) {
        let trace = replay(&s).unwrap();
        let checks = check_invariants(&s, &trace);
        let order: Vec<Invariant> = checks.iter().map(|c| c.invariant).collect();
        prop_assert_eq!(order, Invariant::ALL.to_vec());
        for invariant in [
            Invariant::Causality,
            Invariant::LogicalNotBehindPhysical,
            Invariant::SnapshotConsistent,
        ] {
            let c = check(&checks, invariant);
            prop_assert!(c.holds, "{:?}", c);
            prop_assert_eq!(c.offender_count, 0);
        }
        // Directly: l >= pt everywhere, each node strictly increasing.
        for e in trace.events() {
            prop_assert!(e.hlc().l >= e.pt());
        }
        for node in 0..trace.node_count() {
            for w in trace.node_events(node).windows(2) {
                prop_assert!(trace.events()[w[0]].hlc() < trace.events()[w[1]].hlc());
            }
        }
    }

    #[test]
    fn witnessed_bounded_and_counter_hold_with_wide_counters_and_no_steps(
        s in scenarios(PAPER)
    ) {
        let trace = replay(&s).unwrap();
        let checks = check_invariants(&s, &trace);
        for invariant in [Invariant::LogicalTimeWitnessed, Invariant::CounterBound] {
            let c = check(&checks, invariant);
            prop_assert!(c.holds, "{:?}", c);
        }
        prop_assert!(trace.events().iter().all(|e| !e.tick.carried));

        // Invariant 4 against the spread of the clocks.
        let drift = check(&checks, Invariant::BoundedDrift);
        let eps = clock_spread(&s, &trace);
        let true_eps = spread_by_brute_force(&s, &trace);
        let worst = trace.events().iter().map(|e| e.hlc().l - e.pt()).max();
        prop_assert_eq!(drift.bound, Some(eps));
        prop_assert_eq!(drift.worst, worst);
        prop_assert_eq!(drift.holds, worst.is_none_or(|w| w <= eps));
        // The theorem: l - pt never exceeds the true spread eps.
        prop_assert!(worst.is_none_or(|w| (0..=true_eps).contains(&w)), "{:?} > {}", worst, true_eps);
        if no_drift(&s) {
            // Without drift the spread is the skews' range, found exactly.
            let skews = s.nodes.iter().map(|n| n.skew_ms);
            let range = skews.clone().max().unwrap() - skews.min().unwrap();
            if !trace.events().is_empty() {
                prop_assert_eq!(eps, range);
            }
            prop_assert!(drift.holds, "{:?}", drift);
        } else {
            // With drift, readings are rounded down, so `clock_spread` adds 1 ms
            // of slack: a sound bound at most 1 ms above the true spread, and
            // the invariant holds against it.
            prop_assert!(
                (true_eps..=true_eps + 1).contains(&eps),
                "clock_spread {} vs the true spread {}", eps, true_eps
            );
            prop_assert!(drift.holds, "{:?}", drift);
        }
    }

    #[test]
    fn hlc_cuts_at_every_event_timestamp_are_consistent(s in scenarios(ANY)) {
        let trace = replay(&s).unwrap();
        let events = trace.events();
        let mut thetas: Vec<Timestamp> = events.iter().map(|e| e.hlc()).collect();
        thetas.extend(events.iter().map(|e| Timestamp::new(e.pt(), 0)));
        for theta in thetas {
            let cut = hlc_cut(&trace, theta);
            prop_assert!(cut.is_consistent(), "theta {}: {:?}", theta, cut.crossing);
            for (e, event) in events.iter().enumerate() {
                prop_assert_eq!(cut.contains(&trace, e), event.hlc() <= theta);
                // Independently: no accepted message enters the cut from outside.
                if let (EventRef::Recv(_), None, Some(send)) =
                    (event.source, &event.rejection, event.partner)
                {
                    if event.hlc() <= theta {
                        prop_assert!(events[send].hlc() <= theta, "message into {} at {}", e, theta);
                    }
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generated_scenarios_are_valid_and_satisfy_every_invariant(
        nodes in 0usize..10,
        messages in 0usize..40,
        locals in 0usize..40,
        seed in any::<u64>(),
    ) {
        let s = random_scenario(nodes, messages, locals, seed);
        prop_assert_eq!(&s, &random_scenario(nodes, messages, locals, seed));
        prop_assert_eq!(s.validate(), Ok(()));
        prop_assert_eq!(s.nodes.len(), nodes.clamp(1, 64));
        prop_assert_eq!(s.events.len(), locals);
        let trace = replay(&s).unwrap();
        prop_assert_eq!(trace.events().len(), s.event_count());
        // Generated drifts are at most 200 ppm over well under 5 s: every check
        // holds, and the spread is found within the 1 ms rounding slack.
        let checks = check_invariants(&s, &trace);
        for c in &checks {
            prop_assert!(c.holds, "{:?} on {}", c, s.to_json());
        }
        let true_eps = spread_by_brute_force(&s, &trace);
        let eps = clock_spread(&s, &trace);
        prop_assert!((true_eps..=true_eps + 1).contains(&eps), "{} vs {}", eps, true_eps);
        let reach = bfs_happened_before(&s, &trace);
        for (a, row) in reach.iter().enumerate() {
            for (b, &before) in row.iter().enumerate() {
                prop_assert_eq!(happened_before(&trace, a, b), before);
            }
        }
    }
}
