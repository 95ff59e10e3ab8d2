//! The permalink: a whole scenario (and the snapshot, if one is taken) in the
//! URL fragment, e.g. `#v1.AQMBAUEA...`.
//!
//! The fragment is `v<version>.<payload>`: the version tag comes first so a link
//! made by an older build keeps opening after the format changes, and a link
//! from a newer build is recognised as such. Version 1's payload is base64url
//! (no padding) of the body's length (a varint) and a check byte for it (the low
//! byte of the length's FNV-1a), a compact binary body, and a 32-bit FNV-1a
//! checksum of all that: a link shorter than its stated (and checked) length was
//! cut short, one whose checksums fail was garbled, and neither silently opens a
//! different scenario. The body (unsigned integers as LEB128
//! varints, signed ones zigzag-encoded first):
//!
//! ```text
//! flags                      bit 0: max offset present, bit 1: snapshot present,
//!                            bit 2: database-lens section present,
//!                            bit 3: stop rule present
//! counter_bits
//! [max_offset_ms]            if bit 0
//! node count, then per node: name length (bytes), name (UTF-8), skew_ms (signed),
//!                            drift_ppm (signed), step count, steps (at_ms, by_ms signed)
//! event count, then per event: node, at_ms minus the previous event's (signed)
//! message count, then per message: from, to, sent_at_ms minus the previous
//!                            message's (signed), received_at_ms - sent_at_ms - 1
//! [snapshot l (signed), c]   if bit 1
//! [database lens]            if bit 2:
//!   commit wait              0 off, 1 max_offset, 2 true_time followed by eps_ms (signed)
//!   observed_timestamps      0 or 1
//!   restart_after_ms         (signed)
//!   op count, then per local event with an op, in event order: index gap
//!                            (index minus the previous one's minus 1; the
//!                            first counts from -1), kind (0 put, 1 get), key
//!                            length (bytes), key (UTF-8), and for a put the
//!                            value length and value
//!   put count, then per message with a put, in message order: index gap,
//!                            key length, key, value length, value
//! [stop rule]                if bit 3: threshold_ms (signed), majority (0 or 1)
//! ```
//!
//! A link without the database lens has flag bit 2 clear and ends where it
//! always did, so links made before the lens existed decode unchanged.
//!
//! Decoding never trusts a count: it is checked against the caps of
//! [`crate::scenario`] and against the bytes left before anything is allocated,
//! the fragment's length is capped before it is decoded, and the result is
//! validated like any scenario.

use crate::scenario::{
    ClockStep, CommitWait, KvOp, LocalEvent, Message, Node, Put, Scenario, ScenarioError, Settings,
    StopRule, FORMAT_VERSION, MAX_EVENTS, MAX_KEY_CHARS, MAX_NODES, MAX_STEPS_PER_NODE,
    MAX_VALUE_CHARS,
};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hlc::Timestamp;
use std::fmt;

/// The newest permalink version this build writes and reads: 2 is version
/// 1's body compressed (raw deflate), written whenever that is shorter.
pub const LINK_VERSION: u32 = 2;
/// The most a version 2 link's body may inflate to: a decompression bomb is
/// refused before it is allocated (a scenario at every cap is far smaller).
pub const MAX_INFLATED_BYTES: usize = 16 * 1024 * 1024;
/// How hard the encoder compresses (miniz's scale, 0 to 10): links are
/// written once and read many times, so the slowest, smallest.
const DEFLATE_LEVEL: u8 = 10;
/// The longest fragment decoded (characters after `#`); longer ones are refused
/// before any decoding work.
pub const MAX_FRAGMENT_CHARS: usize = 2 * 1024 * 1024;
/// Longest node name in bytes (64 characters of up to 4 bytes).
const MAX_NAME_BYTES: u64 = 256;
/// Longest key in bytes.
const MAX_KEY_BYTES: u64 = MAX_KEY_CHARS as u64 * 4;
/// Longest value in bytes.
const MAX_VALUE_BYTES: u64 = MAX_VALUE_CHARS as u64 * 4;
/// Flag bits: max offset, snapshot, database lens.
const FLAG_MAX_OFFSET: u64 = 1;
const FLAG_SNAPSHOT: u64 = 2;
const FLAG_KV: u64 = 4;
const FLAG_STOP: u64 = 8;

/// What a link carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shared {
    /// The scenario.
    pub scenario: Scenario,
    /// The snapshot's HLC time, if one was taken.
    pub snapshot: Option<Timestamp>,
}

/// Why a fragment could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// The fragment is empty.
    Empty,
    /// It does not start with a version tag `v<N>.`.
    NotALink,
    /// It comes from a newer build.
    FutureVersion(u32),
    /// Longer than [`MAX_FRAGMENT_CHARS`].
    TooLong(usize),
    /// Not base64url.
    NotBase64,
    /// Ends before the scenario does.
    Truncated,
    /// The checksum does not match: the link was altered.
    Corrupted,
    /// Decodes, but describes something impossible.
    Malformed(String),
    /// Decodes to a scenario that breaks a rule.
    Invalid(ScenarioError),
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::Empty => write!(f, "the link has no scenario in it"),
            LinkError::NotALink => write!(f, "the link's #fragment is not a scenario from this visualizer"),
            LinkError::FutureVersion(v) => write!(
                f,
                "the link was made by a newer version of the visualizer (format v{v}; this page reads up to v{LINK_VERSION})"
            ),
            LinkError::TooLong(n) => write!(
                f,
                "the link is too long ({n} characters; at most {MAX_FRAGMENT_CHARS} are read)"
            ),
            LinkError::NotBase64 => write!(f, "the link is garbled (characters that cannot be in a scenario link)"),
            LinkError::Truncated => write!(f, "the link is cut short (was it copied whole?)"),
            LinkError::Corrupted => write!(f, "the link is garbled (its checksum does not match)"),
            LinkError::Malformed(why) => write!(f, "the link is garbled ({why})"),
            LinkError::Invalid(e) => write!(f, "the link's scenario is invalid: {e}"),
        }
    }
}

impl std::error::Error for LinkError {}

/// Encodes a scenario (and snapshot) as a fragment, without the `#`: a
/// version 2 (compressed) link when that is shorter, else version 1.
pub fn encode(scenario: &Scenario, snapshot: Option<Timestamp>) -> String {
    let body = body_of(scenario, snapshot);
    // A small scenario's body is shorter than deflate's framing: it stays a
    // version 1 link, which older builds read too.
    let compressed = miniz_oxide::deflate::compress_to_vec(&body, DEFLATE_LEVEL);
    if compressed.len() < body.len() {
        format!("v2.{}", wrap(&compressed))
    } else {
        format!("v1.{}", wrap(&body))
    }
}

/// The version 1 link of a scenario, never compressed (to compare sizes,
/// and for the builds that read only version 1).
pub fn encode_uncompressed(scenario: &Scenario, snapshot: Option<Timestamp>) -> String {
    format!("v1.{}", wrap(&body_of(scenario, snapshot)))
}

/// Links longer than this many characters open in browsers, but chat apps,
/// mail and many forms cut them: past it, sharing the file is the safe way.
pub const SHAREABLE_LINK_CHARS: usize = 8_000;

/// What to say on copying a link of `chars` characters, if it is too long to
/// travel everywhere.
///
/// ```
/// use hlcviz::permalink::sharing_advice;
/// assert_eq!(sharing_advice(700), None);
/// assert!(sharing_advice(155_785).unwrap().contains("Export"));
/// ```
pub fn sharing_advice(chars: usize) -> Option<String> {
    (chars > SHAREABLE_LINK_CHARS).then(|| {
        format!(
            "Chat apps and mail cut links past about {SHAREABLE_LINK_CHARS} characters: to send this one there, use Share → Export JSON and send the file."
        )
    })
}

/// The binary body of a scenario and snapshot (the table in the module docs).
fn body_of(scenario: &Scenario, snapshot: Option<Timestamp>) -> Vec<u8> {
    let mut body = Vec::with_capacity(64 + scenario.event_count() * 4);
    let max_offset = scenario.settings.max_offset_ms;
    let has_kv = has_kv_data(scenario);
    let flag = |on: bool, bit: u64| if on { bit } else { 0 };
    let stop = scenario.settings.stop_on_skew;
    let flags = flag(max_offset.is_some(), FLAG_MAX_OFFSET)
        | flag(snapshot.is_some(), FLAG_SNAPSHOT)
        | flag(has_kv, FLAG_KV)
        | flag(stop.is_some(), FLAG_STOP);
    put_u(&mut body, flags);
    put_u(&mut body, scenario.settings.counter_bits.into());
    if let Some(bound) = max_offset {
        put_s(&mut body, bound);
    }
    put_u(&mut body, scenario.nodes.len() as u64);
    for node in &scenario.nodes {
        put_u(&mut body, node.name.len() as u64);
        body.extend_from_slice(node.name.as_bytes());
        put_s(&mut body, node.skew_ms);
        put_s(&mut body, node.drift_ppm);
        put_u(&mut body, node.steps.len() as u64);
        for step in &node.steps {
            put_s(&mut body, step.at_ms);
            put_s(&mut body, step.by_ms);
        }
    }
    put_u(&mut body, scenario.events.len() as u64);
    let mut previous = 0i64;
    for event in &scenario.events {
        put_u(&mut body, event.node as u64);
        put_s(&mut body, event.at_ms.wrapping_sub(previous));
        previous = event.at_ms;
    }
    put_u(&mut body, scenario.messages.len() as u64);
    let mut previous = 0i64;
    for m in &scenario.messages {
        put_u(&mut body, m.from as u64);
        put_u(&mut body, m.to as u64);
        put_s(&mut body, m.sent_at_ms.wrapping_sub(previous));
        put_u(
            &mut body,
            m.received_at_ms.wrapping_sub(m.sent_at_ms).wrapping_sub(1) as u64,
        );
        previous = m.sent_at_ms;
    }
    if let Some(theta) = snapshot {
        put_s(&mut body, theta.l);
        put_u(&mut body, theta.c.into());
    }
    if has_kv {
        put_kv_section(&mut body, scenario);
    }
    if let Some(rule) = stop {
        put_s(&mut body, rule.threshold_ms);
        put_u(&mut body, u64::from(rule.majority));
    }
    body
}

/// `data` framed as a payload: its length (a varint) and a check byte for
/// it, the data, and a checksum of all that, in base64url.
fn wrap(data: &[u8]) -> String {
    let mut payload = Vec::with_capacity(data.len() + 15);
    put_u(&mut payload, data.len() as u64);
    // The length gets a check byte of its own, so a garbled length is not
    // mistaken for a cut.
    payload.push(fnv1a(&payload) as u8);
    payload.extend_from_slice(data);
    let checksum = fnv1a(&payload);
    payload.extend_from_slice(&checksum.to_le_bytes());
    URL_SAFE_NO_PAD.encode(payload)
}

/// Whether the scenario uses the database lens (an op, a put or a setting).
fn has_kv_data(scenario: &Scenario) -> bool {
    scenario.settings.has_kv_settings()
        || scenario.events.iter().any(|e| e.kv.is_some())
        || scenario.messages.iter().any(|m| m.put.is_some())
}

fn put_text(out: &mut Vec<u8>, text: &str) {
    put_u(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

/// Writes the sparse list `(index gap, item)` of the items that are `Some`.
fn put_sparse<T>(
    out: &mut Vec<u8>,
    items: impl Iterator<Item = Option<T>> + Clone,
    mut put_item: impl FnMut(&mut Vec<u8>, T),
) {
    put_u(out, items.clone().flatten().count() as u64);
    let mut next = 0usize;
    for (i, item) in items.enumerate() {
        if let Some(item) = item {
            put_u(out, (i - next) as u64);
            put_item(out, item);
            next = i + 1;
        }
    }
}

fn put_kv_section(body: &mut Vec<u8>, scenario: &Scenario) {
    let settings = &scenario.settings;
    match settings.commit_wait {
        CommitWait::Off => put_u(body, 0),
        CommitWait::MaxOffset => put_u(body, 1),
        CommitWait::TrueTime { eps_ms } => {
            put_u(body, 2);
            put_s(body, eps_ms);
        }
    }
    put_u(body, settings.observed_timestamps.into());
    put_s(body, settings.restart_after_ms);
    put_sparse(
        body,
        scenario.events.iter().map(|e| e.kv.as_ref()),
        |out, op| match op {
            KvOp::Put { key, value } => {
                put_u(out, 0);
                put_text(out, key);
                put_text(out, value);
            }
            KvOp::Get { key } => {
                put_u(out, 1);
                put_text(out, key);
            }
        },
    );
    put_sparse(
        body,
        scenario.messages.iter().map(|m| m.put.as_ref()),
        |out, put| {
            put_text(out, &put.key);
            put_text(out, &put.value);
        },
    );
}

/// Reads the database-lens section into `scenario` (whose events and messages
/// are already read).
fn read_kv_section(r: &mut Reader<'_>, scenario: &mut Scenario) -> Result<(), LinkError> {
    let settings = &mut scenario.settings;
    settings.commit_wait = match r.u()? {
        0 => CommitWait::Off,
        1 => CommitWait::MaxOffset,
        2 => CommitWait::TrueTime { eps_ms: r.s()? },
        other => return Err(LinkError::Malformed(format!("unknown commit wait {other}"))),
    };
    settings.observed_timestamps = match r.u()? {
        0 => false,
        1 => true,
        _ => {
            return Err(LinkError::Malformed(
                "observed timestamps is not 0 or 1".into(),
            ))
        }
    };
    settings.restart_after_ms = r.s()?;
    let events = &mut scenario.events;
    let op_count = r.count(events.len() as u64, 3, "database operations")?;
    let mut next = 0usize;
    for _ in 0..op_count {
        let index = r.sparse_index(&mut next, events.len())?;
        let op = match r.u()? {
            0 => KvOp::Put {
                key: r.text(MAX_KEY_BYTES, "key")?,
                value: r.text(MAX_VALUE_BYTES, "value")?,
            },
            1 => KvOp::Get {
                key: r.text(MAX_KEY_BYTES, "key")?,
            },
            other => {
                return Err(LinkError::Malformed(format!(
                    "unknown database operation {other}"
                )))
            }
        };
        events[index].kv = Some(op);
    }
    let messages = &mut scenario.messages;
    let put_count = r.count(messages.len() as u64, 3, "message puts")?;
    let mut next = 0usize;
    for _ in 0..put_count {
        let index = r.sparse_index(&mut next, messages.len())?;
        messages[index].put = Some(Put {
            key: r.text(MAX_KEY_BYTES, "key")?,
            value: r.text(MAX_VALUE_BYTES, "value")?,
        });
    }
    Ok(())
}

/// Decodes a fragment (with or without its leading `#`).
pub fn decode(fragment: &str) -> Result<Shared, LinkError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.len() > MAX_FRAGMENT_CHARS {
        return Err(LinkError::TooLong(fragment.len()));
    }
    if fragment.trim().is_empty() {
        return Err(LinkError::Empty);
    }
    let rest = fragment.strip_prefix('v').ok_or(LinkError::NotALink)?;
    let (version, payload) = rest.split_once('.').ok_or(LinkError::NotALink)?;
    if version.is_empty() || version.len() > 9 || !version.bytes().all(|b| b.is_ascii_digit()) {
        return Err(LinkError::NotALink);
    }
    let version: u32 = version.parse().map_err(|_| LinkError::NotALink)?;
    match version {
        1 => decode_v1(payload),
        2 => decode_v2(payload),
        0 => Err(LinkError::NotALink),
        newer => Err(LinkError::FutureVersion(newer)),
    }
}

/// The framed data of a payload, its checks passed.
fn unwrap_payload(payload: &str) -> Result<Vec<u8>, LinkError> {
    let payload = payload.trim_end();
    let bytes = match URL_SAFE_NO_PAD.decode(payload) {
        Ok(bytes) => bytes,
        Err(_) => return Err(classify_undecodable(payload)),
    };
    checked_body(&bytes).map(<[u8]>::to_vec)
}

fn decode_v1(payload: &str) -> Result<Shared, LinkError> {
    let body = unwrap_payload(payload)?;
    finish(&body)
}

fn decode_v2(payload: &str) -> Result<Shared, LinkError> {
    let compressed = unwrap_payload(payload)?;
    let body = miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_INFLATED_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                LinkError::Malformed("its scenario would be too large".into())
            }
            _ => LinkError::Malformed("its compressed scenario does not inflate".into()),
        })?;
    finish(&body)
}

/// Parses and validates a body.
fn finish(body: &[u8]) -> Result<Shared, LinkError> {
    let shared = parse_body(body)?;
    shared.scenario.validate().map_err(LinkError::Invalid)?;
    Ok(shared)
}

/// The body of a payload `length, body, checksum`: a payload shorter than its
/// stated length was cut short; one whose checksum does not match was altered.
fn checked_body(bytes: &[u8]) -> Result<&[u8], LinkError> {
    let mut r = Reader { bytes, at: 0 };
    let length = usize::try_from(r.u()?).map_err(|_| LinkError::Corrupted)?;
    let check = *bytes.get(r.at).ok_or(LinkError::Truncated)?;
    if fnv1a(&bytes[..r.at]) as u8 != check {
        return Err(LinkError::Corrupted);
    }
    let header = r.at + 1;
    let end = header.checked_add(length).ok_or(LinkError::Corrupted)?;
    let total = end.checked_add(4).ok_or(LinkError::Corrupted)?;
    if bytes.len() < total {
        return Err(LinkError::Truncated);
    }
    if bytes.len() > total {
        return Err(LinkError::Malformed(
            "extra characters after the end of the link".into(),
        ));
    }
    let sum = u32::from_le_bytes([bytes[end], bytes[end + 1], bytes[end + 2], bytes[end + 3]]);
    if fnv1a(&bytes[..end]) != sum {
        return Err(LinkError::Corrupted);
    }
    Ok(&bytes[header..end])
}

/// Why strict base64url refused the payload: characters outside the alphabet
/// are garbling; a ragged end (a length of 1 mod 4, or stray bits in the last
/// character) is what cutting a link leaves, so the rest is decoded leniently
/// and its stated length decides.
fn classify_undecodable(payload: &str) -> LinkError {
    let alphabet = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    if !payload.bytes().all(alphabet) {
        return LinkError::NotBase64;
    }
    let usable = if payload.len() % 4 == 1 {
        &payload[..payload.len() - 1]
    } else {
        payload
    };
    let lenient = base64::engine::GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        base64::engine::GeneralPurposeConfig::new()
            .with_encode_padding(false)
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireNone)
            .with_decode_allow_trailing_bits(true),
    );
    match lenient.decode(usable) {
        Ok(bytes) => match checked_body(&bytes) {
            Err(LinkError::Truncated) => LinkError::Truncated,
            _ => LinkError::Corrupted,
        },
        Err(_) => LinkError::NotBase64,
    }
}

/// Reads the body (without its checksum). The scenario is not validated here.
fn parse_body(body: &[u8]) -> Result<Shared, LinkError> {
    let mut r = Reader { bytes: body, at: 0 };
    let flags = r.u()?;
    if flags > FLAG_MAX_OFFSET | FLAG_SNAPSHOT | FLAG_KV | FLAG_STOP {
        return Err(LinkError::Malformed(format!("unknown flags {flags:#b}")));
    }
    let counter_bits =
        u8::try_from(r.u()?).map_err(|_| LinkError::Malformed("counter width too large".into()))?;
    let max_offset_ms = if flags & FLAG_MAX_OFFSET != 0 {
        Some(r.s()?)
    } else {
        None
    };
    let node_count = r.count(MAX_NODES as u64, 4, "nodes")?;
    let mut nodes = Vec::with_capacity(node_count);
    for _ in 0..node_count {
        let name_len = r.u()?;
        if name_len > MAX_NAME_BYTES {
            return Err(LinkError::Malformed("a node name is too long".into()));
        }
        let name = std::str::from_utf8(r.take(name_len as usize)?)
            .map_err(|_| LinkError::Malformed("a node name is not text".into()))?
            .to_string();
        let skew_ms = r.s()?;
        let drift_ppm = r.s()?;
        let step_count = r.count(MAX_STEPS_PER_NODE as u64, 2, "clock steps")?;
        let mut steps = Vec::with_capacity(step_count);
        for _ in 0..step_count {
            steps.push(ClockStep {
                at_ms: r.s()?,
                by_ms: r.s()?,
            });
        }
        nodes.push(Node {
            name,
            skew_ms,
            drift_ppm,
            steps,
        });
    }
    let event_count = r.count(MAX_EVENTS as u64, 2, "events")?;
    let mut events = Vec::with_capacity(event_count);
    let mut previous = 0i64;
    for _ in 0..event_count {
        let node = r.index()?;
        let at_ms = r.delta(previous)?;
        previous = at_ms;
        events.push(LocalEvent::at(node, at_ms));
    }
    let message_budget = (MAX_EVENTS - event_count) as u64 / 2;
    let message_count = r.count(message_budget, 4, "messages")?;
    let mut messages = Vec::with_capacity(message_count);
    let mut previous = 0i64;
    for _ in 0..message_count {
        let from = r.index()?;
        let to = r.index()?;
        let sent_at_ms = r.delta(previous)?;
        previous = sent_at_ms;
        let latency = i64::try_from(r.u()?)
            .ok()
            .and_then(|d| d.checked_add(1))
            .ok_or_else(|| LinkError::Malformed("a message delay is out of range".into()))?;
        let received_at_ms = sent_at_ms
            .checked_add(latency)
            .ok_or_else(|| LinkError::Malformed("a receive time is out of range".into()))?;
        messages.push(Message {
            from,
            sent_at_ms,
            to,
            received_at_ms,
            put: None,
        });
    }
    let snapshot = if flags & FLAG_SNAPSHOT != 0 {
        let l = r.s()?;
        let c = u32::try_from(r.u()?)
            .map_err(|_| LinkError::Malformed("snapshot counter too large".into()))?;
        Some(Timestamp::new(l, c))
    } else {
        None
    };
    let mut scenario = Scenario {
        version: FORMAT_VERSION,
        nodes,
        events,
        messages,
        settings: Settings {
            max_offset_ms,
            counter_bits,
            ..Settings::default()
        },
    };
    if flags & FLAG_KV != 0 {
        read_kv_section(&mut r, &mut scenario)?;
    }
    if flags & FLAG_STOP != 0 {
        let threshold_ms = r.s()?;
        let majority = match r.u()? {
            0 => false,
            1 => true,
            _ => {
                return Err(LinkError::Malformed(
                    "a stop rule's peer count is garbled".into(),
                ))
            }
        };
        scenario.settings.stop_on_skew = Some(StopRule {
            threshold_ms,
            majority,
        });
    }
    if r.at != r.bytes.len() {
        return Err(LinkError::Malformed(
            "extra bytes after the scenario".into(),
        ));
    }
    Ok(Shared { scenario, snapshot })
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn u(&mut self) -> Result<u64, LinkError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.bytes.get(self.at).ok_or(LinkError::Truncated)?;
            self.at += 1;
            let bits = u64::from(byte & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(LinkError::Malformed("a number is too large".into()));
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(LinkError::Malformed("a number is too large".into()))
    }

    fn s(&mut self) -> Result<i64, LinkError> {
        let z = self.u()?;
        Ok(((z >> 1) as i64) ^ -((z & 1) as i64))
    }

    fn index(&mut self) -> Result<usize, LinkError> {
        usize::try_from(self.u()?).map_err(|_| LinkError::Malformed("an index is too large".into()))
    }

    fn delta(&mut self, previous: i64) -> Result<i64, LinkError> {
        previous
            .checked_add(self.s()?)
            .ok_or_else(|| LinkError::Malformed("a time is out of range".into()))
    }

    /// A count no larger than `cap`, and small enough that the bytes left could
    /// hold that many items of at least `min_bytes` each.
    fn count(&mut self, cap: u64, min_bytes: u64, what: &str) -> Result<usize, LinkError> {
        let n = self.u()?;
        if n > cap {
            return Err(LinkError::Malformed(format!(
                "{n} {what} is more than the limit of {cap}"
            )));
        }
        let left = (self.bytes.len() - self.at) as u64;
        if n.saturating_mul(min_bytes) > left {
            return Err(LinkError::Truncated);
        }
        Ok(n as usize)
    }

    /// Text of at most `max_bytes` bytes, length first.
    fn text(&mut self, max_bytes: u64, what: &str) -> Result<String, LinkError> {
        let len = self.u()?;
        if len > max_bytes {
            return Err(LinkError::Malformed(format!("a {what} is too long")));
        }
        std::str::from_utf8(self.take(len as usize)?)
            .map(str::to_string)
            .map_err(|_| LinkError::Malformed(format!("a {what} is not text")))
    }

    /// The next index of a sparse list: `next` plus the gap read, below `len`.
    fn sparse_index(&mut self, next: &mut usize, len: usize) -> Result<usize, LinkError> {
        let index = usize::try_from(self.u()?)
            .ok()
            .and_then(|gap| next.checked_add(gap))
            .filter(|&i| i < len)
            .ok_or_else(|| {
                LinkError::Malformed("a database operation's event does not exist".into())
            })?;
        *next = index + 1;
        Ok(index)
    }

    fn take(&mut self, n: usize) -> Result<&[u8], LinkError> {
        let end = self.at.checked_add(n).ok_or(LinkError::Truncated)?;
        let slice = self.bytes.get(self.at..end).ok_or(LinkError::Truncated)?;
        self.at = end;
        Ok(slice)
    }
}

fn put_u(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn put_s(out: &mut Vec<u8>, value: i64) {
    put_u(out, ((value << 1) ^ (value >> 63)) as u64);
}

fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5u32, |hash, &b| {
        (hash ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::default_scenario;

    #[test]
    fn default_scenario_round_trips_with_and_without_snapshot() {
        let s = default_scenario();
        for snapshot in [
            None,
            Some(Timestamp::new(500, 0)),
            Some(Timestamp::new(-3, 7)),
        ] {
            let link = encode(&s, snapshot);
            assert!(link.starts_with("v1.") || link.starts_with("v2."));
            assert_eq!(
                decode(&link),
                Ok(Shared {
                    scenario: s.clone(),
                    snapshot
                })
            );
            assert_eq!(
                decode(&format!("#{link}")).map(|x| x.scenario),
                Ok(s.clone())
            );
        }
    }

    #[test]
    fn zigzag_and_varints_cover_the_extremes() {
        for v in [0i64, 1, -1, 63, -64, 64, i64::MAX, i64::MIN] {
            let mut out = Vec::new();
            put_s(&mut out, v);
            let mut r = Reader { bytes: &out, at: 0 };
            assert_eq!(r.s(), Ok(v));
            assert_eq!(r.at, out.len());
        }
        let mut r = Reader {
            bytes: &[0xff; 11],
            at: 0,
        };
        assert!(matches!(r.u(), Err(LinkError::Malformed(_))));
    }
}
