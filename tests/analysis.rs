//! Analysis: happened-before and the causal cones against an independent
//! breadth-first search, the invariant checks (holding and failing), the clock
//! spread, and snapshot cuts.

mod support;

use support::{bfs_happened_before, check, local, message, scenario, skewed};

use hlc::{Time, Timestamp};
use hlcviz::analysis::{
    causal_future, causal_past, check_invariants, clock_spread, happened_before, hlc_cut,
    physical_cut, relation, Cut, Invariant, Relation,
};
use hlcviz::generate::random_scenario;
use hlcviz::scenario::{ClockStep, EventRef, Node, Scenario, Settings};
use hlcviz::sim::{replay, Trace};

fn generated(with_max_offset: bool) -> Vec<Scenario> {
    let mut out = Vec::new();
    for seed in [0, 1, 2, 3, 17] {
        for (n, m, l) in [(2, 12, 4), (3, 25, 10), (5, 40, 20), (8, 30, 30)] {
            let mut s = random_scenario(n, m, l, seed);
            if with_max_offset {
                s.settings.max_offset_ms = Some(60);
            }
            out.push(s);
        }
    }
    out
}

/// Nodes A, B (0 ms) and C (+1000 ms); the same run as the ties test of
/// `tests/replay.rs`:
///
/// | # | real | node | event  | hlc        |
/// |---|------|------|--------|------------|
/// | 0 |    1 | C    | send 0 | (1001, 0)  |
/// | 1 |    2 | A    | recv 0 | (1001, 1)  |
/// | 2 |    3 | A    | send 1 | (1001, 2)  |
/// | 3 |    4 | B    | recv 1 | (1001, 3)  |
/// | 4 |    5 | B    | L0     | (1001, 4)  |
/// | 5 |    6 | A    | send 2 | (1001, 3)  |
/// | 6 |    7 | B    | recv 2 | (1001, 5)  |
/// | 7 |    8 | A    | L1     | (1001, 4)  |
/// | 8 |    9 | A    | L2     | (1001, 5)  |
/// | 9 |   10 | A    | send 3 | (1001, 6)  |
/// |10 |   11 | B    | recv 3 | (1001, 7)  |
fn shared_l() -> Scenario {
    scenario(
        vec![Node::named("A"), Node::named("B"), skewed("C", 1_000)],
        vec![local(1, 5), local(0, 8), local(0, 9)],
        vec![
            message(2, 1, 0, 2),
            message(0, 3, 1, 4),
            message(0, 6, 1, 7),
            message(0, 10, 1, 11),
        ],
    )
}

#[test]
fn relation_on_a_hand_built_example() {
    let s = shared_l();
    let trace = replay(&s).unwrap();
    assert_eq!(relation(&trace, 3, 3), Relation::Same);
    assert!(!happened_before(&trace, 3, 3));
    // C's send reaches B through A.
    assert_eq!(relation(&trace, 0, 10), Relation::Before);
    assert_eq!(relation(&trace, 10, 0), Relation::After);
    assert_eq!(relation(&trace, 1, 2), Relation::Before, "program order");
    assert_eq!(relation(&trace, 2, 3), Relation::Before, "a message");
    assert_eq!(relation(&trace, 5, 10), Relation::Before);
    assert_eq!(relation(&trace, 7, 10), Relation::Before, "via send 3");
    // B's L0 and A's L1 have the same timestamp (1001, 4) and are concurrent:
    // equal HLC does not mean causality (property 6).
    assert_eq!(trace.events()[4].hlc(), trace.events()[7].hlc());
    assert_eq!(relation(&trace, 4, 7), Relation::Concurrent);
    assert_eq!(relation(&trace, 7, 4), Relation::Concurrent);
    // HLC order does not imply happened-before: (1001, 3) < (1001, 4) yet
    // A's send 2 and B's L0 are concurrent.
    assert!(trace.events()[5].hlc() < trace.events()[4].hlc());
    assert_eq!(relation(&trace, 5, 4), Relation::Concurrent);
    assert_eq!(relation(&trace, 4, 8), Relation::Concurrent);
    assert_eq!(relation(&trace, 6, 9), Relation::Concurrent);
    // Out-of-range indices are never related.
    assert!(!happened_before(&trace, 99, 0));
    assert!(!happened_before(&trace, 0, 99));
    assert_eq!(causal_past(&trace, 6), [0, 1, 2, 3, 4, 5]);
    assert_eq!(causal_future(&trace, 4), [6, 10]);
    assert_eq!(causal_future(&trace, 7), [8, 9, 10]);
    assert_eq!(causal_past(&trace, 0), Vec::<usize>::new());
    assert_eq!(causal_future(&trace, 10), Vec::<usize>::new());
    assert_eq!(causal_future(&trace, 99), Vec::<usize>::new());
}

fn assert_cones_match_bfs(s: &Scenario) {
    let trace = replay(s).unwrap();
    let reach = bfs_happened_before(s, &trace);
    let before = |a: usize, b: usize| reach[a][b];
    let n = trace.events().len();
    assert_eq!(reach.len(), n);
    for e in 0..n {
        let future: Vec<usize> = (0..n).filter(|&f| before(e, f)).collect();
        let past: Vec<usize> = (0..n).filter(|&f| before(f, e)).collect();
        assert_eq!(causal_future(&trace, e), future, "future of {e}");
        assert_eq!(causal_past(&trace, e), past, "past of {e}");
        for f in 0..n {
            assert_eq!(happened_before(&trace, e, f), before(e, f), "{e} -> {f}");
            let want = if e == f {
                Relation::Same
            } else if before(e, f) {
                Relation::Before
            } else if before(f, e) {
                Relation::After
            } else {
                Relation::Concurrent
            };
            assert_eq!(relation(&trace, e, f), want, "{e} vs {f}");
        }
    }
}

#[test]
fn causal_cones_match_a_breadth_first_search() {
    assert_cones_match_bfs(&shared_l());
    for s in generated(false) {
        assert_cones_match_bfs(&s);
    }
}

#[test]
fn causal_cones_match_a_breadth_first_search_with_rejections() {
    let (mut rejected, mut accepted) = (0, 0);
    for s in generated(true) {
        assert_cones_match_bfs(&s);
        let trace = replay(&s).unwrap();
        for e in trace.events() {
            if matches!(e.source, EventRef::Recv(_)) {
                if e.rejection.is_some() {
                    rejected += 1;
                } else {
                    accepted += 1;
                }
            }
        }
    }
    assert!(rejected > 20, "the bound must bite: {rejected} rejected");
    assert!(accepted > 20, "and let some through: {accepted} accepted");
}

fn without_drift(mut s: Scenario) -> Scenario {
    for node in &mut s.nodes {
        node.drift_ppm = 0;
    }
    s
}

#[test]
fn every_invariant_holds_on_generated_runs_without_steps_or_drift() {
    let mut scenarios: Vec<Scenario> = generated(false).into_iter().map(without_drift).collect();
    scenarios.extend(generated(true).into_iter().map(without_drift));
    for s in &scenarios {
        let trace = replay(s).unwrap();
        let checks = check_invariants(s, &trace);
        let order: Vec<Invariant> = checks.iter().map(|c| c.invariant).collect();
        assert_eq!(order, Invariant::ALL);
        for c in &checks {
            assert!(c.holds, "{:?} fails on {}", c, s.to_json());
            assert_eq!(c.offender_count, 0);
            assert!(c.offenders.is_empty());
        }
        // eps without drift or steps: the largest skew minus the smallest.
        let skews = s.nodes.iter().map(|n| n.skew_ms);
        let eps = skews.clone().max().unwrap() - skews.min().unwrap();
        let drift = check(&checks, Invariant::BoundedDrift);
        assert_eq!(drift.bound, Some(eps));
        assert_eq!(clock_spread(s, &trace), eps);
        let worst = trace
            .events()
            .iter()
            .map(|e| e.hlc().l - e.pt())
            .max()
            .unwrap();
        assert_eq!(drift.worst, Some(worst));
        let max_c = trace.events().iter().map(|e| e.hlc().c).max().unwrap();
        assert_eq!(
            check(&checks, Invariant::CounterBound).worst,
            Some(max_c.into())
        );
        assert_eq!(
            check(&checks, Invariant::LogicalNotBehindPhysical).worst,
            Some(0),
            "some event has l == pt"
        );
    }
}

/// Counter of 1 bit; A is 100 ms ahead of B. Only A's send is an ancestor of B's
/// events; A's later local event (pt 101) is concurrent with them.
///
/// | # | real | node | event  | pt  | hlc      |                          |
/// |---|------|------|--------|-----|----------|--------------------------|
/// | 0 |    0 | A    | send 0 | 100 | (100, 0) |                          |
/// | 1 |    1 | A    | L0     | 101 | (101, 0) | not an ancestor of B's   |
/// | 2 |    1 | B    | recv 0 |   1 | (100, 1) | witness: event 0         |
/// | 3 |    2 | B    | L1     |   2 | (101, 0) | carried: no witness      |
/// | 4 |    3 | B    | L2     |   3 | (101, 1) | no witness               |
/// | 5 |    4 | B    | L3     |   4 | (102, 0) | carried: no witness      |
/// | 6 |    5 | B    | L4     |   5 | (102, 1) | no witness               |
///
/// eps = 100; the largest l - pt is 99 (events 2 and 3): a carry makes `l` up,
/// but with skew-only clocks it cannot outrun the fastest clock.
#[test]
fn a_counter_carry_breaks_the_witness_property() {
    let mut s = scenario(
        vec![skewed("A", 100), Node::named("B")],
        vec![
            local(0, 1),
            local(1, 2),
            local(1, 3),
            local(1, 4),
            local(1, 5),
        ],
        vec![message(0, 0, 1, 1)],
    );
    s.settings.counter_bits = 1;
    let trace = replay(&s).unwrap();
    let stamps: Vec<Timestamp> = trace.events().iter().map(|e| e.hlc()).collect();
    assert_eq!(
        stamps,
        [
            Timestamp::new(100, 0),
            Timestamp::new(101, 0),
            Timestamp::new(100, 1),
            Timestamp::new(101, 0),
            Timestamp::new(101, 1),
            Timestamp::new(102, 0),
            Timestamp::new(102, 1),
        ]
    );
    let checks = check_invariants(&s, &trace);
    let witnessed = check(&checks, Invariant::LogicalTimeWitnessed);
    assert!(!witnessed.holds);
    assert_eq!(witnessed.offenders, [3, 4, 5, 6]);
    assert_eq!(witnessed.offender_count, 4);
    assert!(witnessed.measured.contains('4'), "{}", witnessed.measured);
    let drift = check(&checks, Invariant::BoundedDrift);
    assert!(drift.holds, "{drift:?}");
    assert_eq!(drift.measured, "max l - pt = 99 ms, bound 100 ms");
    for invariant in [
        Invariant::Causality,
        Invariant::LogicalNotBehindPhysical,
        Invariant::CounterBound,
        Invariant::SnapshotConsistent,
    ] {
        assert!(check(&checks, invariant).holds, "{invariant:?}");
    }
    // With the default counter nothing carries and every l is witnessed.
    s.settings = Settings::default();
    let trace = replay(&s).unwrap();
    assert!(check_invariants(&s, &trace).iter().all(|c| c.holds));
}

/// Both clocks step back 1000 ms at real 50, so the spread stays 0 while `l`
/// holds the pre-step times (the paper assumes monotone clocks).
///
/// | # | real | node | event  | pt   | hlc      | l - pt |
/// |---|------|------|--------|------|----------|--------|
/// | 0 |   10 | A    | L0     |   10 | (10, 0)  | 0      |
/// | 1 |   20 | B    | L1     |   20 | (20, 0)  | 0      |
/// | 2 |   40 | A    | L2     |   40 | (40, 0)  | 0      |
/// | 3 |   45 | B    | send 0 |   45 | (45, 0)  | 0      |
/// | 4 |   48 | A    | recv 0 |   48 | (48, 0)  | 0      |
/// | 5 |   55 | B    | L3     | -945 | (45, 1)  | 990    |  first on B after the step
/// | 6 |   60 | A    | L4     | -940 | (48, 1)  | 988    |  first on A after the step
/// | 7 |   70 | A    | L5     | -930 | (48, 2)  | 978    |
#[test]
fn a_big_backward_step_breaks_bounded_drift() {
    let step = vec![ClockStep {
        at_ms: 50,
        by_ms: -1_000,
    }];
    let s = scenario(
        vec![
            Node {
                steps: step.clone(),
                ..Node::named("A")
            },
            Node {
                steps: step,
                ..Node::named("B")
            },
        ],
        vec![
            local(0, 10),
            local(1, 20),
            local(0, 40),
            local(1, 55),
            local(0, 60),
            local(0, 70),
        ],
        vec![message(1, 45, 0, 48)],
    );
    let trace = replay(&s).unwrap();
    let gaps: Vec<i64> = trace.events().iter().map(|e| e.hlc().l - e.pt()).collect();
    assert_eq!(gaps, [0, 0, 0, 0, 0, 990, 988, 978]);
    assert_eq!(clock_spread(&s, &trace), 0);
    let checks = check_invariants(&s, &trace);
    let drift = check(&checks, Invariant::BoundedDrift);
    assert!(!drift.holds);
    assert_eq!(drift.offenders, [5, 6, 7], "worst first");
    assert_eq!(drift.offender_count, 3);
    assert_eq!(drift.worst, Some(990));
    assert_eq!(drift.bound, Some(0));
    assert_eq!(drift.measured, "max l - pt = 990 ms, bound 0 ms");
    // Everything else still holds: l is witnessed by the node's own earlier pt.
    for c in &checks {
        if c.invariant != Invariant::BoundedDrift {
            assert!(c.holds, "{c:?}");
        }
    }
}

#[test]
fn a_step_back_on_one_node_widens_eps_instead() {
    // Only A steps back: B keeps the true time, so the spread after the step is
    // the step itself and l - pt stays within it.
    let s = scenario(
        vec![
            Node {
                steps: vec![ClockStep {
                    at_ms: 50,
                    by_ms: -1_000,
                }],
                ..Node::named("A")
            },
            Node::named("B"),
        ],
        vec![local(0, 40), local(0, 60), local(1, 70)],
        vec![],
    );
    let trace = replay(&s).unwrap();
    assert_eq!(clock_spread(&s, &trace), 1_000);
    let checks = check_invariants(&s, &trace);
    let drift = check(&checks, Invariant::BoundedDrift);
    assert!(drift.holds, "{drift:?}");
    assert_eq!(drift.measured, "max l - pt = 980 ms, bound 1000 ms");
}

#[test]
fn measured_strings_report_the_worst_gap_and_the_bound() {
    // A +100, B -50, C +20: eps = 150. A's send (110, 0) reaches B at pt -20.
    let s = scenario(
        vec![skewed("A", 100), skewed("B", -50), skewed("C", 20)],
        vec![local(2, 40)],
        vec![message(0, 10, 1, 30)],
    );
    let trace = replay(&s).unwrap();
    let checks = check_invariants(&s, &trace);
    let drift = check(&checks, Invariant::BoundedDrift);
    assert!(drift.holds);
    assert_eq!(drift.measured, "max l - pt = 130 ms, bound 150 ms");
    assert_eq!((drift.worst, drift.bound), (Some(130), Some(150)));
    let behind = check(&checks, Invariant::LogicalNotBehindPhysical);
    assert_eq!(behind.measured, "min l - pt = 0 ms");
    // Corollary 3's bound: N (3) times eps + 1 (151).
    let counter = check(&checks, Invariant::CounterBound);
    assert_eq!(counter.measured, "max c = 1, bound N·(ε + 1) = 453");
    assert_eq!((counter.worst, counter.bound), (Some(1), Some(453)));

    // No events: nothing measured, every check holds.
    let empty = Scenario::with_nodes(&["A", "B"]);
    let trace = replay(&empty).unwrap();
    let checks = check_invariants(&empty, &trace);
    assert_eq!(checks.len(), 6);
    assert!(checks.iter().all(|c| c.holds));
    assert_eq!(
        check(&checks, Invariant::BoundedDrift).measured,
        "no events, bound 0 ms"
    );
}

#[test]
fn invariant_statements_are_distinct() {
    let statements: Vec<&str> = Invariant::ALL.iter().map(|i| i.statement()).collect();
    for (i, a) in statements.iter().enumerate() {
        assert!(!a.is_empty());
        for b in &statements[i + 1..] {
            assert_ne!(a, b);
        }
    }
    assert!(Invariant::LogicalNotBehindPhysical
        .statement()
        .contains("l >= pt"));
}

// ---------------------------------------------------------------- clock spread

fn spread_of(nodes: Vec<Node>, times: &[i64]) -> Time {
    let s = scenario(
        nodes,
        times.iter().map(|&t| local(0, t)).collect(),
        Vec::new(),
    );
    clock_spread(&s, &replay(&s).unwrap())
}

#[test]
fn clock_spread_with_skews() {
    let nodes = vec![skewed("A", 100), skewed("B", -50), skewed("C", 20)];
    assert_eq!(spread_of(nodes.clone(), &[0, 1_000]), 150);
    assert_eq!(spread_of(nodes.clone(), &[5]), 150);
    assert_eq!(spread_of(vec![skewed("A", 7)], &[1, 2]), 0);
    let empty = Scenario {
        nodes,
        ..Scenario::with_nodes(&[])
    };
    assert_eq!(clock_spread(&empty, &replay(&empty).unwrap()), 0);
}

#[test]
fn clock_spread_with_drift_grows_over_time() {
    let fast = Node {
        drift_ppm: 1_000,
        ..Node::named("fast")
    };
    let slow = Node {
        drift_ppm: -1_000,
        ..Node::named("slow")
    };
    let nodes = vec![fast, Node::named("true"), slow];
    // Each figure is the exact clocks' spread plus the 1 ms that rounding
    // drifting readings down to whole ms can add.
    assert_eq!(spread_of(nodes.clone(), &[0]), 1);
    assert_eq!(spread_of(nodes.clone(), &[0, 10_000]), 21);
    assert_eq!(spread_of(nodes.clone(), &[0, 100_000]), 201);
    assert_eq!(spread_of(nodes.clone(), &[50_000, 100_000]), 201);
    // Drift against skew: B starts 30 ms ahead and A catches up and passes it.
    let a = Node {
        drift_ppm: 1_000,
        ..Node::named("A")
    };
    let b = skewed("B", 30);
    assert_eq!(spread_of(vec![a.clone(), b.clone()], &[0, 30_000]), 31);
    assert_eq!(spread_of(vec![a.clone(), b.clone()], &[20_000, 40_000]), 11);
    assert_eq!(spread_of(vec![a, b], &[0, 100_000]), 71);
}

#[test]
fn clock_spread_with_steps() {
    let step = |at_ms, by_ms| ClockStep { at_ms, by_ms };
    let up_and_down = Node {
        steps: vec![step(50, 500), step(60, -500)],
        ..Node::named("A")
    };
    // The step lasts from 50 to 59, between the only two events.
    assert_eq!(
        spread_of(vec![up_and_down, Node::named("B")], &[0, 100]),
        500
    );
    let late = Node {
        steps: vec![step(1_000, -300)],
        ..Node::named("A")
    };
    assert_eq!(
        spread_of(vec![late.clone(), Node::named("B")], &[0, 100]),
        0
    );
    assert_eq!(
        spread_of(vec![late.clone(), Node::named("B")], &[0, 999]),
        0
    );
    assert_eq!(spread_of(vec![late, Node::named("B")], &[0, 1_000]), 300);
    // A step back that cancels a skew narrows the spread to 0 after it.
    let cancel = Node {
        skew_ms: 200,
        steps: vec![step(10, -200)],
        ..Node::named("A")
    };
    assert_eq!(
        spread_of(vec![cancel.clone(), Node::named("B")], &[20, 30]),
        0
    );
    assert_eq!(spread_of(vec![cancel, Node::named("B")], &[5, 30]), 200);
}

/// `clock_spread` samples the span's ends (and next to steps), relying on
/// spreads of linear clocks being convex. Drift is rounded toward -inf, so the
/// readings are not linear and their spread can peak inside the span, which
/// the 1 ms rounding slack it adds for drifting clocks covers:
///
/// A drifts -92,806 ppm, B -94,036 ppm, no skew. At real 0 and 776 both read
/// the same (0 and 703), but at real 765 A reads 694 and B 693. A's send at 765
/// (694, 0) reaches B at 766, where B's clock is still 693 (its rounding makes
/// it stand still for that millisecond): l - pt = 1, against eps = 0, so
/// BoundedDrift must not report a failure: the true spread over the run is 1.
#[test]
fn clock_spread_covers_every_instant_of_the_span() {
    let s = scenario(
        vec![
            Node {
                drift_ppm: -92_806,
                ..Node::named("A")
            },
            Node {
                drift_ppm: -94_036,
                ..Node::named("B")
            },
        ],
        vec![local(1, 0), local(1, 776)],
        vec![message(0, 765, 1, 766)],
    );
    let trace = replay(&s).unwrap();
    let true_spread = (0..=776)
        .map(|t| {
            let readings: Vec<i64> = s.nodes.iter().map(|n| n.physical_time(t)).collect();
            readings.iter().max().unwrap() - readings.iter().min().unwrap()
        })
        .max()
        .unwrap();
    assert_eq!(true_spread, 1);
    let eps = clock_spread(&s, &trace);
    assert!((true_spread..=true_spread + 1).contains(&eps), "eps {eps}");
    let checks = check_invariants(&s, &trace);
    assert!(check(&checks, Invariant::BoundedDrift).holds);
}

// ---------------------------------------------------------------- cuts

/// On each node the cut is a prefix; returns the events inside, independently.
fn assert_cut_is_prefix(trace: &Trace, cut: &Cut, inside: impl Fn(usize) -> bool) {
    assert_eq!(cut.frontier.len(), trace.node_count());
    for node in 0..trace.node_count() {
        let on_node = trace.node_events(node);
        let count = on_node.iter().take_while(|&&e| inside(e)).count();
        let want = count.checked_sub(1).map(|k| on_node[k]);
        assert_eq!(cut.frontier[node], want, "frontier of node {node}");
        for (k, &e) in on_node.iter().enumerate() {
            assert_eq!(cut.contains(trace, e), k < count, "event {e}");
        }
    }
    assert!(!cut.contains(trace, trace.events().len()));
}

/// Receives inside the cut whose accepted send is outside it.
fn crossing(trace: &Trace, cut: &Cut) -> Vec<usize> {
    (0..trace.events().len())
        .filter(|&e| {
            let event = &trace.events()[e];
            matches!(event.source, EventRef::Recv(_))
                && event.rejection.is_none()
                && cut.contains(trace, e)
                && event.partner.is_some_and(|s| !cut.contains(trace, s))
        })
        .collect()
}

fn assert_hlc_cut_consistent(trace: &Trace, theta: Timestamp) {
    let cut = hlc_cut(trace, theta);
    assert_cut_is_prefix(trace, &cut, |e| trace.events()[e].hlc() <= theta);
    for (e, event) in trace.events().iter().enumerate() {
        assert_eq!(cut.contains(trace, e), event.hlc() <= theta, "event {e}");
    }
    assert_eq!(crossing(trace, &cut), Vec::<usize>::new(), "theta {theta}");
    assert!(cut.is_consistent(), "theta {theta}: {:?}", cut.crossing);
}

#[test]
fn hlc_cuts_are_consistent_at_every_event_and_every_time() {
    let mut scenarios = generated(false);
    scenarios.extend(generated(true));
    scenarios.push(shared_l());
    for s in &scenarios {
        let trace = replay(s).unwrap();
        let ls: Vec<Time> = trace.events().iter().map(|e| e.hlc().l).collect();
        for e in trace.events() {
            assert_hlc_cut_consistent(&trace, e.hlc());
        }
        let (lo, hi) = (ls.iter().min().unwrap() - 2, ls.iter().max().unwrap() + 2);
        let stride = ((hi - lo) / 150).max(1);
        for t in (lo..=hi).step_by(stride as usize) {
            assert_hlc_cut_consistent(&trace, Timestamp::new(t, 0));
        }
        // Below everything and above everything.
        let none = hlc_cut(&trace, Timestamp::MIN);
        assert!(none.frontier.iter().all(Option::is_none));
        let all = hlc_cut(&trace, Timestamp::new(Time::MAX, u32::MAX));
        for node in 0..trace.node_count() {
            assert_eq!(all.frontier[node], trace.node_events(node).last().copied());
        }
    }
}

/// A is 100 ms ahead of B.
///
/// | # | real | node | event  | pt  | hlc      |
/// |---|------|------|--------|-----|----------|
/// | 0 |    5 | A    | L0     | 105 | (105, 0) |
/// | 1 |   10 | A    | send 0 | 110 | (110, 0) |
/// | 2 |   20 | B    | recv 0 |  20 | (110, 1) |
/// | 3 |   30 | B    | L1     |  30 | (110, 2) |
/// | 4 |   40 | B    | send 1 |  40 | (110, 3) |
/// | 5 |   45 | A    | recv 1 | 145 | (145, 0) |
///
/// Physical cut at 105: A {0}, B {2, 3, 4}: receive 2 is inside, its send 1 is
/// not. The HLC cut at (105, 0) is A {0}, B {}: consistent.
#[test]
fn physical_cut_is_inconsistent_under_skew() {
    let s = scenario(
        vec![skewed("A", 100), Node::named("B")],
        vec![local(0, 5), local(1, 30)],
        vec![message(0, 10, 1, 20), message(1, 40, 0, 45)],
    );
    let trace = replay(&s).unwrap();
    let cut = physical_cut(&trace, 105);
    assert_eq!(cut.frontier, [Some(0), Some(4)]);
    assert_eq!(cut.crossing, [2]);
    assert!(!cut.is_consistent());
    assert_eq!(crossing(&trace, &cut), [2]);
    assert_cut_is_prefix(&trace, &cut, |e| trace.events()[e].pt() <= 105);

    let hlc = hlc_cut(&trace, Timestamp::new(105, 0));
    assert_eq!(hlc.frontier, [Some(0), None]);
    assert!(hlc.is_consistent());
    for t in [0, 20, 105, 109, 110, 111, 144, 145, 200] {
        assert_hlc_cut_consistent(&trace, Timestamp::new(t, 0));
    }
    // The physical cut is inconsistent exactly while A's send is outside and
    // B's receive inside: 20 <= t < 110.
    for t in [-1, 0, 19, 20, 50, 109, 110, 144, 145, 1_000] {
        let cut = physical_cut(&trace, t);
        let want: Vec<usize> = if (20..110).contains(&t) {
            vec![2]
        } else {
            vec![]
        };
        assert_eq!(cut.crossing, want, "t = {t}");
        assert_eq!(crossing(&trace, &cut), want, "t = {t}");
    }
}

#[test]
fn physical_cut_stops_at_the_first_later_reading() {
    // A's clock steps back 15 ms at real 25: readings 10, 20, 15.
    let s = scenario(
        vec![Node {
            steps: vec![ClockStep {
                at_ms: 25,
                by_ms: -15,
            }],
            ..Node::named("A")
        }],
        vec![local(0, 10), local(0, 20), local(0, 30)],
        vec![],
    );
    let trace = replay(&s).unwrap();
    let pts: Vec<Time> = trace.events().iter().map(|e| e.pt()).collect();
    assert_eq!(pts, [10, 20, 15]);
    let cut = physical_cut(&trace, 17);
    assert_eq!(cut.frontier, [Some(0)]);
    assert!(cut.contains(&trace, 0));
    assert!(!cut.contains(&trace, 1));
    assert!(!cut.contains(&trace, 2), "after the first reading past 17");
    assert_eq!(physical_cut(&trace, 9).frontier, [None]);
    assert_eq!(physical_cut(&trace, 20).frontier, [Some(2)]);
}

#[test]
fn rejected_messages_never_cross_a_cut() {
    // A is 100 ms ahead, the bound 10 ms: the message is refused, so the physical
    // cut that holds only its receive is consistent.
    let mut s = scenario(
        vec![skewed("A", 100), Node::named("B")],
        vec![],
        vec![message(0, 10, 1, 20)],
    );
    s.settings.max_offset_ms = Some(10);
    let trace = replay(&s).unwrap();
    assert!(trace.events()[1].rejection.is_some());
    let cut = physical_cut(&trace, 50);
    assert_eq!(cut.frontier, [None, Some(1)]);
    assert!(cut.is_consistent());
    // Accepted, the same cut crosses.
    s.settings.max_offset_ms = None;
    let trace = replay(&s).unwrap();
    assert_eq!(physical_cut(&trace, 50).crossing, [1]);
}
