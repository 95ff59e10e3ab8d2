//! What a trace says: happened-before, causal cones, the invariants of the paper
//! checked event by event, and snapshot cuts.
//!
//! Happened-before is read off the vector clocks the replay computed: each node's
//! own entry counts its events, so `e -> f` exactly when
//! `vc(f)[node(e)] >= vc(e)[node(e)]` and `e != f`, an O(1) test.

use crate::scenario::{Node, Scenario};
use crate::sim::{Trace, TraceEvent};
use hlc::{Time, Timestamp};
use serde::Serialize;

/// How two events are related.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The same event.
    Same,
    /// The first happened before the second.
    Before,
    /// The second happened before the first.
    After,
    /// Neither happened before the other.
    Concurrent,
}

/// Whether trace event `a` happened before trace event `b`.
pub fn happened_before(trace: &Trace, a: usize, b: usize) -> bool {
    if a == b {
        return false;
    }
    let Some(ea) = trace.event(a) else {
        return false;
    };
    let (va, vb) = (trace.vector(a), trace.vector(b));
    match (va.get(ea.node), vb.get(ea.node)) {
        (Some(x), Some(y)) => y >= x,
        _ => false,
    }
}

/// How trace events `a` and `b` are related.
pub fn relation(trace: &Trace, a: usize, b: usize) -> Relation {
    if a == b {
        Relation::Same
    } else if happened_before(trace, a, b) {
        Relation::Before
    } else if happened_before(trace, b, a) {
        Relation::After
    } else {
        Relation::Concurrent
    }
}

/// Every event that happened before `event` (its causal past), in trace order.
pub fn causal_past(trace: &Trace, event: usize) -> Vec<usize> {
    let vector = trace.vector(event);
    let mut past: Vec<usize> = (0..trace.node_count())
        .flat_map(|node| {
            let on_node = trace.node_events(node);
            let count = vector
                .get(node)
                .map_or(0, |&k| k as usize)
                .min(on_node.len());
            on_node[..count].iter().copied()
        })
        .filter(|&e| e != event)
        .collect();
    past.sort_unstable();
    past
}

/// Every event that `event` happened before (its causal future), in trace order.
pub fn causal_future(trace: &Trace, event: usize) -> Vec<usize> {
    let Some(origin) = trace.event(event) else {
        return Vec::new();
    };
    let node = origin.node;
    let Some(&own) = trace.vector(event).get(node) else {
        return Vec::new();
    };
    let mut future: Vec<usize> = (0..trace.node_count())
        .flat_map(|other| {
            let on_node = trace.node_events(other);
            // Entries for `node` only grow along another node's events.
            let first =
                on_node.partition_point(|&e| trace.vector(e).get(node).copied().unwrap_or(0) < own);
            on_node[first..].iter().copied()
        })
        .filter(|&e| e != event)
        .collect();
    future.sort_unstable();
    future
}

/// Which clock's timestamps the invariants are checked on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckedClock {
    /// The hybrid logical clock (Figure 5).
    Hlc,
    /// The paper's broken Figure 3 rule, as `(l, 0)`.
    Naive,
}

impl CheckedClock {
    /// The timestamp of trace event `index` under this clock.
    pub fn stamp(self, trace: &Trace, index: usize) -> Timestamp {
        match (self, trace.event(index)) {
            (CheckedClock::Hlc, Some(e)) => e.hlc(),
            (CheckedClock::Naive, Some(e)) => Timestamp::new(e.naive_l, 0),
            (_, None) => Timestamp::MIN,
        }
    }
}

/// Which property of the paper (Kulkarni et al. 2014) a check is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Invariant {
    /// 1. If e happened before f then hlc(e) < hlc(f).
    Causality,
    /// 2. l >= pt at every event.
    LogicalNotBehindPhysical,
    /// 3. If l > pt at f, a causal ancestor g has pt(g) == l(f).
    LogicalTimeWitnessed,
    /// 4. l - pt <= eps, the largest spread between the clocks.
    BoundedDrift,
    /// 5. c(f) <= |{g -> f : l(g) == l(f)}|.
    CounterBound,
    /// 7. Every cut at an HLC time theta is consistent.
    SnapshotConsistent,
}

impl Invariant {
    /// Every invariant, in the document's order.
    pub const ALL: [Invariant; 6] = [
        Invariant::Causality,
        Invariant::LogicalNotBehindPhysical,
        Invariant::LogicalTimeWitnessed,
        Invariant::BoundedDrift,
        Invariant::CounterBound,
        Invariant::SnapshotConsistent,
    ];

    /// A one-line statement of the property.
    pub fn statement(self) -> &'static str {
        match self {
            Invariant::Causality => "happened-before implies a smaller timestamp",
            Invariant::LogicalNotBehindPhysical => "l >= pt at every event",
            Invariant::LogicalTimeWitnessed => "when l > pt, some causal ancestor's pt equals l",
            Invariant::BoundedDrift => "l - pt never exceeds the largest clock spread eps",
            Invariant::CounterBound => {
                "c is at most the number of causal ancestors with the same l"
            }
            Invariant::SnapshotConsistent => "every cut at an HLC time is consistent",
        }
    }
}

/// Most offending events listed per check (the count is always exact).
pub const MAX_LISTED_OFFENDERS: usize = 100;

/// The verdict on one invariant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvariantCheck {
    /// Which property.
    pub invariant: Invariant,
    /// Whether it held at every event.
    pub holds: bool,
    /// The measured worst case, in words (e.g. "max l - pt = 120 ms, bound 150 ms").
    pub measured: String,
    /// The worst value measured, where the check measures one.
    pub worst: Option<i64>,
    /// The bound it is compared with, where there is one.
    pub bound: Option<i64>,
    /// How many events break it.
    pub offender_count: usize,
    /// Trace indices of offending events, worst first where that means something;
    /// at most [`MAX_LISTED_OFFENDERS`].
    pub offenders: Vec<usize>,
}

struct Offenders {
    count: usize,
    listed: Vec<usize>,
}

impl Offenders {
    fn new() -> Offenders {
        Offenders {
            count: 0,
            listed: Vec::new(),
        }
    }

    fn push(&mut self, event: usize) {
        self.count += 1;
        if self.listed.len() < MAX_LISTED_OFFENDERS {
            self.listed.push(event);
        }
    }

    fn into_check(
        self,
        invariant: Invariant,
        measured: String,
        worst: Option<i64>,
        bound: Option<i64>,
    ) -> InvariantCheck {
        InvariantCheck {
            invariant,
            holds: self.count == 0,
            measured,
            worst,
            bound,
            offender_count: self.count,
            offenders: self.listed,
        }
    }
}

/// The largest spread between any two nodes' physical clocks over the span of
/// the execution: the paper's `eps`. Without drift or steps it is the largest
/// skew minus the smallest. The spread of exact linear clocks is convex in time,
/// so its maximum lies at the span's ends or next to a step; a drifting clock's
/// reading is rounded down to a whole ms, which can widen the spread between
/// readings by up to 1 ms anywhere in between, so 1 ms is added when any clock
/// drifts.
pub fn clock_spread(scenario: &Scenario, trace: &Trace) -> Time {
    let events = trace.events();
    let (Some(first), Some(last)) = (events.first(), events.last()) else {
        return 0;
    };
    let (start, end) = (first.real_ms, last.real_ms);
    let mut instants = vec![start, end];
    for node in &scenario.nodes {
        for step in &node.steps {
            for t in [step.at_ms - 1, step.at_ms] {
                if (start..=end).contains(&t) {
                    instants.push(t);
                }
            }
        }
    }
    let rounding = i64::from(scenario.nodes.iter().any(|n| n.drift_ppm != 0));
    instants
        .into_iter()
        .map(|t| spread_at(&scenario.nodes, t))
        .max()
        .unwrap_or(0)
        .saturating_add(rounding)
}

fn spread_at(nodes: &[Node], real_ms: Time) -> Time {
    let readings = nodes.iter().map(|n| n.physical_time(real_ms));
    let (lo, hi) = readings.fold((Time::MAX, Time::MIN), |(lo, hi), pt| {
        (lo.min(pt), hi.max(pt))
    });
    hi.saturating_sub(lo)
}

/// The events that happened for the clocks: every event but the refused ones
/// (a stopped node's, or the receive of a message never sent), which keep
/// their node's last live values and are judged by no invariant.
fn live_events(trace: &Trace) -> impl Iterator<Item = (usize, &TraceEvent)> {
    trace
        .events()
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.refused())
}

/// Checks every invariant of the HLC on a replayed scenario.
pub fn check_invariants(scenario: &Scenario, trace: &Trace) -> Vec<InvariantCheck> {
    check_invariants_of(scenario, trace, CheckedClock::Hlc)
}

/// Checks every invariant on the timestamps of the given clock (for the naive
/// rule, whose `c` is always 0, the counter bound holds trivially).
pub fn check_invariants_of(
    scenario: &Scenario,
    trace: &Trace,
    clock: CheckedClock,
) -> Vec<InvariantCheck> {
    let stamps: Vec<Timestamp> = (0..trace.events().len())
        .map(|i| clock.stamp(trace, i))
        .collect();
    vec![
        check_causality(trace, &stamps),
        check_not_behind(trace, &stamps),
        check_witnessed(trace, &stamps),
        check_bounded_drift(scenario, trace, &stamps),
        check_counter_bound(scenario, trace, &stamps),
        check_snapshots(trace, &stamps),
    ]
}

/// Happened-before is the transitive closure of program order and accepted
/// messages, and `<` is transitive, so checking those edges checks Theorem 1.
/// Refused events (a stopped node's) are no clock events: they are skipped, so
/// each node's live events are compared with the live event before them.
fn check_causality(trace: &Trace, stamps: &[Timestamp]) -> InvariantCheck {
    let events = trace.events();
    let mut offenders = Offenders::new();
    for node in 0..trace.node_count() {
        let mut previous: Option<usize> = None;
        for &e in trace.node_events(node) {
            if events[e].refused() {
                continue;
            }
            if previous.is_some_and(|p| stamps[p] >= stamps[e]) {
                offenders.push(e);
            }
            previous = Some(e);
        }
    }
    for (index, event) in events.iter().enumerate() {
        if let (true, Some(send)) = (event.accepted_receive(), event.partner) {
            if stamps[send] >= stamps[index] {
                offenders.push(index);
            }
        }
    }
    let measured = if offenders.count == 0 {
        "every node's timestamps increase and every receive is above its send".to_string()
    } else {
        format!(
            "{} events are not above an event that happened before them",
            offenders.count
        )
    };
    offenders.into_check(Invariant::Causality, measured, None, None)
}

fn check_not_behind(trace: &Trace, stamps: &[Timestamp]) -> InvariantCheck {
    let mut offenders = Offenders::new();
    let mut least: Option<i64> = None;
    for (index, event) in live_events(trace) {
        let gap = stamps[index].l.saturating_sub(event.pt());
        least = Some(least.map_or(gap, |m| m.min(gap)));
        if gap < 0 {
            offenders.push(index);
        }
    }
    let measured = match least {
        Some(gap) => format!("min l - pt = {gap} ms"),
        None => "no events".to_string(),
    };
    offenders.into_check(
        Invariant::LogicalNotBehindPhysical,
        measured,
        least,
        Some(0),
    )
}

/// The largest physical time in each event's causal past (itself included),
/// carried along program order and accepted messages. A witness `g` with
/// `pt(g) == l(f)` exists exactly when `l(f)` equals that maximum, or (when `l`
/// is below it) when a search of the causal past finds one.
fn check_witnessed(trace: &Trace, stamps: &[Timestamp]) -> InvariantCheck {
    let events = trace.events();
    let mut max_pt: Vec<Time> = vec![Time::MIN; events.len()];
    let mut previous_on_node: Vec<Option<usize>> = vec![None; trace.node_count()];
    let mut offenders = Offenders::new();
    for (index, event) in live_events(trace) {
        let l = stamps[index].l;
        let previous = previous_on_node[event.node].replace(index);
        let message = event.partner.filter(|_| event.accepted_receive());
        max_pt[index] = [previous, message]
            .into_iter()
            .flatten()
            .map(|g| max_pt[g])
            .fold(event.pt(), Time::max);
        // A refused event read no clock for HLC: it witnesses nothing.
        let witnessed = l <= event.pt()
            || l == max_pt[index]
            || (l < max_pt[index]
                && causal_past(trace, index)
                    .into_iter()
                    .any(|g| !events[g].refused() && events[g].pt() == l));
        if !witnessed {
            offenders.push(index);
        }
    }
    let measured = if offenders.count == 0 {
        "every l is some causal ancestor's physical time".to_string()
    } else {
        format!(
            "{} events have an l no causal ancestor's clock ever read",
            offenders.count
        )
    };
    offenders.into_check(Invariant::LogicalTimeWitnessed, measured, None, None)
}

fn check_bounded_drift(scenario: &Scenario, trace: &Trace, stamps: &[Timestamp]) -> InvariantCheck {
    let eps = clock_spread(scenario, trace);
    let mut offenders = Offenders::new();
    let mut worst: Option<i64> = None;
    let mut by_gap: Vec<(i64, usize)> = Vec::new();
    for (index, event) in live_events(trace) {
        let gap = stamps[index].l.saturating_sub(event.pt());
        worst = Some(worst.map_or(gap, |w| w.max(gap)));
        if gap > eps {
            by_gap.push((gap, index));
        }
    }
    by_gap.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, index) in by_gap {
        offenders.push(index);
    }
    let measured = match worst {
        Some(w) => format!("max l - pt = {w} ms, bound {eps} ms"),
        None => format!("no events, bound {eps} ms"),
    };
    offenders.into_check(Invariant::BoundedDrift, measured, worst, Some(eps))
}

/// Along a node `l` never decreases, and the causal past on each node is a
/// prefix, so the ancestors with the same `l` are found by binary search.
fn check_counter_bound(scenario: &Scenario, trace: &Trace, stamps: &[Timestamp]) -> InvariantCheck {
    let events = trace.events();
    let mut offenders = Offenders::new();
    let mut worst_c: u32 = 0;
    for (index, event) in live_events(trace) {
        let Timestamp { l, c } = stamps[index];
        worst_c = worst_c.max(c);
        if c == 0 {
            continue;
        }
        let vector = trace.vector(index);
        let mut same_l = 0usize;
        for node in 0..trace.node_count() {
            let on_node = trace.node_events(node);
            let mut count = vector
                .get(node)
                .map_or(0, |&k| k as usize)
                .min(on_node.len());
            if node == event.node {
                count = count.saturating_sub(1); // the event itself
            }
            let prefix = &on_node[..count];
            // Refused events copy their node's last live `l`, so `l` still never
            // decreases along the node; they are no ancestors of their own.
            let from = prefix.partition_point(|&g| stamps[g].l < l);
            let to = prefix.partition_point(|&g| stamps[g].l <= l);
            same_l += if trace.has_refused() {
                prefix[from..to]
                    .iter()
                    .filter(|&&g| !events[g].refused())
                    .count()
            } else {
                to - from
            };
        }
        if c as usize > same_l {
            offenders.push(index);
        }
    }
    // Corollary 3: c <= N * (eps + 1).
    let nodes = trace.node_count() as i64;
    let corollary = nodes.saturating_mul(clock_spread(scenario, trace).saturating_add(1));
    let measured = format!("max c = {worst_c}, bound N·(ε + 1) = {corollary}");
    offenders.into_check(
        Invariant::CounterBound,
        measured,
        Some(worst_c.into()),
        Some(corollary),
    )
}

/// A message makes the cut at theta inconsistent exactly when
/// `hlc(recv) <= theta < hlc(send)`; such a theta exists iff `hlc(recv) < hlc(send)`.
fn check_snapshots(trace: &Trace, stamps: &[Timestamp]) -> InvariantCheck {
    let mut offenders = Offenders::new();
    for (index, event) in trace.events().iter().enumerate() {
        if let (true, Some(send)) = (event.accepted_receive(), event.partner) {
            if stamps[index] < stamps[send] {
                offenders.push(index);
            }
        }
    }
    let measured = if offenders.count == 0 {
        "no message crosses any HLC cut backwards".to_string()
    } else {
        format!(
            "{} messages are received below their send's timestamp",
            offenders.count
        )
    };
    offenders.into_check(Invariant::SnapshotConsistent, measured, None, None)
}

/// A cut across every node, and the messages that make it inconsistent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cut {
    /// For each node, the trace index of its last event inside the cut.
    pub frontier: Vec<Option<usize>>,
    /// Trace indices of receives inside the cut whose send is outside it.
    pub crossing: Vec<usize>,
}

impl Cut {
    /// No message is received inside the cut but sent outside it.
    pub fn is_consistent(&self) -> bool {
        self.crossing.is_empty()
    }

    /// Whether a trace event lies inside the cut.
    pub fn contains(&self, trace: &Trace, event: usize) -> bool {
        let Some(e) = trace.event(event) else {
            return false;
        };
        let on_node = trace.node_events(e.node);
        match self.frontier.get(e.node).copied().flatten() {
            Some(last) => {
                on_node.iter().position(|&x| x == event) <= on_node.iter().position(|&x| x == last)
            }
            None => false,
        }
    }
}

fn cut_by(trace: &Trace, inside: impl Fn(usize) -> bool) -> Cut {
    let frontier: Vec<Option<usize>> = (0..trace.node_count())
        .map(|node| {
            let on_node = trace.node_events(node);
            let count = on_node.iter().take_while(|&&e| inside(e)).count();
            count.checked_sub(1).map(|k| on_node[k])
        })
        .collect();
    let position: Vec<usize> = {
        let mut position = vec![0; trace.events().len()];
        for node in 0..trace.node_count() {
            for (k, &e) in trace.node_events(node).iter().enumerate() {
                position[e] = k;
            }
        }
        position
    };
    let in_cut = |e: usize| {
        let node = trace.events()[e].node;
        frontier[node].is_some_and(|last| position[e] <= position[last])
    };
    let crossing = trace
        .events()
        .iter()
        .enumerate()
        .filter(|(index, event)| {
            event.accepted_receive()
                && in_cut(*index)
                && event.partner.is_some_and(|send| !in_cut(send))
        })
        .map(|(index, _)| index)
        .collect();
    Cut { frontier, crossing }
}

/// The snapshot at HLC time `theta`: on each node the events with
/// `hlc <= theta` (a prefix, since a node's timestamps increase). The paper's
/// snapshot "at time t" is `theta = (t, 0)`... extended to `(t, c)` for any `c`.
pub fn hlc_cut(trace: &Trace, theta: Timestamp) -> Cut {
    cut_by(trace, |e| trace.events()[e].hlc() <= theta)
}

/// The cut by physical time `t`: each node's events up to the first one its own
/// clock stamps later than `t`. Under skew this cut can be inconsistent.
pub fn physical_cut(trace: &Trace, t: Time) -> Cut {
    cut_by(trace, |e| trace.events()[e].pt() <= t)
}
