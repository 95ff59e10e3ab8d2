//! Views of a replayed [`Trace`] for people and programs: a serializable
//! report (the `hlcviz-trace/1` JSON format of `hlcviz trace`, also meant for the
//! page's JavaScript API) and a fixed-width text table.
//!
//! Both are pure functions of the scenario and its trace; nothing here knows
//! about the command line.

use crate::kv::{self, KvRun, Read, Version};
use crate::scenario::{EventRef, KvOp, Scenario, StopRule};
use crate::sim::{EventKind, Trace, TraceEvent};
use hlc::{Time, Timestamp};
use serde::Serialize;

/// The `format` tag of the JSON trace report.
pub const TRACE_FORMAT: &str = "hlcviz-trace/1";

/// Node names longer than this many characters are cut (with `…`) in the table.
pub const TABLE_NAME_CHARS: usize = 16;

/// A whole replay, shaped for machine output (see `docs/scenario-format.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TraceReport {
    /// Always [`TRACE_FORMAT`].
    pub format: &'static str,
    /// The nodes, in scenario order (an event's `node` indexes this list).
    pub nodes: Vec<NodeReport>,
    /// The clock policies the replay used.
    pub settings: SettingsReport,
    /// Every event, in replay order (real time, ties by node index).
    pub events: Vec<EventReport>,
    /// The database lens's store: every version written, in trace order
    /// (left out when the scenario has no database operations).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<Version>,
}

/// One node of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeReport {
    /// The node's name, as written in the scenario.
    pub name: String,
    /// Its clock skew, ms.
    pub skew_ms: Time,
    /// Its drift, parts per million.
    pub drift_ppm: i64,
}

/// The settings of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SettingsReport {
    /// The max-offset bound in ms, or `null` for none.
    pub max_offset_ms: Option<Time>,
    /// Width of the HLC counter in bits.
    pub counter_bits: u8,
    /// The clock-health rule, `{"threshold_ms": .., "majority": ..}`; left out
    /// when nodes never stop.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_on_skew: Option<StopRule>,
}

/// One replayed event with every clock's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventReport {
    /// Position in replay order (the index into `events`).
    pub index: usize,
    /// Node index.
    pub node: usize,
    /// The node's name.
    pub node_name: String,
    /// `"local"`, `"send"` or `"recv"`.
    pub kind: EventKind,
    /// The scenario event: `{"kind": "local" | "send" | "recv", "index": i}`.
    pub event: EventRef,
    /// For a send or receive, the message index; `null` for a local event.
    pub message: Option<usize>,
    /// For a send or receive, the trace index of the other end; else `null`.
    pub partner: Option<usize>,
    /// Real time, ms.
    pub real_ms: Time,
    /// The node's physical clock at the event, ms.
    pub pt: Time,
    /// The HLC timestamp `{"l": .., "c": ..}`.
    pub hlc: Timestamp,
    /// Which branch of the rule fired ([`hlc::Rule::code`]).
    pub rule: &'static str,
    /// One sentence on why the timestamp is what it is.
    pub explanation: String,
    /// The counter passed its width and carried into `l`.
    pub carried: bool,
    /// The naive (Figure 3) clock's `l`.
    pub naive_l: Time,
    /// The Lamport clock.
    pub lamport: u64,
    /// The vector clock, one entry per node.
    pub vector: Vec<u32>,
    /// Why the max-offset bound refused this receive, or `null`.
    pub rejected: Option<String>,
    /// Why the event was refused because a node had stopped (`"B stopped at
    /// 420 ms (clock ...)"` or `"never sent: A stopped at ..."`), or `null`.
    /// A refused event keeps the clock values of its node's last live event.
    pub refused: Option<String>,
    /// The event's database operation (left out when it has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kv: Option<KvEventReport>,
}

/// The database side of one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KvEventReport {
    /// The operation in words: `put x=1`, `get x`, `send put x=1` (a
    /// coordinator's send), `apply put x=1` (a replica's receive), `refuse
    /// put x=1` (a receive the max offset refused: nothing applied).
    pub op: String,
    /// The key.
    pub key: String,
    /// The value written, for a put; `null` for a get.
    pub value: Option<String>,
    /// The version this event applied (index into `versions`), or `null`.
    pub version: Option<usize>,
    /// For a get: its attempts, result and staleness.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read: Option<Read>,
    /// The words of the page's tooltip for it.
    pub explanation: Vec<String>,
}

/// The database operation a trace event performs, as `(op words, key, value)`.
fn kv_op_of(scenario: &Scenario, e: &TraceEvent) -> Option<(String, String, Option<String>)> {
    match e.source {
        EventRef::Local(i) => scenario.events.get(i)?.kv.as_ref().map(|op| match op {
            KvOp::Put { key, value } => (op.to_string(), key.clone(), Some(value.clone())),
            KvOp::Get { key } => (op.to_string(), key.clone(), None),
        }),
        EventRef::Send(m) | EventRef::Recv(m) => {
            let put = scenario.messages.get(m)?.put.as_ref()?;
            let verb = match (e.source, e.rejection.is_some()) {
                (EventRef::Send(_), _) => "send put",
                (_, false) => "apply put",
                (_, true) => "refuse put",
            };
            Some((
                format!("{verb} {}={}", put.key, put.value),
                put.key.clone(),
                Some(put.value.clone()),
            ))
        }
    }
}

fn kv_event_report(
    scenario: &Scenario,
    trace: &Trace,
    run: &KvRun,
    index: usize,
    e: &TraceEvent,
) -> Option<KvEventReport> {
    let (op, key, value) = kv_op_of(scenario, e)?;
    let version = run.version_index_at(index);
    let read = run.read_at(index).cloned();
    let explanation = match (&read, run.version_at(index)) {
        (Some(read), _) => read.explain(run, scenario),
        (None, Some(v)) => vec![v.explain(scenario, trace)],
        (None, None) => Vec::new(),
    };
    Some(KvEventReport {
        op,
        key,
        value,
        version,
        read,
        explanation,
    })
}

/// The table's op cell (here and on the page): `put x=1`, `put x=1 (wait
/// 250 ms)`, `get x → 1 (2 restarts)`, `... STALE`; empty for an event
/// without a database operation.
pub fn kv_cell(scenario: &Scenario, run: &KvRun, index: usize, e: &TraceEvent) -> String {
    let Some((op, _, _)) = kv_op_of(scenario, e) else {
        return String::new();
    };
    let Some(read) = run.read_at(index) else {
        return match run.version_at(index) {
            Some(v) if v.wait_ms > 0 => format!("{op} (wait {} ms)", v.wait_ms),
            _ => op,
        };
    };
    let value = match read.result.and_then(|v| run.versions.get(v)) {
        _ if read.gave_up() => "gave up".to_string(),
        Some(v) => v.value.clone(),
        None => "no value".to_string(),
    };
    let mut cell = format!("{op} → {value}");
    match read.restarts() {
        0 => {}
        1 => cell.push_str(" (1 restart)"),
        n => cell.push_str(&format!(" ({n} restarts)")),
    }
    if read.stale.is_some() {
        cell.push_str(" STALE");
    }
    cell
}

fn message_of(source: EventRef) -> Option<usize> {
    match source {
        EventRef::Local(_) => None,
        EventRef::Send(m) | EventRef::Recv(m) => Some(m),
    }
}

fn node_name(scenario: &Scenario, node: usize) -> &str {
    scenario.nodes.get(node).map_or("?", |n| n.name.as_str())
}

/// Why trace event `index` was refused because a node had stopped, in words
/// with the node's name: `B stopped at 420 ms (clock 450 ms or more from 2 of
/// 2 peers, threshold 400 ms: no majority within it)`, or for the receive of a
/// message never sent, `never sent: A stopped at ...`. `None` for a live event.
pub fn refusal(scenario: &Scenario, trace: &Trace, index: usize) -> Option<String> {
    let e = trace.event(index)?;
    let stopped = |node: usize| {
        trace.stop(node).map_or_else(
            || format!("{} stopped", node_name(scenario, node)),
            |s| {
                format!(
                    "{} stopped at {} ms ({})",
                    node_name(scenario, node),
                    s.at_ms,
                    s.reason()
                )
            },
        )
    };
    if e.stopped {
        Some(stopped(e.node))
    } else if e.unsent {
        let from = e.partner.and_then(|p| trace.event(p)).map(|p| p.node)?;
        Some(format!("never sent: {}", stopped(from)))
    } else {
        None
    }
}

/// Builds the report of a trace replayed from `scenario`.
///
/// ```
/// use hlcviz::{report, scenario::{Message, Scenario}, sim};
/// let mut s = Scenario::with_nodes(&["A", "B"]);
/// s.messages.push(Message::between(0, 10, 1, 20));
/// let trace = sim::replay(&s).unwrap();
/// let r = report::trace_report(&s, &trace);
/// assert_eq!(r.format, "hlcviz-trace/1");
/// assert_eq!(r.events[1].rule, "recv-physical-ahead");
/// assert_eq!(r.events[1].partner, Some(0));
/// ```
pub fn trace_report(scenario: &Scenario, trace: &Trace) -> TraceReport {
    let run = kv::evaluate(scenario, trace);
    let events = trace
        .events()
        .iter()
        .enumerate()
        .map(|(index, e)| event_report(scenario, trace, &run, index, e))
        .collect();
    TraceReport {
        format: TRACE_FORMAT,
        nodes: node_reports(scenario),
        settings: settings_report(scenario),
        events,
        versions: run.versions,
    }
}

fn node_reports(scenario: &Scenario) -> Vec<NodeReport> {
    scenario
        .nodes
        .iter()
        .map(|n| NodeReport {
            name: n.name.clone(),
            skew_ms: n.skew_ms,
            drift_ppm: n.drift_ppm,
        })
        .collect()
}

fn settings_report(scenario: &Scenario) -> SettingsReport {
    SettingsReport {
        max_offset_ms: scenario.settings.max_offset_ms,
        counter_bits: scenario.settings.counter_bits,
        stop_on_skew: scenario.settings.stop_on_skew,
    }
}

fn event_report(
    scenario: &Scenario,
    trace: &Trace,
    run: &KvRun,
    index: usize,
    e: &TraceEvent,
) -> EventReport {
    EventReport {
        index,
        node: e.node,
        node_name: node_name(scenario, e.node).to_string(),
        kind: e.kind(),
        event: e.source,
        message: message_of(e.source),
        partner: e.partner,
        real_ms: e.real_ms,
        pt: e.pt(),
        hlc: e.hlc(),
        rule: e.tick.rule.code(),
        explanation: e.explain(),
        carried: e.tick.carried,
        naive_l: e.naive_l,
        lamport: e.lamport,
        vector: trace.vector(index).to_vec(),
        rejected: e.rejection.map(|r| r.to_string()),
        refused: refusal(scenario, trace, index),
        kv: kv_event_report(scenario, trace, run, index, e),
    }
}

/// Writes the report as JSON (compact, or indented when `pretty`) to `out`
/// without holding it whole: each event's report is built, written and
/// dropped in turn, so the memory it takes is one event's, not the trace's.
/// The text is exactly what `serde_json` writes for [`trace_report`]'s value.
///
/// ```
/// use hlcviz::{report, scenario::{Message, Scenario}, sim};
/// let mut s = Scenario::with_nodes(&["A", "B"]);
/// s.messages.push(Message::between(0, 10, 1, 20));
/// let trace = sim::replay(&s).unwrap();
/// let mut streamed = Vec::new();
/// report::write_trace_json(&s, &trace, &mut streamed, false).unwrap();
/// let whole = serde_json::to_vec(&report::trace_report(&s, &trace)).unwrap();
/// assert_eq!(streamed, whole);
/// ```
pub fn write_trace_json(
    scenario: &Scenario,
    trace: &Trace,
    out: impl std::io::Write,
    pretty: bool,
) -> serde_json::Result<()> {
    let report = StreamedReport {
        scenario,
        trace,
        run: kv::evaluate(scenario, trace),
    };
    if pretty {
        serde_json::to_writer_pretty(out, &report)
    } else {
        serde_json::to_writer(out, &report)
    }
}

/// [`TraceReport`]'s fields in its order, with `events` made one at a time
/// while they are written (see [`write_trace_json`]).
struct StreamedReport<'a> {
    scenario: &'a Scenario,
    trace: &'a Trace,
    run: KvRun,
}

/// The `events` array of a [`StreamedReport`].
struct StreamedEvents<'a>(&'a StreamedReport<'a>);

impl Serialize for StreamedEvents<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let StreamedReport {
            scenario,
            trace,
            run,
        } = self.0;
        serializer.collect_seq(
            trace
                .events()
                .iter()
                .enumerate()
                .map(|(index, e)| event_report(scenario, trace, run, index, e)),
        )
    }
}

impl Serialize for StreamedReport<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let versions = !self.run.versions.is_empty();
        let mut report =
            serializer.serialize_struct("TraceReport", if versions { 5 } else { 4 })?;
        report.serialize_field("format", TRACE_FORMAT)?;
        report.serialize_field("nodes", &node_reports(self.scenario))?;
        report.serialize_field("settings", &settings_report(self.scenario))?;
        report.serialize_field("events", &StreamedEvents(self))?;
        if versions {
            report.serialize_field("versions", &self.run.versions)?;
        } else {
            report.skip_field("versions")?;
        }
        report.end()
    }
}

/// The report as a JSON value.
///
/// ```
/// use hlcviz::{report, scenario::Scenario, sim};
/// let mut s = Scenario::with_nodes(&["A"]);
/// s.events.push(hlcviz::scenario::LocalEvent::at(0, 7));
/// let json = report::trace_json(&s, &sim::replay(&s).unwrap());
/// assert_eq!(json["events"][0]["hlc"], serde_json::json!({"l": 7, "c": 0}));
/// assert_eq!(json["events"][0]["event"], serde_json::json!({"kind": "local", "index": 0}));
/// ```
pub fn trace_json(scenario: &Scenario, trace: &Trace) -> serde_json::Value {
    // Plain structs of strings, integers and options always serialize.
    serde_json::to_value(trace_report(scenario, trace)).unwrap_or(serde_json::Value::Null)
}

/// `name` cut to at most `max` characters, the last one an ellipsis if cut.
pub fn truncate_chars(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        return name.to_string();
    }
    let mut out: String = name.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn table_name(scenario: &Scenario, node: usize) -> String {
    truncate_chars(node_name(scenario, node), TABLE_NAME_CHARS)
}

fn describe_event(scenario: &Scenario, trace: &Trace, e: &TraceEvent) -> String {
    let other_node = |partner: Option<usize>| {
        partner
            .and_then(|p| trace.event(p))
            .map_or_else(|| "?".to_string(), |p| table_name(scenario, p.node))
    };
    match e.source {
        EventRef::Local(i) => format!("local e{i}"),
        EventRef::Send(m) => {
            // The receive may be missing from the trace only for invalid input.
            let to = scenario
                .messages
                .get(m)
                .map_or_else(|| other_node(e.partner), |msg| table_name(scenario, msg.to));
            format!("send m{m} -> {to}")
        }
        EventRef::Recv(m) => format!("recv m{m} <- {}", other_node(e.partner)),
    }
}

fn join_vector(v: &[u32]) -> String {
    let parts: Vec<String> = v.iter().map(u32::to_string).collect();
    format!("[{}]", parts.join(" "))
}

#[derive(Clone, Copy)]
enum Align {
    Left,
    Right,
}

const COLUMNS: [(&str, Align); 10] = [
    ("#", Align::Right),
    ("node", Align::Left),
    ("event", Align::Left),
    // The op column (database lens) goes here when the scenario has ops.
    ("real", Align::Right),
    ("pt", Align::Right),
    ("hlc (l, c)", Align::Left),
    ("rule", Align::Left),
    ("naive l", Align::Right),
    ("lamport", Align::Right),
    ("vector", Align::Left),
];

fn push_padded(line: &mut String, cell: &str, width: usize, align: Align) {
    // `fmt` pads by `char`s, the unit the widths are measured in.
    let padded = match align {
        Align::Left => format!("{cell:<width$}"),
        Align::Right => format!("{cell:>width$}"),
    };
    line.push_str(&padded);
}

/// A fixed-width text table of the trace, one row per event in replay order,
/// with a header row. Columns: `#`, node, event (`local e0`, `send m0 -> B`,
/// `recv m0 <- A`), real time, pt, HLC `(l, c)`, the rule's summary (with
/// `+ carry` when the counter carried), naive `l`, Lamport, vector `[1 0 2]`;
/// a rejected receive ends with `REJECTED: <reason>`, an event refused because
/// a node had stopped with `REFUSED: <reason>` (see [`refusal`]); its clock
/// cells hold its node's last live values. A scenario with database
/// operations gets an `op` column after `event` (`put x=1`, `get x → 1 (2
/// restarts)`, `get x → 0 STALE`, `send put x=1`, `apply put x=1`); one
/// without keeps the table it always had.
///
/// Cells are padded by characters (not display width), and node names longer
/// than [`TABLE_NAME_CHARS`] are cut with an ellipsis. Lines carry no trailing
/// spaces and end in `\n`.
///
/// ```
/// use hlcviz::{report, scenario::{Message, Scenario}, sim};
/// let mut s = Scenario::with_nodes(&["A", "B"]);
/// s.messages.push(Message::between(0, 10, 1, 20));
/// let table = report::trace_table(&s, &sim::replay(&s).unwrap());
/// assert!(table.lines().nth(1).unwrap().contains("send m0 -> B"));
/// assert!(table.lines().nth(2).unwrap().contains("recv m0 <- A"));
/// ```
pub fn trace_table(scenario: &Scenario, trace: &Trace) -> String {
    let run = kv::evaluate(scenario, trace);
    let with_ops = !run.versions.is_empty()
        || !run.reads.is_empty()
        || trace
            .events()
            .iter()
            .any(|e| kv_op_of(scenario, e).is_some());
    let mut columns: Vec<(&str, Align)> = COLUMNS.to_vec();
    if with_ops {
        columns.insert(OP_COLUMN, ("op", Align::Left));
    }
    let rows: Vec<(Vec<String>, Option<String>)> = trace
        .events()
        .iter()
        .enumerate()
        .map(|(index, e)| {
            let mut rule = e.tick.rule.summary().to_string();
            if e.tick.carried {
                rule.push_str(" + carry");
            }
            let mut cells = vec![
                index.to_string(),
                table_name(scenario, e.node),
                describe_event(scenario, trace, e),
                e.real_ms.to_string(),
                e.pt().to_string(),
                e.hlc().to_string(),
                rule,
                e.naive_l.to_string(),
                e.lamport.to_string(),
                join_vector(trace.vector(index)),
            ];
            if with_ops {
                cells.insert(OP_COLUMN, kv_cell(scenario, &run, index, e));
            }
            let tail = match refusal(scenario, trace, index) {
                Some(why) => Some(format!("REFUSED: {why}")),
                None => e.rejection.map(|r| format!("REJECTED: {r}")),
            };
            (cells, tail)
        })
        .collect();

    let mut widths: Vec<usize> = columns
        .iter()
        .map(|(title, _)| title.chars().count())
        .collect();
    for (cells, _) in &rows {
        for (width, cell) in widths.iter_mut().zip(cells) {
            *width = (*width).max(cell.chars().count());
        }
    }

    let mut out = String::new();
    let mut emit = |cells: &[&str], tail: Option<&str>| {
        let mut line = String::new();
        for (k, ((cell, width), (_, align))) in cells.iter().zip(&widths).zip(&columns).enumerate()
        {
            if k > 0 {
                line.push_str("  ");
            }
            push_padded(&mut line, cell, *width, *align);
        }
        if let Some(tail) = tail {
            line.push_str("  ");
            line.push_str(tail);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    };
    let titles: Vec<&str> = columns.iter().map(|(title, _)| *title).collect();
    emit(&titles, None);
    for (cells, rejected) in &rows {
        let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        emit(&cells, rejected.as_deref());
    }
    out
}

/// Where the op column goes: after `event`.
const OP_COLUMN: usize = 3;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{LocalEvent, Message, Settings};
    use crate::sim::replay;

    #[test]
    fn truncates_long_and_odd_names_without_panicking() {
        assert_eq!(truncate_chars("short", 16), "short");
        assert_eq!(truncate_chars("abcdefghijklmnopq", 16), "abcdefghijklmno…");
        let odd = "é\u{301}👩‍👩‍👧‍👦日本語テキストが長い名前です";
        let cut = truncate_chars(odd, 16);
        assert_eq!(cut.chars().count(), 16);
        assert!(cut.ends_with('…'));
        let mut s = Scenario::with_nodes(&[odd, "B"]);
        s.messages.push(Message {
            from: 0,
            sent_at_ms: 1,
            to: 1,
            received_at_ms: 2,
            put: None,
        });
        let table = trace_table(&s, &replay(&s).unwrap());
        assert!(table.contains(&format!("recv m0 <- {cut}")));
    }

    #[test]
    fn table_columns_line_up_and_rejections_are_marked() {
        let mut s = Scenario::with_nodes(&["near", "far"]);
        s.nodes[1].skew_ms = 1_000;
        s.settings = Settings {
            max_offset_ms: Some(10),
            ..Settings::default()
        };
        s.events.push(LocalEvent::at(0, 5));
        s.messages.push(Message {
            from: 1,
            sent_at_ms: 10,
            to: 0,
            received_at_ms: 20,
            put: None,
        });
        let table = trace_table(&s, &replay(&s).unwrap());
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 4);
        let col = lines[0].find("hlc (l, c)").unwrap();
        for line in &lines[1..] {
            assert_eq!(line.chars().nth(col), Some('('), "{table}");
        }
        assert!(
            lines[3].contains("REJECTED: remote time l_m = 1010"),
            "{table}"
        );
        assert!(!lines[2].contains("REJECTED"));
    }

    #[test]
    fn streamed_json_is_the_report_serialized_whole() {
        let mut scenarios: Vec<Scenario> = crate::presets::PRESETS
            .iter()
            .map(crate::presets::Preset::scenario)
            .collect();
        scenarios.push(crate::generate::random_scenario(5, 40, 20, 7));
        let mut with_versions = 0;
        for s in &scenarios {
            let trace = replay(s).unwrap();
            let report = trace_report(s, &trace);
            with_versions += usize::from(!report.versions.is_empty());
            for pretty in [false, true] {
                let whole = if pretty {
                    serde_json::to_vec_pretty(&report).unwrap()
                } else {
                    serde_json::to_vec(&report).unwrap()
                };
                let mut streamed = Vec::new();
                write_trace_json(s, &trace, &mut streamed, pretty).unwrap();
                assert_eq!(
                    String::from_utf8(streamed).unwrap(),
                    String::from_utf8(whole).unwrap()
                );
            }
        }
        assert!(with_versions > 0, "no preset has database versions");
    }

    #[test]
    fn report_fields_match_the_trace() {
        let mut s = Scenario::with_nodes(&["A", "B"]);
        s.events.push(LocalEvent::at(1, 1));
        s.messages.push(Message {
            from: 0,
            sent_at_ms: 10,
            to: 1,
            received_at_ms: 20,
            put: None,
        });
        let trace = replay(&s).unwrap();
        let json = trace_json(&s, &trace);
        assert_eq!(json["format"], TRACE_FORMAT);
        assert_eq!(json["nodes"][1]["name"], "B");
        assert_eq!(json["settings"]["counter_bits"], 16);
        let recv = &json["events"][2];
        assert_eq!(recv["kind"], "recv");
        assert_eq!(recv["message"], 0);
        assert_eq!(recv["partner"], 1);
        assert_eq!(recv["vector"], serde_json::json!([1, 2]));
        assert_eq!(recv["rejected"], serde_json::Value::Null);
        assert_eq!(json["events"][0]["message"], serde_json::Value::Null);
    }
}
