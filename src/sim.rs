//! Replay: `Scenario -> Trace`, pure and deterministic.
//!
//! Events are processed in real-time order (ties between nodes broken by node
//! index). Validation guarantees a receive comes strictly after its send in real
//! time and that one node never has two events at one instant, so this order is a
//! topological order of happened-before and every receive sees its send.
//!
//! Each node's clocks start *below* every physical time (HLC at
//! [`Timestamp::MIN`]), so the first event takes its `l` from the node's own clock
//! even when skew makes that negative.
//!
//! A receive refused by the max-offset bound does not take the message's
//! timestamp: the receiver's clocks treat the refusal as a local event, the
//! message adds no happened-before edge, and the event records the rejection.
//!
//! With a [`StopRule`] a node can stop itself (clock health). The event at which
//! it finds its clock too far from its peers' is refused, and so is every later
//! event on it. A refused event happens for no clock: the HLC, naive and Lamport
//! clocks keep the values of the node's last live event (before any, the HLC's
//! start value with the physical time read at the event), so its timestamp is
//! not a new one. It keeps its place in the trace, so indices and the diagram
//! stay stable, and only its vector-clock entry ticks, as a local event's
//! would: that keeps it in its node's program order, which the O(1)
//! happened-before test relies on, and adds no edge between live events. A
//! message whose send is refused is never sent: its receive is refused too
//! ([`TraceEvent::unsent`]). A receive on a stopped node is refused. A refused
//! receive adds no happened-before edge.

use crate::scenario::{EventRef, Scenario, ScenarioError, StopRule};
use hlc::{ClockError, Hlc, Lamport, NaiveHlc, Rule, Tick, Time, Timestamp};
use serde::Serialize;

/// The kind of an event, without its index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A local event.
    Local,
    /// A message send.
    Send,
    /// A message receive.
    Recv,
}

/// One replayed event with every clock's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceEvent {
    /// Which scenario event this is.
    pub source: EventRef,
    /// Node index.
    pub node: usize,
    /// Real time, ms.
    pub real_ms: Time,
    /// The HLC step: timestamp, rule branch, inputs. `tick.pt` is the node's
    /// physical time.
    pub tick: Tick,
    /// The naive (Figure 3) clock's `l`.
    pub naive_l: Time,
    /// The Lamport clock.
    pub lamport: u64,
    /// Why the max-offset bound refused this receive, if it did.
    pub rejection: Option<ClockError>,
    /// Refused because its node had stopped (at this event or before it, see
    /// [`Trace::stop`]); the clocks keep their last live values.
    pub stopped: bool,
    /// A receive refused because its message was never sent: the sender had
    /// stopped. The clocks keep their last live values.
    pub unsent: bool,
    /// For a send, its receive's index in the trace; for a receive, its send's.
    pub partner: Option<usize>,
}

impl TraceEvent {
    /// The event's HLC timestamp.
    pub fn hlc(&self) -> Timestamp {
        self.tick.timestamp
    }

    /// The node's physical time at the event.
    pub fn pt(&self) -> Time {
        self.tick.pt
    }

    /// Local, send or receive.
    pub fn kind(&self) -> EventKind {
        match self.source {
            EventRef::Local(_) => EventKind::Local,
            EventRef::Send(_) => EventKind::Send,
            EventRef::Recv(_) => EventKind::Recv,
        }
    }

    /// Refused, because its node had stopped or its message was never sent:
    /// nothing happened here for the clocks. (A receive refused by the max
    /// offset is not: the node counts it as a local event.)
    pub fn refused(&self) -> bool {
        self.stopped || self.unsent
    }

    /// A receive whose message arrived and was taken into the clock: the only
    /// kind of receive that adds a happened-before edge from its send.
    pub fn accepted_receive(&self) -> bool {
        self.kind() == EventKind::Recv
            && self.partner.is_some()
            && self.rejection.is_none()
            && !self.refused()
    }

    /// One sentence on why the timestamp is what it is.
    pub fn explain(&self) -> String {
        let kept = || {
            let ts = self.hlc();
            if ts.l == Time::MIN {
                "no clock value yet (the node had no live event before it)".to_string()
            } else {
                format!("the clocks keep the values of the node's last live event, HLC {ts}")
            }
        };
        if self.stopped {
            return format!(
                "Refused: the node had stopped itself because its clock was too far from its peers' (clock health), so nothing happens here; {}.",
                kept()
            );
        }
        if self.unsent {
            return format!(
                "Refused: the message was never sent (its sender had stopped itself), so nothing arrives; {}.",
                kept()
            );
        }
        match &self.rejection {
            Some(reason) => format!(
                "Message rejected: {reason}. The clock ignores it and counts the refusal as a local event: {}",
                self.tick.explain()
            ),
            None => self.tick.explain(),
        }
    }
}

/// A node stopping itself: when, and what it measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeStop {
    /// Real time of the event that found the clock too far (that event is
    /// refused too).
    pub at_ms: Time,
    /// Trace index of that event.
    pub event: usize,
    /// The node's physical clock then.
    pub pt: Time,
    /// The clock was at least this far from `far_peers` peers: the offset to
    /// the nearest of the far peers that made it stop (the largest offset for
    /// the any-peer rule).
    pub offset_ms: Time,
    /// Live peers whose clock was more than the threshold away.
    pub far_peers: usize,
    /// Live peers compared with.
    pub peers: usize,
    /// The rule that fired.
    pub rule: StopRule,
}

impl NodeStop {
    /// Why the node stopped, for a report:
    /// `clock 450 ms from 2 of 2 peers, threshold 400 ms: no majority within it`.
    ///
    /// ```
    /// use hlcviz::scenario::StopRule;
    /// use hlcviz::sim::NodeStop;
    /// let stop = NodeStop { at_ms: 420, event: 7, pt: 870, offset_ms: 450, far_peers: 1,
    ///     peers: 3, rule: StopRule { threshold_ms: 400, majority: false } };
    /// assert_eq!(stop.reason(), "clock 450 ms from a peer, threshold 400 ms");
    /// ```
    pub fn reason(&self) -> String {
        let threshold = self.rule.threshold_ms;
        if self.rule.majority {
            format!(
                "clock {} ms or more from {} of {} peers, threshold {threshold} ms: no majority within it",
                self.offset_ms, self.far_peers, self.peers
            )
        } else {
            format!(
                "clock {} ms from a peer, threshold {threshold} ms",
                self.offset_ms
            )
        }
    }
}

/// Whether `node`, at an event at `real_ms`, finds its clock too far from its
/// live peers' (those that had not stopped before `real_ms`).
fn check_clock_health(
    scenario: &Scenario,
    rule: StopRule,
    node: usize,
    real_ms: Time,
    stops: &[Option<NodeStop>],
) -> Option<(Time, Time, usize, usize)> {
    let pt = scenario.nodes[node].physical_time(real_ms);
    let mut offsets: Vec<Time> = scenario
        .nodes
        .iter()
        .enumerate()
        .filter(|&(peer, _)| peer != node && stops[peer].is_none_or(|s| s.at_ms >= real_ms))
        .map(|(_, peer)| {
            pt.saturating_sub(peer.physical_time(real_ms))
                .saturating_abs()
        })
        .collect();
    let needed = rule.far_peers_to_stop(offsets.len())?;
    let far = offsets.iter().filter(|&&o| o > rule.threshold_ms).count();
    if far < needed {
        return None;
    }
    offsets.sort_unstable_by(|a, b| b.cmp(a));
    Some((pt, offsets[needed - 1], far, offsets.len()))
}

/// A replayed scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    node_count: usize,
    events: Vec<TraceEvent>,
    stops: Vec<Option<NodeStop>>,
    any_refused: bool,
    by_node: Vec<Vec<usize>>,
    /// `by_node`'s real times, side by side: a frame reads them for every
    /// event in view, and read from `events` one node's events are a cache
    /// miss each.
    node_times: Vec<Vec<Time>>,
    vectors: Vec<u32>,
    local_index: Vec<usize>,
    send_index: Vec<usize>,
    recv_index: Vec<usize>,
}

impl Trace {
    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.node_count
    }

    /// Every event, in replay order (real time, then node).
    pub fn events(&self) -> &[TraceEvent] {
        &self.events
    }

    /// One event by its trace index.
    pub fn event(&self, index: usize) -> Option<&TraceEvent> {
        self.events.get(index)
    }

    /// The trace indices of one node's events, in time order.
    pub fn node_events(&self, node: usize) -> &[usize] {
        self.by_node.get(node).map_or(&[], Vec::as_slice)
    }

    /// The real times of one node's events, in time order: `node_events`'s
    /// events' `real_ms`, packed.
    pub fn node_times(&self, node: usize) -> &[Time] {
        self.node_times.get(node).map_or(&[], Vec::as_slice)
    }

    /// The vector clock of an event (one entry per node).
    pub fn vector(&self, index: usize) -> &[u32] {
        let start = index.saturating_mul(self.node_count);
        self.vectors
            .get(start..start.saturating_add(self.node_count))
            .unwrap_or(&[])
    }

    /// When and why `node` stopped itself, if it did.
    pub fn stop(&self, node: usize) -> Option<&NodeStop> {
        self.stops.get(node).and_then(Option::as_ref)
    }

    /// The real time at which `node` stopped itself, if it did.
    pub fn stopped_at(&self, node: usize) -> Option<Time> {
        self.stop(node).map(|s| s.at_ms)
    }

    /// Whether any event was refused (a node stopped).
    pub fn has_refused(&self) -> bool {
        self.any_refused
    }

    /// Why event `index` is what it is, with the numbers of a node's stop where
    /// it was refused: [`TraceEvent::explain`], then the stop's
    /// [`NodeStop::reason`].
    pub fn explain(&self, index: usize) -> String {
        let Some(e) = self.event(index) else {
            return String::new();
        };
        let stop_of = |node: usize| {
            self.stop(node)
                .map(|s| format!(" (stopped at {} ms: {})", s.at_ms, s.reason()))
                .unwrap_or_default()
        };
        let sender = e.partner.and_then(|p| self.event(p)).map(|p| p.node);
        let detail = match (e.stopped, e.unsent, sender) {
            (true, _, _) => format!(" This node{}.", stop_of(e.node)),
            (false, true, Some(from)) => format!(" Its sender{}.", stop_of(from)),
            _ => String::new(),
        };
        e.explain() + &detail
    }

    /// The trace index of a scenario event.
    pub fn index_of(&self, event: EventRef) -> Option<usize> {
        let slot = match event {
            EventRef::Local(i) => self.local_index.get(i),
            EventRef::Send(i) => self.send_index.get(i),
            EventRef::Recv(i) => self.recv_index.get(i),
        };
        // Events the replay skipped (only possible on invalid input) stay unmapped.
        slot.copied().filter(|&i| i != UNMAPPED)
    }
}

const UNMAPPED: usize = usize::MAX;

/// Validates and replays a scenario.
pub fn replay(scenario: &Scenario) -> Result<Trace, ScenarioError> {
    Ok(replay_without_vectors(scenario)?.with_vectors())
}

/// [`replay`] of a scenario an edit made from the one `previous` replays.
/// When the edit changed no happened-before edge (the events keep their order
/// and every accepted receive its send, as a skew change does unless it
/// reorders events, a max offset refuses a message or a node stops), the new
/// trace takes `previous`'s vector clocks instead of computing them again:
/// `previous` is then left without them, and is meant to be dropped. On an
/// error `previous` is untouched.
pub fn replay_edited(scenario: &Scenario, previous: &mut Trace) -> Result<Trace, ScenarioError> {
    let mut trace = replay_without_vectors(scenario)?;
    let expected = trace.events.len().saturating_mul(trace.node_count);
    if trace.node_count == previous.node_count
        && previous.vectors.len() == expected
        && same_edges(&trace.events, &previous.events)
    {
        trace.vectors = std::mem::take(&mut previous.vectors);
        Ok(trace)
    } else {
        Ok(trace.with_vectors())
    }
}

fn replay_without_vectors(scenario: &Scenario) -> Result<Trace, ScenarioError> {
    let keys = scenario.validate_in_order()?;
    // A valid scenario's events all have keys; the check only guards that.
    let order = if keys.len() == scenario.event_count() {
        unpacked(scenario, &keys)
    } else {
        order_of(scenario)
    };
    Ok(replay_in_order(scenario, order))
}

/// Replays a scenario already known to be valid. On an invalid one it does not
/// panic, but events naming unknown nodes are skipped.
pub fn replay_valid(scenario: &Scenario) -> Trace {
    replay_in_order(scenario, order_of(scenario)).with_vectors()
}

/// Every event on a known node, in replay order: real time, then node, then event.
fn order_of(scenario: &Scenario) -> Vec<(Time, usize, EventRef)> {
    match scenario.ordered_keys() {
        Some(keys) => unpacked(scenario, &keys),
        None => {
            // Times or nodes beyond what a key holds (an invalid scenario):
            // the same order, sorted the slow way.
            let node_count = scenario.nodes.len();
            let mut order: Vec<(Time, usize, EventRef)> = scenario
                .all_events()
                .filter(|(_, node, _)| *node < node_count)
                .map(|(event, node, at)| (at, node, event))
                .collect();
            order.sort_unstable();
            order
        }
    }
}

fn unpacked(
    scenario: &Scenario,
    keys: &[crate::scenario::EventKey],
) -> Vec<(Time, usize, EventRef)> {
    keys.iter().map(|&key| scenario.unpack(key)).collect()
}

/// Replays the events of `order` (every event on a known node, in replay
/// order: real time, then node, then event).
fn replay_in_order(scenario: &Scenario, order: Vec<(Time, usize, EventRef)>) -> Trace {
    let node_count = scenario.nodes.len();
    let policy = scenario.settings.policy();
    let mut hlcs: Vec<Hlc> = (0..node_count)
        .map(|_| Hlc::with_policy(policy).starting_at(Timestamp::MIN))
        .collect();
    let mut naives = vec![NaiveHlc::new().starting_at(Time::MIN); node_count];
    let mut lamports = vec![Lamport::new(); node_count];
    let mut local_index = vec![UNMAPPED; scenario.events.len()];
    let mut send_index = vec![UNMAPPED; scenario.messages.len()];
    let mut recv_index = vec![UNMAPPED; scenario.messages.len()];
    let mut by_node: Vec<Vec<usize>> = vec![Vec::new(); node_count];
    let mut node_times: Vec<Vec<Time>> = vec![Vec::new(); node_count];
    let mut events: Vec<TraceEvent> = Vec::with_capacity(order.len());
    let mut stops: Vec<Option<NodeStop>> = vec![None; node_count];
    let mut last_live: Vec<Option<usize>> = vec![None; node_count];

    for (real_ms, node, source) in order {
        let index = events.len();
        let pt = scenario.nodes[node].physical_time(real_ms);
        let sent = match source {
            EventRef::Recv(m) => send_index
                .get(m)
                .copied()
                .filter(|&s| s != UNMAPPED)
                .map(|s| (s, events[s].hlc(), events[s].naive_l, events[s].lamport)),
            _ => None,
        };
        if stops[node].is_none() {
            if let Some(rule) = scenario.settings.stop_on_skew {
                if let Some((pt, offset_ms, far_peers, peers)) =
                    check_clock_health(scenario, rule, node, real_ms, &stops)
                {
                    stops[node] = Some(NodeStop {
                        at_ms: real_ms,
                        event: index,
                        pt,
                        offset_ms,
                        far_peers,
                        peers,
                        rule,
                    });
                }
            }
        }
        let stopped = stops[node].is_some();
        let unsent = !stopped && sent.is_some_and(|(s, ..)| events[s].refused());
        let mut rejection = None;
        let live_tick = if stopped || unsent {
            None
        } else {
            let tick = match sent {
                Some((_, stamp, _, _)) => match hlcs[node].recv(pt, stamp) {
                    Ok(tick) => Ok(tick),
                    Err(reason @ ClockError::ExceedsMaxOffset { .. }) => {
                        rejection = Some(reason);
                        hlcs[node].local(pt)
                    }
                    Err(other) => Err(other),
                },
                None => hlcs[node].local(pt),
            };
            // Only a time overflow can fail here, and validated times are far from it.
            match tick {
                Ok(tick) => Some(tick),
                Err(_) => continue,
            }
        };
        let partner = sent.map(|(s, ..)| s);
        if let Some(s) = partner {
            events[s].partner = Some(index);
        }
        match source {
            EventRef::Local(i) => local_index[i] = index,
            EventRef::Send(i) => send_index[i] = index,
            EventRef::Recv(i) => recv_index[i] = index,
        }
        by_node[node].push(index);
        node_times[node].push(real_ms);

        let (tick, naive_l, lamport) = match live_tick {
            // Nothing happens for the clocks: keep the last live values (only
            // the vector clock's own entry ticks, see `vector_table`).
            None => match last_live[node] {
                Some(j) => (events[j].tick, events[j].naive_l, events[j].lamport),
                None => (
                    Tick {
                        timestamp: Timestamp::MIN,
                        rule: Rule::PhysicalAhead,
                        previous: Timestamp::MIN,
                        pt,
                        message: None,
                        carried: false,
                    },
                    Time::MIN,
                    0,
                ),
            },
            Some(tick) => {
                let accepted = sent.filter(|_| rejection.is_none());
                let (naive_l, lamport) = match accepted {
                    Some((_, _, naive_m, lamport_m)) => (
                        naives[node].recv(pt, naive_m),
                        lamports[node].recv(lamport_m),
                    ),
                    None => (naives[node].local(pt), lamports[node].local()),
                };
                last_live[node] = Some(index);
                (tick, naive_l, lamport)
            }
        };
        events.push(TraceEvent {
            source,
            node,
            real_ms,
            tick,
            naive_l,
            lamport,
            rejection,
            stopped,
            unsent,
            partner,
        });
    }

    let any_refused = events.iter().any(TraceEvent::refused);
    Trace {
        node_count,
        events,
        stops,
        any_refused,
        by_node,
        node_times,
        vectors: Vec::new(),
        local_index,
        send_index,
        recv_index,
    }
}

/// The vector clocks of `events` (in replay order), `node_count` entries per
/// event: an event's row is its node's previous row with the node's own entry
/// ticked, after taking the entrywise max with its send's row when it is an
/// accepted receive. A refused event ticks like a local one, which keeps it in
/// its node's program order and adds no edge. The same as one
/// [`hlc::VectorClock`] per node (`hlc`'s), without copying a message's stamp.
fn vector_table(node_count: usize, events: &[TraceEvent]) -> Vec<u32> {
    let mut table = vec![0u32; events.len().saturating_mul(node_count)];
    let mut last: Vec<Option<usize>> = vec![None; node_count];
    for (index, event) in events.iter().enumerate() {
        let (done, rest) = table.split_at_mut(index * node_count);
        let (Some(row), Some(previous)) = (rest.get_mut(..node_count), last.get_mut(event.node))
        else {
            continue;
        };
        let row_of = |i: usize| done.get(i * node_count..(i + 1) * node_count);
        if let Some(before) = previous.and_then(row_of) {
            row.copy_from_slice(before);
        }
        let sent = event.partner.filter(|_| event.accepted_receive());
        if let Some(stamp) = sent.and_then(row_of) {
            for (mine, theirs) in row.iter_mut().zip(stamp) {
                *mine = (*mine).max(*theirs);
            }
        }
        if let Some(own) = row.get_mut(event.node) {
            *own = own.saturating_add(1);
        }
        *previous = Some(index);
    }
    table
}

/// Whether two traces' events have the same vector clocks: the same nodes in
/// the same order, and the same accepted receives from the same sends.
fn same_edges(a: &[TraceEvent], b: &[TraceEvent]) -> bool {
    let merged = |e: &TraceEvent| e.partner.filter(|_| e.accepted_receive());
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.node == y.node && merged(x) == merged(y))
}

impl Trace {
    fn with_vectors(mut self) -> Trace {
        self.vectors = vector_table(self.node_count, &self.events);
        self
    }
}
