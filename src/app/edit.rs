//! The changes a person can make to a scenario, as pure functions of it: an
//! edit is made on a copy, which [`super::Document`] replays and keeps only if
//! it is valid.

use crate::scenario::{
    ClockStep, EventRef, KvOp, LocalEvent, Message, Node, Put, Scenario, Settings, MAX_NODES,
    MAX_SKEW_MS,
};
use hlc::Time;

/// A change to the scenario.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Add a local event.
    AddLocal {
        /// Node index.
        node: usize,
        /// Real time.
        at_ms: Time,
    },
    /// Add a local event that performs a database operation.
    AddKv {
        /// Node index.
        node: usize,
        /// Real time.
        at_ms: Time,
        /// The operation.
        kv: KvOp,
    },
    /// Set or clear the database operation of an event: a local event's op,
    /// or (on either end of a message) the message's put. A message carries
    /// writes only, so a get on a message is refused.
    SetKv {
        /// Which event.
        event: EventRef,
        /// The operation; `None` clears it.
        kv: Option<KvOp>,
    },
    /// Add a message.
    AddMessage(Message),
    /// Move an event (a local event, or one end of a message) along its line.
    MoveEvent {
        /// Which.
        event: EventRef,
        /// New real time.
        at_ms: Time,
    },
    /// Delete a local event, or the whole message one of whose ends this is.
    DeleteEvent(EventRef),
    /// Add a node.
    AddNode,
    /// Remove a node and everything on it.
    RemoveNode(usize),
    /// Rename a node.
    RenameNode {
        /// Node index.
        node: usize,
        /// New name.
        name: String,
    },
    /// Set a node's clock skew.
    SetSkew {
        /// Node index.
        node: usize,
        /// Skew, ms.
        skew_ms: Time,
    },
    /// Set a node's clock drift.
    SetDrift {
        /// Node index.
        node: usize,
        /// Drift, parts per million.
        drift_ppm: i64,
    },
    /// Set a node's clock steps.
    SetSteps {
        /// Node index.
        node: usize,
        /// The steps.
        steps: Vec<ClockStep>,
    },
    /// Set the clock policies.
    SetSettings(Settings),
    /// Replace the whole scenario.
    Replace(Scenario),
}

impl Edit {
    /// Whether the selected event can still be the same event after this edit
    /// (a deletion, a removed node or a new scenario may renumber events).
    pub fn keeps_selection(&self) -> bool {
        !matches!(
            self,
            Edit::DeleteEvent(_) | Edit::RemoveNode(_) | Edit::Replace(_)
        )
    }
}

/// `scenario` with `edit` made, not yet validated; or why it cannot be made.
pub fn edited(scenario: &Scenario, edit: Edit) -> Result<Scenario, String> {
    let mut next = scenario.clone();
    match edit {
        Edit::AddLocal { node, at_ms } => next.events.push(LocalEvent::at(node, at_ms)),
        Edit::AddKv { node, at_ms, kv } => next.events.push(LocalEvent {
            kv: Some(kv),
            ..LocalEvent::at(node, at_ms)
        }),
        Edit::SetKv { event, kv } => set_kv(&mut next, event, kv)?,
        Edit::AddMessage(message) => next.messages.push(message),
        Edit::MoveEvent { event, at_ms } => match event {
            EventRef::Local(i) => set_time(next.events.get_mut(i).map(|e| &mut e.at_ms), at_ms)?,
            EventRef::Send(i) => {
                set_time(next.messages.get_mut(i).map(|m| &mut m.sent_at_ms), at_ms)?
            }
            EventRef::Recv(i) => set_time(
                next.messages.get_mut(i).map(|m| &mut m.received_at_ms),
                at_ms,
            )?,
        },
        Edit::DeleteEvent(event) => match event {
            EventRef::Local(i) if i < next.events.len() => {
                next.events.remove(i);
            }
            EventRef::Send(i) | EventRef::Recv(i) if i < next.messages.len() => {
                next.messages.remove(i);
            }
            _ => return Err("That event no longer exists.".into()),
        },
        Edit::AddNode => {
            if next.nodes.len() >= MAX_NODES {
                return Err(format!("A scenario has at most {MAX_NODES} nodes."));
            }
            let name = fresh_node_name(&next.nodes);
            next.nodes.push(Node::named(name));
        }
        Edit::RemoveNode(node) => {
            if node >= next.nodes.len() {
                return Err("That node no longer exists.".into());
            }
            if next.nodes.len() == 1 {
                return Err("The last node cannot be removed.".into());
            }
            next.nodes.remove(node);
            next.events.retain(|e| e.node != node);
            next.messages.retain(|m| m.from != node && m.to != node);
            let shift = |n: usize| if n > node { n - 1 } else { n };
            for e in &mut next.events {
                e.node = shift(e.node);
            }
            for m in &mut next.messages {
                m.from = shift(m.from);
                m.to = shift(m.to);
            }
        }
        Edit::RenameNode { node, name } => {
            node_mut(&mut next, node)?.name = name.trim().to_string()
        }
        Edit::SetSkew { node, skew_ms } => {
            node_mut(&mut next, node)?.skew_ms = skew_ms.clamp(-MAX_SKEW_MS, MAX_SKEW_MS)
        }
        Edit::SetDrift { node, drift_ppm } => node_mut(&mut next, node)?.drift_ppm = drift_ppm,
        Edit::SetSteps { node, steps } => node_mut(&mut next, node)?.steps = steps,
        Edit::SetSettings(settings) => next.settings = settings,
        Edit::Replace(scenario) => next = scenario,
    }
    Ok(next)
}

fn set_kv(scenario: &mut Scenario, event: EventRef, kv: Option<KvOp>) -> Result<(), String> {
    const GONE: &str = "That event no longer exists.";
    match event {
        EventRef::Local(i) => scenario.events.get_mut(i).ok_or(GONE)?.kv = kv,
        EventRef::Send(i) | EventRef::Recv(i) => {
            let message = scenario.messages.get_mut(i).ok_or(GONE)?;
            message.put = match kv {
                None => None,
                Some(KvOp::Put { key, value }) => Some(Put { key, value }),
                Some(KvOp::Get { .. }) => return Err("A message carries writes, not reads.".into()),
            };
        }
    }
    Ok(())
}

fn node_mut(scenario: &mut Scenario, node: usize) -> Result<&mut Node, String> {
    scenario
        .nodes
        .get_mut(node)
        .ok_or_else(|| "That node no longer exists.".into())
}

fn set_time(slot: Option<&mut Time>, at_ms: Time) -> Result<(), String> {
    match slot {
        Some(t) => {
            *t = at_ms;
            Ok(())
        }
        None => Err("That event no longer exists.".into()),
    }
}

/// Where an event may go when asked to move to `target`: inside the time
/// range, a send before its receive and a receive after its send.
pub fn clamp_time(scenario: &Scenario, event: EventRef, target: Time) -> Time {
    let target = target.clamp(0, crate::scenario::MAX_TIME_MS);
    match event {
        EventRef::Send(i) => scenario
            .messages
            .get(i)
            .map_or(target, |m| target.min(m.received_at_ms - 1)),
        EventRef::Recv(i) => scenario
            .messages
            .get(i)
            .map_or(target, |m| target.max(m.sent_at_ms + 1)),
        EventRef::Local(_) => target,
    }
}

/// The first instant at or after `at_ms` with no event on `node` (events are
/// whole ms apart, so a drop on a dot lands just after it).
pub fn free_instant(scenario: &Scenario, node: usize, at_ms: Time) -> Time {
    let mut taken: Vec<Time> = scenario
        .all_events()
        .filter(|(_, n, t)| *n == node && *t >= at_ms)
        .map(|(_, _, t)| t)
        .collect();
    taken.sort_unstable();
    let mut at = at_ms;
    for t in taken {
        if t == at {
            at += 1;
        } else if t > at {
            break;
        }
    }
    at
}

/// A name not used yet, in the order the generator names nodes (A to Z, then
/// N26, N27, ...).
pub fn fresh_node_name(nodes: &[Node]) -> String {
    let taken = |name: &str| nodes.iter().any(|n| n.name == name);
    (0..)
        .map(crate::generate::node_name)
        .find(|name| !taken(name))
        .unwrap_or_else(|| "N".to_string())
}
