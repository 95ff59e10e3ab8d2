//! Logs read with a ShiViz parser expression: any log whose events a regular
//! expression with the named groups `event`, `host` and `clock` can match,
//! split into executions by an optional delimiter expression, one execution
//! opened at a time, hosts in the order asked for, and each event's physical
//! time taken from a `date` or `timestamp` group when the expression has one.
//! See `docs/log-import.md`.
//!
//! Import is in two halves:
//!
//! * **matching** ([`match_log`], native only, with the `regex` crate; the page
//!   does the same in `www/log-worker.js` with the browser's `RegExp`): the
//!   text becomes a [`MatchedLog`], per execution one [`LogRecord`] per match
//!   with its named groups as strings and its line number;
//! * **building** ([`build`], shared by the page and the command line): one
//!   execution's records become a [`Scenario`] through the inference of
//!   [`crate::shiviz::import`] (messages from the vector clocks), with the
//!   recorded times when there are any.
//!
//! ShiViz applies the expression with the flags `g` and `m` (so `^` and `$`
//! match at every line, and `.` stops at a line end) to the log split at each
//! match of the delimiter (`js/shiviz.js`, `js/model/parser.js`); text between
//! matches is ignored. Here the same, with `\r\n` read as `\n` first and the
//! ignored lines counted in a note. A delimiter's `trace` group names its
//! execution, as in ShiViz.

use crate::logtime;
use crate::scenario::{Scenario, MAX_EVENTS};
use crate::shiviz::{self, ImportError, Imported, Matched, MAX_IMPORT_BYTES};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest parser or delimiter expression, in characters.
pub const MAX_PATTERN_CHARS: usize = 4096;
/// Most executions a log may be split into.
pub const MAX_EXECUTIONS: usize = 1000;
/// A matched `host`, `event` or time text is cut to this many bytes.
pub const MAX_FIELD_BYTES: usize = 1024;
/// A matched `clock` longer than this (bytes) is cut (and then fails to read).
pub const MAX_CLOCK_BYTES: usize = 64 * 1024;
/// Largest matched log read from JSON (what the page's worker sends), bytes.
pub const MAX_MATCHED_JSON_BYTES: usize = 3 * MAX_IMPORT_BYTES;
/// An execution's label is cut to this many characters.
pub const MAX_LABEL_CHARS: usize = 80;

/// The groups a parser expression must have.
pub const REQUIRED_GROUPS: [&str; 3] = ["event", "host", "clock"];
/// The groups that give an event's time, the first present is used.
pub const TIME_GROUPS: [&str; 2] = ["date", "timestamp"];

/// A log matched by a parser expression: its executions, in log order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchedLog {
    /// `date` or `timestamp` when the expression has that group.
    #[serde(default)]
    pub time_group: Option<String>,
    /// The executions, at least one.
    #[serde(deserialize_with = "executions")]
    pub executions: Vec<Execution>,
}

/// One execution of a log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Execution {
    /// Its delimiter's `trace` group (or the delimiter's text); empty for the
    /// text before the first delimiter, or when there is no delimiter.
    #[serde(default)]
    pub label: String,
    /// 1-based line where its text starts.
    pub line: usize,
    /// Its events, in log order.
    #[serde(deserialize_with = "records")]
    pub records: Vec<LogRecord>,
    /// Non-blank lines no match touches.
    #[serde(default)]
    pub unmatched: usize,
    /// The first of them: its line number and text (cut).
    #[serde(default)]
    pub first_unmatched: Option<(usize, String)>,
}

/// One match: the groups the building needs, as strings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogRecord {
    /// 1-based line where the match starts.
    #[serde(rename = "l")]
    pub line: usize,
    /// The `host` group.
    #[serde(rename = "h", default)]
    pub host: String,
    /// The `clock` group.
    #[serde(rename = "c", default)]
    pub clock: String,
    /// The `event` group.
    #[serde(rename = "e", default)]
    pub event: String,
    /// The `date` or `timestamp` group.
    #[serde(rename = "t", default)]
    pub time: Option<String>,
}

fn executions<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Execution>, D::Error> {
    crate::scenario::bounded::bounded(d, MAX_EXECUTIONS, "executions")
}

fn records<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<LogRecord>, D::Error> {
    crate::scenario::bounded::bounded(d, MAX_EVENTS, "events")
}

/// The order of the nodes (ShiViz's "sort processes" options).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HostOrder {
    /// By first appearance in the log (this page's default).
    #[default]
    Log,
    /// By first appearance, last first.
    LogReversed,
    /// Most events first (ShiViz's default); ties by appearance.
    MostEvents,
    /// Fewest events first; ties by appearance.
    FewestEvents,
}

impl HostOrder {
    /// The names the command line and the page use.
    pub const NAMES: [&'static str; 4] = ["log", "log-reversed", "most-events", "fewest-events"];

    /// Reads one of [`HostOrder::NAMES`].
    pub fn parse(name: &str) -> Option<HostOrder> {
        match name {
            "log" => Some(HostOrder::Log),
            "log-reversed" => Some(HostOrder::LogReversed),
            "most-events" => Some(HostOrder::MostEvents),
            "fewest-events" => Some(HostOrder::FewestEvents),
            _ => None,
        }
    }
}

/// Why a log could not be matched or built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogImportError {
    /// An expression could not be compiled.
    BadPattern {
        /// `parser` or `delimiter`.
        which: &'static str,
        /// Why.
        reason: String,
    },
    /// The parser lacks a required group.
    MissingGroups {
        /// The missing names.
        missing: Vec<&'static str>,
    },
    /// More than [`MAX_IMPORT_BYTES`] (or [`MAX_MATCHED_JSON_BYTES`]).
    TooLarge {
        /// Size of the input.
        bytes: usize,
    },
    /// More than [`MAX_EXECUTIONS`].
    TooManyExecutions {
        /// Where the first execution past the limit starts.
        line: usize,
    },
    /// More than [`MAX_EVENTS`] matches in one execution.
    TooManyEvents {
        /// The first match past the limit.
        line: usize,
    },
    /// An execution (or the log) has no match at all.
    NoMatch {
        /// The execution's label and first line, when the log has several.
        execution: Option<(String, usize)>,
        /// The first non-blank line, and its text (cut).
        first: Option<(usize, String)>,
    },
    /// `execution` is not one of the log's.
    NoSuchExecution {
        /// 1-based, as asked.
        requested: usize,
        /// How many there are.
        count: usize,
    },
    /// A matched log (JSON from the page's worker) that does not parse.
    BadRecords(String),
    /// The building failed.
    Import(ImportError),
}

impl fmt::Display for LogImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LogImportError::BadPattern { which, reason } => {
                write!(f, "the {which} expression is not valid: {reason}")
            }
            LogImportError::MissingGroups { missing } => write!(
                f,
                "the parser expression needs the named groups event, host and clock, as (?<name>...); it lacks {}",
                missing.join(", ")
            ),
            LogImportError::TooLarge { bytes } => write!(
                f,
                "the log is {bytes} bytes, more than the limit of {MAX_IMPORT_BYTES} bytes (16 MiB); nothing was read"
            ),
            LogImportError::TooManyExecutions { line } => write!(
                f,
                "line {line}: the delimiter splits the log into more than {MAX_EXECUTIONS} executions"
            ),
            LogImportError::TooManyEvents { line } => write!(
                f,
                "line {line}: one execution has more than {MAX_EVENTS} events, the most a scenario may have"
            ),
            LogImportError::NoMatch { execution, first } => {
                write!(f, "the parser expression matches no event")?;
                if let Some((label, line)) = execution {
                    write!(f, " in execution `{}` (from line {line})", short(label))?;
                }
                match first {
                    Some((line, text)) => write!(
                        f,
                        "; line {line} is the first it does not match: `{}`",
                        short(text)
                    ),
                    None => write!(f, " (the text is blank)"),
                }
            }
            LogImportError::NoSuchExecution { requested, count } => write!(
                f,
                "there is no execution {requested}: the log has {count} (numbered from 1)"
            ),
            LogImportError::BadRecords(why) => write!(f, "the matched log is not readable: {why}"),
            LogImportError::Import(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for LogImportError {}

impl From<ImportError> for LogImportError {
    fn from(e: ImportError) -> Self {
        LogImportError::Import(e)
    }
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}

/// `s` cut to at most `max` bytes, at a character boundary.
pub(crate) fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// One execution built: the imported scenario and what it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogImport {
    /// The scenario, skipped matches and notes.
    pub imported: Imported,
    /// Every execution's label, in log order (the one built among them).
    pub labels: Vec<String>,
    /// Which execution was built (0-based).
    pub execution: usize,
    /// How the times were read, if the log had a time group.
    pub time_formats: Vec<logtime::Format>,
}

/// Parses a matched log sent as JSON (the page's worker's reply), with its
/// size and counts capped before anything is allocated for them.
pub fn from_json(json: &str) -> Result<MatchedLog, LogImportError> {
    if json.len() > MAX_MATCHED_JSON_BYTES {
        return Err(LogImportError::TooLarge { bytes: json.len() });
    }
    let log: MatchedLog =
        serde_json::from_str(json).map_err(|e| LogImportError::BadRecords(e.to_string()))?;
    if log.executions.is_empty() {
        return Err(LogImportError::BadRecords(
            "it has no execution".to_string(),
        ));
    }
    Ok(log)
}

/// Builds execution `execution` (0-based) of a matched log as a scenario, its
/// hosts in `order`. Never panics.
///
/// ```
/// use hlcviz::logimport::{build, match_log, HostOrder};
/// let log = "[10:00:00.000] a {\"a\":1} hello\n[10:00:00.050] b {\"a\":1,\"b\":1} got it\n";
/// let re = r"\[(?<date>.*?)\] (?<host>\w+) (?<clock>\{.*\}) (?<event>.*)";
/// let matched = match_log(log, re, "").unwrap();
/// let built = build(&matched, 0, HostOrder::Log).unwrap();
/// assert_eq!(built.imported.scenario.messages.len(), 1);
/// ```
pub fn build(
    log: &MatchedLog,
    execution: usize,
    order: HostOrder,
) -> Result<LogImport, LogImportError> {
    let count = log.executions.len();
    let Some(exec) = log.executions.get(execution) else {
        return Err(LogImportError::NoSuchExecution {
            requested: execution.saturating_add(1),
            count,
        });
    };
    if exec.records.is_empty() {
        return Err(LogImportError::NoMatch {
            execution: (count > 1).then(|| (exec.label.clone(), exec.line)),
            first: exec.first_unmatched.clone(),
        });
    }
    if let Some(past) = exec.records.get(MAX_EVENTS) {
        return Err(LogImportError::TooManyEvents { line: past.line });
    }
    let mut notes: Vec<(usize, String)> = Vec::new();
    if count > 1 {
        notes.push((
            0,
            format!(
                "Execution {} of {count}{}: the log's delimiter splits it into {count} executions; one is opened at a time.",
                execution + 1,
                if exec.label.is_empty() {
                    String::new()
                } else {
                    format!(" (`{}`)", short(&exec.label))
                }
            ),
        ));
    }
    if let Some((line, text)) = &exec.first_unmatched {
        notes.push((
            *line,
            format!(
                "{} non-blank line(s) match no event and are ignored, as ShiViz ignores them; the first is line {line}: `{}`",
                exec.unmatched,
                short(text)
            ),
        ));
    }

    // Times.
    let mut formats: Vec<logtime::Format> = Vec::new();
    let mut bad_times = 0usize;
    let mut first_bad: Option<(usize, String)> = None;
    let times: Vec<Option<i64>> = exec
        .records
        .iter()
        .map(|r| {
            let text = r.time.as_deref()?;
            match logtime::parse(cut(text, MAX_FIELD_BYTES)) {
                Ok((ns, format)) => {
                    if !formats.contains(&format) {
                        formats.push(format);
                    }
                    Some(ns)
                }
                Err(why) => {
                    bad_times += 1;
                    first_bad.get_or_insert((r.line, why));
                    None
                }
            }
        })
        .collect();
    if let Some((line, why)) = first_bad {
        notes.push((
            line,
            format!(
                "line {line}: {why}; {bad_times} event(s) have no time that could be read and are placed by order"
            ),
        ));
    }
    formats.sort_unstable();
    let group = log.time_group.as_deref().unwrap_or("time");
    let words = (!formats.is_empty()).then(|| {
        let list: Vec<&str> = formats.iter().map(|f| f.describe()).collect();
        format!("`{group}`: {}", list.join("; "))
    });
    if formats.len() > 1 {
        notes.push((
            0,
            "The times are in more than one format; they are compared as read.".to_string(),
        ));
    }

    let matched: Vec<Matched<'_>> = exec
        .records
        .iter()
        .zip(&times)
        .map(|(r, &time_ns)| Matched {
            line: r.line,
            host: cut(&r.host, MAX_FIELD_BYTES),
            clock: cut(&r.clock, MAX_CLOCK_BYTES),
            event: cut(&r.event, MAX_FIELD_BYTES),
            time_ns,
        })
        .collect();
    let mut imported = shiviz::import_matched(&matched, words.as_deref(), notes)?;
    reorder(&mut imported.scenario, order);
    Ok(LogImport {
        imported,
        labels: log.executions.iter().map(|e| e.label.clone()).collect(),
        execution,
        time_formats: formats,
    })
}

/// Puts the nodes in `order` (events counted per node line: local events,
/// sends and receives). Everything that names a node follows it.
pub fn reorder(scenario: &mut Scenario, order: HostOrder) {
    let n = scenario.nodes.len();
    let mut counts = vec![0usize; n];
    let mut bump = |k: usize| {
        if let Some(c) = counts.get_mut(k) {
            *c += 1;
        }
    };
    for e in &scenario.events {
        bump(e.node);
    }
    for m in &scenario.messages {
        bump(m.from);
        bump(m.to);
    }
    let mut perm: Vec<usize> = (0..n).collect();
    match order {
        HostOrder::Log => return,
        HostOrder::LogReversed => perm.reverse(),
        HostOrder::MostEvents => perm.sort_by_key(|&k| std::cmp::Reverse(counts[k])),
        HostOrder::FewestEvents => perm.sort_by_key(|&k| counts[k]),
    }
    // perm[new] = old; place[old] = new.
    let mut place = vec![0usize; n];
    for (new, &old) in perm.iter().enumerate() {
        place[old] = new;
    }
    let mut old_nodes: Vec<Option<crate::scenario::Node>> = std::mem::take(&mut scenario.nodes)
        .into_iter()
        .map(Some)
        .collect();
    scenario.nodes = perm
        .iter()
        .filter_map(|&old| old_nodes.get_mut(old).and_then(Option::take))
        .collect();
    let at = |k: usize| place.get(k).copied().unwrap_or(k);
    for e in &mut scenario.events {
        e.node = at(e.node);
    }
    for m in &mut scenario.messages {
        m.from = at(m.from);
        m.to = at(m.to);
    }
}

// ---------------------------------------------------------------------------
// Matching, natively
// ---------------------------------------------------------------------------

/// A JavaScript regular expression as the `regex` crate writes it: a `{` or
/// `}` that is not part of a counted repetition (`x{2}`, `x{2,}`, `x{2,5}`)
/// is a literal in JavaScript and is escaped; what the crate cannot do at all
/// (look-around, backreferences) is refused with a reason.
///
/// ```
/// use hlcviz::logimport::translate;
/// assert_eq!(translate(r"(?<clock>{.*})").unwrap(), r"(?<clock>\{.*\})");
/// assert_eq!(translate(r"\d{4}-[{}]").unwrap(), r"\d{4}-[{}]");
/// assert!(translate(r"(?=a)b").unwrap_err().contains("look-around"));
/// ```
#[cfg(not(target_arch = "wasm32"))]
pub fn translate(pattern: &str) -> Result<String, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut i = 0;
    let mut in_class = false;
    let mut can_repeat = false;
    while let Some(&c) = chars.get(i) {
        match c {
            '\\' => {
                let next = chars.get(i + 1).copied();
                match next {
                    Some('1'..='9') if !in_class => {
                        return Err("it uses a backreference (\\1 ... \\9), which the command line's engine does not support; the page's does".to_string())
                    }
                    Some('k') if chars.get(i + 2) == Some(&'<') => {
                        return Err("it uses a named backreference (\\k<name>), which the command line's engine does not support; the page's does".to_string())
                    }
                    // JavaScript's `\/` is a slash; `\-` outside a class a dash.
                    Some(d) => {
                        out.push('\\');
                        out.push(d);
                    }
                    None => out.push('\\'),
                }
                i += 2;
                can_repeat = true;
                continue;
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                // `[^]` and `[]` are JavaScript's "anything" and "nothing".
                if chars.get(i + 1) == Some(&'^') && chars.get(i + 2) == Some(&']') {
                    out.push_str(r"\s\S]");
                    i += 3;
                    in_class = false;
                    can_repeat = true;
                    continue;
                }
                if chars.get(i + 1) == Some(&']') {
                    return Err("it has an empty class [], which matches nothing".to_string());
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
                can_repeat = true;
            }
            '(' if !in_class => {
                let rest: String = chars.iter().skip(i + 1).take(3).collect();
                if rest.starts_with("?=")
                    || rest.starts_with("?!")
                    || rest.starts_with("?<=")
                    || rest.starts_with("?<!")
                {
                    return Err("it uses look-around ((?=...), (?!...), (?<=...), (?<!...)), which the command line's engine does not support; the page's does".to_string());
                }
                out.push('(');
                can_repeat = false;
            }
            '{' if !in_class => {
                let end = chars.iter().skip(i).position(|&x| x == '}').map(|p| p + i);
                let counted = end.is_some_and(|end| {
                    let inner: String = chars.get(i + 1..end).unwrap_or(&[]).iter().collect();
                    let (lo, hi) = inner.split_once(',').unwrap_or((&inner, "0"));
                    !lo.is_empty()
                        && lo.chars().all(|d| d.is_ascii_digit())
                        && hi.chars().all(|d| d.is_ascii_digit())
                });
                match end {
                    Some(end) if counted && can_repeat => {
                        out.extend(chars.get(i..=end).unwrap_or(&[]));
                        i = end + 1;
                        can_repeat = false;
                        continue;
                    }
                    _ => {
                        out.push_str("\\{");
                        can_repeat = true;
                    }
                }
            }
            '}' if !in_class => {
                out.push_str("\\}");
                can_repeat = true;
            }
            '|' | '^' | '$' if !in_class => {
                out.push(c);
                can_repeat = false;
            }
            _ => {
                out.push(c);
                if !in_class {
                    can_repeat = !matches!(c, '*' | '+' | '?');
                }
            }
        }
        i += 1;
    }
    Ok(out)
}

#[cfg(not(target_arch = "wasm32"))]
fn compile(which: &'static str, pattern: &str) -> Result<regex::Regex, LogImportError> {
    if pattern.chars().count() > MAX_PATTERN_CHARS {
        return Err(LogImportError::BadPattern {
            which,
            reason: format!("it is longer than {MAX_PATTERN_CHARS} characters"),
        });
    }
    let translated =
        translate(pattern).map_err(|reason| LogImportError::BadPattern { which, reason })?;
    regex::RegexBuilder::new(&translated)
        .multi_line(true)
        .size_limit(16 * 1024 * 1024)
        .build()
        .map_err(|e| LogImportError::BadPattern {
            which,
            reason: e
                .to_string()
                .lines()
                .rfind(|l| !l.trim().is_empty())
                .unwrap_or("")
                .trim_start_matches("error: ")
                .to_string(),
        })
}

/// Line numbers of byte offsets, counted forwards.
#[cfg(not(target_arch = "wasm32"))]
struct LineCounter<'a> {
    text: &'a str,
    at: usize,
    line: usize,
}

#[cfg(not(target_arch = "wasm32"))]
impl LineCounter<'_> {
    /// The 1-based line of byte `offset` (not before the last one asked).
    fn line_of(&mut self, offset: usize) -> usize {
        if offset > self.at {
            let between = self.text.get(self.at..offset).unwrap_or("");
            self.line += between.bytes().filter(|&b| b == b'\n').count();
            self.at = offset;
        }
        self.line
    }
}

/// A parser expression and an optional delimiter expression, compiled once
/// ([`Expressions::compile`]) and used on any number of logs
/// ([`Expressions::match_log`]). Native only, with the `regex` crate.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone)]
pub struct Expressions {
    parser: regex::Regex,
    delimiter: Option<regex::Regex>,
    time_group: Option<String>,
}

#[cfg(not(target_arch = "wasm32"))]
impl Expressions {
    /// Compiles a parser expression (empty: ShiViz's default,
    /// [`shiviz::SHIVIZ_REGEX`]) and a delimiter (empty: none). JavaScript
    /// syntax the `regex` crate does not share is refused with a reason
    /// ([`translate`]), and so is a parser without the required groups.
    pub fn compile(parser: &str, delimiter: &str) -> Result<Expressions, LogImportError> {
        let parser = match parser.trim() {
            "" => shiviz::SHIVIZ_REGEX,
            p => p,
        };
        let re = compile("parser", parser)?;
        let names: Vec<&str> = re.capture_names().flatten().collect();
        let missing: Vec<&'static str> = REQUIRED_GROUPS
            .into_iter()
            .filter(|g| !names.contains(g))
            .collect();
        if !missing.is_empty() {
            return Err(LogImportError::MissingGroups { missing });
        }
        let time_group = TIME_GROUPS
            .into_iter()
            .find(|g| names.contains(g))
            .map(str::to_string);
        let delimiter = match delimiter.trim() {
            "" => None,
            d => Some(compile("delimiter", d)?),
        };
        Ok(Expressions {
            parser: re,
            delimiter,
            time_group,
        })
    }

    /// Matches a log as ShiViz does (see the module docs). The `regex` crate
    /// runs in time linear in the text, so no expression can hang it.
    pub fn match_log(&self, text: &str) -> Result<MatchedLog, LogImportError> {
        if text.len() > MAX_IMPORT_BYTES {
            return Err(LogImportError::TooLarge { bytes: text.len() });
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let text = text.replace("\r\n", "\n");
        self.match_text(&text)
    }

    /// [`Expressions::match_log`] on a text already without its byte-order
    /// mark and with `\n` line ends.
    fn match_text(&self, text: &str) -> Result<MatchedLog, LogImportError> {
        let re = &self.parser;
        let time_group = &self.time_group;
        // The executions: (label, start, end) byte ranges.
        let mut spans: Vec<(String, usize, usize)> = Vec::new();
        match &self.delimiter {
            None => spans.push((String::new(), 0, text.len())),
            Some(delim) => {
                let has_trace = delim.capture_names().flatten().any(|n| n == "trace");
                let mut label = String::new();
                let mut start = 0;
                for caps in delim.captures_iter(text) {
                    let Some(whole) = caps.get(0) else { continue };
                    if whole.is_empty() {
                        continue;
                    }
                    spans.push((std::mem::take(&mut label), start, whole.start()));
                    label = if has_trace {
                        caps.name("trace").map_or("", |m| m.as_str()).to_string()
                    } else {
                        whole.as_str().trim().to_string()
                    };
                    label = label.chars().take(MAX_LABEL_CHARS).collect();
                    start = whole.end();
                    if spans.len() > MAX_EXECUTIONS.saturating_mul(4) {
                        break;
                    }
                }
                spans.push((label, start, text.len()));
            }
        }

        let mut lines = LineCounter {
            text,
            at: 0,
            line: 1,
        };
        let mut executions: Vec<Execution> = Vec::new();
        let time_name = time_group.as_deref();
        for (label, start, end) in spans {
            let segment = text.get(start..end).unwrap_or("");
            if segment.trim().is_empty() {
                continue;
            }
            let segment_line = lines.line_of(start);
            let first_line = lines.line_of(start + (segment.len() - segment.trim_start().len()));
            if executions.len() == MAX_EXECUTIONS {
                return Err(LogImportError::TooManyExecutions { line: first_line });
            }
            let mut records: Vec<LogRecord> = Vec::new();
            let mut covered: Vec<(usize, usize)> = Vec::new();
            let mut inner = LineCounter {
                text: segment,
                at: 0,
                line: segment_line,
            };
            for caps in re.captures_iter(segment) {
                let Some(whole) = caps.get(0) else { continue };
                if whole.is_empty() {
                    continue;
                }
                let line = inner.line_of(whole.start());
                if records.len() == MAX_EVENTS {
                    return Err(LogImportError::TooManyEvents { line });
                }
                let group = |name: &str, max: usize| {
                    caps.name(name)
                        .map_or("", |m| cut(m.as_str(), max))
                        .to_string()
                };
                records.push(LogRecord {
                    line,
                    host: group("host", MAX_FIELD_BYTES),
                    clock: group("clock", MAX_CLOCK_BYTES),
                    event: group("event", MAX_FIELD_BYTES),
                    time: time_name.map(|g| group(g, MAX_FIELD_BYTES)),
                });
                covered.push((whole.start(), whole.end()));
            }
            let (unmatched, first_unmatched) = unmatched_lines(segment, segment_line, &covered);
            executions.push(Execution {
                label,
                line: first_line,
                records,
                unmatched,
                first_unmatched,
            });
        }
        if executions.iter().all(|e| e.records.is_empty()) {
            let first = executions.first().and_then(|e| e.first_unmatched.clone());
            return Err(LogImportError::NoMatch {
                execution: None,
                first,
            });
        }
        Ok(MatchedLog {
            time_group: time_group.clone(),
            executions,
        })
    }
}

/// Matches a log with a parser expression (empty: ShiViz's default,
/// [`shiviz::SHIVIZ_REGEX`]) and an optional delimiter expression, as ShiViz
/// does (see the module docs): [`Expressions::compile`] then
/// [`Expressions::match_log`]. A log over the size cap is refused before the
/// expressions are compiled.
#[cfg(not(target_arch = "wasm32"))]
pub fn match_log(text: &str, parser: &str, delimiter: &str) -> Result<MatchedLog, LogImportError> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(LogImportError::TooLarge { bytes: text.len() });
    }
    Expressions::compile(parser, delimiter)?.match_log(text)
}

/// Counts the non-blank lines of `segment` (whose first line is `first`) that
/// no span touches, and gives the first of them.
#[cfg(not(target_arch = "wasm32"))]
fn unmatched_lines(
    segment: &str,
    first: usize,
    covered: &[(usize, usize)],
) -> (usize, Option<(usize, String)>) {
    let mut count = 0;
    let mut first_seen = None;
    let mut offset = 0;
    let mut span = 0;
    for (k, line) in segment.split('\n').enumerate() {
        let (ls, le) = (offset, offset + line.len());
        offset = le + 1;
        while covered.get(span).is_some_and(|&(_, e)| e <= ls) {
            span += 1;
        }
        let touched = covered.get(span).is_some_and(|&(s, e)| s <= le && e > ls);
        if !touched && !line.trim().is_empty() {
            count += 1;
            first_seen.get_or_insert_with(|| (first + k, cut(line.trim_end(), 200).to_string()));
        }
    }
    (count, first_seen)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn braces_that_are_not_repetitions_are_escaped() {
        assert_eq!(translate("a{2,}b{,3}").unwrap(), r"a{2,}b\{,3\}");
        assert_eq!(translate("{").unwrap(), r"\{");
        assert_eq!(translate(r"\{x\}").unwrap(), r"\{x\}");
        assert_eq!(translate("[^]").unwrap(), r"[\s\S]");
        assert!(translate(r"(a)\1").is_err());
        assert!(translate(r"(?<n>a)\k<n>").is_err());
        assert!(translate("(?<!a)b").is_err());
        assert!(translate("(?<host>a)").is_ok());
    }

    #[test]
    fn unmatched_lines_are_counted() {
        let seg = "a\nbb\n\nccc\n";
        // covers "bb" only
        let (n, first) = unmatched_lines(seg, 1, &[(2, 4)]);
        assert_eq!(n, 2);
        assert_eq!(first, Some((1, "a".to_string())));
    }
}
