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

use crate::scenario::{EventRef, Scenario, ScenarioError};
use hlc::{ClockError, Hlc, Lamport, NaiveHlc, Tick, Time, Timestamp, VectorClock};
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

    /// One sentence on why the timestamp is what it is.
    pub fn explain(&self) -> String {
        match &self.rejection {
            Some(reason) => format!(
                "Message rejected: {reason}. The clock ignores it and counts the refusal as a local event: {}",
                self.tick.explain()
            ),
            None => self.tick.explain(),
        }
    }
}

/// A replayed scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    node_count: usize,
    events: Vec<TraceEvent>,
    by_node: Vec<Vec<usize>>,
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

    /// The vector clock of an event (one entry per node).
    pub fn vector(&self, index: usize) -> &[u32] {
        let start = index.saturating_mul(self.node_count);
        self.vectors
            .get(start..start.saturating_add(self.node_count))
            .unwrap_or(&[])
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
    scenario.validate()?;
    Ok(replay_valid(scenario))
}

/// Replays a scenario already known to be valid. On an invalid one it does not
/// panic, but events naming unknown nodes are skipped.
pub fn replay_valid(scenario: &Scenario) -> Trace {
    let node_count = scenario.nodes.len();
    let mut order: Vec<(Time, usize, EventRef)> = scenario
        .all_events()
        .filter(|(_, node, _)| *node < node_count)
        .map(|(event, node, at)| (at, node, event))
        .collect();
    order.sort_unstable();

    let policy = scenario.settings.policy();
    let mut hlcs: Vec<Hlc> = (0..node_count)
        .map(|_| Hlc::with_policy(policy).starting_at(Timestamp::MIN))
        .collect();
    let mut naives = vec![NaiveHlc::new().starting_at(Time::MIN); node_count];
    let mut lamports = vec![Lamport::new(); node_count];
    let mut vector_clocks: Vec<VectorClock> = (0..node_count)
        .map(|n| VectorClock::new(node_count, n))
        .collect();

    let mut local_index = vec![UNMAPPED; scenario.events.len()];
    let mut send_index = vec![UNMAPPED; scenario.messages.len()];
    let mut recv_index = vec![UNMAPPED; scenario.messages.len()];
    let mut by_node: Vec<Vec<usize>> = vec![Vec::new(); node_count];
    let mut events: Vec<TraceEvent> = Vec::with_capacity(order.len());
    let mut vectors: Vec<u32> = Vec::with_capacity(order.len() * node_count);
    let mut message_vector: Vec<u32> = Vec::with_capacity(node_count);

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
        let mut rejection = None;
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
        let tick = match tick {
            Ok(tick) => tick,
            Err(_) => continue,
        };
        let accepted = sent.filter(|_| rejection.is_none());
        let (naive_l, lamport) = match accepted {
            Some((_, _, naive_m, lamport_m)) => (
                naives[node].recv(pt, naive_m),
                lamports[node].recv(lamport_m),
            ),
            None => (naives[node].local(pt), lamports[node].local()),
        };
        let vector = match accepted {
            Some((s, ..)) => {
                let start = s * node_count;
                message_vector.clear();
                message_vector.extend_from_slice(&vectors[start..start + node_count]);
                vector_clocks[node].recv(&message_vector)
            }
            None => vector_clocks[node].local(),
        };
        vectors.extend_from_slice(vector);
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
        events.push(TraceEvent {
            source,
            node,
            real_ms,
            tick,
            naive_l,
            lamport,
            rejection,
            partner,
        });
    }

    Trace {
        node_count,
        events,
        by_node,
        vectors,
        local_index,
        send_index,
        recv_index,
    }
}
