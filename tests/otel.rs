//! OpenTelemetry traces made by the real OpenTelemetry Python SDK
//! (`tests/otel/make_traces.py`: three services calling each other over HTTP,
//! one with its clock 250 ms ahead), imported with `hlcviz::otlp` in every
//! encoding the script writes, and checked against the spans in the files.
//!
//! The SDK lives in a venv made by `bash scripts/setup.sh --otel`; without it
//! the test fails and says so.

#[allow(dead_code)]
#[path = "../fuzz/src/checks.rs"]
mod checks;

use hlcviz::analysis;
use hlcviz::otlp::{self, Traces};
use hlcviz::sim;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The skew the script gives the `inventory` service's clock (`SKEW_MS`).
const INVENTORY_SKEW_NS: i128 = 250_000_000;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The spans of an OTLP/JSON file, read with `serde_json` alone: service
/// name, span id, parent span id, start and end (ns).
struct Expected {
    services: HashSet<String>,
    spans: Vec<(String, String, String, i64, i64)>,
}

fn expected(path: &Path) -> Expected {
    let text = std::fs::read_to_string(path).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    let mut services = HashSet::new();
    let mut spans = Vec::new();
    for group in json["resourceSpans"].as_array().unwrap() {
        let service = group["resource"]["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|kv| kv["key"] == "service.name")
            .map(|kv| kv["value"]["stringValue"].as_str().unwrap().to_string())
            .unwrap();
        services.insert(service.clone());
        for scope in group["scopeSpans"].as_array().unwrap() {
            for span in scope["spans"].as_array().unwrap() {
                let ns = |key: &str| span[key].as_str().unwrap().parse::<i64>().unwrap();
                spans.push((
                    service.clone(),
                    span["spanId"].as_str().unwrap().to_string(),
                    span["parentSpanId"].as_str().unwrap_or("").to_string(),
                    ns("startTimeUnixNano"),
                    ns("endTimeUnixNano"),
                ));
            }
        }
    }
    Expected { services, spans }
}

/// What must hold for any import of the script's output, checked against the
/// spans read independently; timestamps must match within `tolerance_ns`.
fn check_against(traces: &Traces, want: &Expected, tolerance_ns: i64) {
    let s = &traces.imported.scenario;
    let names: HashSet<String> = s.nodes.iter().map(|n| n.name.clone()).collect();
    assert_eq!(names, want.services, "one node per service");
    assert_eq!(traces.spans, want.spans.len(), "every span read");
    let service_of: HashMap<&str, &str> = want
        .spans
        .iter()
        .map(|(svc, id, ..)| (id.as_str(), svc.as_str()))
        .collect();
    let remote = want
        .spans
        .iter()
        .filter(|(svc, _, parent, ..)| service_of.get(parent.as_str()).is_some_and(|p| p != svc))
        .count();
    assert_eq!(traces.calls, remote, "a call per cross-service parent");
    // Every call is a CLIENT span calling a SERVER span: a request and a reply.
    assert_eq!(traces.replies, remote);
    assert_eq!(
        s.messages.len(),
        2 * remote,
        "a request and a reply per call"
    );
    // Each client span has one remote child, so no event is added.
    assert_eq!(s.event_count(), 2 * want.spans.len(), "two events per span");
    // Every event stands for a span timestamp of its own service.
    for e in &traces.events {
        let service = &s.nodes[e.node].name;
        assert!(
            want.spans
                .iter()
                .any(|(svc, _, _, start, end)| svc == service
                    && [start, end]
                        .iter()
                        .any(|t| (**t - e.wall_ns).abs() <= tolerance_ns)),
            "span {}: {} ns is not a timestamp of its service's spans",
            e.line,
            e.wall_ns
        );
    }
    // The offsets' bounds hold the truth: cart shares frontend's clock,
    // inventory's runs 250 ms ahead.
    let node = |name: &str| s.nodes.iter().position(|n| n.name == name).unwrap();
    let reference = &s.nodes[0].name;
    assert_eq!(
        reference, "frontend",
        "offsets are relative to the first service"
    );
    assert!(traces.offsets_consistent, "{:#?}", traces.imported.notes);
    let cart = traces.offsets[node("cart")];
    let inventory = traces.offsets[node("inventory")];
    assert!(cart.lower.is_some() && cart.upper.is_some(), "{cart:?}");
    assert!(cart.contains(0), "{cart:?}");
    assert!(inventory.contains(INVENTORY_SKEW_NS), "{inventory:?}");
    assert_eq!(
        s.nodes[node("inventory")].skew_ms,
        (inventory.estimate + 500_000).div_euclid(1_000_000) as i64,
        "the skew is the estimated offset, in ms"
    );
    // HLC's invariants hold on the replay.
    let trace = sim::replay_valid(s);
    for check in analysis::check_invariants(s, &trace) {
        assert!(check.holds, "{:?}: {}", check.invariant, check.measured);
    }
}

fn python() -> PathBuf {
    let python = root().join("target/otel-venv/bin/python");
    assert!(
        python.is_file(),
        "the OpenTelemetry SDK is not installed ({} is missing): run `bash scripts/setup.sh --otel` first",
        python.display()
    );
    python
}

#[test]
fn traces_of_the_opentelemetry_python_sdk_import_in_every_encoding() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("otel-{}", std::process::id()));
    let out = Command::new(python())
        .arg(root().join("tests/otel/make_traces.py"))
        .arg(&dir)
        .args(["--requests", "3"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "make_traces.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let want = expected(&dir.join("otlp.json"));
    assert_eq!(want.spans.len(), 24, "8 spans a request");
    let mut shapes = Vec::new();
    for file in [
        "otlp.json",
        "otlp-proto.json",
        "otlp-snake.json",
        "console.json",
    ] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        assert!(otlp::is_otlp(&text), "{file} is recognised");
        let traces = checks::check_otlp(&text).unwrap_or_else(|| {
            panic!("{file}: {}", otlp::import(&text).unwrap_err());
        });
        // The console exporter writes µs (through a float: ±1 µs).
        let tolerance = if file == "console.json" { 1_000 } else { 0 };
        check_against(&traces, &want, tolerance);
        let s = &traces.imported.scenario;
        shapes.push((
            file,
            s.nodes.iter().map(|n| n.name.clone()).collect::<Vec<_>>(),
            s.event_count(),
            s.messages.len(),
        ));
    }
    // The three OTLP encodings carry the same timestamps: the same scenario.
    let scenario = |file: &str| {
        otlp::import(&std::fs::read_to_string(dir.join(file)).unwrap())
            .unwrap()
            .imported
            .scenario
    };
    assert_eq!(scenario("otlp.json"), scenario("otlp-proto.json"));
    assert_eq!(scenario("otlp.json"), scenario("otlp-snake.json"));
    // The console exporter's times are in µs: the same shape.
    for shape in &shapes[1..] {
        assert_eq!(
            (&shape.1, shape.2, shape.3),
            (&shapes[0].1, shapes[0].2, shapes[0].3),
            "{}",
            shape.0
        );
    }

    // The command line picks the format itself.
    let cli = Command::new(env!("CARGO_BIN_EXE_hlcviz"))
        .args(["import"])
        .arg(dir.join("otlp.json"))
        .arg("-o")
        .arg(dir.join("scenario.json"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&cli.stderr);
    assert!(cli.status.success(), "{stderr}");
    // 24 spans, 9 calls: 48 events, 18 messages (36 of the events).
    assert!(
        stderr.contains("imported an OpenTelemetry trace: 3 nodes, 12 local events, 18 messages"),
        "{stderr}"
    );
    let json = std::fs::read_to_string(dir.join("scenario.json")).unwrap();
    let from_cli = hlcviz::scenario::Scenario::from_json(&json).unwrap();
    assert_eq!(from_cli, scenario("otlp.json"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_committed_sdk_trace_imports() {
    for file in ["checkout.otlp.json", "checkout.console.json"] {
        let path = root().join("tests/data/otel").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let traces = checks::check_otlp(&text).unwrap();
        if file.ends_with(".otlp.json") {
            check_against(&traces, &expected(&path), 0);
        }
        let s = &traces.imported.scenario;
        assert_eq!(s.nodes.len(), 3, "{file}");
        assert_eq!((traces.spans, traces.calls), (8, 3), "{file}");
        assert_eq!(s.messages.len(), 6, "{file}");
    }
}
