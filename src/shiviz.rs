//! ShiViz and GoVector logs: [`export`] a replayed execution so
//! [ShiViz](https://bestchai.bitbucket.io/shiviz/) can draw it, and [`import`]
//! a ShiViz or GoVector log as a [`Scenario`], so traces of real systems can be
//! drawn here.
//!
//! # The formats, as their sources state them
//!
//! * **ShiViz** reads a log with a regular expression that has three named
//!   groups: `event` (the description), `host` (who executed it) and `clock`
//!   (the vector clock, "in JSON format"). A log uploaded as a file has the
//!   regular expression on its first line and the multiple-executions delimiter
//!   on its second; "If left empty, the default regular expression
//!   `(?<event>.*)\n(?<host>\S*) (?<clock>{.*})` will be used" — so the default
//!   format is *the event line, then a line `host {"host":n, ...}`*.
//!   Source: `index.html` of `DistributedClocks/shiviz` (the upload help text
//!   and the "What is the input log format" section).
//! * ShiViz applies the expression repeatedly over the whole text
//!   (`js/model/parser.js`, a `RegExp` with the `g` flag and no `m` flag, from
//!   `js/util/regexp.js`), so text that does not match is ignored, and `.` stops
//!   at a line end. The clock goes through `JSON.parse`; the host must have its
//!   own entry ("Local host … is missing from timestamp") and zero entries are
//!   dropped (`js/model/vectorTimestamp.js`). A host's events are ordered by its
//!   own entry, which must start at 1 and grow by exactly 1; an event's parents
//!   are the events named by the entries that grew past what its host knew,
//!   minus those another candidate already knew (`js/model/modelGraph.js`).
//! * **GoVector** writes each event as the clock line *then* the event line:
//!   `logThis` writes `ProcessID + " " + VCString + "\n" + Message + "\n"`
//!   (`govec/govec.go` of `DistributedClocks/GoVector`); `InitGoVector` logs
//!   `Initialization Complete` with the clock `{"pid":1}`. The clock string is
//!   `{"a":1, "b":2}`: keys sorted, `", "` between entries, names written with
//!   `%s` (not JSON-escaped) (`govec/vclock/vclock.go`, `ReturnVCString`). To
//!   view the logs, GoVector's `example/shiviz.sh` writes the regular expression
//!   `(?<host>\S*) (?<clock>{.*})\n(?<event>.*)` and a blank line, then
//!   concatenates every process's log — so a GoVector file may start with that
//!   line. Its README shows the output
//!   `MyProcess {"MyProcess":1}` / `Initialization Complete` / ….
//!
//! # Export
//!
//! [`export`] writes ShiViz's default format, in replay order, preceded by a
//! three-line header: the default regular expression ([`SHIVIZ_REGEX`]), an
//! empty delimiter line (so the file can be *uploaded* to ShiViz as is), and
//! `# hlcviz nodes: ["A","B"]`, the node list, which keeps the node order and
//! nodes without events through a round trip. ShiViz ignores the header when the
//! text is pasted (none of it matches the expression). Each event is a line such
//! as `send m0 to B, hlc (200, 0)`, `receive m0 from A, hlc (600, 1)` or
//! `local e3, hlc (600, 2)`, then `A {"A":3,"B":1}` (only non-zero entries).
//! ShiViz's host group is `\S*`, so whitespace (and control characters) in a
//! node name become `_`; a name that then clashes with an earlier one gets
//! `_2`, `_3`, … (kept within 64 characters).
//!
//! # Import
//!
//! [`import`] reads both orders (event line first, as ShiViz's default; clock
//! line first, as GoVector), an optional leading regular-expression line (which
//! decides the order; without it the first lines do), blank lines and CRLF.
//! Nothing is dropped silently: a line that cannot be used is listed in
//! [`Imported::skipped`], and everything inferred or adjusted in
//! [`Imported::notes`]. See `docs/shiviz.md` for the whole list; in short:
//!
//! * nodes are the hosts in order of first appearance (after those of an
//!   `# hlcviz nodes:` line); names longer than 64 characters are cut and
//!   control characters replaced;
//! * a clock whose JSON is malformed, that lacks its own host's entry, or whose
//!   own entry repeats an earlier one is skipped; one that jumps (not
//!   previous + 1) or names a host that logs no event is noted;
//! * messages come from the vector clocks: an event `e` on `h` whose clock
//!   raises another host's entry above what `h` knew received a message, and its
//!   sender is the `VC(e)[g]`-th event `s` of a host `g` with
//!   `VC(e)[k] == max(known_h[k], VC(s)[k])` for every `k != h`. Descriptions
//!   `send mN` / `receive mN` (what [`export`] writes) pair messages directly,
//!   which also keeps a message whose receiver already knew everything it
//!   carried;
//! * real times are not in a log: in a topological order, each event is put
//!   10 ms after the later of its node's previous event and its sends; a log
//!   event that is several model events (a receive that also sends, a send
//!   received by several hosts) becomes several events 1 ms apart, receives
//!   first.

use crate::scenario::{
    EventRef, LocalEvent, Message, Node, Scenario, ScenarioError, Settings, FORMAT_VERSION,
    MAX_EVENTS, MAX_NAME_CHARS, MAX_NODES,
};
use crate::sim::{Trace, TraceEvent};
use hlc::Time;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write as _};
use std::iter::Peekable;

/// Largest log [`import`] reads, in bytes (16 MiB).
pub const MAX_IMPORT_BYTES: usize = 16 * 1024 * 1024;
/// ShiViz's default parsing expression: the event line, then `host {clock}`.
/// Paste it into ShiViz's "Log parsing regular expression" box (or leave the
/// box empty) for a log made by [`export`].
pub const SHIVIZ_REGEX: &str = r"(?<event>.*)\n(?<host>\S*) (?<clock>{.*})";
/// The expression GoVector's `shiviz.sh` writes: `host {clock}`, then the event.
pub const GOVECTOR_REGEX: &str = r"(?<host>\S*) (?<clock>{.*})\n(?<event>.*)";
/// The header line that lists the nodes, followed by a JSON array of names.
pub const NODES_LINE_PREFIX: &str = "# hlcviz nodes:";
/// Real time between an imported event and what it follows, ms.
pub const EVENT_GAP_MS: Time = 10;
/// Real time between the parts of a split log event, ms.
pub const SPLIT_GAP_MS: Time = 1;
/// Most entries listed in [`Imported::skipped`] and in [`Imported::notes`];
/// the rest are counted in a last note.
pub const MAX_LISTED: usize = 1_000;
/// [`SkippedLine::text`] keeps at most this many characters of the line.
pub const SKIPPED_TEXT_CHARS: usize = 120;
/// Most entries one clock may have (duplicates included).
const MAX_CLOCK_ENTRIES: usize = 256;
/// Most `host {` split points tried on one clock line.
const MAX_SPLIT_ATTEMPTS: usize = 4;
/// Longest `# hlcviz nodes:` list read, in bytes.
const MAX_NODES_LINE_BYTES: usize = 64 * 1024;
/// Names in reports are cut to this many characters.
const SHORT_CHARS: usize = 40;

// ---------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------

/// The replayed execution as a ShiViz log in its default format (see the module
/// docs): a header, then per event, in replay order, its description line and
/// its `host {clock}` line.
///
/// ```
/// use hlcviz::{app::default_scenario, shiviz, sim::replay};
/// let scenario = default_scenario();
/// let log = shiviz::export(&scenario, &replay(&scenario).unwrap());
/// assert!(log.starts_with(shiviz::SHIVIZ_REGEX));
/// assert!(log.contains("send m0 to B, hlc (200, 0)\nA {\"A\":2}\n"));
/// ```
pub fn export(scenario: &Scenario, trace: &Trace) -> String {
    let count = scenario.nodes.len().max(trace.node_count());
    let names = export_names(scenario, count);
    let mut out = String::with_capacity(128 + trace.events().len().saturating_mul(48));
    out.push_str(SHIVIZ_REGEX);
    out.push_str("\n\n");
    out.push_str(NODES_LINE_PREFIX);
    out.push(' ');
    out.push_str(&serde_json::to_string(&names).unwrap_or_else(|_| "[]".to_string()));
    out.push('\n');
    for (index, event) in trace.events().iter().enumerate() {
        describe(&mut out, scenario, &names, event);
        out.push('\n');
        out.push_str(name_at(&names, event.node));
        out.push(' ');
        write_clock(&mut out, &names, trace.vector(index));
        out.push('\n');
    }
    out
}

/// The names [`export`] writes for nodes `0..count`: whitespace and control
/// characters replaced by `_`, clashes made unique with `_2`, `_3`, ...
pub fn export_names(scenario: &Scenario, count: usize) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(count);
    for i in 0..count {
        let raw = scenario
            .nodes
            .get(i)
            .map_or_else(|| format!("N{i}"), |n| n.name.clone());
        let mut base: String = raw
            .chars()
            .map(|c| if breaks_host_token(c) { '_' } else { c })
            .collect();
        if base.is_empty() {
            base.push('_');
        }
        let name = unique_name(&base, &names);
        names.push(name);
    }
    names
}

/// A character ShiViz's `\S*` host group (JavaScript `\s`) or `.` would stop at.
fn breaks_host_token(c: char) -> bool {
    c.is_whitespace() || c.is_control() || c == '\u{feff}'
}

/// `base`, or `base_2`, `base_3`, ... (cut to fit [`MAX_NAME_CHARS`]) if taken.
fn unique_name(base: &str, taken: &[String]) -> String {
    let is_taken = |candidate: &str| taken.iter().any(|t| t == candidate);
    if !is_taken(base) {
        return base.to_string();
    }
    // Among taken.len() + 1 distinct suffixes at least one is free.
    for k in 2..taken.len().saturating_add(3) {
        let suffix = format!("_{k}");
        let keep = MAX_NAME_CHARS.saturating_sub(suffix.len());
        let candidate: String = base.chars().take(keep).chain(suffix.chars()).collect();
        if !is_taken(&candidate) {
            return candidate;
        }
    }
    format!("{base}_{}", taken.len().saturating_add(2))
}

fn name_at(names: &[String], node: usize) -> &str {
    names.get(node).map_or("?", String::as_str)
}

fn describe(out: &mut String, scenario: &Scenario, names: &[String], event: &TraceEvent) {
    let _ = match event.source {
        EventRef::Local(i) => write!(out, "local e{i}"),
        EventRef::Send(i) => match scenario.messages.get(i) {
            Some(m) => write!(out, "send m{i} to {}", name_at(names, m.to)),
            None => write!(out, "send m{i}"),
        },
        EventRef::Recv(i) => {
            let _ = match scenario.messages.get(i) {
                Some(m) => write!(out, "receive m{i} from {}", name_at(names, m.from)),
                None => write!(out, "receive m{i}"),
            };
            if event.rejection.is_some() {
                out.push_str(", rejected by the max-offset bound");
            } else if event.refused() {
                out.push_str(", refused: a node had stopped");
            }
            Ok(())
        }
    };
    let _ = write!(out, ", hlc {}", event.hlc());
}

fn write_clock(out: &mut String, names: &[String], vector: &[u32]) {
    out.push('{');
    let mut first = true;
    for (node, &value) in vector.iter().enumerate() {
        if value == 0 {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        let key = serde_json::to_string(name_at(names, node)).unwrap_or_default();
        let _ = write!(out, "{key}:{value}");
    }
    out.push('}');
}

// ---------------------------------------------------------------------------
// Import: public types
// ---------------------------------------------------------------------------

/// A line [`import`] could not use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedLine {
    /// 1-based line number (for a pair, its clock line).
    pub line: usize,
    /// The line, cut to [`SKIPPED_TEXT_CHARS`] characters.
    pub text: String,
    /// Why it was skipped.
    pub reason: String,
}

/// A log read as a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The scenario; it passes [`Scenario::validate`].
    pub scenario: Scenario,
    /// Lines that could not be used, by line number.
    pub skipped: Vec<SkippedLine>,
    /// What was inferred or adjusted (split events, clock jumps, messages that
    /// could not be placed, ...), each naming its line, in line order.
    pub notes: Vec<String>,
}

/// Why a log could not be imported at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// More than [`MAX_IMPORT_BYTES`].
    TooLarge {
        /// Size of the input.
        bytes: usize,
    },
    /// More clock lines than [`MAX_EVENTS`] (counted before anything is read).
    TooManyEvents {
        /// The first clock line past the limit.
        line: usize,
    },
    /// Splitting log events would give the scenario more than [`MAX_EVENTS`]
    /// events (a message counting as two).
    TooManyScenarioEvents {
        /// Clock line of the log event that crossed the limit.
        line: usize,
    },
    /// More hosts than [`MAX_NODES`].
    TooManyHosts {
        /// Where the first host past the limit appears.
        line: usize,
        /// Its name (cut to 40 characters).
        host: String,
    },
    /// The leading regular expression is not one of the two-line formats.
    UnsupportedRegex {
        /// Its line.
        line: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// No event could be read.
    NoEvents {
        /// The first skipped line, if any.
        first_problem: Option<SkippedLine>,
    },
    /// The scenario built fails validation (a bug; never expected).
    Invalid(ScenarioError),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::TooLarge { bytes } => write!(
                f,
                "the log is {bytes} bytes, more than the limit of {MAX_IMPORT_BYTES} bytes (16 MiB); nothing was read"
            ),
            ImportError::TooManyEvents { line } => write!(
                f,
                "line {line}: the log has more than {MAX_EVENTS} clock lines, the most events a scenario may have; nothing was read"
            ),
            ImportError::TooManyScenarioEvents { line } => write!(
                f,
                "line {line}: the scenario would have more than {MAX_EVENTS} events (a message counts as two, a split log event as several)"
            ),
            ImportError::TooManyHosts { line, host } => write!(
                f,
                "line {line}: host `{host}` is one more than the limit of {MAX_NODES} hosts"
            ),
            ImportError::UnsupportedRegex { line, reason } => {
                write!(f, "line {line}: unsupported regular expression: {reason}")
            }
            ImportError::NoEvents { first_problem } => {
                write!(f, "no event could be read from the log")?;
                match first_problem {
                    Some(p) => write!(f, "; line {}: {}", p.line, p.reason),
                    None => write!(f, " (it has no `host {{clock}}` line)"),
                }
            }
            ImportError::Invalid(e) => write!(f, "the imported scenario is invalid: {e}"),
        }
    }
}

impl std::error::Error for ImportError {}

// ---------------------------------------------------------------------------
// Import: lines
// ---------------------------------------------------------------------------

/// Which line of a pair comes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    /// ShiViz's default: event line, then clock line.
    EventFirst,
    /// GoVector: clock line, then event line.
    ClockFirst,
}

/// What an event line says about a message, in [`export`]'s words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    None,
    Send(u64),
    Recv(u64),
}

fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> + Clone {
    text.split('\n')
        .enumerate()
        .map(|(i, l)| (i.saturating_add(1), l.strip_suffix('\r').unwrap_or(l)))
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// Byte offsets in a trimmed line of each `{` that follows whitespace: where
/// the clock may start.
fn clock_starts(t: &str) -> impl Iterator<Item = usize> + '_ {
    t.char_indices()
        .filter(move |&(i, c)| {
            c == '{'
                && t.get(..i)
                    .and_then(|p| p.chars().next_back())
                    .is_some_and(char::is_whitespace)
        })
        .map(|(i, _)| i)
}

/// Whether a line has the shape `host {...}` (the JSON is not checked).
fn looks_like_clock(line: &str) -> bool {
    let t = line.trim();
    t.ends_with('}') && clock_starts(t).next().is_some()
}

fn is_regex_line(line: &str) -> bool {
    line.contains("(?<event>") || line.contains("(?<clock>") || line.contains("(?<host>")
}

fn is_nodes_line(line: &str) -> bool {
    line.trim_start().starts_with(NODES_LINE_PREFIX)
}

fn regex_order(line: &str) -> Result<Order, &'static str> {
    let event = line.find("(?<event>");
    let clock = line.find("(?<clock>");
    let (Some(event), Some(clock)) = (event, clock) else {
        return Err("it needs the named groups `event`, `host` and `clock`");
    };
    if !line.contains("\\n") {
        return Err("it reads one-line entries; only the two-line formats (an event line and a `host {clock}` line) can be imported");
    }
    Ok(if event < clock {
        Order::EventFirst
    } else {
        Order::ClockFirst
    })
}

fn parse_tag(event: &str) -> Tag {
    let t = event.trim_start();
    let (send, rest) = if let Some(rest) = t.strip_prefix("send m") {
        (true, rest)
    } else if let Some(rest) = t.strip_prefix("receive m") {
        (false, rest)
    } else {
        return Tag::None;
    };
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let (Some(digits), Some(after)) = (rest.get(..end), rest.get(end..)) else {
        return Tag::None;
    };
    if !(after.is_empty() || after.starts_with(',') || after.starts_with(' ')) {
        return Tag::None;
    }
    match digits.parse::<u64>() {
        Ok(id) if send => Tag::Send(id),
        Ok(id) => Tag::Recv(id),
        Err(_) => Tag::None,
    }
}

/// `s` cut to [`SHORT_CHARS`] characters, for reports.
fn short(s: &str) -> String {
    if s.chars().count() <= SHORT_CHARS {
        s.to_string()
    } else {
        let mut cut: String = s.chars().take(SHORT_CHARS - 1).collect();
        cut.push('…');
        cut
    }
}

// ---------------------------------------------------------------------------
// Import: the clock JSON
// ---------------------------------------------------------------------------

/// A clock object's entries in order, the last of duplicate keys winning.
struct ClockEntries(Vec<(String, u64)>);

impl<'de> Deserialize<'de> for ClockEntries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor;
        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = ClockEntries;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "an object of host names to counts")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ClockEntries, A::Error> {
                let mut entries: Vec<(String, u64)> = Vec::new();
                let mut read = 0usize;
                while let Some(key) = map.next_key::<String>()? {
                    let value: u64 = map.next_value()?;
                    read += 1;
                    if read > MAX_CLOCK_ENTRIES {
                        return Err(de::Error::custom(format!(
                            "more than {MAX_CLOCK_ENTRIES} entries"
                        )));
                    }
                    match entries.iter_mut().find(|(k, _)| *k == key) {
                        Some(slot) => slot.1 = value,
                        None => entries.push((key, value)),
                    }
                }
                Ok(ClockEntries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor)
    }
}

/// A list of at most `MAX_NODES + 1` names (enough to tell "too many").
struct NameList(Vec<String>);

impl<'de> Deserialize<'de> for NameList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListVisitor;
        impl<'de> Visitor<'de> for ListVisitor {
            type Value = NameList;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "a list of node names")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NameList, A::Error> {
                let mut names = Vec::new();
                while let Some(name) = seq.next_element::<String>()? {
                    if names.len() > MAX_NODES {
                        return Err(de::Error::custom(format!("more than {MAX_NODES} names")));
                    }
                    names.push(name);
                }
                Ok(NameList(names))
            }
        }
        deserializer.deserialize_seq(ListVisitor)
    }
}

/// serde_json's message without its "at line 1 column N" (which counts within
/// the JSON, not the file).
fn json_reason(e: &serde_json::Error, offset: usize) -> String {
    let mut message = e.to_string();
    if let Some(at) = message.rfind(" at line ") {
        message.truncate(at);
    }
    format!(
        "{message} (character {} of the line)",
        e.column().saturating_add(offset)
    )
}

/// A clock line read: its host (a slice of the line) and entries.
#[derive(Debug)]
struct ParsedClock<'a> {
    host: &'a str,
    own: u32,
    /// Non-zero entries of other hosts.
    others: Vec<(String, u32)>,
}

fn parse_clock_line(line: &str) -> Result<ParsedClock<'_>, String> {
    let t = line.trim();
    let shape = "not a clock line of the form `host {\"host\":1, ...}`";
    if !t.ends_with('}') {
        return Err(shape.to_string());
    }
    let mut first_error = None;
    for start in clock_starts(t).take(MAX_SPLIT_ATTEMPTS) {
        let (Some(host), Some(json)) = (t.get(..start), t.get(start..)) else {
            continue;
        };
        let host = host.trim();
        match serde_json::from_str::<ClockEntries>(json) {
            Ok(ClockEntries(entries)) => return own_entry(host, entries),
            Err(e) => {
                let leading = line.len().saturating_sub(line.trim_start().len());
                let offset = line
                    .get(..leading.saturating_add(start))
                    .map_or(0, |p| p.chars().count());
                first_error.get_or_insert_with(|| {
                    format!(
                        "the clock is not a JSON object of counts: {}",
                        json_reason(&e, offset)
                    )
                });
            }
        }
    }
    Err(first_error.unwrap_or_else(|| shape.to_string()))
}

/// A matched clock (a JSON object; as ShiViz, one written with escaped quotes,
/// `{\"a\":1}` as TLA+ writes it, is read too) for a matched host.
fn parse_clock_json<'h>(host: &'h str, clock: &str) -> Result<ParsedClock<'h>, String> {
    if host.is_empty() {
        return Err("the `host` group matched nothing".to_string());
    }
    let entries = match serde_json::from_str::<ClockEntries>(clock) {
        Ok(ClockEntries(entries)) => entries,
        Err(e) => match serde_json::from_str::<ClockEntries>(&clock.replace("\\\"", "\"")) {
            Ok(ClockEntries(entries)) => entries,
            Err(_) => {
                return Err(format!(
                    "the clock `{}` is not a JSON object of counts: {}",
                    short(clock),
                    json_reason(&e, 0)
                ))
            }
        },
    };
    own_entry(host, entries)
}

/// Finds the host's own entry (for `12345 host {...}` lines, as TSViz-style
/// logs have, the last word of the host part is tried too).
fn own_entry(host: &str, entries: Vec<(String, u64)>) -> Result<ParsedClock<'_>, String> {
    let last_word = host.rsplit(char::is_whitespace).next().unwrap_or(host);
    let host = if entries.iter().any(|(k, _)| k == host) {
        host
    } else if entries.iter().any(|(k, _)| k == last_word) {
        last_word
    } else {
        return Err(format!(
            "the clock has no entry for its own host `{}`",
            short(host)
        ));
    };
    let mut own = 0u32;
    let mut others = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        let Ok(value) = u32::try_from(value) else {
            return Err(format!(
                "the clock's entry {value} for `{}` is larger than {}",
                short(&key),
                u32::MAX
            ));
        };
        if key == host {
            own = value;
        } else if value > 0 {
            others.push((key, value));
        }
    }
    if own == 0 {
        return Err(format!(
            "the clock's entry for its own host `{}` is 0 (a host's first event has 1)",
            short(host)
        ));
    }
    Ok(ParsedClock { host, own, others })
}

// ---------------------------------------------------------------------------
// Import: reading
// ---------------------------------------------------------------------------

/// Skipped lines and notes, each list capped at [`MAX_LISTED`].
/// Skipped lines and notes, each list capped at [`MAX_LISTED`] (shared with
/// the recorded-log importer, [`crate::recorded`]).
#[derive(Default)]
pub(crate) struct Reports {
    skipped: Vec<SkippedLine>,
    skipped_unlisted: usize,
    notes: Vec<(usize, String)>,
    notes_unlisted: usize,
}

impl Reports {
    pub(crate) fn skip(&mut self, line: usize, text: &str, reason: impl Into<String>) {
        if self.skipped.len() >= MAX_LISTED {
            self.skipped_unlisted = self.skipped_unlisted.saturating_add(1);
            return;
        }
        self.skipped.push(SkippedLine {
            line,
            text: text.chars().take(SKIPPED_TEXT_CHARS).collect(),
            reason: reason.into(),
        });
    }

    pub(crate) fn note(&mut self, line: usize, text: String) {
        if self.notes.len() >= MAX_LISTED {
            self.notes_unlisted = self.notes_unlisted.saturating_add(1);
            return;
        }
        self.notes.push((line, text));
    }

    pub(crate) fn first_problem(&self) -> Option<SkippedLine> {
        self.skipped.iter().min_by_key(|s| s.line).cloned()
    }

    pub(crate) fn finish(mut self) -> (Vec<SkippedLine>, Vec<String>) {
        self.skipped.sort_by_key(|s| s.line);
        self.notes.sort_by_key(|(line, _)| *line);
        let mut notes: Vec<String> = self.notes.into_iter().map(|(_, text)| text).collect();
        if self.skipped_unlisted > 0 || self.notes_unlisted > 0 {
            notes.push(format!(
                "{} more skipped lines and {} more notes are not listed",
                self.skipped_unlisted, self.notes_unlisted
            ));
        }
        (self.skipped, notes)
    }
}

/// Interned names (hosts and clock keys).
#[derive(Default)]
struct Names {
    ids: HashMap<String, usize>,
    list: Vec<String>,
}

impl Names {
    fn intern(&mut self, name: &str) -> usize {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.list.len();
        self.list.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }
}

/// One log event as read.
struct Record<'a> {
    /// Its clock line.
    line: usize,
    text: &'a str,
    name: usize,
    own: u32,
    /// Range of `Reader::entries` (name id, value).
    start: usize,
    end: usize,
    tag: Tag,
    /// The time its host recorded, ns since the epoch (matched logs only).
    time_ns: Option<i64>,
}

#[derive(Default)]
struct Reader<'a> {
    names: Names,
    /// Name ids of the hosts, in order of first appearance.
    hosts: Vec<usize>,
    node_of: HashMap<usize, usize>,
    records: Vec<Record<'a>>,
    entries: Vec<(usize, u32)>,
    reports: Reports,
    nodes_line_seen: bool,
}

impl<'a> Reader<'a> {
    fn add_host(&mut self, name: usize, line: usize, raw: &str) -> Result<(), ImportError> {
        if self.node_of.contains_key(&name) {
            return Ok(());
        }
        if self.hosts.len() >= MAX_NODES {
            return Err(ImportError::TooManyHosts {
                line,
                host: short(raw),
            });
        }
        self.node_of.insert(name, self.hosts.len());
        self.hosts.push(name);
        Ok(())
    }

    fn nodes_line(&mut self, line: usize, text: &str) -> Result<(), ImportError> {
        self.nodes_line_seen = true;
        let json = text
            .trim_start()
            .strip_prefix(NODES_LINE_PREFIX)
            .unwrap_or("")
            .trim();
        if json.len() > MAX_NODES_LINE_BYTES {
            self.reports.skip(
                line,
                text,
                "the node list is too long to be a list of names",
            );
            return Ok(());
        }
        match serde_json::from_str::<NameList>(json) {
            Ok(NameList(list)) => {
                for name in list {
                    if is_blank(&name) {
                        self.reports
                            .note(line, format!("line {line}: a blank node name is ignored"));
                        continue;
                    }
                    let id = self.names.intern(&name);
                    self.add_host(id, line, &name)?;
                }
            }
            Err(e) if e.to_string().starts_with("more than") => {
                return Err(ImportError::TooManyHosts {
                    line,
                    host: "(the node list)".to_string(),
                })
            }
            Err(e) => self.reports.skip(
                line,
                text,
                format!("not a list of node names: {}", json_reason(&e, 0)),
            ),
        }
        Ok(())
    }

    /// One event: its optional event line and its clock line.
    fn pair(
        &mut self,
        event: Option<(usize, &'a str)>,
        (line, text): (usize, &'a str),
    ) -> Result<(), ImportError> {
        let parsed = match parse_clock_line(text) {
            Ok(parsed) => parsed,
            Err(reason) => {
                let reason = match event {
                    Some((event_line, _)) => {
                        format!("{reason}; its event (line {event_line}) is skipped with it")
                    }
                    None => reason,
                };
                self.reports.skip(line, text, reason);
                return Ok(());
            }
        };
        if event.is_none() {
            self.reports.note(
                line,
                format!("line {line}: a clock line without its event line; the event is imported without a description"),
            );
        }
        self.push(&parsed, line, text, event.map(|(_, t)| t), None)
    }

    /// One event matched by a parser expression: its host, clock, event
    /// text and recorded time (see [`crate::logimport`]).
    pub(crate) fn record(
        &mut self,
        line: usize,
        host: &'a str,
        clock: &'a str,
        event: &'a str,
        time_ns: Option<i64>,
    ) -> Result<(), ImportError> {
        match parse_clock_json(host.trim(), clock.trim()) {
            Ok(parsed) => self.push(&parsed, line, clock, Some(event), time_ns),
            Err(reason) => {
                self.reports.skip(line, clock, reason);
                Ok(())
            }
        }
    }

    fn push(
        &mut self,
        parsed: &ParsedClock<'_>,
        line: usize,
        text: &'a str,
        event: Option<&str>,
        time_ns: Option<i64>,
    ) -> Result<(), ImportError> {
        let name = self.names.intern(parsed.host);
        self.add_host(name, line, parsed.host)?;
        let start = self.entries.len();
        for (key, value) in &parsed.others {
            let id = self.names.intern(key);
            self.entries.push((id, *value));
        }
        self.records.push(Record {
            line,
            text,
            name,
            own: parsed.own,
            start,
            end: self.entries.len(),
            tag: event.map_or(Tag::None, parse_tag),
            time_ns,
        });
        Ok(())
    }
}

/// Reads a ShiViz (event line, then `host {clock}`) or GoVector (`host
/// {clock}`, then event line) log as a scenario. See the module docs and
/// `docs/shiviz.md` for what is inferred and reported. Never panics.
///
/// ```
/// let log = "a {\"a\":1}\nInitialization Complete\n\
///            a {\"a\":2}\nSending Message\n\
///            b {\"b\":1}\nInitialization Complete\n\
///            b {\"a\":2, \"b\":2}\nReceiving Message\n";
/// let imported = hlcviz::shiviz::import(log).unwrap();
/// assert_eq!(imported.scenario.nodes.len(), 2);
/// assert_eq!(imported.scenario.messages.len(), 1);
/// assert!(imported.skipped.is_empty());
/// ```
pub fn import(text: &str) -> Result<Imported, ImportError> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge { bytes: text.len() });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);

    // Count before reading: every event has a clock line.
    let mut clock_lines = 0usize;
    for (line, content) in numbered_lines(text) {
        if looks_like_clock(content) {
            clock_lines += 1;
            if clock_lines > MAX_EVENTS {
                return Err(ImportError::TooManyEvents { line });
            }
        }
    }

    let mut reader = Reader::default();
    let mut lines = numbered_lines(text)
        .filter(|(_, l)| !is_blank(l))
        .peekable();
    let order = read_header(&mut lines, &mut reader)?;
    while let Some((no, line)) = lines.next() {
        if reader.records.is_empty() && !reader.nodes_line_seen && is_nodes_line(line) {
            reader.nodes_line(no, line)?;
            continue;
        }
        match order {
            Order::EventFirst => {
                if lines
                    .peek()
                    .is_some_and(|&(_, next)| looks_like_clock(next))
                {
                    if let Some(clock) = lines.next() {
                        reader.pair(Some((no, line)), clock)?;
                    }
                } else if looks_like_clock(line) {
                    reader.pair(None, (no, line))?;
                } else {
                    reader.reports.skip(
                        no,
                        line,
                        "no `host {clock}` line follows this line (ShiViz's default format is the event line, then the clock line)",
                    );
                }
            }
            Order::ClockFirst => {
                if looks_like_clock(line) {
                    let next_is_event = lines.peek().is_some_and(|&(_, next)| {
                        !(looks_like_clock(next) && parse_clock_line(next).is_ok())
                    });
                    let event = if next_is_event { lines.next() } else { None };
                    reader.pair(event, (no, line))?;
                } else {
                    reader.reports.skip(
                        no,
                        line,
                        "no `host {clock}` line comes before this line (GoVector writes the clock line, then the event line)",
                    );
                }
            }
        }
    }
    build(reader)
}

/// One event as a parser expression matched it ([`crate::logimport`]).
pub(crate) struct Matched<'a> {
    /// 1-based line where the match starts.
    pub line: usize,
    pub host: &'a str,
    pub clock: &'a str,
    pub event: &'a str,
    /// The time its host recorded, ns since the epoch.
    pub time_ns: Option<i64>,
}

/// The building half of a matched log's import: the same inference as
/// [`import`] (hosts, clocks, messages), and with `time_words` (how the times
/// were read) events placed by their recorded times. `notes` (line, text) are
/// added to the import's notes.
pub(crate) fn import_matched(
    records: &[Matched<'_>],
    time_words: Option<&str>,
    notes: Vec<(usize, String)>,
) -> Result<Imported, ImportError> {
    if let Some(past) = records.get(MAX_EVENTS) {
        return Err(ImportError::TooManyEvents { line: past.line });
    }
    let mut reader = Reader::default();
    for (line, text) in notes {
        reader.reports.note(line, text);
    }
    for m in records {
        reader.record(m.line, m.host, m.clock, m.event, m.time_ns)?;
    }
    build_timed(reader, time_words)
}

/// Reads an optional regular-expression line (and the delimiter line after
/// it) and decides the order of the lines.
fn read_header<'a, I>(
    lines: &mut Peekable<I>,
    reader: &mut Reader<'a>,
) -> Result<Order, ImportError>
where
    I: Iterator<Item = (usize, &'a str)> + Clone,
{
    if let Some(&(no, first)) = lines.peek() {
        if is_regex_line(first) {
            lines.next();
            let order = regex_order(first)
                .map_err(|reason| ImportError::UnsupportedRegex { line: no, reason })?;
            if let Some(&(next_no, next)) = lines.peek() {
                if next_no == no.saturating_add(1)
                    && !looks_like_clock(next)
                    && !is_nodes_line(next)
                {
                    // ShiViz's file format: line 2 is the multiple-executions
                    // delimiter. An event line is followed by its clock line.
                    let delimiter = match order {
                        Order::ClockFirst => true,
                        Order::EventFirst => {
                            let mut probe = lines.clone();
                            probe.next();
                            !probe.next().is_some_and(|(_, l)| looks_like_clock(l))
                        }
                    };
                    if delimiter {
                        lines.next();
                        reader.reports.note(
                            next_no,
                            format!(
                                "line {next_no}: `{}` is read as ShiViz's multiple-executions delimiter; executions are not told apart (a repeated clock is skipped)",
                                short(next.trim())
                            ),
                        );
                    }
                }
            }
            return Ok(order);
        }
    }
    let mut probe = lines.clone().filter(|(_, l)| !is_nodes_line(l));
    let first = probe.next().map(|(_, l)| l);
    let second = probe.next().map(|(_, l)| l);
    let strong = |l: &str| looks_like_clock(l) && parse_clock_line(l).is_ok();
    Ok(match first {
        Some(a) if looks_like_clock(a) => {
            if !strong(a) && second.is_some_and(strong) {
                Order::EventFirst
            } else {
                Order::ClockFirst
            }
        }
        _ => Order::EventFirst,
    })
}

// ---------------------------------------------------------------------------
// Import: inference
// ---------------------------------------------------------------------------

/// One kept log event, in node space.
struct Ev<'a> {
    line: usize,
    text: &'a str,
    node: usize,
    own: u32,
    /// Range of `Graph::entries` (node, value), other hosts only, by node.
    start: usize,
    end: usize,
    tag: Tag,
    time_ns: Option<i64>,
}

struct Graph<'a> {
    n: usize,
    evs: Vec<Ev<'a>>,
    entries: Vec<(u8, u32)>,
    /// Each node's events, by own entry.
    by_node: Vec<Vec<usize>>,
    names: Vec<String>,
}

fn at(v: &[u32], k: usize) -> u32 {
    v.get(k).copied().unwrap_or(0)
}

/// `into[k] = max(into[k], from[k])` for every `k` but `skip`.
fn join(into: &mut [u32], from: &[u32], skip: usize) {
    for (k, (a, b)) in into.iter_mut().zip(from).enumerate() {
        if k != skip {
            *a = (*a).max(*b);
        }
    }
}

impl Graph<'_> {
    fn name(&self, node: usize) -> String {
        crate::bidi::isolate(&short(self.names.get(node).map_or("?", String::as_str)))
    }

    fn ev_node(&self, ev: usize) -> usize {
        self.evs.get(ev).map_or(0, |e| e.node)
    }

    fn ev_own(&self, ev: usize) -> u32 {
        self.evs.get(ev).map_or(0, |e| e.own)
    }

    fn ev_line(&self, ev: usize) -> usize {
        self.evs.get(ev).map_or(0, |e| e.line)
    }

    /// The full vector clock of an event.
    fn fill(&self, ev: usize, buf: &mut [u32]) {
        buf.fill(0);
        if let Some(e) = self.evs.get(ev) {
            for &(k, v) in self.entries.get(e.start..e.end).unwrap_or(&[]) {
                if let Some(slot) = buf.get_mut(usize::from(k)) {
                    *slot = v;
                }
            }
            if let Some(slot) = buf.get_mut(e.node) {
                *slot = e.own;
            }
        }
    }

    /// The event of `node` whose own entry is `own`.
    fn find(&self, node: usize, own: u32) -> Option<usize> {
        let list = self.by_node.get(node)?;
        let pos = list.binary_search_by_key(&own, |&i| self.ev_own(i)).ok()?;
        list.get(pos).copied()
    }

    /// For every event, the events it received from.
    fn infer_senders(&self, reports: &mut Reports) -> Vec<Vec<usize>> {
        let n = self.n;
        let mut senders: Vec<Vec<usize>> = vec![Vec::new(); self.evs.len()];
        let mut pairing = Pairing::new(&self.evs);
        let mut known = vec![0u32; n];
        let mut clock = vec![0u32; n];
        let mut other = vec![0u32; n];
        let mut merged = vec![0u32; n];
        for (h, list) in self.by_node.iter().enumerate() {
            known.fill(0);
            for &r in list {
                let Some(ev) = self.evs.get(r) else { continue };
                let own = ev.own;
                self.fill(r, &mut clock);
                if let Some(k) = (0..n).find(|&k| k != h && at(&clock, k) < at(&known, k)) {
                    reports.note(ev.line, format!(
                        "line {}: `{}`'s clock entry for `{}` goes back from {} to {} (a vector clock never decreases); the larger value is kept",
                        ev.line, self.name(h), self.name(k), at(&known, k), at(&clock, k)
                    ));
                }
                merged.copy_from_slice(&known);
                let mut found: Vec<usize> = Vec::new();
                if let Tag::Recv(id) = ev.tag {
                    match pairing.send_for(id) {
                        Ok(s) => {
                            self.fill(s, &mut other);
                            let fits = self.ev_node(s) != h
                                && at(&other, h) < own
                                && (0..n).all(|k| k == h || at(&other, k) <= at(&clock, k));
                            if fits {
                                found.push(s);
                                join(&mut merged, &other, h);
                            } else {
                                reports.note(ev.line, format!(
                                    "line {}: `receive m{id}` does not fit the clocks of `send m{id}` (line {}); the sender is inferred from the clock instead",
                                    ev.line, self.ev_line(s)
                                ));
                            }
                        }
                        Err(why) => reports.note(
                            ev.line,
                            format!(
                                "line {}: `receive m{id}`: {why}; the sender is inferred from the clock instead",
                                ev.line
                            ),
                        ),
                    }
                }
                let raised: Vec<usize> = (0..n)
                    .filter(|&k| k != h && at(&clock, k) > at(&merged, k))
                    .collect();
                if !raised.is_empty() {
                    let single = raised.iter().find_map(|&g| {
                        let s = self.find(g, at(&clock, g))?;
                        self.fill(s, &mut other);
                        let exact = at(&other, h) < own
                            && (0..n).all(|k| {
                                k == h || at(&clock, k) == at(&merged, k).max(at(&other, k))
                            });
                        exact.then_some(s)
                    });
                    match single {
                        Some(s) => found.push(s),
                        None => {
                            self.several_senders(r, &clock, &merged, &raised, &mut found, reports)
                        }
                    }
                }
                join(&mut known, &clock, h);
                found.sort_unstable();
                found.dedup();
                if let Some(slot) = senders.get_mut(r) {
                    *slot = found;
                }
            }
        }
        senders
    }

    /// No single event explains the clock: like ShiViz, take each event the
    /// raised entries name, minus those another candidate already knew.
    fn several_senders(
        &self,
        r: usize,
        clock: &[u32],
        merged: &[u32],
        raised: &[usize],
        found: &mut Vec<usize>,
        reports: &mut Reports,
    ) {
        let n = self.n;
        let h = self.ev_node(r);
        let own = self.ev_own(r);
        let line = self.ev_line(r);
        let mut candidates: Vec<(usize, Vec<u32>)> = Vec::new();
        let mut missing: Vec<usize> = Vec::new();
        for &g in raised {
            let value = at(clock, g);
            let Some(s) = self.find(g, value) else {
                missing.push(g);
                continue;
            };
            let mut vc = vec![0u32; n];
            self.fill(s, &mut vc);
            if at(&vc, h) < own && (0..n).all(|k| k == h || at(&vc, k) <= at(clock, k)) {
                candidates.push((s, vc));
            } else {
                missing.push(g);
            }
        }
        let kept: Vec<usize> = candidates
            .iter()
            .enumerate()
            .filter(|&(c, (sc, vcc))| {
                let (gc, oc) = (self.ev_node(*sc), self.ev_own(*sc));
                !candidates.iter().enumerate().any(|(d, (sd, vcd))| {
                    d != c && at(vcd, gc) >= oc && at(vcc, self.ev_node(*sd)) < self.ev_own(*sd)
                })
            })
            .map(|(_, (s, _))| *s)
            .collect();
        let mut explained = merged.to_vec();
        for (s, vc) in &candidates {
            if kept.contains(s) {
                join(&mut explained, vc, h);
            }
        }
        let unexplained: Vec<String> = (0..n)
            .filter(|&k| k != h && at(clock, k) > at(&explained, k))
            .map(|k| format!("`{}` ({})", self.name(k), at(clock, k)))
            .collect();
        if !missing.is_empty() || !unexplained.is_empty() {
            reports.note(line, format!(
                "line {line}: `{}`'s clock raises its entries for {} but no event in the log can have sent that (the event is missing, or its clock does not fit); that part of the clock is ignored",
                self.name(h),
                if unexplained.is_empty() {
                    missing.iter().map(|&g| format!("`{}`", self.name(g))).collect::<Vec<_>>().join(", ")
                } else {
                    unexplained.join(", ")
                }
            ));
        }
        match kept.len() {
            0 => reports.note(
                line,
                format!("line {line}: no sender found, so it is imported as a local event"),
            ),
            1 => {}
            count => reports.note(line, format!(
                "line {line}: no single event explains `{}`'s clock; it is read as receiving {count} messages, from lines {}",
                self.name(h),
                kept.iter().map(|&s| self.ev_line(s).to_string()).collect::<Vec<_>>().join(", ")
            )),
        }
        found.extend(kept);
    }
}

/// `send mN` / `receive mN` descriptions.
struct Pairing {
    /// Message id to its send; `None` when several events claim it.
    sends: HashMap<u64, Option<usize>>,
    claimed: HashSet<u64>,
}

impl Pairing {
    fn new(evs: &[Ev<'_>]) -> Pairing {
        let mut sends: HashMap<u64, Option<usize>> = HashMap::new();
        for (i, ev) in evs.iter().enumerate() {
            if let Tag::Send(id) = ev.tag {
                sends
                    .entry(id)
                    .and_modify(|slot| *slot = None)
                    .or_insert(Some(i));
            }
        }
        Pairing {
            sends,
            claimed: HashSet::new(),
        }
    }

    fn send_for(&mut self, id: u64) -> Result<usize, &'static str> {
        match self.sends.get(&id) {
            None => Err("no event says it sends that message"),
            Some(None) => Err("several events say they send that message"),
            Some(Some(s)) => {
                if self.claimed.insert(id) {
                    Ok(*s)
                } else {
                    Err("another event already receives that message")
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Import: building the scenario
// ---------------------------------------------------------------------------

/// A display name for a node: control characters replaced, at most
/// [`MAX_NAME_CHARS`] characters, unique.
fn display_name(raw: &str, taken: &[String]) -> String {
    let base: String = raw
        .chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .take(MAX_NAME_CHARS)
        .collect();
    unique_name(&base, taken)
}

fn build(reader: Reader<'_>) -> Result<Imported, ImportError> {
    build_timed(reader, None)
}

/// Builds the scenario; with `time_words` (how the times were read) and
/// times on the events, they are placed by those times (see [`Timing`]).
fn build_timed(reader: Reader<'_>, time_words: Option<&str>) -> Result<Imported, ImportError> {
    let Reader {
        names,
        hosts,
        node_of,
        records,
        entries: raw_entries,
        mut reports,
        ..
    } = reader;
    if hosts.is_empty() {
        return Err(ImportError::NoEvents {
            first_problem: reports.first_problem(),
        });
    }
    let n = hosts.len();
    let mut node_names: Vec<String> = Vec::with_capacity(n);
    for &id in &hosts {
        let raw = names.list.get(id).map_or("?", String::as_str);
        let name = display_name(raw, &node_names);
        node_names.push(name);
    }

    // Node space, per node lists.
    let mut evs: Vec<Ev<'_>> = Vec::with_capacity(records.len());
    let mut entries: Vec<(u8, u32)> = Vec::with_capacity(raw_entries.len());
    let mut by_node: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut unknown_noted: HashSet<usize> = HashSet::new();
    for rec in &records {
        let Some(&node) = node_of.get(&rec.name) else {
            continue;
        };
        let start = entries.len();
        for &(name, value) in raw_entries.get(rec.start..rec.end).unwrap_or(&[]) {
            match node_of.get(&name) {
                Some(&k) if k != node => {
                    if let Ok(k) = u8::try_from(k) {
                        entries.push((k, value));
                    }
                }
                Some(_) => {}
                None => {
                    if unknown_noted.insert(name) {
                        reports.note(rec.line, format!(
                            "line {}: the clock names `{}`, which logs no event; that entry is ignored (ShiViz would refuse it)",
                            rec.line,
                            short(names.list.get(name).map_or("?", String::as_str))
                        ));
                    }
                }
            }
        }
        if let Some(slice) = entries.get_mut(start..) {
            slice.sort_unstable_by_key(|&(k, _)| k);
        }
        if let Some(list) = by_node.get_mut(node) {
            list.push(evs.len());
        }
        evs.push(Ev {
            line: rec.line,
            text: rec.text,
            node,
            own: rec.own,
            start,
            end: entries.len(),
            tag: rec.tag,
            time_ns: rec.time_ns,
        });
    }
    drop(records);
    drop(raw_entries);

    // Each host's events by own entry; repeats skipped, jumps noted.
    for (node, list) in by_node.iter_mut().enumerate() {
        let own = |i: &usize| evs.get(*i).map_or(0, |e| e.own);
        let name = short(node_names.get(node).map_or("?", String::as_str));
        if !list.is_sorted_by_key(own) {
            let line = list.first().and_then(|&i| evs.get(i)).map_or(0, |e| e.line);
            reports.note(line, format!(
                "line {line}: `{name}`'s events are not in the order of its own clock entry in the file; they are read in that order, as ShiViz does"
            ));
            list.sort_by_key(own);
        }
        let mut kept: Vec<usize> = Vec::with_capacity(list.len());
        for &i in list.iter() {
            let Some(ev) = evs.get(i) else { continue };
            let previous = kept.last().and_then(|&p| evs.get(p));
            match previous {
                Some(p) if p.own == ev.own => reports.skip(
                    ev.line,
                    ev.text,
                    format!(
                        "`{name}` already has an event with clock entry {} (line {}); a host's entry grows by exactly 1 per event",
                        ev.own, p.line
                    ),
                ),
                Some(p) => {
                    if ev.own > p.own.saturating_add(1) {
                        reports.note(ev.line, format!(
                            "line {}: `{name}`'s clock entry jumps from {} to {} (expected {}); the events in between are missing from the log",
                            ev.line, p.own, ev.own, p.own.saturating_add(1)
                        ));
                    }
                    kept.push(i);
                }
                None => {
                    if ev.own > 1 {
                        reports.note(ev.line, format!(
                            "line {}: `{name}`'s first event has clock entry {} (expected 1); the events before it are missing from the log",
                            ev.line, ev.own
                        ));
                    }
                    kept.push(i);
                }
            }
        }
        *list = kept;
    }

    let graph = Graph {
        n,
        evs,
        entries,
        by_node,
        names: node_names,
    };
    let senders = graph.infer_senders(&mut reports);
    let timing = time_words.and_then(|words| Timing::new(&graph, &senders, words));
    let Placer {
        events,
        messages,
        timing,
        ..
    } = place(&graph, &senders, timing, &mut reports)?;
    let skews = timing.as_ref().map(|t| t.skews.clone()).unwrap_or_default();
    let scenario = Scenario {
        version: FORMAT_VERSION,
        nodes: graph
            .names
            .iter()
            .enumerate()
            .map(|(k, name)| Node {
                skew_ms: skews.get(k).copied().unwrap_or(0),
                ..Node::named(name.clone())
            })
            .collect(),
        events,
        messages,
        settings: Settings::default(),
    };
    scenario.validate().map_err(ImportError::Invalid)?;
    let (skipped, notes) = reports.finish();
    let notes = match timing {
        Some(timing) => timing.finish(&graph, &scenario, notes),
        None => notes,
    };
    Ok(Imported {
        scenario,
        skipped,
        notes,
    })
}

// ---------------------------------------------------------------------------
// Import: physical time from the log
// ---------------------------------------------------------------------------

/// Events placed by the times their hosts recorded: each host's clock offset
/// is estimated from the messages ([`crate::offsets`], relative to the first
/// host), becomes the node's skew (ms), and an event sits at its recorded time
/// minus that offset, shifted so the diagram starts near 0. Replaying HLC then
/// gives each event its recorded time as `pt` (in ms, minus the shift), as
/// [`crate::recorded`] does for the recorder's logs.
struct Timing {
    /// Per log event, where it should be drawn (ms), if it has a time.
    desired: Vec<Option<Time>>,
    skews: Vec<Time>,
    /// Per node: events drawn later than their time says, and the first line.
    moved: Vec<(usize, usize)>,
    notes_first: Vec<String>,
}

/// The first event is drawn this long after time 0, ms.
const TIME_MARGIN_MS: i128 = 10;

impl Timing {
    fn new(graph: &Graph<'_>, senders: &[Vec<usize>], words: &str) -> Option<Timing> {
        let timed = graph.evs.iter().filter(|e| e.time_ns.is_some()).count();
        if timed == 0 {
            return None;
        }
        let time = |ev: usize| graph.evs.get(ev).and_then(|e| e.time_ns);
        let mut exchanges = Vec::new();
        for (to, list) in senders.iter().enumerate() {
            for &from in list {
                if let (Some(sent), Some(received)) = (time(from), time(to)) {
                    exchanges.push(crate::offsets::Exchange {
                        from: graph.ev_node(from),
                        to: graph.ev_node(to),
                        sent,
                        received,
                    });
                }
            }
        }
        let mut notes_first = vec![format!(
            "Times are read from the log as {words}; {timed} of {} events have one.",
            graph.evs.len()
        )];
        let (offsets, _) = crate::recorded::estimate_offsets(
            &crate::recorded::LOG_WORDS,
            &graph.names,
            &exchanges,
            &mut notes_first,
        );
        let max = i128::from(crate::scenario::MAX_SKEW_MS);
        let skews: Vec<Time> = offsets
            .iter()
            .enumerate()
            .map(|(h, o)| {
                let ms = (o.estimate + 500_000).div_euclid(1_000_000);
                if ms.abs() > max {
                    notes_first.push(format!(
                        "host {}: the offset estimate ({ms} ms) is beyond the ±{max} ms a node's skew may be; its skew is cut to that",
                        short(graph.names.get(h).map_or("?", String::as_str))
                    ));
                }
                ms.clamp(-max, max) as Time
            })
            .collect();
        let real = |e: &Ev<'_>| {
            let skew = i128::from(skews.get(e.node).copied().unwrap_or(0));
            e.time_ns
                .map(|ns| (i128::from(ns).div_euclid(1_000_000) - skew, skew))
        };
        let lowest = graph
            .evs
            .iter()
            .filter_map(real)
            .map(|(t, skew)| t.min(t + skew))
            .min()?;
        let base = lowest - TIME_MARGIN_MS;
        let highest = graph.evs.iter().filter_map(real).map(|(t, _)| t).max()?;
        let limit = i128::from(crate::scenario::MAX_TIME_MS) / 2;
        if highest - base > limit {
            notes_first.push(format!(
                "The times span {} ms, more than the {limit} ms a diagram can show; events are placed in order, 10 ms apart, instead.",
                highest - base
            ));
            return Some(Timing {
                desired: vec![None; graph.evs.len()],
                skews: vec![0; graph.n],
                moved: vec![(0, 0); graph.n],
                notes_first,
            });
        }
        notes_first.push(format!(
            "Time 0 on the diagram is {} ms since the Unix epoch on {}'s clock; add it to a pt or l shown here to read the log's time.",
            base,
            short(graph.names.first().map_or("?", String::as_str))
        ));
        let desired = graph
            .evs
            .iter()
            .map(|e| real(e).map(|(t, _)| (t - base) as Time))
            .collect();
        Some(Timing {
            desired,
            skews,
            moved: vec![(0, 0); graph.n],
            notes_first,
        })
    }

    /// Where log event `r` goes, given the earliest time its node and its
    /// receives allow.
    fn at(&mut self, graph: &Graph<'_>, r: usize, earliest: Time) -> Option<Time> {
        let desired = self.desired.get(r).copied().flatten()?;
        if desired < earliest {
            if let Some(m) = self.moved.get_mut(graph.ev_node(r)) {
                if m.0 == 0 {
                    m.1 = graph.ev_line(r);
                }
                m.0 += 1;
            }
        }
        Some(desired.max(earliest))
    }

    /// The notes: how times were read and the offsets first, then the rest,
    /// then what moved and which messages go back in `pt`.
    fn finish(self, graph: &Graph<'_>, scenario: &Scenario, rest: Vec<String>) -> Vec<String> {
        let mut notes = self.notes_first;
        notes.extend(rest);
        for (h, &(count, line)) in self.moved.iter().enumerate() {
            if count > 0 {
                notes.push(format!(
                    "host {}: {count} event(s) drawn later than their time says (first at line {line}): the diagram has 1 ms steps and keeps each host's events in order and every receive after its send, so two events in one millisecond, a clock running backwards, or a receive the estimated offsets would put before its send move later",
                    short(graph.names.get(h).map_or("?", String::as_str))
                ));
            }
        }
        let trace = crate::sim::replay_valid(scenario);
        let pt = |r: EventRef| {
            trace
                .index_of(r)
                .and_then(|x| trace.event(x))
                .map(|t| t.pt())
        };
        let back = (0..scenario.messages.len())
            .filter(|&k| pt(EventRef::Recv(k)) < pt(EventRef::Send(k)))
            .count();
        if back > 0 {
            notes.push(format!(
                "{back} of {} messages arrive when the receiver's clock reads less than the sender's did in the log (the clocks' offsets): marked pt back in the table; HLC still orders each receive after its send",
                scenario.messages.len()
            ));
        }
        notes
    }
}

/// A message edge between two log events.
struct Edge {
    from: usize,
    to: usize,
    dropped: bool,
    sent_at: Option<Time>,
}

/// Puts every log event on the time line, in a topological order, and turns it
/// into one or more scenario events.
fn place(
    graph: &Graph<'_>,
    senders: &[Vec<usize>],
    timing: Option<Timing>,
    reports: &mut Reports,
) -> Result<Placer, ImportError> {
    let count = graph.evs.len();
    let mut edges: Vec<Edge> = Vec::new();
    let mut incoming: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (to, from_list) in senders.iter().enumerate() {
        for &from in from_list {
            let id = edges.len();
            edges.push(Edge {
                from,
                to,
                dropped: false,
                sent_at: None,
            });
            if let Some(list) = incoming.get_mut(to) {
                list.push(id);
            }
            if let Some(list) = outgoing.get_mut(from) {
                list.push(id);
            }
        }
    }
    for list in &mut outgoing {
        list.sort_by_key(|&e| {
            let to = edges.get(e).map_or(0, |x| x.to);
            (graph.ev_node(to), graph.ev_own(to))
        });
    }

    let mut placer = Placer {
        last: vec![0; graph.n],
        placed: vec![false; count],
        events: Vec::new(),
        messages: Vec::new(),
        model_events: 0,
        timing,
    };
    let mut next = vec![0usize; graph.n];
    let mut remaining: usize = graph.by_node.iter().map(Vec::len).sum();
    while remaining > 0 {
        let mut progress = false;
        for (list, pos) in graph.by_node.iter().zip(next.iter_mut()) {
            while let Some(&r) = list.get(*pos) {
                let ready = incoming.get(r).is_none_or(|ins| {
                    ins.iter().all(|&e| {
                        edges.get(e).is_none_or(|x| {
                            x.dropped || placer.placed.get(x.from).copied().unwrap_or(true)
                        })
                    })
                });
                if !ready {
                    break;
                }
                placer.place(graph, r, &mut edges, &incoming, &outgoing, reports)?;
                *pos += 1;
                remaining = remaining.saturating_sub(1);
                progress = true;
            }
        }
        if progress {
            continue;
        }
        // The clocks form a cycle: place the first waiting event anyway and
        // drop the messages whose senders are not placed yet.
        let waiting = graph
            .by_node
            .iter()
            .zip(next.iter_mut())
            .find_map(|(list, pos)| list.get(*pos).copied().map(|r| (r, pos)));
        let Some((r, pos)) = waiting else { break };
        for &e in incoming.get(r).map_or(&[][..], Vec::as_slice) {
            if let Some(edge) = edges.get_mut(e) {
                if !edge.dropped && !placer.placed.get(edge.from).copied().unwrap_or(true) {
                    edge.dropped = true;
                    let line = graph.ev_line(r);
                    reports.note(line, format!(
                        "line {line}: this event and its sender (line {}) each come after the other by their clocks; that message is dropped",
                        graph.ev_line(edge.from)
                    ));
                }
            }
        }
        placer.place(graph, r, &mut edges, &incoming, &outgoing, reports)?;
        *pos += 1;
        remaining = remaining.saturating_sub(1);
    }
    Ok(placer)
}

struct Placer {
    /// Each node's latest real time.
    last: Vec<Time>,
    placed: Vec<bool>,
    events: Vec<LocalEvent>,
    messages: Vec<Message>,
    model_events: usize,
    timing: Option<Timing>,
}

impl Placer {
    fn place(
        &mut self,
        graph: &Graph<'_>,
        r: usize,
        edges: &mut [Edge],
        incoming: &[Vec<usize>],
        outgoing: &[Vec<usize>],
        reports: &mut Reports,
    ) -> Result<(), ImportError> {
        let h = graph.ev_node(r);
        let line = graph.ev_line(r);
        let mut receives: Vec<(Time, usize)> = incoming
            .get(r)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|&e| {
                let edge = edges.get(e)?;
                if edge.dropped {
                    return None;
                }
                Some((edge.sent_at?, graph.ev_node(edge.from)))
            })
            .collect();
        receives.sort_unstable();
        let sends: Vec<usize> = outgoing
            .get(r)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .copied()
            .filter(|&e| edges.get(e).is_some_and(|x| !x.dropped))
            .collect();

        let parts = (receives.len() + sends.len()).max(1);
        self.model_events = self.model_events.saturating_add(parts);
        if self.model_events > MAX_EVENTS {
            return Err(ImportError::TooManyScenarioEvents { line });
        }
        let last = self.last.get(h).copied().unwrap_or(0);
        let after = receives.iter().map(|&(t, _)| t).fold(last, Time::max);
        let mut t = self
            .timing
            .as_mut()
            .and_then(|timing| timing.at(graph, r, after.saturating_add(SPLIT_GAP_MS)))
            .unwrap_or_else(|| after.saturating_add(EVENT_GAP_MS));
        for &(sent_at_ms, from) in &receives {
            self.messages.push(Message {
                from,
                sent_at_ms,
                to: h,
                received_at_ms: t,
                put: None,
            });
            t = t.saturating_add(SPLIT_GAP_MS);
        }
        let mut receivers: Vec<usize> = Vec::with_capacity(sends.len());
        for &e in &sends {
            if let Some(edge) = edges.get_mut(e) {
                edge.sent_at = Some(t);
                receivers.push(graph.ev_node(edge.to));
            }
            t = t.saturating_add(SPLIT_GAP_MS);
        }
        if receives.is_empty() && sends.is_empty() {
            self.events.push(LocalEvent::at(h, t));
            t = t.saturating_add(SPLIT_GAP_MS);
        }
        if let Some(slot) = self.last.get_mut(h) {
            *slot = t.saturating_sub(SPLIT_GAP_MS);
        }
        if let Some(slot) = self.placed.get_mut(r) {
            *slot = true;
        }
        if parts > 1 {
            let list = |nodes: &mut dyn Iterator<Item = usize>| {
                nodes
                    .map(|k| format!("`{}`", graph.name(k)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let mut what = Vec::new();
            if !receives.is_empty() {
                what.push(format!(
                    "receives {} (from {})",
                    plural(receives.len(), "message"),
                    list(&mut receives.iter().map(|&(_, from)| from))
                ));
            }
            if !sends.is_empty() {
                what.push(format!(
                    "sends {} (to {})",
                    plural(sends.len(), "message"),
                    list(&mut receivers.iter().copied())
                ));
            }
            reports.note(line, format!(
                "line {line}: `{}`'s event {}; a scenario event is one local event, send or receive, so it is split into {parts} events {SPLIT_GAP_MS} ms apart, receives first",
                graph.name(h),
                what.join(" and ")
            ));
        }
        Ok(())
    }
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_lines_are_recognised_by_shape() {
        assert!(looks_like_clock("a {\"a\":1}"));
        assert!(looks_like_clock("My Process {\"My Process\":1}\r"));
        assert!(!looks_like_clock("{\"a\":1}"));
        assert!(!looks_like_clock("a {\"a\":1"));
        assert!(!looks_like_clock("Initialization Complete"));
    }

    #[test]
    fn clock_line_parsing_finds_own_entry_and_drops_zeros() {
        let p = parse_clock_line("b {\"a\":2, \"b\":3, \"c\":0}").unwrap();
        assert_eq!((p.host, p.own), ("b", 3));
        assert_eq!(p.others, vec![("a".to_string(), 2)]);
        let spaced = parse_clock_line("My Process {\"My Process\":1}").unwrap();
        assert_eq!(spaced.host, "My Process");
        let stamped = parse_clock_line("1700000000 node1 {\"node1\":4}").unwrap();
        assert_eq!((stamped.host, stamped.own), ("node1", 4));
        assert!(parse_clock_line("a {\"b\":1}")
            .unwrap_err()
            .contains("own host `a`"));
        assert!(parse_clock_line("a {\"a\":0}")
            .unwrap_err()
            .contains("is 0"));
        assert!(parse_clock_line("a {\"a\":-1}").is_err());
        assert!(parse_clock_line("a {\"a\":1.5}").is_err());
        assert!(parse_clock_line("a {\"a\":99999999999}")
            .unwrap_err()
            .contains("larger"));
        assert!(parse_clock_line("a {\"a\":1,}")
            .unwrap_err()
            .contains("JSON"));
    }

    #[test]
    fn huge_clocks_are_refused_without_reading_them_all() {
        let body: Vec<String> = (0..300).map(|i| format!("\"h{i}\":1")).collect();
        let line = format!("h0 {{{}}}", body.join(","));
        assert!(parse_clock_line(&line)
            .unwrap_err()
            .contains("more than 256"));
    }

    #[test]
    fn tags_read_exported_descriptions_only() {
        assert_eq!(parse_tag("send m12 to B, hlc (1, 0)"), Tag::Send(12));
        assert_eq!(parse_tag("receive m0 from A, hlc (1, 0)"), Tag::Recv(0));
        assert_eq!(parse_tag("receive m3"), Tag::Recv(3));
        assert_eq!(parse_tag("send message"), Tag::None);
        assert_eq!(parse_tag("send m1x"), Tag::None);
        assert_eq!(parse_tag("send m99999999999999999999999"), Tag::None);
        assert_eq!(parse_tag("local e1"), Tag::None);
    }

    #[test]
    fn regex_lines_decide_the_order() {
        assert_eq!(regex_order(SHIVIZ_REGEX), Ok(Order::EventFirst));
        assert_eq!(regex_order(GOVECTOR_REGEX), Ok(Order::ClockFirst));
        assert!(regex_order(r#"(?<host>\w+) "(?<event>.*)" (?<clock>\{.*\})"#).is_err());
        assert!(regex_order(r"(?<host>\S*) (?<clock>{.*})").is_err());
    }

    #[test]
    fn names_are_made_unique_within_the_length_limit() {
        let taken = vec!["a_b".to_string()];
        assert_eq!(unique_name("a_b", &taken), "a_b_2");
        let long = "x".repeat(MAX_NAME_CHARS);
        let name = unique_name(&long, std::slice::from_ref(&long));
        assert_eq!(name.chars().count(), MAX_NAME_CHARS);
        assert!(name.ends_with("_2"));
        assert_eq!(display_name("a\u{7}b", &[]), "a\u{fffd}b");
    }
}
