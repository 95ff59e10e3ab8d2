//! The database lens: what a key-value store built on these clocks would do
//! with the scenario's puts and gets. Pure and deterministic:
//! `evaluate(scenario, trace) -> KvRun`.
//!
//! The model (`docs/database-lens.md` says it in plain words and compares it
//! with CockroachDB and Spanner):
//!
//! - **One MVCC store.** A put is a [`Version`] of its key at the writer's HLC
//!   timestamp: a local put at its event's timestamp; a put carried by a
//!   message at the *send's* timestamp (the coordinator's), applied when the
//!   receiver takes the message. A receive refused by the max-offset bound
//!   applies nothing.
//! - **Commit wait** decides when a write is acknowledged (see
//!   [`CommitWait`]).
//! - **A get** reads at its event's timestamp `ts`. With a max offset, a
//!   version above `ts` whose `l` is within `ts.l + max_offset` (the global
//!   uncertainty limit) might have been written before the read in real time,
//!   so the read restarts at that version's timestamp, [`Settings::
//!   restart_after_ms`] later. With observed timestamps on, the read notes
//!   every node's clock at its start; on a retry, a version above its node's
//!   noted clock was written after the read began, so it is not uncertain.
//! - **A stale read** misses a version acknowledged, in real time, before the
//!   read began.
//!
//! [`Settings::restart_after_ms`]: crate::scenario::Settings::restart_after_ms

use crate::bidi::isolate;
use crate::scenario::{CommitWait, EventRef, KvOp, Scenario};
use crate::sim::Trace;
use hlc::{Time, Timestamp};
use serde::Serialize;
use std::collections::HashMap;

/// Most attempts one read makes; a read still uncertain at its last attempt
/// gives up (it returns an error, not a value, so it is never stale).
pub const MAX_ATTEMPTS: usize = 16;

/// One version of a key in the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Version {
    /// The key.
    pub key: String,
    /// The value written.
    pub value: String,
    /// The write's timestamp: the put's own, or the send's for a put-message.
    pub ts: Timestamp,
    /// Trace index of the local put, or of the receive that applies a
    /// put-message.
    pub event: usize,
    /// The node that applied it.
    pub node: usize,
    /// Real time it was applied, ms.
    pub written_ms: Time,
    /// Real time it was acknowledged, ms (after the commit wait).
    pub acked_ms: Time,
    /// The commit wait, ms: `acked_ms - written_ms`.
    pub wait_ms: Time,
}

/// One try of a read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attempt {
    /// Real time of the try, ms.
    pub at_ms: Time,
    /// The timestamp it reads at.
    pub ts: Timestamp,
    /// The global uncertainty limit `l`: the first attempt's `ts.l` plus the
    /// max offset, the same for every attempt of the read. Without a max
    /// offset it is the first attempt's `ts.l` and nothing is uncertain.
    pub global_limit: Time,
    /// The clocks the read observed at its start, `(node, timestamp)`, one per
    /// node (empty with observed timestamps off). The first attempt takes
    /// them; later attempts use them as local limits.
    pub observed: Vec<(usize, Timestamp)>,
    /// The version (index into [`KvRun::versions`]) that forced a restart.
    pub uncertain: Option<usize>,
}

/// One get and what it returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Read {
    /// Trace index of the get.
    pub event: usize,
    /// The node that reads.
    pub node: usize,
    /// The key read.
    pub key: String,
    /// Every attempt, the first at the get's real time.
    pub attempts: Vec<Attempt>,
    /// The version returned (index into [`KvRun::versions`]); `None`: no value
    /// (or the read gave up).
    pub result: Option<usize>,
    /// The newest version acknowledged before the read began that it missed.
    pub stale: Option<usize>,
}

/// The database lens over one trace.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct KvRun {
    /// Every version, in trace order of the event that applied it.
    pub versions: Vec<Version>,
    /// Every get, in trace order.
    pub reads: Vec<Read>,
}

impl KvRun {
    /// The version a trace event applied (a local put or a receive of a
    /// put-message), if any.
    pub fn version_at(&self, event: usize) -> Option<&Version> {
        self.version_index_at(event).map(|i| &self.versions[i])
    }

    /// The index into [`KvRun::versions`] of the version a trace event
    /// applied, if any.
    pub fn version_index_at(&self, event: usize) -> Option<usize> {
        let i = self.versions.partition_point(|v| v.event < event);
        self.versions.get(i).filter(|v| v.event == event).map(|_| i)
    }

    /// The read a trace event made (a get), if any.
    pub fn read_at(&self, event: usize) -> Option<&Read> {
        let i = self.reads.partition_point(|r| r.event < event);
        self.reads.get(i).filter(|r| r.event == event)
    }

    /// How many reads are stale.
    pub fn stale_reads(&self) -> usize {
        self.reads.iter().filter(|r| r.stale.is_some()).count()
    }
}

/// What a version is to an attempt that can see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    /// At or below the attempt's timestamp: readable.
    AtOrBelow,
    /// Above it but within the uncertainty interval: forces a restart.
    Uncertain,
    /// Above it and within the global limit, but above its node's observed
    /// timestamp: written after the read began.
    AfterObserved,
    /// Above the uncertainty interval (or there is none): simply in the future.
    Future,
}

/// How one attempt judges versions: its timestamp and limits.
struct Judge<'a> {
    ts: Timestamp,
    /// `None`: no max offset, no uncertainty.
    global_limit: Option<Time>,
    /// Observed timestamps by node, in force from the second attempt on.
    local_limits: Option<&'a [Timestamp]>,
}

impl Judge<'_> {
    fn standing(&self, v: &Version) -> Standing {
        self.standing_of(v.ts, v.node)
    }

    fn standing_of(&self, ts: Timestamp, node: usize) -> Standing {
        if ts <= self.ts {
            return Standing::AtOrBelow;
        }
        match self.global_limit {
            Some(global) if ts.l <= global => {
                match self.local_limits.and_then(|obs| obs.get(node)) {
                    Some(observed) if ts > *observed => Standing::AfterObserved,
                    _ => Standing::Uncertain,
                }
            }
            _ => Standing::Future,
        }
    }

    /// The local limit shown for a version on `node`, as CockroachDB prints it.
    fn local_limit_text(&self, node: usize) -> String {
        let global = self.global_limit.unwrap_or(self.ts.l);
        match self.local_limits.and_then(|obs| obs.get(node)) {
            Some(observed) if observed.l <= global => observed.to_string(),
            _ => global.to_string(),
        }
    }
}

/// Runs the database lens over a replayed scenario.
///
/// ```
/// use hlcviz::scenario::{KvOp, LocalEvent, Scenario};
/// let mut s = Scenario::with_nodes(&["A", "B"]);
/// let put = KvOp::Put { key: "x".into(), value: "1".into() };
/// s.events.push(LocalEvent { kv: Some(put), ..LocalEvent::at(0, 100) });
/// s.events.push(LocalEvent { kv: Some(KvOp::Get { key: "x".into() }), ..LocalEvent::at(1, 200) });
/// let trace = hlcviz::sim::replay(&s).unwrap();
/// let run = hlcviz::kv::evaluate(&s, &trace);
/// assert_eq!(run.versions[0].value, "1");
/// assert_eq!(run.reads[0].result, Some(0));
/// assert_eq!(run.reads[0].stale, None);
/// ```
pub fn evaluate(scenario: &Scenario, trace: &Trace) -> KvRun {
    let versions = apply_writes(scenario, trace);
    let mut by_key: HashMap<&str, Vec<Entry>> = HashMap::new();
    for (index, v) in versions.iter().enumerate() {
        by_key.entry(v.key.as_str()).or_default().push(Entry {
            ts: v.ts,
            written_ms: v.written_ms,
            acked_ms: v.acked_ms,
            node: v.node,
            index,
        });
    }
    let mut reads = Vec::new();
    for (index, e) in trace.events().iter().enumerate() {
        let EventRef::Local(local) = e.source else {
            continue;
        };
        if e.refused() {
            continue; // its node had stopped itself: the get is never served
        }
        let Some(KvOp::Get { key }) = scenario.events.get(local).and_then(|l| l.kv.as_ref()) else {
            continue;
        };
        let of_key = by_key.get(key.as_str()).map_or(&[][..], Vec::as_slice);
        reads.push(read(scenario, trace, of_key, index, key));
    }
    KvRun { versions, reads }
}

/// What a read needs of a version, packed: a read scans every version of its
/// key, so these sit together in memory rather than behind the strings.
struct Entry {
    ts: Timestamp,
    written_ms: Time,
    acked_ms: Time,
    node: usize,
    /// Index into the versions.
    index: usize,
}

/// Every write, in trace order, with its acknowledgement time.
fn apply_writes(scenario: &Scenario, trace: &Trace) -> Vec<Version> {
    let mut versions = Vec::new();
    for (index, e) in trace.events().iter().enumerate() {
        if e.refused() {
            // A node that stopped itself writes nothing, and a write sent by
            // one (or to one) is never applied.
            continue;
        }
        let (key, value, ts) = match e.source {
            EventRef::Local(i) => match scenario.events.get(i).and_then(|l| l.kv.as_ref()) {
                Some(KvOp::Put { key, value }) => (key, value, e.hlc()),
                _ => continue,
            },
            EventRef::Recv(m) if e.rejection.is_none() => {
                let put = scenario.messages.get(m).and_then(|m| m.put.as_ref());
                let sent = e.partner.and_then(|s| trace.event(s));
                match (put, sent) {
                    (Some(put), Some(sent)) => (&put.key, &put.value, sent.hlc()),
                    _ => continue,
                }
            }
            _ => continue,
        };
        let acked_ms = acknowledged_at(scenario, e.node, e.real_ms, ts);
        versions.push(Version {
            key: key.clone(),
            value: value.clone(),
            ts,
            event: index,
            node: e.node,
            written_ms: e.real_ms,
            acked_ms,
            wait_ms: acked_ms - e.real_ms,
        });
    }
    versions
}

/// When a write applied on `node` at `written_ms` with timestamp `ts` is
/// acknowledged: once the node's own clock reads the commit-wait target.
fn acknowledged_at(scenario: &Scenario, node: usize, written_ms: Time, ts: Timestamp) -> Time {
    let settings = &scenario.settings;
    let target = match (settings.commit_wait, settings.max_offset_ms) {
        (CommitWait::Off, _) | (CommitWait::MaxOffset, None) => return written_ms,
        (CommitWait::MaxOffset, Some(max_offset)) => ts.l.saturating_add(max_offset),
        (CommitWait::TrueTime { eps_ms }, _) => ts.l.saturating_add(eps_ms.saturating_mul(2)),
    };
    scenario.nodes.get(node).map_or(written_ms, |n| {
        n.first_real_time_reading(written_ms, target)
    })
}

/// Each node's HLC "now" at real time `at_ms`: its physical clock if that is
/// ahead of its latest timestamp, else that timestamp.
fn observe_clocks(scenario: &Scenario, trace: &Trace, at_ms: Time) -> Vec<Timestamp> {
    (0..trace.node_count())
        .map(|node| {
            let pt = scenario
                .nodes
                .get(node)
                .map_or(at_ms, |n| n.physical_time(at_ms));
            let own = trace.node_events(node);
            let before = own.partition_point(|&i| trace.events()[i].real_ms <= at_ms);
            match before.checked_sub(1).map(|k| trace.events()[own[k]].hlc()) {
                Some(latest) if latest.l >= pt => latest,
                _ => Timestamp::new(pt, 0),
            }
        })
        .collect()
}

fn read(scenario: &Scenario, trace: &Trace, of_key: &[Entry], index: usize, key: &str) -> Read {
    let settings = &scenario.settings;
    let get = &trace.events()[index];
    let (reader, start) = (get.node, get.real_ms);
    let global_limit = settings
        .max_offset_ms
        .map(|m| get.hlc().l.saturating_add(m));
    let observed = if settings.observed_timestamps {
        observe_clocks(scenario, trace, start)
    } else {
        Vec::new()
    };
    let observed_pairs: Vec<(usize, Timestamp)> = observed.iter().copied().enumerate().collect();
    let mut attempts = Vec::new();
    let mut result = None;
    let (mut at_ms, mut ts) = (start, get.hlc());
    for k in 0..MAX_ATTEMPTS {
        let judge = Judge {
            ts,
            global_limit,
            local_limits: (k > 0 && settings.observed_timestamps).then_some(observed.as_slice()),
        };
        let seen = &of_key[..visible_count(of_key, at_ms, reader)];
        // One pass finds both the newest uncertain version and the newest
        // readable one (ties in ts go to the later in trace order).
        let (mut uncertain, mut readable): (Option<&Entry>, Option<&Entry>) = (None, None);
        for v in seen {
            let slot = match judge.standing_of(v.ts, v.node) {
                Standing::Uncertain => &mut uncertain,
                Standing::AtOrBelow => &mut readable,
                Standing::AfterObserved | Standing::Future => continue,
            };
            if slot.is_none_or(|w| w.ts <= v.ts) {
                *slot = Some(v);
            }
        }
        let (uncertain, readable) = (
            uncertain.map(|v| (v.index, v.ts)),
            readable.map(|v| v.index),
        );
        attempts.push(Attempt {
            at_ms,
            ts,
            global_limit: global_limit.unwrap_or(get.hlc().l),
            observed: observed_pairs.clone(),
            uncertain: uncertain.map(|(index, _)| index),
        });
        match uncertain {
            Some((_, uncertain_ts)) => {
                ts = uncertain_ts;
                at_ms = at_ms.saturating_add(settings.restart_after_ms);
            }
            None => {
                result = readable;
                break;
            }
        }
    }
    let gave_up = attempts.last().is_some_and(|a| a.uncertain.is_some());
    let final_ts = attempts.last().map_or(ts, |a| a.ts);
    let stale = if gave_up {
        None
    } else {
        let seen = &of_key[..visible_count(of_key, start, reader)];
        seen.iter()
            .filter(|v| v.acked_ms < start && v.ts > final_ts)
            .max_by_key(|v| (v.ts, v.index))
            .map(|v| v.index)
    };
    Read {
        event: index,
        node: reader,
        key: key.to_string(),
        attempts,
        result,
        stale,
    }
}

/// How many of a key's versions (in trace order) an attempt at real time
/// `at_ms` on `reader` sees: those applied before it in trace order (real
/// time, then node index); a retry sits before any event of its own node at
/// its instant.
fn visible_count(of_key: &[Entry], at_ms: Time, reader: usize) -> usize {
    of_key.partition_point(|v| (v.written_ms, v.node) < (at_ms, reader))
}

fn name(scenario: &Scenario, node: usize) -> String {
    scenario
        .nodes
        .get(node)
        .map_or_else(|| format!("node {node}"), |n| isolate(&n.name))
}

impl Version {
    /// One sentence on where the version came from and when it was
    /// acknowledged.
    pub fn explain(&self, scenario: &Scenario, trace: &Trace) -> String {
        let applier = name(scenario, self.node);
        let what = format!("{} = {}", isolate(&self.key), isolate(&self.value));
        let coordinator = match trace.event(self.event).map(|e| e.source) {
            Some(EventRef::Recv(m)) => scenario.messages.get(m).map(|m| m.from),
            _ => None,
        };
        let mut text = match coordinator {
            Some(from) => format!(
                "{what} at {}: the coordinator {} sent the write at its timestamp; {applier} applied it at real {} ms",
                self.ts,
                name(scenario, from),
                self.written_ms
            ),
            None => format!(
                "{what} at {}: written by {applier} at real {} ms",
                self.ts, self.written_ms
            ),
        };
        if self.wait_ms == 0 {
            text.push_str(", acknowledged at once.");
        } else {
            let target = match scenario.settings.commit_wait {
                CommitWait::TrueTime { eps_ms } => format!("l + 2ε = {} + 2 × {eps_ms}", self.ts.l),
                _ => format!(
                    "l + max offset = {} + {}",
                    self.ts.l,
                    scenario.settings.max_offset_ms.unwrap_or(0)
                ),
            };
            text.push_str(&format!(
                ", acknowledged at real {} ms after a commit wait of {} ms (until {applier}'s clock read {target}).",
                self.acked_ms, self.wait_ms
            ));
        }
        text
    }
}

impl Read {
    /// Whether the read was still uncertain at its last allowed attempt.
    pub fn gave_up(&self) -> bool {
        self.attempts.len() == MAX_ATTEMPTS
            && self.attempts.last().is_some_and(|a| a.uncertain.is_some())
    }

    /// How many times the read restarted.
    pub fn restarts(&self) -> usize {
        self.attempts
            .iter()
            .filter(|a| a.uncertain.is_some())
            .count()
    }

    /// The words for the read's tooltip: each restart (in words close to
    /// CockroachDB's error), each restart an observed timestamp avoided, the
    /// result, and whether the read was stale.
    pub fn explain(&self, run: &KvRun, scenario: &Scenario) -> Vec<String> {
        let key = isolate(&self.key);
        let settings = &scenario.settings;
        let mut lines = Vec::new();
        for (k, attempt) in self.attempts.iter().enumerate() {
            let observed: Vec<Timestamp> = attempt.observed.iter().map(|&(_, t)| t).collect();
            let judge = Judge {
                ts: attempt.ts,
                global_limit: settings.max_offset_ms.map(|_| attempt.global_limit),
                local_limits: (k > 0 && !observed.is_empty()).then_some(observed.as_slice()),
            };
            if k > 0 {
                for v in run.versions.iter().filter(|v| {
                    v.key == self.key
                        && (v.written_ms, v.node) < (attempt.at_ms, self.node)
                        && judge.standing(v) == Standing::AfterObserved
                }) {
                    let node = name(scenario, v.node);
                    let seen = observed.get(v.node).copied().unwrap_or_default();
                    lines.push(format!(
                        "{node}'s version at {} is above {node}'s observed timestamp {seen}: written after the read began, so not uncertain",
                        v.ts
                    ));
                }
            }
            if let Some(v) = attempt.uncertain.and_then(|v| run.versions.get(v)) {
                let restart = match self.attempts.get(k + 1) {
                    Some(next) => format!("restarting at {} (real {} ms)", v.ts, next.at_ms),
                    None => format!("giving up after {MAX_ATTEMPTS} attempts"),
                };
                lines.push(format!(
                    "ReadWithinUncertaintyIntervalError: read at time {} encountered previous write with future timestamp {} within uncertainty interval `t <= (local={}, global={})`; {restart}",
                    attempt.ts,
                    v.ts,
                    judge.local_limit_text(v.node),
                    attempt.global_limit
                ));
            }
        }
        let final_ts = self
            .attempts
            .last()
            .map_or_else(Timestamp::default, |a| a.ts);
        let restarts = match self.restarts() {
            0 => String::new(),
            1 => " after 1 restart".to_string(),
            n => format!(" after {n} restarts"),
        };
        lines.push(match self.result.and_then(|v| run.versions.get(v)) {
            _ if self.gave_up() => format!("get {key} gave up{restarts}: no value"),
            Some(v) => format!(
                "get {key} at {final_ts}{restarts} → {key} = {}, written by {} at {}",
                isolate(&v.value),
                name(scenario, v.node),
                v.ts
            ),
            None => format!("get {key} at {final_ts}{restarts} → no value"),
        });
        if let Some(v) = self.stale.and_then(|v| run.versions.get(v)) {
            let start = self.attempts.first().map_or(0, |a| a.at_ms);
            let readings = scenario.nodes.iter().map(|n| n.physical_time(start));
            let spread = readings.clone().max().unwrap_or(0) - readings.min().unwrap_or(0);
            let why = match settings.max_offset_ms {
                None => format!(
                    "clocks were {spread} ms apart and there is no max offset, so the read has no uncertainty interval"
                ),
                Some(bound) if spread > bound => format!(
                    "clocks were {spread} ms apart, beyond max offset {bound} ms"
                ),
                Some(bound) => format!(
                    "clocks were {spread} ms apart at the read (max offset {bound} ms), but not at every moment before it"
                ),
            };
            lines.push(format!(
                "STALE: misses {key} = {} acknowledged at real {} ms; {why}",
                isolate(&v.value),
                v.acked_ms
            ));
        }
        lines
    }
}
