//! Logs recorded by real programs with the `hlc` crate's recorder (format
//! `hlcviz-log/1`, see `hlc::recorder` and `docs/instrumenting.md`), read as a
//! [`Scenario`] that replays HLC on the recorded wall clocks.
//!
//! A log holds each host's own clock readings, never real time. [`import`]
//! pairs each send with its receive by message id, estimates every host's
//! clock offset from the messages ([`crate::offsets`], relative to the first
//! host), and builds a scenario whose node skews are those offsets (rounded to
//! milliseconds) and whose events sit at `wall − offset`, so that replaying it
//! gives each event its recorded wall clock (ms) as `pt`, shifted so the
//! diagram starts near 0 ([`Recorded::base_ms`]). The replayed HLC is then
//! compared with the HLC in the log; every difference, every event drawn
//! elsewhere than its wall clock says and every line that could not be used
//! is in the notes.

use crate::offsets::{self, Exchange, HostOffset};
use crate::scenario::{
    text_problem, EventRef, LocalEvent, Message, Node, Scenario, ScenarioError, Settings,
    FORMAT_VERSION, MAX_EVENTS, MAX_NAME_CHARS, MAX_NODES, MAX_SKEW_MS, MAX_TIME_MS,
};
use crate::shiviz::{Imported, Reports, SkippedLine, MAX_IMPORT_BYTES};
use crate::sim;
use hlc::recorder::millis;
use hlc::{Time, Timestamp};
use serde::de::IgnoredAny;
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

pub use hlc::recorder::FORMAT;

/// A line longer than this (in bytes) is skipped unread.
pub const MAX_LINE_BYTES: usize = 64 * 1024;
/// Most lines a log may have (every event line and a header per host), counted
/// before anything is read.
pub const MAX_LINES: usize = MAX_EVENTS + MAX_NODES;
/// The first event is drawn this long after time 0, ms.
pub const MARGIN_MS: Time = 10;
/// Longest message id, in characters.
pub const MAX_MSG_CHARS: usize = hlc::recorder::MAX_NAME_CHARS;

const NS_PER_MS: i128 = 1_000_000;

/// A log read as a scenario, with what was estimated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The scenario, skipped lines and notes (offsets with their bounds first).
    pub imported: Imported,
    /// Each host's estimated offset (ns) relative to the first host, by node.
    pub offsets: Vec<HostOffset>,
    /// Whether the offsets could be estimated: `false` when the messages
    /// contradict every choice of offsets (the notes say why; skews are 0).
    pub offsets_consistent: bool,
    /// Wall-clock ms (as the log's `hlc.l`) that is `pt = 0` in the scenario:
    /// an event's replayed `pt` plus this is its recorded wall clock in ms.
    pub base_ms: i128,
    /// Every event read, in line order, with where it went in the scenario.
    pub events: Vec<RecordedEvent>,
}

/// One event line and the scenario event it became.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordedEvent {
    /// 1-based line number.
    pub line: usize,
    /// Node index.
    pub node: usize,
    /// The scenario event.
    pub event: EventRef,
    /// The recorded wall clock, ns.
    pub wall_ns: i64,
    /// The HLC in the log, if it had one.
    pub hlc: Option<Timestamp>,
    /// Drawn later than its wall clock says (see the notes).
    pub moved: bool,
}

/// Why a log could not be imported at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordedError {
    /// More than [`MAX_IMPORT_BYTES`].
    TooLarge {
        /// Size of the input.
        bytes: usize,
    },
    /// More than [`MAX_LINES`] lines.
    TooManyLines {
        /// The first line past the limit.
        line: usize,
    },
    /// A header names a format version this reader does not know.
    UnsupportedFormat {
        /// Its line.
        line: usize,
        /// The `format` value (cut to 40 characters).
        format: String,
    },
    /// More hosts than [`MAX_NODES`].
    TooManyHosts {
        /// Where the first host past the limit appears.
        line: usize,
    },
    /// No event could be read.
    NoEvents {
        /// The first skipped line, if any.
        first_problem: Option<SkippedLine>,
    },
    /// An estimated offset is beyond what a scenario allows.
    OffsetTooLarge {
        /// The host.
        host: String,
        /// The offset, ms.
        offset_ms: i128,
    },
    /// The run is longer than a scenario's time range.
    TooLong {
        /// Its length, ms.
        span_ms: i128,
    },
    /// The scenario built fails validation (a bug; never expected).
    Invalid(ScenarioError),
}

impl fmt::Display for RecordedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordedError::TooLarge { bytes } => write!(
                f,
                "the log is {bytes} bytes, more than the limit of {MAX_IMPORT_BYTES} bytes (16 MiB); nothing was read"
            ),
            RecordedError::TooManyLines { line } => write!(
                f,
                "line {line}: the log has more than {MAX_LINES} lines ({MAX_EVENTS} events and a header per host); nothing was read"
            ),
            RecordedError::UnsupportedFormat { line, format } => write!(
                f,
                "line {line}: format `{format}` is not {FORMAT}, the version this reader knows"
            ),
            RecordedError::TooManyHosts { line } => write!(
                f,
                "line {line}: one host more than the limit of {MAX_NODES} hosts"
            ),
            RecordedError::NoEvents { first_problem } => {
                write!(f, "no event could be read from the log")?;
                match first_problem {
                    Some(p) => write!(f, "; line {}: {}", p.line, p.reason),
                    None => write!(f, " (it has headers only)"),
                }
            }
            RecordedError::OffsetTooLarge { host, offset_ms } => write!(
                f,
                "host `{host}`'s clock offset is estimated at {offset_ms} ms, beyond the ±{MAX_SKEW_MS} ms a scenario allows"
            ),
            RecordedError::TooLong { span_ms } => write!(
                f,
                "the run lasts {span_ms} ms, longer than the {MAX_TIME_MS} ms a scenario can show"
            ),
            RecordedError::Invalid(e) => write!(f, "the imported scenario is invalid: {e}"),
        }
    }
}

impl std::error::Error for RecordedError {}

/// One line, every field optional (what is missing is reported by name).
/// Unknown fields are ignored, so a later minor version can add some.
#[derive(Deserialize)]
struct RawLine<'a> {
    #[serde(borrow, default)]
    format: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    host: Option<Cow<'a, str>>,
    #[serde(default)]
    wall_ns: Option<i64>,
    #[serde(default)]
    hlc: Option<Timestamp>,
    #[serde(borrow, default)]
    msg: Option<Cow<'a, str>>,
    // Read by other tools (the vector clock, a description); only checked to
    // be JSON here.
    #[serde(default, rename = "vc")]
    _vc: Option<IgnoredAny>,
    #[serde(default, rename = "text")]
    _text: Option<IgnoredAny>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Local,
    Send,
    Recv,
}

/// One event as read, on a host's own clock (also built by the OpenTelemetry
/// importer, [`crate::otlp`], from span starts and ends).
pub(crate) struct Ev<'a> {
    /// Where it was read: a 1-based line (or span) number.
    pub(crate) line: usize,
    pub(crate) node: usize,
    pub(crate) kind: Kind,
    pub(crate) wall_ns: i64,
    pub(crate) hlc: Option<Timestamp>,
    /// The message's name in notes.
    pub(crate) msg: Option<Cow<'a, str>>,
    /// For a paired send, its receive's index; for a paired receive, its send's.
    pub(crate) partner: Option<usize>,
}

/// The words the notes use for what was read.
pub(crate) struct Words {
    /// What a node stands for: `host`, `service`.
    pub(crate) host: &'static str,
    /// What [`Ev::line`] counts: `line`, `span`.
    pub(crate) unit: &'static str,
    /// What was read: `log`, `trace`.
    pub(crate) source: &'static str,
    /// What the wall clocks' milliseconds are.
    pub(crate) epoch: &'static str,
}

pub(crate) const LOG_WORDS: Words = Words {
    host: "host",
    unit: "line",
    source: "log",
    epoch: "ms since the Unix epoch, as the log's hlc.l",
};

/// Whether `text` starts with a recorded log's header (its first non-blank
/// line is a JSON object whose `format` is `hlcviz-log/…`); cheap, for
/// choosing a reader.
///
/// ```
/// assert!(hlcviz::recorded::is_recorded_log("{\"format\":\"hlcviz-log/1\",\"host\":\"a\"}\n"));
/// assert!(!hlcviz::recorded::is_recorded_log("{\"nodes\":[]}"));
/// ```
pub fn is_recorded_log(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(first) = text.lines().find(|l| !l.trim().is_empty()) else {
        return false;
    };
    if first.len() > MAX_LINE_BYTES || !first.trim_start().starts_with('{') {
        return false;
    }
    serde_json::from_str::<RawLine<'_>>(first)
        .ok()
        .and_then(|raw| raw.format)
        .is_some_and(|f| f.starts_with("hlcviz-log/"))
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// Reads a recorded log (one host's, or several hosts' concatenated) as a
/// scenario. See the module docs and `docs/instrumenting.md`.
///
/// ```
/// let log = r#"{"format":"hlcviz-log/1","host":"a"}
/// {"kind":"send","host":"a","wall_ns":1000000000,"hlc":{"l":1000,"c":0},"msg":"a:0"}
/// {"format":"hlcviz-log/1","host":"b"}
/// {"kind":"recv","host":"b","wall_ns":1042000000,"hlc":{"l":1042,"c":0},"msg":"a:0"}
/// {"kind":"send","host":"b","wall_ns":1050000000,"hlc":{"l":1050,"c":0},"msg":"b:0"}
/// {"format":"hlcviz-log/1","host":"a"}
/// {"kind":"recv","host":"a","wall_ns":1018000000,"hlc":{"l":1050,"c":1},"msg":"b:0"}
/// "#;
/// let rec = hlcviz::recorded::import(log).unwrap();
/// let b = rec.offsets[1];
/// // b's clock is between 32 and 42 ms ahead of a's: estimated at 37.
/// assert_eq!((b.lower, b.upper, b.estimate), (Some(32_000_000), Some(42_000_000), 37_000_000));
/// assert_eq!(rec.imported.scenario.nodes[1].skew_ms, 37);
/// assert_eq!(rec.imported.scenario.messages.len(), 2);
/// assert!(rec.imported.notes[1].starts_with("host b: offset +37.0 ms (between +32.0 and +42.0 ms)"));
/// ```
pub fn import(text: &str) -> Result<Recorded, RecordedError> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(RecordedError::TooLarge { bytes: text.len() });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut count = 0usize;
    for (k, line) in text.lines().enumerate() {
        if !line.trim().is_empty() {
            count += 1;
            if count > MAX_LINES {
                return Err(RecordedError::TooManyLines { line: k + 1 });
            }
        }
    }

    let mut reports = Reports::default();
    let mut hosts: Vec<String> = Vec::new();
    let mut host_ids: HashMap<String, usize> = HashMap::new();
    let mut current: Option<usize> = None;
    let mut evs: Vec<Ev<'_>> = Vec::new();
    for (k, line) in text.lines().enumerate() {
        let no = k + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        if line.len() > MAX_LINE_BYTES {
            reports.skip(
                no,
                line,
                format!("longer than {MAX_LINE_BYTES} bytes; not read"),
            );
            continue;
        }
        let raw: RawLine<'_> = match serde_json::from_str(line) {
            Ok(raw) => raw,
            Err(e) => {
                reports.skip(no, line, format!("not a JSON object of the log: {e}"));
                continue;
            }
        };
        let mut intern =
            |name: &str, reports: &mut Reports| -> Result<Option<usize>, RecordedError> {
                if let Some(&id) = host_ids.get(name) {
                    return Ok(Some(id));
                }
                if let Some(problem) = text_problem(name, MAX_NAME_CHARS, false) {
                    reports.skip(no, line, format!("host name `{}` {problem}", short(name)));
                    return Ok(None);
                }
                if hosts.len() >= MAX_NODES {
                    return Err(RecordedError::TooManyHosts { line: no });
                }
                host_ids.insert(name.to_string(), hosts.len());
                hosts.push(name.to_string());
                Ok(Some(hosts.len() - 1))
            };
        if let Some(format) = raw.format {
            if format != FORMAT {
                return Err(RecordedError::UnsupportedFormat {
                    line: no,
                    format: short(&format),
                });
            }
            current = match raw.host {
                Some(host) => intern(&host, &mut reports)?,
                None => {
                    reports.skip(no, line, "the header names no `host`");
                    None
                }
            };
            continue;
        }
        let kind = match raw.kind.as_deref() {
            Some("local") => Kind::Local,
            Some("send") => Kind::Send,
            Some("recv") => Kind::Recv,
            Some(other) => {
                reports.skip(
                    no,
                    line,
                    format!(
                        "unknown kind `{}` (expected local, send or recv)",
                        short(other)
                    ),
                );
                continue;
            }
            None => {
                reports.skip(
                    no,
                    line,
                    "no `kind` and no `format`: neither an event nor a header",
                );
                continue;
            }
        };
        let node = match &raw.host {
            Some(host) => intern(host, &mut reports)?,
            None if current.is_some() => current,
            None => {
                reports.skip(no, line, "no `host`, and no header before it names one");
                continue;
            }
        };
        let Some(node) = node else { continue };
        let Some(wall_ns) = raw.wall_ns else {
            reports.skip(no, line, "no `wall_ns` (the host's wall clock, ns)");
            continue;
        };
        if kind != Kind::Local {
            match raw.msg.as_deref() {
                None => {
                    reports.skip(no, line, "a send or receive needs its message id `msg`");
                    continue;
                }
                Some(id) if id.is_empty() || id.chars().count() > MAX_MSG_CHARS => {
                    reports.skip(
                        no,
                        line,
                        format!("message id must have 1 to {MAX_MSG_CHARS} characters"),
                    );
                    continue;
                }
                Some(_) => {}
            }
        }
        evs.push(Ev {
            line: no,
            node,
            kind,
            wall_ns,
            hlc: raw.hlc,
            msg: if kind == Kind::Local { None } else { raw.msg },
            partner: None,
        });
    }
    if evs.is_empty() {
        return Err(RecordedError::NoEvents {
            first_problem: reports.first_problem(),
        });
    }
    pair(&mut evs, &hosts, &mut reports);
    build(evs, hosts, reports, &LOG_WORDS)
}

/// Pairs sends and receives by message id; what cannot be paired stays a
/// local event, with a note.
fn pair(evs: &mut [Ev<'_>], hosts: &[String], reports: &mut Reports) {
    let mut sends: HashMap<String, usize> = HashMap::new();
    for (i, e) in evs.iter().enumerate() {
        if e.kind != Kind::Send {
            continue;
        }
        let id = e.msg.as_deref().unwrap_or_default();
        if let Some(&first) = sends.get(id) {
            reports.note(
                e.line,
                format!(
                    "line {}: message `{}` was already sent at line {}; this send is drawn as a local event",
                    e.line,
                    short(id),
                    evs[first].line
                ),
            );
        } else {
            sends.insert(id.to_string(), i);
        }
    }
    for i in 0..evs.len() {
        if evs[i].kind != Kind::Recv {
            continue;
        }
        let id = evs[i].msg.as_deref().unwrap_or_default();
        let why = match sends.get(id) {
            None => Some("its send is not in the log".to_string()),
            Some(&s) if evs[s].partner.is_some() => Some(format!(
                "it was already received at line {}",
                evs[evs[s].partner.unwrap_or(s)].line
            )),
            Some(&s) if evs[s].node == evs[i].node => {
                Some(format!("{} sent it to itself", short(&hosts[evs[i].node])))
            }
            Some(&s) => {
                evs[s].partner = Some(i);
                evs[i].partner = Some(s);
                None
            }
        };
        if let Some(why) = why {
            reports.note(
                evs[i].line,
                format!(
                    "line {}: receive of message `{}` drawn as a local event: {why}",
                    evs[i].line,
                    short(id)
                ),
            );
        }
    }
    for (i, e) in evs.iter().enumerate() {
        if e.kind != Kind::Send || e.partner.is_some() {
            continue;
        }
        // A duplicate send has its own note already.
        if sends.get(e.msg.as_deref().unwrap_or_default()) == Some(&i) {
            reports.note(
                e.line,
                format!(
                    "line {}: message `{}` is never received in the log: its send is drawn as a local event",
                    e.line,
                    short(e.msg.as_deref().unwrap_or_default())
                ),
            );
        }
    }
}

/// `ns` as signed milliseconds with one decimal, rounded towards `round`
/// (−1 down, +1 up, 0 nearest).
fn ms_text(ns: i128, round: i8) -> String {
    let tenths = match round {
        -1 => ns.div_euclid(100_000),
        1 => -(-ns).div_euclid(100_000),
        _ => (ns + 50_000).div_euclid(100_000),
    };
    let sign = if tenths < 0 { "−" } else { "+" };
    let abs = tenths.unsigned_abs();
    format!("{sign}{}.{} ms", abs / 10, abs % 10)
}

fn offset_note(words: &Words, reference: &str, host: &str, o: &HostOffset) -> String {
    let estimate = ms_text(o.estimate, 0);
    let bounds = match (o.lower, o.upper) {
        (Some(lo), Some(hi)) => format!(
            "between {} and {}",
            ms_text(lo, -1).trim_end_matches(" ms"),
            ms_text(hi, 1)
        ),
        (Some(lo), None) => format!(
            "at least {}; no chain of messages from {reference} reaches it, so nothing bounds it from above",
            ms_text(lo, -1)
        ),
        (None, Some(hi)) => format!(
            "at most {}; no chain of messages from it reaches {reference}, so nothing bounds it from below",
            ms_text(hi, 1)
        ),
        (None, None) => format!("unknown: no message connects it with {reference}; taken as 0"),
    };
    format!("{} {host}: offset {estimate} ({bounds})", words.host)
}

/// Each host's offset (in the readings' unit, ns) relative to the first host,
/// estimated from the messages, with a note per host saying its estimate and
/// bounds (or why none fit: every offset is then 0, and `false`).
pub(crate) fn estimate_offsets(
    words: &Words,
    hosts: &[String],
    exchanges: &[Exchange],
    notes: &mut Vec<String>,
) -> (Vec<HostOffset>, bool) {
    let n = hosts.len();
    let name = |h: usize| short(hosts.get(h).map_or("?", String::as_str));
    let reference = name(0);
    match offsets::estimate(n, 0, exchanges) {
        Ok(offsets) => {
            notes.push(format!(
                "Clock offsets are estimated from the messages (none can arrive before it was sent), relative to {} {reference}, whose clock stands for real time here.",
                words.host
            ));
            for (h, o) in offsets.iter().enumerate().skip(1) {
                notes.push(offset_note(words, &reference, &name(h), o));
            }
            (offsets, true)
        }
        Err(bad) => {
            // Start the cycle at its first host, and close it.
            let mut cycle = bad.cycle.clone();
            let first = (0..cycle.len()).min_by_key(|&k| cycle[k]).unwrap_or(0);
            cycle.rotate_left(first);
            cycle.extend(cycle.first().copied());
            let names: Vec<String> = cycle.iter().map(|&h| name(h)).collect();
            notes.push(format!(
                "No clock offsets fit the {}: around {}, a chain of messages arrives {} before it left whatever the offsets (a clock stepped during the run?). Every skew is left at 0.",
                words.source,
                names.join(" → "),
                ms_text(bad.deficit, 1).trim_start_matches('+')
            ));
            let zero = HostOffset {
                lower: None,
                upper: None,
                estimate: 0,
            };
            (vec![zero; n], false)
        }
    }
}

/// The scenario of events read (each host's in order), with every host's
/// offset estimated from the paired messages; see the module docs.
pub(crate) fn build(
    mut evs: Vec<Ev<'_>>,
    hosts: Vec<String>,
    mut reports: Reports,
    words: &Words,
) -> Result<Recorded, RecordedError> {
    let n = hosts.len();
    let reference = short(&hosts[0]);
    // Offsets from the paired messages.
    let exchanges: Vec<Exchange> = evs
        .iter()
        .filter(|e| e.kind == Kind::Send)
        .filter_map(|s| {
            let r = &evs[s.partner?];
            Some(Exchange {
                from: s.node,
                to: r.node,
                sent: s.wall_ns,
                received: r.wall_ns,
            })
        })
        .collect();
    let mut notes_first: Vec<String> = Vec::new();
    let (offsets, consistent) = estimate_offsets(words, &hosts, &exchanges, &mut notes_first);
    let skews: Vec<i128> = offsets
        .iter()
        .map(|o| (o.estimate + NS_PER_MS / 2).div_euclid(NS_PER_MS))
        .collect();
    for (h, &skew) in skews.iter().enumerate() {
        if skew.abs() > i128::from(MAX_SKEW_MS) {
            return Err(RecordedError::OffsetTooLarge {
                host: short(&hosts[h]),
                offset_ms: skew,
            });
        }
    }

    // Place every event (before the shift): at wall − offset, but after its
    // host's previous event and after its send.
    let desired = |e: &Ev<'_>| i128::from(millis(e.wall_ns)) - skews[e.node];
    let mut real: Vec<Option<i128>> = vec![None; evs.len()];
    let mut by_host: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, e) in evs.iter().enumerate() {
        by_host[e.node].push(i);
    }
    let mut head = vec![0usize; n];
    let mut last: Vec<Option<i128>> = vec![None; n];
    let mut placed = 0usize;
    while placed < evs.len() {
        let mut progress = false;
        for h in 0..n {
            while let Some(&i) = by_host[h].get(head[h]) {
                let after_send = match (evs[i].kind, evs[i].partner) {
                    (Kind::Recv, Some(s)) => match real[s] {
                        Some(t) => Some(t + 1),
                        None => break,
                    },
                    _ => None,
                };
                let mut at = desired(&evs[i]);
                if let Some(prev) = last[h] {
                    at = at.max(prev + 1);
                }
                if let Some(t) = after_send {
                    at = at.max(t);
                }
                real[i] = Some(at);
                last[h] = Some(at);
                head[h] += 1;
                placed += 1;
                progress = true;
            }
        }
        if !progress {
            // Every host waits on a receive whose send is not placed: the
            // pairing has a cycle. Unpair the earliest waiting receive.
            let waiting = (0..n)
                .filter_map(|h| by_host[h].get(head[h]).copied())
                .min_by_key(|&i| (desired(&evs[i]), evs[i].line));
            let Some(i) = waiting else { break };
            if let Some(s) = evs[i].partner.take() {
                evs[s].partner = None;
                reports.note(
                    evs[i].line,
                    format!(
                        "{} {}: receive of message `{}` drawn as a local event: its send comes after something this receive led to (the {}'s pairing has a cycle)",
                        words.unit,
                        evs[i].line,
                        short(evs[i].msg.as_deref().unwrap_or_default()),
                        words.source
                    ),
                );
            }
        }
    }
    let real: Vec<i128> = real.into_iter().map(|t| t.unwrap_or(0)).collect();
    let lowest = evs
        .iter()
        .zip(&real)
        .map(|(e, &t)| t.min(t + skews[e.node]))
        .min()
        .unwrap_or(0);
    let base_ms = lowest - i128::from(MARGIN_MS);
    let span = real.iter().map(|t| t - base_ms).max().unwrap_or(0);
    if span > i128::from(MAX_TIME_MS) {
        return Err(RecordedError::TooLong { span_ms: span });
    }

    // The scenario.
    let mut scenario = Scenario {
        version: FORMAT_VERSION,
        nodes: hosts
            .iter()
            .zip(&skews)
            .map(|(name, &skew)| Node {
                skew_ms: skew as Time,
                ..Node::named(name.clone())
            })
            .collect(),
        events: Vec::new(),
        messages: Vec::new(),
        settings: Settings::default(),
    };
    let at = |i: usize| (real[i] - base_ms) as Time;
    let mut refs: Vec<EventRef> = vec![EventRef::Local(0); evs.len()];
    for (i, e) in evs.iter().enumerate() {
        match (e.kind, e.partner) {
            (Kind::Send, Some(r)) => {
                refs[i] = EventRef::Send(scenario.messages.len());
                refs[r] = EventRef::Recv(scenario.messages.len());
                scenario
                    .messages
                    .push(Message::between(e.node, at(i), evs[r].node, at(r)));
            }
            (Kind::Recv, Some(_)) => {}
            _ => {
                refs[i] = EventRef::Local(scenario.events.len());
                scenario.events.push(LocalEvent::at(e.node, at(i)));
            }
        }
    }
    scenario.validate().map_err(RecordedError::Invalid)?;
    let trace = sim::replay_valid(&scenario);

    // What the replay says about the log.
    let mut moved = vec![(0usize, 0usize); n];
    let mut differ = vec![(0usize, 0usize, None::<String>); n];
    let mut events = Vec::with_capacity(evs.len());
    for (i, e) in evs.iter().enumerate() {
        let is_moved = real[i] != desired(e);
        if is_moved {
            let m = &mut moved[e.node];
            if m.0 == 0 {
                m.1 = e.line;
            }
            m.0 += 1;
        }
        if let (Some(logged), Some(t)) =
            (e.hlc, trace.index_of(refs[i]).and_then(|k| trace.event(k)))
        {
            let replayed = t.hlc();
            let same =
                i128::from(replayed.l) + base_ms == i128::from(logged.l) && replayed.c == logged.c;
            if !same {
                let d = &mut differ[e.node];
                if d.2.is_none() {
                    d.1 = e.line;
                    let shown = i128::from(replayed.l) + base_ms;
                    d.2 = Some(format!(
                        "first at line {}: the log says {logged}, the replay ({}, {})",
                        e.line, shown, replayed.c
                    ));
                }
                d.0 += 1;
            }
        }
        events.push(RecordedEvent {
            line: e.line,
            node: e.node,
            event: refs[i],
            wall_ns: e.wall_ns,
            hlc: e.hlc,
            moved: is_moved,
        });
    }
    for h in 0..n {
        let name = short(&hosts[h]);
        let (count, line) = moved[h];
        if count > 0 {
            reports.note(
                line,
                format!(
                    "{host} {name}: {count} event(s) drawn later than their wall clock says (first at {unit} {line}): the diagram has 1 ms steps and keeps each {host}'s events in {source} order and every receive after its send, so two events in one millisecond, a clock running backwards, or a receive the estimated offsets would put before its send move later",
                    host = words.host,
                    unit = words.unit,
                    source = words.source
                ),
            );
        }
        if let (count, line, Some(first)) = &differ[h] {
            reports.note(
                *line,
                format!(
                    "host {name}: {count} HLC timestamp(s) in the log differ from HLC replayed on the recorded wall clocks ({first}; l in wall-clock ms)"
                ),
            );
        }
    }
    let pt_back = scenario
        .messages
        .iter()
        .enumerate()
        .filter(|(k, _)| {
            let pt = |r| {
                trace
                    .index_of(r)
                    .and_then(|x| trace.event(x))
                    .map(|t| t.pt())
            };
            pt(EventRef::Recv(*k)) < pt(EventRef::Send(*k))
        })
        .count();
    if pt_back > 0 {
        notes_first.push(format!(
            "{pt_back} of {} messages arrive when the receiver's wall clock reads less than the sender's did (the clocks' offsets): marked pt back in the table; HLC still orders each receive after its send",
            scenario.messages.len()
        ));
    }
    notes_first.push(format!(
        "Time 0 on the diagram is {} ms on {reference}'s wall clock ({}); add it to a pt or l shown here to read the {}'s value.",
        base_ms, words.epoch, words.source
    ));
    let (skipped, notes) = reports.finish();
    notes_first.extend(notes);
    Ok(Recorded {
        imported: Imported {
            scenario,
            skipped,
            notes: notes_first,
        },
        offsets,
        offsets_consistent: consistent,
        base_ms,
        events,
    })
}
