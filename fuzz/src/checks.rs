//! The properties the fuzz targets check, one function per target.
//!
//! This file is the single source of truth for the harness logic: the fuzz
//! targets in `fuzz/fuzz_targets/` call it through the `hlcviz_fuzz` crate, and
//! the stable test suites (`tests/fuzz_regressions.rs`, `tests/arbitrary_input.rs`)
//! include it with `#[path = "../fuzz/src/checks.rs"] mod checks;`, so the
//! corpus and every regression input are checked by plain `cargo test` with the
//! very same code. It uses only `hlcviz`, `hlc`, `serde_json` and `base64`, which are
//! dependencies of the main crate too.
//!
//! Every check panics (fails the fuzz run or the test) when a decoder panics,
//! when an error has an empty message, or when something a decoder accepted
//! does not hold up: it must validate, replay, report, and round-trip.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hlcviz::permalink::{self, Shared};
use hlcviz::scenario::Scenario;
use hlcviz::shiviz;
use hlcviz::sim::{self, Trace};
use hlcviz::{report, scenario};

/// Largest input the command line reads (`MAX_INPUT_BYTES` in `src/bin/hlcviz.rs`).
pub const CLI_MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// An error message shown to a person must say something.
pub fn assert_message(what: &str, message: &str) {
    assert!(
        !message.trim().is_empty(),
        "{what}: error with an empty message"
    );
}

/// What must hold for every scenario a decoder accepts: it validates, replays,
/// and the trace has every event of the scenario, each mapped back.
pub fn check_valid_scenario(what: &str, s: &Scenario) -> Trace {
    if let Err(e) = s.validate() {
        panic!("{what}: accepted a scenario that does not validate: {e}");
    }
    let trace = match sim::replay(s) {
        Ok(trace) => trace,
        Err(e) => panic!("{what}: accepted a scenario that does not replay: {e}"),
    };
    assert_eq!(
        trace.events().len(),
        s.event_count(),
        "{what}: the replay lost events"
    );
    for (event, node, at_ms) in s.all_events() {
        let index = trace
            .index_of(event)
            .unwrap_or_else(|| panic!("{what}: {event} is missing from the trace"));
        let replayed = &trace.events()[index];
        assert_eq!(
            (replayed.node, replayed.real_ms),
            (node, at_ms),
            "{what}: {event} replayed in the wrong place"
        );
    }
    check_kv(what, s, &trace);
    trace
}

/// The database lens over an accepted scenario: every index it gives points
/// at something, every read has between 1 and `MAX_ATTEMPTS` attempts, and its
/// words are never empty.
fn check_kv(what: &str, s: &Scenario, trace: &Trace) {
    let run = hlcviz::kv::evaluate(s, trace);
    let versions = run.versions.len();
    for v in &run.versions {
        assert!(v.event < trace.events().len(), "{what}: a version's event");
        assert!(
            v.acked_ms >= v.written_ms,
            "{what}: acknowledged before written"
        );
        assert!(!v.explain(s, trace).is_empty(), "{what}: a version's words");
    }
    for read in &run.reads {
        assert!(
            (1..=hlcviz::kv::MAX_ATTEMPTS).contains(&read.attempts.len()),
            "{what}: a read's attempts"
        );
        let indices = read.attempts.iter().filter_map(|a| a.uncertain);
        for index in indices.chain(read.result).chain(read.stale) {
            assert!(index < versions, "{what}: a read names a missing version");
        }
        assert!(!read.explain(&run, s).is_empty(), "{what}: a read's words");
    }
}

// ---------------------------------------------------------------- permalinks

/// Target `permalink_decode`: arbitrary bytes, read as (lossy) text, as a URL
/// fragment.
pub fn permalink_decode(data: &[u8]) {
    check_fragment(&String::from_utf8_lossy(data));
}

/// Target `permalink_body`: arbitrary bytes as the *binary body* of a version 1
/// link, framed with its correct length, check byte and checksum so mutations
/// get past the framing to the body decoder.
pub fn permalink_body(data: &[u8]) {
    check_fragment(&link_from_body(data));
}

fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5u32, |hash, &b| {
        (hash ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// A version 1 link around `body`, framed as `permalink::encode` frames one:
/// base64url of `varint(body length)`, a check byte (the low byte of the
/// length's FNV-1a), the body, and the FNV-1a of all that (little-endian).
/// `tests/fuzz_regressions.rs` checks this still matches `permalink::encode`.
pub fn link_from_body(body: &[u8]) -> String {
    let mut payload = Vec::with_capacity(body.len() + 15);
    let mut length = body.len() as u64;
    loop {
        let byte = (length & 0x7f) as u8;
        length >>= 7;
        if length == 0 {
            payload.push(byte);
            break;
        }
        payload.push(byte | 0x80);
    }
    payload.push(fnv1a(&payload) as u8);
    payload.extend_from_slice(body);
    let checksum = fnv1a(&payload);
    payload.extend_from_slice(&checksum.to_le_bytes());
    format!("v1.{}", URL_SAFE_NO_PAD.encode(payload))
}

/// The body of a link framed as [`link_from_body`] frames one (or of a
/// version 2 link, whose framed data is that body compressed), if it is one.
pub fn body_from_link(link: &str) -> Option<Vec<u8>> {
    let link = link.trim_start_matches('#');
    let (version, rest) = (link.get(..3)?, link.get(3..)?);
    let payload = URL_SAFE_NO_PAD.decode(rest).ok()?;
    let header = payload.iter().position(|b| b & 0x80 == 0)? + 2;
    let data = payload.get(header..payload.len().checked_sub(4)?)?.to_vec();
    let framed = link_from_body(&data);
    if framed.get(3..) != Some(rest) {
        return None;
    }
    match version {
        "v1." => Some(data),
        "v2." => miniz_oxide::inflate::decompress_to_vec_with_limit(
            &data,
            hlcviz::permalink::MAX_INFLATED_BYTES,
        )
        .ok(),
        _ => None,
    }
}

/// Decodes a fragment; on success the link's scenario is valid, replays, and
/// re-encoding it gives a link that decodes to the same thing and re-encodes
/// to itself.
pub fn check_fragment(fragment: &str) -> Option<Shared> {
    match permalink::decode(fragment) {
        Ok(shared) => {
            check_valid_scenario("permalink::decode", &shared.scenario);
            let link = permalink::encode(&shared.scenario, shared.snapshot);
            assert!(
                link.starts_with("v1.") || link.starts_with("v2."),
                "encode wrote {link:?}"
            );
            assert_eq!(
                permalink::decode(&link).as_ref(),
                Ok(&shared),
                "re-encoded link does not decode to the same scenario"
            );
            assert_eq!(
                permalink::decode(&format!("#{link}")).as_ref(),
                Ok(&shared),
                "a leading # changes the decoded link"
            );
            let again =
                permalink::decode(&link).map(|s| permalink::encode(&s.scenario, s.snapshot));
            assert_eq!(again.as_ref(), Ok(&link), "encoding is not canonical");
            Some(shared)
        }
        Err(e) => {
            assert_message("permalink::decode", &e.to_string());
            None
        }
    }
}

// ---------------------------------------------------------------- scenario JSON

/// Target `scenario_json`: arbitrary bytes, read as (lossy) text, as a scenario
/// file.
pub fn scenario_json(data: &[u8]) {
    check_scenario_json(&String::from_utf8_lossy(data));
}

/// Loads scenario JSON; on success the scenario replays, survives
/// `to_json` -> `from_json` unchanged (and `to_json` is then stable), and its
/// permalink opens the same scenario.
pub fn check_scenario_json(text: &str) -> Option<Scenario> {
    match Scenario::from_json(text) {
        Ok(s) => {
            check_scenario_round_trips(&s);
            Some(s)
        }
        Err(e) => {
            assert_message("Scenario::from_json", &e.to_string());
            None
        }
    }
}

/// The round trips every accepted scenario must survive.
pub fn check_scenario_round_trips(s: &Scenario) {
    check_valid_scenario("Scenario::from_json", s);
    let json = s.to_json();
    assert!(!json.is_empty(), "to_json wrote nothing");
    let back = match Scenario::from_json(&json) {
        Ok(back) => back,
        Err(e) => panic!("to_json wrote JSON that from_json refuses: {e}\n{json}"),
    };
    assert_eq!(&back, s, "to_json -> from_json changed the scenario");
    assert_eq!(back.to_json(), json, "to_json is not stable");
    let link = permalink::encode(s, None);
    assert_eq!(
        permalink::decode(&link)
            .map(|shared| shared.scenario)
            .as_ref(),
        Ok(s),
        "the scenario's permalink does not open it"
    );
}

// ---------------------------------------------------------------- ShiViz logs

/// Target `shiviz_import`: arbitrary bytes, read as (lossy) text, as a ShiViz
/// or GoVector log.
pub fn shiviz_import(data: &[u8]) {
    check_shiviz(&String::from_utf8_lossy(data));
}

/// Imports a log; on success the scenario validates and replays, the reports
/// stay within their documented caps, and exporting the scenario and importing
/// that again keeps its nodes, events, messages and every vector clock.
pub fn check_shiviz(text: &str) -> Option<shiviz::Imported> {
    match shiviz::import(text) {
        Ok(imported) => {
            let s = &imported.scenario;
            let trace = check_valid_scenario("shiviz::import", s);
            assert!(
                imported.skipped.len() <= shiviz::MAX_LISTED,
                "more skipped lines listed than the cap"
            );
            assert!(
                imported.notes.len() <= shiviz::MAX_LISTED + 2,
                "more notes listed than the cap"
            );
            for skipped in &imported.skipped {
                assert!(skipped.line >= 1, "skipped line numbers are 1-based");
                assert!(
                    skipped.text.chars().count() <= shiviz::SKIPPED_TEXT_CHARS + 1,
                    "skipped text is not cut"
                );
                assert_message("shiviz::import skipped line", &skipped.reason);
            }
            for note in &imported.notes {
                assert_message("shiviz::import note", note);
            }
            // An imported scenario has no max-offset bound, so no receive is
            // rejected and export -> import must keep the whole structure.
            let log = shiviz::export(s, &trace);
            let again = match shiviz::import(&log) {
                Ok(again) => again,
                Err(e) => panic!("export of an imported log does not import: {e}\n{log}"),
            };
            let back = &again.scenario;
            let back_trace = check_valid_scenario("shiviz::import of an export", back);
            let names: Vec<&str> = back.nodes.iter().map(|n| n.name.as_str()).collect();
            let exported = shiviz::export_names(s, s.nodes.len());
            assert_eq!(names, exported, "export -> import changed the node names");
            assert_eq!(
                back.events.len(),
                s.events.len(),
                "export -> import changed the local events"
            );
            assert_eq!(
                back.messages.len(),
                s.messages.len(),
                "export -> import changed the messages"
            );
            assert_eq!(
                per_node_clocks(back, &back_trace),
                per_node_clocks(s, &trace),
                "export -> import changed the vector clocks"
            );
            Some(imported)
        }
        Err(e) => {
            assert_message("shiviz::import", &e.to_string());
            None
        }
    }
}

/// Per node, the vector clocks of its events in order.
fn per_node_clocks(s: &Scenario, trace: &Trace) -> Vec<Vec<Vec<u32>>> {
    (0..s.nodes.len())
        .map(|n| {
            trace
                .node_events(n)
                .iter()
                .map(|&i| trace.vector(i).to_vec())
                .collect()
        })
        .collect()
}

// ---------------------------------------------------------------- command line

/// What `hlcviz` does with an input file, as the library calls it makes:
/// `read_capped` (size cap), `input_text` (`encoding::decode_text`: UTF-8, a
/// UTF-8 byte-order mark stripped, UTF-16 named; then blank input) then
/// `Scenario::from_json`. The binary's functions are private to it, so this
/// mirrors `src/bin/hlcviz.rs`; the error is its message.
pub fn cli_load(data: &[u8]) -> Result<Scenario, String> {
    if data.len() > CLI_MAX_INPUT_BYTES {
        return Err("input is larger than the limit of 64 MiB".to_string());
    }
    let text = hlcviz::encoding::decode_text(data).map_err(|e| e.to_string())?;
    if text.trim().is_empty() {
        return Err("input is empty (expected a JSON scenario)".to_string());
    }
    Scenario::from_json(text).map_err(|e| e.to_string())
}

/// What the command line prints for an input, or its one error.
#[derive(Debug)]
pub struct CliOutput {
    /// `hlcviz check`: `ok: N nodes, M events`.
    pub check: String,
    /// `hlcviz trace`: the pretty JSON report.
    pub trace: String,
    /// `hlcviz trace --table`.
    pub table: String,
}

/// Target `cli_input`: arbitrary bytes as the input file of `hlcviz check`,
/// `hlcviz trace` and `hlcviz trace --table`.
pub fn cli_input(data: &[u8]) {
    let _ = check_cli(data);
}

/// Runs the command line's pipeline on an input file's bytes: load, then for
/// `check` the summary line, for `trace` `sim::replay_valid` and the JSON
/// report written with `serde_json::to_writer_pretty`, for `--table` the table.
/// The report must parse back, agree with `report::trace_json`, and both views
/// must have one entry per event.
pub fn check_cli(data: &[u8]) -> Result<CliOutput, String> {
    let s = match cli_load(data) {
        Ok(s) => s,
        Err(message) => {
            assert_message("hlcviz input", &message);
            return Err(message);
        }
    };
    assert!(
        s.nodes.len() <= scenario::MAX_NODES && s.event_count() <= scenario::MAX_EVENTS,
        "hlcviz input: accepted a scenario over the limits"
    );
    let check = format!("ok: {} nodes, {} events", s.nodes.len(), s.event_count());
    // The CLI trusts `from_json`'s validation and calls `replay_valid`.
    let trace = sim::replay_valid(&s);
    assert_eq!(
        sim::replay(&s).as_ref(),
        Ok(&trace),
        "replay_valid and replay disagree on a validated scenario"
    );
    check_valid_scenario("hlcviz input", &s);

    let view = report::trace_report(&s, &trace);
    let mut out = Vec::new();
    if let Err(e) = serde_json::to_writer_pretty(&mut out, &view) {
        panic!("the trace report does not serialize: {e}");
    }
    let trace_text = match String::from_utf8(out) {
        Ok(text) => text,
        Err(e) => panic!("the trace report is not UTF-8: {e}"),
    };
    let parsed: serde_json::Value = match serde_json::from_str(&trace_text) {
        Ok(value) => value,
        Err(e) => panic!("the trace report does not parse back: {e}"),
    };
    assert_eq!(
        parsed,
        report::trace_json(&s, &trace),
        "trace_report and trace_json disagree"
    );
    assert_eq!(parsed["format"], report::TRACE_FORMAT);
    assert_eq!(
        parsed["events"].as_array().map(Vec::len),
        Some(s.event_count()),
        "the report does not list every event"
    );
    assert_eq!(
        parsed["nodes"].as_array().map(Vec::len),
        Some(s.nodes.len()),
        "the report does not list every node"
    );

    let table = report::trace_table(&s, &trace);
    assert!(table.ends_with('\n'), "the table does not end in a newline");
    assert_eq!(
        table.lines().count(),
        s.event_count() + 1,
        "the table is not one header row plus one row per event"
    );
    assert!(
        table.lines().all(|line| line == line.trim_end()),
        "the table has trailing spaces"
    );
    Ok(CliOutput {
        check,
        trace: trace_text,
        table,
    })
}

/// Arbitrary bytes (as lossy UTF-8) as a recorded log (`hlcviz-log/1`).
pub fn recorded_import(data: &[u8]) {
    check_recorded(&String::from_utf8_lossy(data));
}

/// Imports a recorded log; on success the scenario validates and replays, the
/// reports stay within their caps and have reasons, every event read maps to
/// a scenario event on its node, an event not moved replays at its recorded
/// wall clock, and the offsets' estimates lie within their bounds.
pub fn check_recorded(text: &str) -> Option<hlcviz::recorded::Recorded> {
    use hlcviz::recorded;
    let rec = match recorded::import(text) {
        Ok(rec) => rec,
        Err(e) => {
            assert_message("recorded::import", &e.to_string());
            return None;
        }
    };
    let s = &rec.imported.scenario;
    let trace = check_valid_scenario("recorded::import", s);
    assert!(
        rec.imported.skipped.len() <= shiviz::MAX_LISTED,
        "more skipped lines listed than the cap"
    );
    assert!(
        rec.imported.notes.len() <= shiviz::MAX_LISTED + 2 * scenario::MAX_NODES + 8,
        "more notes listed than the cap"
    );
    for skipped in &rec.imported.skipped {
        assert!(skipped.line >= 1, "skipped line numbers are 1-based");
        assert_message("recorded::import skipped line", &skipped.reason);
    }
    for note in &rec.imported.notes {
        assert_message("recorded::import note", note);
    }
    assert_eq!(rec.offsets.len(), s.nodes.len(), "one offset per host");
    for o in &rec.offsets {
        assert!(o.contains(o.estimate), "estimate outside its bounds: {o:?}");
    }
    assert_eq!(
        rec.events.len(),
        s.event_count(),
        "every event read is one scenario event"
    );
    for e in &rec.events {
        let t = trace
            .index_of(e.event)
            .and_then(|i| trace.event(i))
            .unwrap_or_else(|| panic!("line {}: {} is not in the trace", e.line, e.event));
        assert_eq!(t.node, e.node, "line {}: replayed on another node", e.line);
        if !e.moved {
            assert_eq!(
                i128::from(t.pt()) + rec.base_ms,
                i128::from(hlc::recorder::millis(e.wall_ns)),
                "line {}: an event not moved replays at its wall clock",
                e.line
            );
        }
    }
    Some(rec)
}

/// A target's check: panics if the input breaks a property.
pub type Check = fn(&[u8]);

/// Every target by name, for tests that walk `fuzz/corpus/<target>/`.
pub const TARGETS: [(&str, Check); 8] = [
    ("permalink_decode", permalink_decode),
    ("permalink_body", permalink_body),
    ("scenario_json", scenario_json),
    ("shiviz_import", shiviz_import),
    ("cli_input", cli_input),
    ("recorded_import", recorded_import),
    ("otlp_import", otlp_import),
    ("log_import", log_import),
];

/// Arbitrary bytes (as lossy UTF-8) as an OpenTelemetry trace: `otlp_import`.
pub fn otlp_import(data: &[u8]) {
    check_otlp(&String::from_utf8_lossy(data));
}

/// Imports an OpenTelemetry trace; on success the scenario validates and
/// replays, the notes stay within their cap and say something, one offset per
/// service with its estimate within its bounds, every event is one scenario
/// event on its node, and one not moved replays at its span timestamp (ms).
pub fn check_otlp(text: &str) -> Option<hlcviz::otlp::Traces> {
    use hlcviz::otlp;
    let traces = match otlp::import(text) {
        Ok(traces) => traces,
        Err(e) => {
            assert_message("otlp::import", &e.to_string());
            return None;
        }
    };
    let s = &traces.imported.scenario;
    let trace = check_valid_scenario("otlp::import", s);
    assert!(
        traces.imported.skipped.is_empty(),
        "spans not used are notes, not skipped lines"
    );
    assert!(
        traces.imported.notes.len() <= shiviz::MAX_LISTED + 2 * scenario::MAX_NODES + 9,
        "more notes listed than the cap"
    );
    for note in &traces.imported.notes {
        assert_message("otlp::import note", note);
    }
    assert!(traces.spans >= 1 && traces.spans <= otlp::MAX_SPANS);
    assert!(traces.replies <= traces.calls && traces.calls <= traces.spans);
    assert_eq!(
        traces.offsets.len(),
        s.nodes.len(),
        "one offset per service"
    );
    for o in &traces.offsets {
        assert!(o.contains(o.estimate), "estimate outside its bounds: {o:?}");
    }
    assert_eq!(
        traces.events.len(),
        s.event_count(),
        "every event is one scenario event"
    );
    assert!(
        traces.events.len() >= 2 * traces.spans,
        "a span's start and end are events"
    );
    assert!(
        s.messages.len() <= traces.calls + traces.replies,
        "a message per call and per reply (fewer where a cycle of parents was broken)"
    );
    for e in &traces.events {
        let t = trace
            .index_of(e.event)
            .and_then(|i| trace.event(i))
            .unwrap_or_else(|| panic!("span {}: {} is not in the trace", e.line, e.event));
        assert_eq!(t.node, e.node, "span {}: replayed on another node", e.line);
        if !e.moved {
            assert_eq!(
                i128::from(t.pt()) + traces.base_ms,
                i128::from(hlc::recorder::millis(e.wall_ns)),
                "span {}: an event not moved replays at its span timestamp",
                e.line
            );
        }
    }
    Some(traces)
}

/// A log read with a ShiViz parser expression (`logimport`). The input is
/// ShiViz's upload format: the parser expression on the first line, the
/// delimiter on the second, the log after; or, when it starts with `{`, a
/// matched log as JSON (what the page's worker sends). Every execution (the
/// first three) is built with a host order chosen by the input's length; on
/// success the scenario validates and replays, the reports stay within their
/// caps and have reasons, every skew is within a scenario's bound, and there
/// is one label per execution.
/// Matches `log` with [`logimport::Expressions`] compiled from `parser` and
/// `delimiter`, remembered per pair (compiling is deterministic, and a
/// remembered `Regex` keeps its warmed-up search caches).
fn match_remembered(
    parser: &str,
    delimiter: &str,
    log: &str,
) -> Result<hlcviz::logimport::MatchedLog, hlcviz::logimport::LogImportError> {
    use hlcviz::logimport::Expressions;
    use std::cell::RefCell;
    use std::collections::HashMap;
    type Compiled = Result<Expressions, hlcviz::logimport::LogImportError>;
    thread_local! {
        static CACHE: RefCell<HashMap<(String, String), Compiled>> = RefCell::new(HashMap::new());
    }
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        let key = (parser.to_string(), delimiter.to_string());
        if !cache.contains_key(&key) && cache.len() >= 256 {
            cache.clear();
        }
        let compiled = cache
            .entry(key)
            .or_insert_with(|| Expressions::compile(parser, delimiter));
        match compiled {
            Ok(expressions) => expressions.match_log(log),
            Err(e) => Err(e.clone()),
        }
    })
}

pub fn log_import(data: &[u8]) {
    use hlcviz::logimport::{self, HostOrder};
    let text = String::from_utf8_lossy(data);
    let matched = if text.starts_with('{') {
        logimport::from_json(&text)
    } else {
        let mut parts = text.splitn(3, '\n');
        let parser = parts.next().unwrap_or("");
        let delimiter = parts.next().unwrap_or("");
        let log = parts.next().unwrap_or("");
        // Compiling is deterministic and most mutations leave the first two
        // lines alone, so compiled expressions are kept (a few hundred at
        // most): the run spends its time in the matching and building this
        // target is for, not in recompiling the same expression.
        let matched = match_remembered(parser, delimiter, log);
        // The one-call path gives the same answer.
        if data.len() % 64 == 0 {
            assert_eq!(
                logimport::match_log(log, parser, delimiter).map_err(|e| e.to_string()),
                matched.clone().map_err(|e| e.to_string())
            );
        }
        matched
    };
    let matched = match matched {
        Ok(m) => m,
        Err(e) => return assert_message("logimport::match_log", &e.to_string()),
    };
    let order = HostOrder::NAMES
        .get(data.len() % HostOrder::NAMES.len())
        .and_then(|name| HostOrder::parse(name))
        .unwrap_or_default();
    for k in 0..matched.executions.len().min(3) {
        match logimport::build(&matched, k, order) {
            Ok(built) => {
                let imported = &built.imported;
                check_valid_scenario("logimport::build", &imported.scenario);
                assert_eq!(built.labels.len(), matched.executions.len());
                assert!(imported.skipped.len() <= shiviz::MAX_LISTED);
                assert!(
                    imported.notes.len() <= shiviz::MAX_LISTED + scenario::MAX_NODES + 16,
                    "more notes than the cap"
                );
                for skipped in &imported.skipped {
                    assert!(skipped.line >= 1, "skipped line numbers are 1-based");
                    assert_message("logimport skipped match", &skipped.reason);
                }
                for note in &imported.notes {
                    assert_message("logimport note", note);
                }
                for node in &imported.scenario.nodes {
                    assert!(node.skew_ms.abs() <= scenario::MAX_SKEW_MS);
                }
            }
            Err(e) => assert_message("logimport::build", &e.to_string()),
        }
    }
}
