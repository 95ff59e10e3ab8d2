//! The persisted model: nodes, their clocks, local events, messages, settings.
//! Everything a person sees is a pure function of one [`Scenario`].
//!
//! Times are integer milliseconds of *real* time. A node's physical clock reads
//! `pt = real + skew + real * drift_ppm / 1e6 + (steps taken so far)`.

use hlc::{Policy, Time};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The only format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;
/// Most nodes in a scenario.
pub const MAX_NODES: usize = 64;
/// Most events in a scenario, counting a message as two (its send and receive).
pub const MAX_EVENTS: usize = 200_000;
/// Real times lie in `0..=MAX_TIME_MS` (about 31 years).
pub const MAX_TIME_MS: Time = 1_000_000_000_000;
/// A clock skew or a clock step lies in `-MAX_SKEW_MS..=MAX_SKEW_MS` (one day).
pub const MAX_SKEW_MS: Time = 86_400_000;
/// A drift lies in `-MAX_DRIFT_PPM..=MAX_DRIFT_PPM` (10 %).
pub const MAX_DRIFT_PPM: i64 = 100_000;
/// Most clock steps on one node.
pub const MAX_STEPS_PER_NODE: usize = 64;
/// Longest node name, in characters.
pub const MAX_NAME_CHARS: usize = 64;
/// Largest scenario JSON read (the command line and the page's upload and API
/// refuse larger text before parsing it).
pub const MAX_JSON_BYTES: usize = 64 * 1024 * 1024;
/// Largest max-offset bound.
pub const MAX_OFFSET_LIMIT_MS: Time = MAX_SKEW_MS;
/// Narrowest and widest counter.
pub const COUNTER_BITS_RANGE: std::ops::RangeInclusive<u8> = 1..=32;
/// Longest key of the database lens, in characters.
pub const MAX_KEY_CHARS: usize = 32;
/// Longest value of the database lens, in characters.
pub const MAX_VALUE_CHARS: usize = 64;
/// Shortest and longest wait before a restarted read tries again, ms.
pub const RESTART_AFTER_RANGE_MS: std::ops::RangeInclusive<Time> = 1..=10_000;
/// How long a restarted read waits by default: a round trip to the leaseholder.
pub const DEFAULT_RESTART_AFTER_MS: Time = 10;

/// A whole execution to replay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format version; absent means [`FORMAT_VERSION`].
    #[serde(default = "default_version")]
    pub version: u32,
    /// The nodes, referred to by index everywhere else.
    #[serde(deserialize_with = "bounded::nodes")]
    pub nodes: Vec<Node>,
    /// Local events.
    #[serde(default, deserialize_with = "bounded::events")]
    pub events: Vec<LocalEvent>,
    /// Messages, each a send and a receive.
    #[serde(default, deserialize_with = "bounded::messages")]
    pub messages: Vec<Message>,
    /// Clock policies.
    #[serde(default)]
    pub settings: Settings,
}

fn default_version() -> u32 {
    FORMAT_VERSION
}

/// One node and its physical clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    /// Shown on the diagram (text only, never markup).
    #[serde(deserialize_with = "bounded::name")]
    pub name: String,
    /// How far the node's clock is ahead of real time (negative: behind), ms.
    #[serde(default)]
    pub skew_ms: Time,
    /// How fast the clock runs, in parts per million (positive: fast).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub drift_ppm: i64,
    /// Steps of the clock (NTP stepping it), in any order.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "bounded::steps"
    )]
    pub steps: Vec<ClockStep>,
}

fn is_zero(x: &i64) -> bool {
    *x == 0
}

/// At real time `at_ms` the node's clock jumps by `by_ms` (negative: back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockStep {
    /// Real time of the step; events at or after it see the stepped clock.
    pub at_ms: Time,
    /// Size of the step.
    pub by_ms: Time,
}

/// A local event on a node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalEvent {
    /// Node index.
    pub node: usize,
    /// Real time.
    pub at_ms: Time,
    /// A database operation the event performs (the database lens), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kv: Option<KvOp>,
}

impl LocalEvent {
    /// A plain local event (no database operation).
    pub fn at(node: usize, at_ms: Time) -> LocalEvent {
        LocalEvent {
            node,
            at_ms,
            kv: None,
        }
    }
}

/// A message from one node to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    /// Sending node index.
    pub from: usize,
    /// Real time of the send.
    pub sent_at_ms: Time,
    /// Receiving node index.
    pub to: usize,
    /// Real time of the receive; strictly after the send.
    pub received_at_ms: Time,
    /// A write the sender (the coordinator) asks the receiver (a replica) to
    /// apply, at the send's timestamp. A message carries writes only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub put: Option<Put>,
}

impl Message {
    /// A plain message (no write).
    pub fn between(from: usize, sent_at_ms: Time, to: usize, received_at_ms: Time) -> Message {
        Message {
            from,
            sent_at_ms,
            to,
            received_at_ms,
            put: None,
        }
    }
}

/// A database operation on a local event (JSON `{"put": {"key": "x", "value":
/// "1"}}` or `{"get": {"key": "x"}}`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum KvOp {
    /// Write `value` under `key`, at the event's timestamp.
    Put {
        /// The key (1 to [`MAX_KEY_CHARS`] characters).
        #[serde(deserialize_with = "bounded::key")]
        key: String,
        /// The value (0 to [`MAX_VALUE_CHARS`] characters).
        #[serde(deserialize_with = "bounded::value")]
        value: String,
    },
    /// Read `key` at the event's timestamp.
    Get {
        /// The key (1 to [`MAX_KEY_CHARS`] characters).
        #[serde(deserialize_with = "bounded::key")]
        key: String,
    },
}

impl KvOp {
    /// The key the operation is about.
    pub fn key(&self) -> &str {
        match self {
            KvOp::Put { key, .. } | KvOp::Get { key } => key,
        }
    }
}

impl fmt::Display for KvOp {
    /// `put x=1` or `get x`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KvOp::Put { key, value } => write!(f, "put {key}={value}"),
            KvOp::Get { key } => write!(f, "get {key}"),
        }
    }
}

/// A write carried by a message.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Put {
    /// The key (1 to [`MAX_KEY_CHARS`] characters).
    #[serde(deserialize_with = "bounded::key")]
    pub key: String,
    /// The value (0 to [`MAX_VALUE_CHARS`] characters).
    #[serde(deserialize_with = "bounded::value")]
    pub value: String,
}

/// When a write is acknowledged, relative to when it is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum CommitWait {
    /// Acknowledged as soon as it is applied.
    #[default]
    Off,
    /// CockroachDB's linearizable mode: acknowledged once the applying node's
    /// clock reads at least the write's `l + max_offset_ms` (no wait without a
    /// max offset).
    MaxOffset,
    /// Spanner's commit wait with a TrueTime error bound of `eps_ms`:
    /// acknowledged once the clock reads at least `l + 2 eps_ms`.
    TrueTime {
        /// The clock uncertainty ε, ms.
        eps_ms: Time,
    },
}

/// Clock policies for the whole scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Reject a receive whose `l_m - pt` exceeds this many ms; `null`: no bound.
    #[serde(default)]
    pub max_offset_ms: Option<Time>,
    /// Width of the HLC counter in bits (1 to 32); overflow carries into `l`.
    #[serde(default = "default_counter_bits")]
    pub counter_bits: u8,
    /// The database lens: how long a write waits before it is acknowledged.
    #[serde(default, skip_serializing_if = "is_default")]
    pub commit_wait: CommitWait,
    /// The database lens: whether a restarted read uses the clock readings it
    /// observed at its start to rule out writes made after it began.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub observed_timestamps: bool,
    /// The database lens: how long after an attempt a restarted read tries
    /// again (the round trip to the leaseholder), ms.
    #[serde(
        default = "default_restart_after_ms",
        skip_serializing_if = "is_default_restart_after"
    )]
    pub restart_after_ms: Time,
    /// Clock health: a node stops itself when its clock is too far from its
    /// peers' (see [`StopRule`]); absent: nodes never stop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_on_skew: Option<StopRule>,
}

/// When a node shuts itself down because its physical clock is too far from
/// its peers'.
///
/// At each of its events a live node compares its physical clock with the
/// physical clock of every peer at that real time. The simulation knows every
/// clock exactly; a real system measures the offsets by RPC (CockroachDB's
/// `RemoteClockMonitor` from heartbeats), with an uncertainty this model leaves
/// out. Peers are the other nodes that had not stopped before that real time:
/// a stopped node stops answering heartbeats, and CockroachDB forgets its offset
/// (`OnDisconnect`, or the measurement going stale), so one bad clock does not
/// take its healthy peers down with it. A node with no live peers never stops.
///
/// ```
/// use hlcviz::scenario::StopRule;
/// let majority = StopRule { threshold_ms: 400, majority: true };
/// // CockroachDB keeps running only while more than half its peers are within
/// // the threshold: with 2 peers one far peer is enough, with 3 it takes 2.
/// assert_eq!(majority.far_peers_to_stop(2), Some(1));
/// assert_eq!(majority.far_peers_to_stop(3), Some(2));
/// let any = StopRule { majority: false, ..majority };
/// assert_eq!(any.far_peers_to_stop(3), Some(1));
/// assert_eq!(any.far_peers_to_stop(0), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StopRule {
    /// A peer is far when the two physical clocks differ by more than this
    /// many ms (1 to [`MAX_OFFSET_LIMIT_MS`]).
    pub threshold_ms: Time,
    /// `true`: stop unless a majority of the peers are within the threshold,
    /// i.e. when at least half of them are far (CockroachDB:
    /// `healthyOffsetCount <= numClocks/2`). `false`: stop when any peer is far.
    pub majority: bool,
}

impl StopRule {
    /// How many far peers make a node with `peers` live peers stop; `None`
    /// when it has no peers (nothing to compare with, so it never stops).
    pub fn far_peers_to_stop(&self, peers: usize) -> Option<usize> {
        match (peers, self.majority) {
            (0, _) => None,
            // healthy <= peers / 2  <=>  far >= peers - peers / 2
            (_, true) => Some(peers - peers / 2),
            (_, false) => Some(1),
        }
    }
}

fn default_counter_bits() -> u8 {
    hlc::DEFAULT_COUNTER_BITS
}

fn yes() -> bool {
    true
}

// Settings left at their defaults are not written, so a scenario without the
// database lens saves exactly as it did before the lens existed.
fn is_default<T: Default + PartialEq>(x: &T) -> bool {
    *x == T::default()
}

fn is_true(x: &bool) -> bool {
    *x
}

fn default_restart_after_ms() -> Time {
    DEFAULT_RESTART_AFTER_MS
}

fn is_default_restart_after(x: &Time) -> bool {
    *x == DEFAULT_RESTART_AFTER_MS
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_offset_ms: None,
            counter_bits: hlc::DEFAULT_COUNTER_BITS,
            stop_on_skew: None,
            commit_wait: CommitWait::Off,
            observed_timestamps: true,
            restart_after_ms: DEFAULT_RESTART_AFTER_MS,
        }
    }
}

impl Settings {
    /// The clock policy these settings ask for.
    pub fn policy(&self) -> Policy {
        Policy {
            max_offset: self.max_offset_ms,
            counter_bits: self.counter_bits,
        }
    }

    /// Whether a database-lens setting differs from its default.
    pub fn has_kv_settings(&self) -> bool {
        let default = Settings::default();
        self.commit_wait != default.commit_wait
            || self.observed_timestamps != default.observed_timestamps
            || self.restart_after_ms != default.restart_after_ms
    }
}

/// Where an event sits on its node's line, as the scenario names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "index", rename_all = "snake_case")]
pub enum EventRef {
    /// `events[i]`.
    Local(usize),
    /// The send of `messages[i]`.
    Send(usize),
    /// The receive of `messages[i]`.
    Recv(usize),
}

impl fmt::Display for EventRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventRef::Local(i) => write!(f, "event {i}"),
            EventRef::Send(i) => write!(f, "send of message {i}"),
            EventRef::Recv(i) => write!(f, "receive of message {i}"),
        }
    }
}

/// A scenario that cannot be replayed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScenarioError {
    /// The version is not one this build reads.
    UnsupportedVersion(u32),
    /// No nodes at all.
    NoNodes,
    /// More nodes than [`MAX_NODES`].
    TooManyNodes(usize),
    /// More events than [`MAX_EVENTS`].
    TooManyEvents(usize),
    /// A node name is empty, too long or has control characters.
    BadName {
        /// Node index.
        node: usize,
        /// What is wrong.
        reason: String,
    },
    /// A number outside its range.
    OutOfRange {
        /// Which field.
        field: String,
        /// Its value.
        value: i128,
        /// Smallest allowed.
        min: i128,
        /// Largest allowed.
        max: i128,
    },
    /// An event or message names a node that does not exist.
    UnknownNode {
        /// Which event.
        event: EventRef,
        /// The index it named.
        node: usize,
        /// How many nodes there are.
        nodes: usize,
    },
    /// A message from a node to itself.
    MessageToSelf {
        /// Message index.
        message: usize,
    },
    /// A message received at or before the time it was sent.
    ReceivedBeforeSent {
        /// Message index.
        message: usize,
        /// Send time.
        sent_at_ms: Time,
        /// Receive time.
        received_at_ms: Time,
    },
    /// A database key or value is empty (a key), too long or has control
    /// characters.
    BadKv {
        /// The event that carries it (a message's put is named by its send).
        event: EventRef,
        /// `"key"` or `"value"`.
        part: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// Two events of one node at the same real instant.
    SameInstant {
        /// Node index.
        node: usize,
        /// The instant.
        at_ms: Time,
        /// The two events.
        first: EventRef,
        /// The two events.
        second: EventRef,
    },
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::UnsupportedVersion(v) => write!(
                f,
                "format version {v} is not supported (this build reads version {FORMAT_VERSION})"
            ),
            ScenarioError::NoNodes => write!(f, "the scenario has no nodes"),
            ScenarioError::TooManyNodes(n) => {
                write!(f, "{n} nodes is more than the limit of {MAX_NODES}")
            }
            ScenarioError::TooManyEvents(n) => write!(
                f,
                "{n} events (a message counts as two) is more than the limit of {MAX_EVENTS}"
            ),
            ScenarioError::BadName { node, reason } => write!(f, "node {node}: name {reason}"),
            ScenarioError::OutOfRange {
                field,
                value,
                min,
                max,
            } => write!(f, "{field} = {value} is out of range ({min} to {max})"),
            ScenarioError::UnknownNode { event, node, nodes } => write!(
                f,
                "{event} names node {node}, but there are only {nodes} nodes (0 to {})",
                nodes.saturating_sub(1)
            ),
            ScenarioError::MessageToSelf { message } => {
                write!(f, "message {message} is sent from a node to itself")
            }
            ScenarioError::ReceivedBeforeSent {
                message,
                sent_at_ms,
                received_at_ms,
            } => write!(
                f,
                "message {message} is received at {received_at_ms} ms, not after it is sent at {sent_at_ms} ms"
            ),
            ScenarioError::BadKv {
                event,
                part,
                reason,
            } => match event {
                EventRef::Local(i) => write!(f, "{part} of event {i} {reason}"),
                EventRef::Send(i) | EventRef::Recv(i) => {
                    write!(f, "{part} of the put of message {i} {reason}")
                }
            },
            ScenarioError::SameInstant {
                node,
                at_ms,
                first,
                second,
            } => write!(
                f,
                "node {node} has two events at the same instant {at_ms} ms: {first} and {second}"
            ),
        }
    }
}

impl std::error::Error for ScenarioError {}

fn check_range(
    field: impl FnOnce() -> String,
    value: i64,
    min: i64,
    max: i64,
) -> Result<(), ScenarioError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(ScenarioError::OutOfRange {
            field: field(),
            value: value.into(),
            min: min.into(),
            max: max.into(),
        })
    }
}

impl Node {
    /// A node with no skew, drift or steps.
    pub fn named(name: impl Into<String>) -> Node {
        Node {
            name: name.into(),
            skew_ms: 0,
            drift_ppm: 0,
            steps: Vec::new(),
        }
    }

    /// The node's physical clock at real time `real_ms`.
    ///
    /// Exact integer arithmetic (drift rounds toward negative infinity), so it
    /// never overflows for values inside the scenario's ranges and is monotone
    /// in `real_ms` between steps.
    pub fn physical_time(&self, real_ms: Time) -> Time {
        // Validated values fit i64 (|real * drift| <= 10^17); i128 arithmetic,
        // which wasm emulates slowly, is only the fallback for wild input.
        let fast = (|| {
            let drift = real_ms.checked_mul(self.drift_ppm)?.div_euclid(1_000_000);
            let mut pt = real_ms.checked_add(self.skew_ms)?.checked_add(drift)?;
            for step in self.steps.iter().filter(|s| s.at_ms <= real_ms) {
                pt = pt.checked_add(step.by_ms)?;
            }
            (Time::MIN / 2..=Time::MAX / 2).contains(&pt).then_some(pt)
        })();
        if let Some(pt) = fast {
            return pt;
        }
        let drift = (i128::from(real_ms) * i128::from(self.drift_ppm)).div_euclid(1_000_000);
        let stepped: i128 = self
            .steps
            .iter()
            .filter(|s| s.at_ms <= real_ms)
            .map(|s| i128::from(s.by_ms))
            .sum();
        let pt = i128::from(real_ms) + i128::from(self.skew_ms) + drift + stepped;
        // Inside the validated ranges |pt| < 2^42; clamp so even unvalidated input
        // cannot wrap.
        pt.clamp(i128::from(Time::MIN / 2), i128::from(Time::MAX / 2)) as Time
    }

    /// The first real time at or after `from_ms` at which the node's clock
    /// reads at least `reading`; [`LATEST_CLOCK_SEARCH_MS`] if it never does
    /// before then.
    ///
    /// Between two steps the clock never runs backwards (drift is at most
    /// 10 % slow), so each stretch between steps is binary-searched; a backward
    /// step can take the clock below `reading` again, which is why the stretches
    /// are searched in order rather than the whole range at once.
    ///
    /// ```
    /// use hlcviz::scenario::{ClockStep, Node};
    /// let mut node = Node::named("A");
    /// node.skew_ms = 100;
    /// assert_eq!(node.first_real_time_reading(0, 350), 250);
    /// assert_eq!(node.first_real_time_reading(300, 350), 300, "already past it");
    /// node.steps.push(ClockStep { at_ms: 260, by_ms: -50 });
    /// assert_eq!(node.first_real_time_reading(255, 350), 255);
    /// assert_eq!(node.first_real_time_reading(260, 350), 300, "stepped back below it");
    /// ```
    pub fn first_real_time_reading(&self, from_ms: Time, reading: Time) -> Time {
        let mut starts: Vec<Time> = std::iter::once(from_ms)
            .chain(
                self.steps
                    .iter()
                    .map(|s| s.at_ms)
                    .filter(|&at| at > from_ms && at <= LATEST_CLOCK_SEARCH_MS),
            )
            .collect();
        starts.sort_unstable();
        starts.dedup();
        for (k, &start) in starts.iter().enumerate() {
            let end = starts
                .get(k + 1)
                .map_or(LATEST_CLOCK_SEARCH_MS, |next| next - 1);
            if start > end || self.physical_time(end) < reading {
                continue;
            }
            let (mut lo, mut hi) = (start, end);
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                if self.physical_time(mid) >= reading {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }
        LATEST_CLOCK_SEARCH_MS.max(from_ms)
    }
}

/// How far [`Node::first_real_time_reading`] looks: twice the latest real time
/// a scenario may use, past every reading a valid clock can be asked for.
pub const LATEST_CLOCK_SEARCH_MS: Time = MAX_TIME_MS * 2;

impl Scenario {
    /// An empty scenario over the given nodes.
    pub fn with_nodes(names: &[&str]) -> Scenario {
        Scenario {
            version: FORMAT_VERSION,
            nodes: names.iter().map(|n| Node::named(*n)).collect(),
            events: Vec::new(),
            messages: Vec::new(),
            settings: Settings::default(),
        }
    }

    /// Parses and validates JSON in the documented format. Text over
    /// [`MAX_JSON_BYTES`] is refused unread, and arrays longer than their caps
    /// are refused while parsing, before they are allocated.
    pub fn from_json(text: &str) -> Result<Scenario, LoadError> {
        if text.len() > MAX_JSON_BYTES {
            return Err(LoadError::TooLarge(text.len()));
        }
        let scenario: Scenario = serde_json::from_str(text).map_err(LoadError::Json)?;
        scenario.validate().map_err(LoadError::Invalid)?;
        Ok(scenario)
    }

    /// Pretty JSON in the documented format.
    pub fn to_json(&self) -> String {
        // Serializing plain structs of strings and integers cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// How many events the scenario has, a message counting as two.
    pub fn event_count(&self) -> usize {
        self.events
            .len()
            .saturating_add(self.messages.len().saturating_mul(2))
    }

    /// The node and real time of an event, if the reference exists.
    pub fn locate(&self, event: EventRef) -> Option<(usize, Time)> {
        match event {
            EventRef::Local(i) => self.events.get(i).map(|e| (e.node, e.at_ms)),
            EventRef::Send(i) => self.messages.get(i).map(|m| (m.from, m.sent_at_ms)),
            EventRef::Recv(i) => self.messages.get(i).map(|m| (m.to, m.received_at_ms)),
        }
    }

    /// Every event reference with its node and real time, in scenario order.
    pub fn all_events(&self) -> impl Iterator<Item = (EventRef, usize, Time)> + '_ {
        let locals = self
            .events
            .iter()
            .enumerate()
            .map(|(i, e)| (EventRef::Local(i), e.node, e.at_ms));
        let messages = self.messages.iter().enumerate().flat_map(|(i, m)| {
            [
                (EventRef::Send(i), m.from, m.sent_at_ms),
                (EventRef::Recv(i), m.to, m.received_at_ms),
            ]
        });
        locals.chain(messages)
    }

    /// Checks every rule of the format; the first problem found is returned.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        self.validate_in_order().map(drop)
    }

    /// [`Scenario::validate`], returning on success every event as an
    /// [`EventKey`] in replay order (real time, then node, then event), which
    /// the replay then need not sort again.
    pub(crate) fn validate_in_order(&self) -> Result<Vec<EventKey>, ScenarioError> {
        if self.version != FORMAT_VERSION {
            return Err(ScenarioError::UnsupportedVersion(self.version));
        }
        if self.nodes.is_empty() {
            return Err(ScenarioError::NoNodes);
        }
        if self.nodes.len() > MAX_NODES {
            return Err(ScenarioError::TooManyNodes(self.nodes.len()));
        }
        if self.event_count() > MAX_EVENTS {
            return Err(ScenarioError::TooManyEvents(self.event_count()));
        }
        for (i, node) in self.nodes.iter().enumerate() {
            validate_name(i, &node.name)?;
            check_range(
                || format!("node {i} skew_ms"),
                node.skew_ms,
                -MAX_SKEW_MS,
                MAX_SKEW_MS,
            )?;
            check_range(
                || format!("node {i} drift_ppm"),
                node.drift_ppm,
                -MAX_DRIFT_PPM,
                MAX_DRIFT_PPM,
            )?;
            if node.steps.len() > MAX_STEPS_PER_NODE {
                return Err(ScenarioError::OutOfRange {
                    field: format!("node {i} number of steps"),
                    value: node.steps.len() as i128,
                    min: 0,
                    max: MAX_STEPS_PER_NODE as i128,
                });
            }
            for (k, step) in node.steps.iter().enumerate() {
                check_range(
                    || format!("node {i} step {k} at_ms"),
                    step.at_ms,
                    0,
                    MAX_TIME_MS,
                )?;
                check_range(
                    || format!("node {i} step {k} by_ms"),
                    step.by_ms,
                    -MAX_SKEW_MS,
                    MAX_SKEW_MS,
                )?;
            }
        }
        if let Some(bound) = self.settings.max_offset_ms {
            check_range(
                || "settings max_offset_ms".to_string(),
                bound,
                0,
                MAX_OFFSET_LIMIT_MS,
            )?;
        }
        if let Some(rule) = self.settings.stop_on_skew {
            check_range(
                || "settings stop_on_skew threshold_ms".to_string(),
                rule.threshold_ms,
                1,
                MAX_OFFSET_LIMIT_MS,
            )?;
        }
        if let CommitWait::TrueTime { eps_ms } = self.settings.commit_wait {
            check_range(
                || "settings commit_wait true_time eps_ms".to_string(),
                eps_ms,
                0,
                MAX_OFFSET_LIMIT_MS,
            )?;
        }
        check_range(
            || "settings restart_after_ms".to_string(),
            self.settings.restart_after_ms,
            *RESTART_AFTER_RANGE_MS.start(),
            *RESTART_AFTER_RANGE_MS.end(),
        )?;
        if !COUNTER_BITS_RANGE.contains(&self.settings.counter_bits) {
            return Err(ScenarioError::OutOfRange {
                field: "settings counter_bits".to_string(),
                value: self.settings.counter_bits.into(),
                min: (*COUNTER_BITS_RANGE.start()).into(),
                max: (*COUNTER_BITS_RANGE.end()).into(),
            });
        }
        let nodes = self.nodes.len();
        for (event, node, at_ms) in self.all_events() {
            if node >= nodes {
                return Err(ScenarioError::UnknownNode { event, node, nodes });
            }
            check_range(|| format!("{event} time"), at_ms, 0, MAX_TIME_MS)?;
        }
        for (i, m) in self.messages.iter().enumerate() {
            if m.from == m.to {
                return Err(ScenarioError::MessageToSelf { message: i });
            }
            if m.received_at_ms <= m.sent_at_ms {
                return Err(ScenarioError::ReceivedBeforeSent {
                    message: i,
                    sent_at_ms: m.sent_at_ms,
                    received_at_ms: m.received_at_ms,
                });
            }
        }
        for (i, e) in self.events.iter().enumerate() {
            if let Some(op) = &e.kv {
                validate_kv_text(EventRef::Local(i), "key", op.key())?;
                if let KvOp::Put { value, .. } = op {
                    validate_kv_text(EventRef::Local(i), "value", value)?;
                }
            }
        }
        for (i, m) in self.messages.iter().enumerate() {
            if let Some(put) = &m.put {
                validate_kv_text(EventRef::Send(i), "key", &put.key)?;
                validate_kv_text(EventRef::Send(i), "value", &put.value)?;
            }
        }
        // Every time, node and count is now within its limit, so every event
        // has a key; two events of one node at one instant sort next to each
        // other.
        let order = self.ordered_keys().unwrap_or_default();
        for pair in order.windows(2) {
            let (a, b) = (self.unpack(pair[0]), self.unpack(pair[1]));
            if a.0 == b.0 && a.1 == b.1 {
                return Err(ScenarioError::SameInstant {
                    node: a.1,
                    at_ms: a.0,
                    first: a.2,
                    second: b.2,
                });
            }
        }
        Ok(order)
    }

    /// Every event as an [`EventKey`], sorted: replay order. `None` when a
    /// time, a node or the number of events is outside what a key holds
    /// (only an invalid scenario's can be).
    pub(crate) fn ordered_keys(&self) -> Option<Vec<EventKey>> {
        let (locals, messages) = (self.events.len(), self.messages.len());
        if self.nodes.len() > 1 << KEY_NODE_BITS || self.event_count() > 1 << KEY_RANK_BITS {
            return None;
        }
        let mut keys = Vec::with_capacity(self.event_count());
        for (event, node, at_ms) in self.all_events() {
            // The event's place in `EventRef` order: locals, sends, receives.
            let rank = match event {
                EventRef::Local(i) => i,
                EventRef::Send(i) => locals + i,
                EventRef::Recv(i) => locals + messages + i,
            };
            let time = u64::try_from(at_ms)
                .ok()
                .filter(|&t| t < 1 << KEY_TIME_BITS)?;
            if node >= self.nodes.len() {
                return None;
            }
            keys.push(
                time << (KEY_NODE_BITS + KEY_RANK_BITS)
                    | (node as u64) << KEY_RANK_BITS
                    | rank as u64,
            );
        }
        keys.sort_unstable();
        Some(keys)
    }

    /// The real time, node and event an [`EventKey`] of this scenario stands for.
    pub(crate) fn unpack(&self, key: EventKey) -> (Time, usize, EventRef) {
        let (locals, messages) = (self.events.len(), self.messages.len());
        let rank = (key & ((1 << KEY_RANK_BITS) - 1)) as usize;
        let node = ((key >> KEY_RANK_BITS) & ((1 << KEY_NODE_BITS) - 1)) as usize;
        let time = (key >> (KEY_NODE_BITS + KEY_RANK_BITS)) as Time;
        let event = if rank < locals {
            EventRef::Local(rank)
        } else if rank < locals + messages {
            EventRef::Send(rank - locals)
        } else {
            EventRef::Recv(rank - locals - messages)
        };
        (time, node, event)
    }
}

/// One event of a scenario packed in a `u64` whose order is that of
/// `(real time, node, event)`: the time in the top [`KEY_TIME_BITS`], the
/// node in the next [`KEY_NODE_BITS`], the event's rank in `EventRef` order
/// in the rest. Sorting these is several times faster than sorting the
/// tuples (at 100,000 events, the largest part of a replay).
pub(crate) type EventKey = u64;
const KEY_TIME_BITS: u32 = 40;
const KEY_NODE_BITS: u32 = 6;
const KEY_RANK_BITS: u32 = 18;
const _: () = assert!(
    KEY_TIME_BITS + KEY_NODE_BITS + KEY_RANK_BITS == 64
        && MAX_TIME_MS < 1 << KEY_TIME_BITS
        && MAX_NODES <= 1 << KEY_NODE_BITS
        && MAX_EVENTS <= 1 << KEY_RANK_BITS
);

/// What is wrong with a text the page shows (a node name, a key, a value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextProblem {
    /// Nothing but blanks, where something is needed.
    Empty,
    /// Longer than this many characters.
    TooLong(usize),
    /// A control character (the text is shown on one line, as text).
    Control,
}

impl fmt::Display for TextProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextProblem::Empty => write!(f, "is empty"),
            TextProblem::TooLong(max) => write!(f, "is longer than {max} characters"),
            TextProblem::Control => write!(f, "contains control characters"),
        }
    }
}

/// The first problem of `text` as a name, key or value of at most `max`
/// characters (blank allowed only when `may_be_blank`), if it has one.
///
/// ```
/// use hlcviz::scenario::{text_problem, TextProblem};
/// assert_eq!(text_problem("  ", 8, false), Some(TextProblem::Empty));
/// assert_eq!(text_problem("", 8, true), None);
/// assert_eq!(text_problem("123456789", 8, true), Some(TextProblem::TooLong(8)));
/// assert_eq!(text_problem("a\nb", 8, false), Some(TextProblem::Control));
/// ```
pub fn text_problem(text: &str, max: usize, may_be_blank: bool) -> Option<TextProblem> {
    if !may_be_blank && text.trim().is_empty() {
        Some(TextProblem::Empty)
    } else if text.chars().count() > max {
        Some(TextProblem::TooLong(max))
    } else if text.chars().any(char::is_control) {
        Some(TextProblem::Control)
    } else {
        None
    }
}

fn validate_name(node: usize, name: &str) -> Result<(), ScenarioError> {
    match text_problem(name, MAX_NAME_CHARS, false) {
        Some(problem) => Err(ScenarioError::BadName {
            node,
            reason: problem.to_string(),
        }),
        None => Ok(()),
    }
}

/// Keys are 1 to [`MAX_KEY_CHARS`] characters, values 0 to [`MAX_VALUE_CHARS`];
/// neither may hold control characters (they are shown as text on the page and
/// in a one-line table).
fn validate_kv_text(event: EventRef, part: &'static str, text: &str) -> Result<(), ScenarioError> {
    let (max, may_be_blank) = if part == "key" {
        (MAX_KEY_CHARS, false)
    } else {
        (MAX_VALUE_CHARS, true)
    };
    match text_problem(text, max, may_be_blank) {
        Some(problem) => Err(ScenarioError::BadKv {
            event,
            part,
            reason: problem.to_string(),
        }),
        None => Ok(()),
    }
}

/// Why a scenario file could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// Not JSON of the expected shape.
    Json(serde_json::Error),
    /// Well-formed but breaks a rule.
    Invalid(ScenarioError),
    /// Longer than [`MAX_JSON_BYTES`].
    TooLarge(usize),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Json(e) => write!(f, "not a valid scenario file: {e}"),
            LoadError::Invalid(e) => write!(f, "invalid scenario: {e}"),
            LoadError::TooLarge(n) => write!(
                f,
                "the scenario is too large ({n} bytes; at most {MAX_JSON_BYTES} are read)"
            ),
        }
    }
}

impl std::error::Error for LoadError {}

/// Deserializers that refuse an array longer than its cap, or a name longer
/// than its limit, while parsing: a file claiming a billion nodes fails at the
/// first one past the cap instead of allocating them all.
pub(crate) mod bounded {
    use super::{
        ClockStep, LocalEvent, Message, Node, MAX_EVENTS, MAX_KEY_CHARS, MAX_NAME_CHARS, MAX_NODES,
        MAX_STEPS_PER_NODE, MAX_VALUE_CHARS,
    };
    use serde::de::{Deserialize, Deserializer, Error, SeqAccess, Visitor};
    use std::fmt;
    use std::marker::PhantomData;

    struct Bounded<T> {
        cap: usize,
        what: &'static str,
        item: PhantomData<T>,
    }

    impl<'de, T: Deserialize<'de>> Visitor<'de> for Bounded<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "an array of at most {} {}", self.cap, self.what)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut items =
                Vec::with_capacity(seq.size_hint().unwrap_or(0).min(self.cap).min(4096));
            while let Some(item) = seq.next_element()? {
                if items.len() == self.cap {
                    return Err(A::Error::custom(format_args!(
                        "more than {} {} (the limit)",
                        self.cap, self.what
                    )));
                }
                items.push(item);
            }
            Ok(items)
        }
    }

    pub(crate) fn bounded<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
        cap: usize,
        what: &'static str,
    ) -> Result<Vec<T>, D::Error> {
        d.deserialize_seq(Bounded {
            cap,
            what,
            item: PhantomData,
        })
    }

    pub fn nodes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Node>, D::Error> {
        bounded(d, MAX_NODES, "nodes")
    }

    pub fn events<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<LocalEvent>, D::Error> {
        bounded(d, MAX_EVENTS, "events")
    }

    pub fn messages<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Message>, D::Error> {
        bounded(d, MAX_EVENTS / 2, "messages")
    }

    pub fn steps<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<ClockStep>, D::Error> {
        bounded(d, MAX_STEPS_PER_NODE, "clock steps on one node")
    }

    /// A string of at most `max` characters, refused before it is copied;
    /// `validate` gives the precise message for anything shorter.
    struct ShortText {
        max: usize,
        what: &'static str,
    }

    impl Visitor<'_> for ShortText {
        type Value = String;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "a {} of at most {} characters", self.what, self.max)
        }

        fn visit_str<E: Error>(self, text: &str) -> Result<String, E> {
            if text.chars().nth(self.max).is_some() {
                return Err(E::custom(format_args!(
                    "a {} is longer than {} characters",
                    self.what, self.max
                )));
            }
            Ok(text.to_string())
        }
    }

    fn short_text<'de, D: Deserializer<'de>>(
        d: D,
        max: usize,
        what: &'static str,
    ) -> Result<String, D::Error> {
        d.deserialize_str(ShortText { max, what })
    }

    pub fn name<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        short_text(d, MAX_NAME_CHARS, "node name")
    }

    pub fn key<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        short_text(d, MAX_KEY_CHARS, "key")
    }

    pub fn value<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        short_text(d, MAX_VALUE_CHARS, "value")
    }
}
