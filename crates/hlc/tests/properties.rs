//! Property tests: random executions of 2 to 6 nodes, with happened-before tracked
//! independently (an explicit transitive closure), checked against the paper's
//! theorems and against the crate's Lamport and vector clocks.

use hlc::{Hlc, Lamport, Policy, Tick, Time, Timestamp, VectorClock};
use proptest::prelude::*;
use proptest::sample::Index;
use std::cmp::Ordering;

/// One step of an execution. Node and message choices are `Index`es so the same
/// step list works for any node count (and shrinks well).
#[derive(Debug, Clone)]
enum Step {
    /// A local event on `node`.
    Local { node: Index, dt: Time },
    /// A send from `node` to another node chosen by `to`.
    Send { node: Index, to: Index, dt: Time },
    /// Delivery of one of the messages in flight (any order: the network reorders).
    /// With nothing in flight it becomes a local event on a node chosen by `pick`.
    Deliver { pick: Index, dt: Time },
}

/// How physical clocks move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Clocks {
    /// Each node's clock moves on its own by the step's `dt` when the node acts:
    /// usually forward, sometimes not at all, sometimes a little back.
    Drifting,
    /// One real time `t` that never goes back (`dt` clamped at 0, so often stands
    /// still); node j reads `t + skew[j]`.
    RealTime,
    /// As `RealTime`, but `t` advances by at least 1 at every step, so every node's
    /// `pt` strictly increases between its own events (the paper's assumption).
    RealTimeStrict,
}

#[derive(Debug, Clone)]
struct Execution {
    nodes: usize,
    /// Per-node skew (only the first `nodes` are used).
    skews: Vec<Time>,
    /// Real time (or every clock's base reading) at the start.
    t0: Time,
    steps: Vec<Step>,
}

fn dt() -> impl Strategy<Value = Time> {
    prop_oneof![
        3 => Just(0),
        6 => 1..=10i64,
        2 => -3..=-1i64,
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        2 => (any::<Index>(), dt()).prop_map(|(node, dt)| Step::Local { node, dt }),
        3 => (any::<Index>(), any::<Index>(), dt()).prop_map(|(node, to, dt)| Step::Send { node, to, dt }),
        3 => (any::<Index>(), dt()).prop_map(|(pick, dt)| Step::Deliver { pick, dt }),
    ]
}

fn execution() -> impl Strategy<Value = Execution> {
    (
        2..=6usize,
        prop::collection::vec(0..=20i64, 6),
        -50..1_000i64,
        prop::collection::vec(step(), 1..120),
    )
        .prop_map(|(nodes, skews, t0, steps)| Execution {
            nodes,
            skews,
            t0,
            steps,
        })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Local,
    Send,
    /// A receive of the message sent at event `send`.
    Recv {
        send: usize,
    },
}

#[derive(Debug, Clone)]
struct Event {
    node: usize,
    kind: Kind,
    /// Real time of the event (for `Drifting`, the step number).
    real: Time,
    tick: Tick,
    vc: Vec<u32>,
    lamport: u64,
    /// `past[g]`: event g happened before this event (strictly), computed by
    /// explicit transitive closure, independently of any clock.
    past: Vec<bool>,
}

impl Event {
    fn ts(&self) -> Timestamp {
        self.tick.timestamp
    }
    fn pt(&self) -> Time {
        self.tick.pt
    }
}

#[derive(Debug, Clone)]
struct InFlight {
    send: usize,
    to: usize,
    ts: Timestamp,
    vc: Vec<u32>,
    lamport: u64,
}

struct Node {
    hlc: Hlc,
    vc: VectorClock,
    lamport: Lamport,
    pt: Time,
    last_event: Option<usize>,
}

#[derive(Debug)]
struct Run {
    events: Vec<Event>,
    /// max_j skew[j] over the nodes used, and the spread max - min.
    max_skew: Time,
    spread: Time,
}

fn run(exec: &Execution, clocks: Clocks, policy: Policy, start: Timestamp) -> Result<Run, String> {
    let n = exec.nodes;
    let skews = &exec.skews[..n];
    let max_skew = *skews.iter().max().unwrap();
    let spread = max_skew - *skews.iter().min().unwrap();
    let mut nodes: Vec<Node> = (0..n)
        .map(|j| Node {
            hlc: Hlc::with_policy(policy).starting_at(start),
            vc: VectorClock::new(n, j),
            lamport: Lamport::new(),
            pt: exec.t0 + skews[j],
            last_event: None,
        })
        .collect();
    let mut real = exec.t0;
    let mut in_flight: Vec<InFlight> = Vec::new();
    let mut events: Vec<Event> = Vec::new();

    for (s, step) in exec.steps.iter().enumerate() {
        // Who acts, what it does, and how far the clocks move.
        let (node, action, dt) = match step {
            Step::Local { node, dt } => (node.index(n), Kind::Local, *dt),
            Step::Send { node, dt, .. } => (node.index(n), Kind::Send, *dt),
            Step::Deliver { pick, dt } => {
                if in_flight.is_empty() {
                    (pick.index(n), Kind::Local, *dt)
                } else {
                    let k = pick.index(in_flight.len());
                    (in_flight[k].to, Kind::Recv { send: k }, *dt)
                }
            }
        };
        match clocks {
            Clocks::Drifting => {
                real = s as Time;
                nodes[node].pt += dt;
            }
            Clocks::RealTime | Clocks::RealTimeStrict => {
                real += if clocks == Clocks::RealTime {
                    dt.max(0)
                } else {
                    dt.abs() + 1
                };
                for (j, nd) in nodes.iter_mut().enumerate() {
                    nd.pt = real + skews[j];
                }
            }
        }
        let pt = nodes[node].pt;
        let id = events.len();

        // Happened-before, by explicit closure: the node's previous event and its
        // past, plus (for a receive) the send and its past.
        let mut past = vec![false; id];
        let inherit = |g: usize, past: &mut [bool]| {
            past[g] = true;
            for (h, &before) in events[g].past.iter().enumerate() {
                past[h] |= before;
            }
        };
        if let Some(prev) = nodes[node].last_event {
            inherit(prev, &mut past);
        }

        let nd = &mut nodes[node];
        let (kind, tick, vc, lamport) = match action {
            Kind::Local | Kind::Send => {
                let tick = if action == Kind::Send {
                    nd.hlc.send(pt)
                } else {
                    nd.hlc.local(pt)
                };
                let tick = tick.map_err(|e| format!("step {s}: {e}"))?;
                let vc = nd.vc.send().to_vec();
                let lamport = nd.lamport.send();
                if action == Kind::Send {
                    let Step::Send { to, .. } = step else {
                        unreachable!()
                    };
                    let to = (node + 1 + to.index(n - 1)) % n;
                    in_flight.push(InFlight {
                        send: id,
                        to,
                        ts: tick.timestamp,
                        vc: vc.clone(),
                        lamport,
                    });
                }
                (action, tick, vc, lamport)
            }
            Kind::Recv { send: k } => {
                let msg = in_flight.remove(k);
                inherit(msg.send, &mut past);
                let tick = nd
                    .hlc
                    .recv(pt, msg.ts)
                    .map_err(|e| format!("step {s}: {e}"))?;
                let vc = nd.vc.recv(&msg.vc).to_vec();
                let lamport = nd.lamport.recv(msg.lamport);
                (Kind::Recv { send: msg.send }, tick, vc, lamport)
            }
        };
        nd.last_event = Some(id);
        events.push(Event {
            node,
            kind,
            real,
            tick,
            vc,
            lamport,
            past,
        });
    }
    Ok(Run {
        events,
        max_skew,
        spread,
    })
}

fn big_counter() -> Policy {
    Policy {
        counter_bits: 32,
        ..Policy::default()
    }
}

/// (a) per-node strict increase, (b) receive above its send, (c) Theorem 1,
/// (d) Theorem 2 (l >= pt), (h) vector clocks characterise happened-before,
/// (i) Lamport respects happened-before.
fn check_causality(r: &Run) -> Result<(), TestCaseError> {
    let ev = &r.events;
    for (f, e) in ev.iter().enumerate() {
        // (a): the tick's previous is the node's last timestamp, and we go above it
        prop_assert!(e.ts() > e.tick.previous, "event {f}: {:?}", e.tick);
        if let Some(prev) = (0..f).rev().find(|&g| ev[g].node == e.node) {
            prop_assert!(
                ev[prev].ts() < e.ts(),
                "node {} not increasing at {f}",
                e.node
            );
            prop_assert_eq!(ev[prev].ts(), e.tick.previous);
        }
        // (b)
        if let Kind::Recv { send } = e.kind {
            prop_assert!(ev[send].ts() < e.ts(), "recv {f} not above send {send}");
            prop_assert_eq!(e.tick.message, Some(ev[send].ts()));
            prop_assert!(e.tick.rule.is_receive());
        } else {
            prop_assert!(!e.tick.rule.is_receive());
        }
        // (d)
        prop_assert!(e.ts().l >= e.pt(), "event {f}: l < pt in {:?}", e.tick);
        for (g, &hb) in e.past.iter().enumerate() {
            let before = &ev[g];
            if hb {
                // (c) Theorem 1
                prop_assert!(
                    before.ts() < e.ts(),
                    "{g} -> {f} but hlc {} >= {}",
                    before.ts(),
                    e.ts()
                );
                // (i) Lamport
                prop_assert!(
                    before.lamport < e.lamport,
                    "{g} -> {f} but lamport not smaller"
                );
            }
            // (h) both directions: vc(g) < vc(f) iff g -> f, and vc(f) < vc(g) never
            // (f comes later in the run, so it cannot happen before g).
            let cmp = VectorClock::compare(&before.vc, &e.vc);
            prop_assert_eq!(
                cmp == Some(Ordering::Less),
                hb,
                "vc {:?} vs {:?}, hb = {}",
                before.vc,
                e.vc,
                hb
            );
            prop_assert_ne!(cmp, Some(Ordering::Greater));
            prop_assert_ne!(cmp, Some(Ordering::Equal));
        }
    }
    Ok(())
}

/// (f) Theorem 3: if l > pt at f, some g that happened before f has pt(g) == l(f);
/// in every case l(f) is the pt of f or of some such g.
/// (g) Theorem 4: c(f) <= |{g -> f : l(g) == l(f)}|.
fn check_theorems_3_and_4(r: &Run) -> Result<(), TestCaseError> {
    let ev = &r.events;
    for (f, e) in ev.iter().enumerate() {
        let ancestors = || (0..f).filter(|&g| e.past[g]);
        if e.ts().l > e.pt() {
            prop_assert!(
                ancestors().any(|g| ev[g].pt() == e.ts().l),
                "event {f}: l = {} > pt = {} but no ancestor had pt == l",
                e.ts().l,
                e.pt()
            );
        } else {
            prop_assert_eq!(e.ts().l, e.pt());
        }
        let same_l = ancestors().filter(|&g| ev[g].ts().l == e.ts().l).count();
        prop_assert!(
            e.ts().c as usize <= same_l,
            "event {f}: c = {} but only {same_l} ancestors share l = {}",
            e.ts().c,
            e.ts().l
        );
    }
    Ok(())
}

/// (e) Corollary 1: with real-time clocks that never step back, l never runs ahead
/// of the fastest clock at that instant, so l - pt <= the skew spread.
fn check_corollary_1(r: &Run) -> Result<(), TestCaseError> {
    for (f, e) in r.events.iter().enumerate() {
        let fastest = e.real + r.max_skew;
        prop_assert!(
            e.ts().l <= fastest,
            "event {f}: l = {} > fastest clock {fastest}",
            e.ts().l
        );
        prop_assert!(
            e.ts().l - e.pt() <= r.spread,
            "event {f}: l - pt = {} > spread {}",
            e.ts().l - e.pt(),
            r.spread
        );
    }
    Ok(())
}

/// Snapshots (the doc's property 7): for every theta = hlc(e), the cut
/// {g : hlc(g) <= theta} receives no message it did not send.
fn check_snapshots(r: &Run) -> Result<(), TestCaseError> {
    for theta in r.events.iter().map(Event::ts) {
        for (f, e) in r.events.iter().enumerate() {
            if let Kind::Recv { send } = e.kind {
                if e.ts() <= theta {
                    prop_assert!(
                        r.events[send].ts() <= theta,
                        "cut at {theta} has recv {f} without send {send}"
                    );
                }
            }
        }
    }
    Ok(())
}

/// The generator must reach every branch of the rule and the interesting shapes
/// of an execution; otherwise the properties above could pass vacuously.
#[test]
fn generator_exercises_every_branch() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use std::collections::HashMap;

    let mut runner = TestRunner::deterministic();
    let strategy = execution();
    let mut rules: HashMap<hlc::Rule, usize> = HashMap::new();
    let (mut l_ahead, mut c_positive, mut hb_pairs, mut concurrent_pairs) = (0, 0, 0, 0);
    let mut concurrent_but_hlc_ordered = 0;
    for _ in 0..200 {
        let exec = strategy.new_tree(&mut runner).unwrap().current();
        for clocks in [Clocks::Drifting, Clocks::RealTime] {
            let r = run(&exec, clocks, big_counter(), Timestamp::MIN).unwrap();
            for (f, e) in r.events.iter().enumerate() {
                *rules.entry(e.tick.rule).or_default() += 1;
                l_ahead += usize::from(e.ts().l > e.pt());
                c_positive += usize::from(e.ts().c > 0);
                for g in 0..f {
                    if e.past[g] {
                        hb_pairs += 1;
                    } else if r.events[g].node != e.node {
                        concurrent_pairs += 1;
                        concurrent_but_hlc_ordered += usize::from(r.events[g].ts() < e.ts());
                    }
                }
            }
        }
    }
    eprintln!("rules {rules:?} l_ahead {l_ahead} c>0 {c_positive} hb {hb_pairs} conc {concurrent_pairs} ordered {concurrent_but_hlc_ordered}");
    for rule in [
        hlc::Rule::PhysicalAhead,
        hlc::Rule::LogicalHeld,
        hlc::Rule::RecvPhysicalAhead,
        hlc::Rule::RecvLocalAhead,
        hlc::Rule::RecvMessageAhead,
        hlc::Rule::RecvTie,
    ] {
        assert!(
            rules.get(&rule).copied().unwrap_or(0) >= 100,
            "{rule:?} too rare: {rules:?}"
        );
    }
    assert!(l_ahead >= 1_000, "l > pt only {l_ahead} times");
    assert!(c_positive >= 1_000, "c > 0 only {c_positive} times");
    assert!(hb_pairs >= 10_000, "{hb_pairs} happened-before pairs");
    assert!(
        concurrent_pairs >= 10_000,
        "{concurrent_pairs} concurrent pairs"
    );
    // HLC orders concurrent events too: its order does not imply happened-before.
    assert!(concurrent_but_hlc_ordered >= 1_000);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// (a)-(d), (f)-(i) with clocks that drift independently and sometimes step back.
    #[test]
    fn drifting_clocks_keep_causality_and_theorems(exec in execution()) {
        let r = run(&exec, Clocks::Drifting, big_counter(), Timestamp::MIN).unwrap();
        check_causality(&r)?;
        check_theorems_3_and_4(&r)?;
        check_snapshots(&r)?;
    }

    /// (a)-(d) and (h)-(i) for clocks starting at the paper's (0, 0) with the default
    /// 16-bit counter (Theorem 3 is not claimed here: pt may read below 0).
    #[test]
    fn drifting_clocks_from_zero_keep_causality(exec in execution()) {
        let r = run(&exec, Clocks::Drifting, Policy::default(), Timestamp::ZERO).unwrap();
        check_causality(&r)?;
    }

    /// (a)-(i) with every clock reading real time + a fixed skew, never stepping back
    /// (often standing still). A max offset equal to the skew spread never rejects a
    /// message here, since l_m <= t_send + max_skew <= t_recv + max_skew.
    #[test]
    fn real_time_clocks_keep_corollary_1(exec in execution()) {
        let probe = run(&exec, Clocks::RealTime, big_counter(), Timestamp::MIN).unwrap();
        let policy = Policy { max_offset: Some(probe.spread), ..big_counter() };
        let r = run(&exec, Clocks::RealTime, policy, Timestamp::MIN)
            .map_err(|e| TestCaseError::fail(format!("max offset = spread rejected: {e}")))?;
        prop_assert_eq!(
            r.events.iter().map(|e| e.tick).collect::<Vec<_>>(),
            probe.events.iter().map(|e| e.tick).collect::<Vec<_>>()
        );
        check_causality(&r)?;
        check_theorems_3_and_4(&r)?;
        check_corollary_1(&r)?;
        check_snapshots(&r)?;
    }

    /// Corollary 3: when every node's pt strictly increases between its own events,
    /// c <= N * (spread + 1) (at most spread + 1 events per node share one l).
    #[test]
    fn strictly_advancing_clocks_bound_c(exec in execution()) {
        let r = run(&exec, Clocks::RealTimeStrict, big_counter(), Timestamp::MIN).unwrap();
        check_causality(&r)?;
        check_theorems_3_and_4(&r)?;
        check_corollary_1(&r)?;
        let bound = exec.nodes as u64 * (r.spread as u64 + 1);
        for e in &r.events {
            prop_assert!(u64::from(e.ts().c) <= bound, "c = {} > N * (eps + 1) = {bound}", e.ts().c);
        }
    }

    /// (k) determinism: replaying the same steps gives identical ticks.
    #[test]
    fn replay_is_deterministic(exec in execution()) {
        for clocks in [Clocks::Drifting, Clocks::RealTime] {
            let a = run(&exec, clocks, Policy::default(), Timestamp::MIN).unwrap();
            let b = run(&exec, clocks, Policy::default(), Timestamp::MIN).unwrap();
            prop_assert_eq!(a.events.len(), exec.steps.len());
            for (x, y) in a.events.iter().zip(&b.events) {
                prop_assert_eq!(x.tick, y.tick);
                prop_assert_eq!(x.tick.explain(), y.tick.explain());
                prop_assert_eq!(&x.vc, &y.vc);
                prop_assert_eq!(x.lamport, y.lamport);
            }
        }
    }

    /// (j) pack/unpack round trip for any l in 0..2^48, c in 0..2^16.
    #[test]
    fn pack_round_trip(l in 0..(1i64 << 48), c in 0..(1u32 << 16)) {
        let t = Timestamp::new(l, c);
        let word = t.pack().unwrap();
        prop_assert_eq!(Timestamp::unpack(word), t);
        prop_assert_eq!(word >> 16, l as u64);
        prop_assert_eq!(word & 0xFFFF, u64::from(c));
    }

    /// (j) every u64 unpacks to a timestamp that packs back to it.
    #[test]
    fn unpack_round_trip(word in any::<u64>()) {
        prop_assert_eq!(Timestamp::unpack(word).pack(), Ok(word));
    }

    /// (j) the packed order is the timestamp order (including equal l's).
    #[test]
    fn pack_preserves_order(
        l1 in 0..(1i64 << 48), c1 in 0..(1u32 << 16),
        dl in prop_oneof![Just(0i64), -3..=3i64, any::<i64>()],
        c2 in 0..(1u32 << 16),
    ) {
        let l2 = l1.wrapping_add(dl).rem_euclid(1 << 48);
        let (a, b) = (Timestamp::new(l1, c1), Timestamp::new(l2, c2));
        prop_assert_eq!(a.pack().unwrap().cmp(&b.pack().unwrap()), a.cmp(&b));
    }

    /// (j) out-of-range timestamps are refused, never truncated.
    #[test]
    fn pack_refuses_out_of_range(l in any::<i64>(), c in any::<u32>()) {
        let fits = (0..(1i64 << 48)).contains(&l) && c < (1 << 16);
        prop_assert_eq!(Timestamp::new(l, c).pack().is_ok(), fits);
    }
}
