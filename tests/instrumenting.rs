//! Real programs instrumented with the `hlc` crate's recorder: the
//! `udp_cluster` example runs three OS processes exchanging UDP datagrams with
//! injected clock offsets; their logs are imported and checked against what
//! was injected. Also the importer on hand-made and hostile logs.

use hlc::recorder::{millis, Recorder};
use hlcviz::recorded::{self, RecordedError};
use hlcviz::sim;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Builds the example with the cargo running this test (same profile, same
/// target directory) and returns its executable.
fn build_example(name: &str) -> PathBuf {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "build",
        "--example",
        name,
        "--message-format=json-render-diagnostics",
    ]);
    // target/<profile>/deps/<this test> → build into the same target/<profile>.
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(Path::parent).unwrap();
    if profile_dir.file_name().is_some_and(|n| n == "release") {
        cmd.arg("--release");
    }
    if let Some(target_dir) = profile_dir.parent() {
        cmd.env("CARGO_TARGET_DIR", target_dir);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "cargo build --example {name} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["target"]["name"] == name)
        .find_map(|v| v["executable"].as_str().map(PathBuf::from))
        .unwrap_or_else(|| panic!("cargo did not report the {name} executable"))
}

#[test]
fn three_udp_processes_import_with_offsets_that_bound_the_injected_ones() {
    let injected_ms = [0i64, 40, -25];
    let exe = build_example("udp_cluster");
    let dir = std::env::temp_dir().join(format!("hlcviz-udp-cluster-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = Command::new(&exe)
        .arg(&dir)
        .args(["--offsets", "0,40,-25", "--messages", "15"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "udp_cluster failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = std::fs::read_to_string(dir.join("cluster.jsonl")).unwrap();
    let _ = std::fs::remove_dir_all(&dir);

    let rec = recorded::import(&log).unwrap();
    let s = &rec.imported.scenario;
    let names: Vec<&str> = s.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "c"]);
    // 15 datagrams to each of 2 peers from each of 3 hosts; start, done and a
    // "work" event every 5th send on each host.
    assert_eq!(s.messages.len(), 90);
    assert_eq!(s.events.len(), 3 * (2 + 6));
    assert!(
        rec.imported.skipped.is_empty(),
        "{:?}",
        rec.imported.skipped
    );
    assert!(rec.offsets_consistent);

    // The estimated bounds contain the injected offsets (relative to a).
    for (h, o) in rec.offsets.iter().enumerate() {
        let truth = i128::from(injected_ms[h] - injected_ms[0]) * 1_000_000;
        assert!(
            o.lower.is_some() && o.upper.is_some(),
            "host {h}: messages both ways bound it from both sides: {o:?}"
        );
        assert!(o.contains(truth), "host {h}: {o:?} excludes {truth} ns");
        assert!(o.contains(o.estimate));
        assert_eq!(
            i128::from(s.nodes[h].skew_ms),
            (o.estimate + 500_000).div_euclid(1_000_000)
        );
    }
    let b_note = &rec.imported.notes[1];
    assert!(b_note.starts_with("host b: offset +"), "{b_note}");

    // Replaying the scenario gives every event its recorded wall clock (ms) as
    // pt, and the HLC the process itself computed.
    let trace = sim::replay(s).unwrap();
    assert_eq!(rec.events.len(), 24 + 180);
    for e in &rec.events {
        assert!(!e.moved, "line {} was moved", e.line);
        let t = trace.event(trace.index_of(e.event).unwrap()).unwrap();
        assert_eq!(
            i128::from(t.pt()) + rec.base_ms,
            i128::from(millis(e.wall_ns)),
            "line {}",
            e.line
        );
        let logged = e.hlc.unwrap();
        assert_eq!(
            (i128::from(t.hlc().l) + rec.base_ms, t.hlc().c),
            (i128::from(logged.l), logged.c),
            "line {}",
            e.line
        );
    }
    assert!(
        !rec.imported.notes.iter().any(|n| n.contains("differ")),
        "{:#?}",
        rec.imported.notes
    );
}

/// Two hosts recorded in one process, with b's clock 30 ms ahead and every
/// message taking 5 ms of real time.
fn two_host_log(rounds: i64) -> String {
    let mut a = Recorder::new("a", Vec::new()).unwrap();
    let mut b = Recorder::new("b", Vec::new()).unwrap();
    let ms = 1_000_000i64;
    let start = 1_700_000_000_000 * ms;
    for k in 0..rounds {
        let real = start + k * 50 * ms;
        let m = a.send(real, None).unwrap();
        b.recv(real + 5 * ms + 30 * ms, &m, Some("got it")).unwrap();
        let back = b.send(real + 10 * ms + 30 * ms, None).unwrap();
        a.recv(real + 15 * ms, &back, None).unwrap();
        b.local(real + 20 * ms + 30 * ms, None).unwrap();
    }
    let mut log = String::from_utf8(a.into_inner()).unwrap();
    log.push_str(&String::from_utf8(b.into_inner()).unwrap());
    log
}

#[test]
fn symmetric_delays_give_the_exact_offset() {
    let rec = recorded::import(&two_host_log(3)).unwrap();
    let b = rec.offsets[1];
    assert_eq!(
        (b.lower, b.upper, b.estimate),
        (Some(25_000_000), Some(35_000_000), 30_000_000)
    );
    assert_eq!(rec.imported.scenario.nodes[1].skew_ms, 30);
    assert_eq!(
        rec.imported.notes[1],
        "host b: offset +30.0 ms (between +25.0 and +35.0 ms)"
    );
    // Real times come back: each message takes 5 ms.
    for m in &rec.imported.scenario.messages {
        assert_eq!(m.received_at_ms - m.sent_at_ms, 5);
    }
}

#[test]
fn a_lost_message_and_a_stray_receive_become_local_events_with_notes() {
    let mut log = two_host_log(2);
    // Drop a's first receive (b:0 is then never received) and add a receive
    // of a message nobody sent.
    let lines: Vec<&str> = log.lines().collect();
    let first_recv = lines
        .iter()
        .position(|l| l.contains("\"kind\":\"recv\"") && l.contains("\"host\":\"a\""))
        .unwrap();
    let mut kept: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    kept.remove(first_recv);
    kept.push(
        r#"{"kind":"recv","host":"b","wall_ns":1700000000900000000,"hlc":{"l":1700000000900,"c":0},"msg":"zz:9"}"#
            .to_string(),
    );
    log = kept.join("\n");
    let rec = recorded::import(&log).unwrap();
    let notes = rec.imported.notes.join("\n");
    assert!(notes.contains("message `b:0` is never received"), "{notes}");
    assert!(
        notes.contains(
            "receive of message `zz:9` drawn as a local event: its send is not in the log"
        ),
        "{notes}"
    );
    assert_eq!(rec.imported.scenario.messages.len(), 3);
}

#[test]
fn events_in_one_millisecond_are_moved_and_said_so() {
    let log = r#"{"format":"hlcviz-log/1","host":"a"}
{"kind":"local","wall_ns":5000000,"hlc":{"l":5,"c":0}}
{"kind":"local","wall_ns":5000100,"hlc":{"l":5,"c":1}}
{"kind":"local","wall_ns":4000000,"hlc":{"l":5,"c":2}}
"#;
    let rec = recorded::import(log).unwrap();
    let times: Vec<i64> = rec
        .imported
        .scenario
        .events
        .iter()
        .map(|e| e.at_ms)
        .collect();
    assert_eq!(times, [10, 11, 12]);
    assert_eq!(rec.events.iter().filter(|e| e.moved).count(), 2);
    let notes = rec.imported.notes.join("\n");
    assert!(
        notes.contains(
            "host a: 2 event(s) drawn later than their wall clock says (first at line 3)"
        ),
        "{notes}"
    );
    assert!(
        notes.contains("host a: 2 HLC timestamp(s) in the log differ"),
        "{notes}"
    );
}

#[test]
fn clocks_that_contradict_every_offset_are_reported_and_skews_left_at_zero() {
    // a → b → a: the reply reaches a 10 ms before a's send on a's own clock.
    let log = r#"{"format":"hlcviz-log/1","host":"a"}
{"kind":"send","wall_ns":100000000,"msg":"a:0"}
{"kind":"recv","wall_ns":90000000,"msg":"b:0"}
{"format":"hlcviz-log/1","host":"b"}
{"kind":"recv","wall_ns":500000000,"msg":"a:0"}
{"kind":"send","wall_ns":500000000,"msg":"b:0"}
"#;
    let rec = recorded::import(log).unwrap();
    assert!(!rec.offsets_consistent);
    assert!(
        rec.imported.notes[0].starts_with("No clock offsets fit the log: around a → b → a, a chain of messages arrives 10.0 ms before"),
        "{}",
        rec.imported.notes[0]
    );
    assert!(rec.imported.scenario.nodes.iter().all(|n| n.skew_ms == 0));
    // The receive is still drawn after its send.
    sim::replay(&rec.imported.scenario).unwrap();
}

#[test]
fn hostile_logs_get_one_clear_error() {
    let err = |text: &str| recorded::import(text).unwrap_err().to_string();
    assert!(err(r#"{"format":"hlcviz-log/9","host":"a"}"#)
        .contains("format `hlcviz-log/9` is not hlcviz-log/1"));
    assert!(err(r#"{"format":"hlcviz-log/1","host":"a"}"#).contains("no event could be read"));
    let mut hosts = String::new();
    for k in 0..65 {
        hosts.push_str(&format!(
            "{{\"kind\":\"local\",\"host\":\"h{k}\",\"wall_ns\":{}}}\n",
            k * 1_000_000
        ));
    }
    assert_eq!(
        recorded::import(&hosts).unwrap_err(),
        RecordedError::TooManyHosts { line: 65 }
    );
    // A run longer than a scenario can show.
    let long = "{\"kind\":\"local\",\"host\":\"a\",\"wall_ns\":-9000000000000000000}\n{\"kind\":\"local\",\"host\":\"a\",\"wall_ns\":9000000000000000000}";
    assert!(err(long).contains("longer than"), "{}", err(long));
    // Offsets beyond a day.
    let far = r#"{"kind":"send","host":"a","wall_ns":0,"msg":"m"}
{"kind":"recv","host":"b","wall_ns":900000000000000,"msg":"m"}"#;
    assert!(err(far).contains("beyond"), "{}", err(far));
}

#[test]
fn bad_lines_are_skipped_with_their_reason() {
    let log = format!(
        "{}\n{}\n{}\n{}\n{}\n{}\n{}\n",
        r#"{"format":"hlcviz-log/1","host":"a"}"#,
        r#"{"kind":"local","wall_ns":1000000}"#,
        r#"{"kind":"teleport","wall_ns":1}"#,
        r#"{"kind":"send","wall_ns":2000000}"#,
        r#"{"kind":"local","hlc":{"l":1,"c":99999999999}}"#,
        r#"{"kind":"local","host":"bad\nname","wall_ns":1}"#,
        "x".repeat(recorded::MAX_LINE_BYTES + 1),
    );
    let rec = recorded::import(&log).unwrap();
    let reasons: Vec<(usize, &str)> = rec
        .imported
        .skipped
        .iter()
        .map(|s| (s.line, s.reason.as_str()))
        .collect();
    assert_eq!(reasons.len(), 5, "{reasons:?}");
    assert!(reasons[0].1.contains("unknown kind `teleport`"));
    assert!(reasons[1].1.contains("needs its message id"));
    assert!(reasons[2].1.starts_with("not a JSON object of the log"));
    assert!(
        reasons[3].1.contains("contains control characters"),
        "{reasons:?}"
    );
    assert!(reasons[4].1.contains("longer than"));
    assert_eq!(rec.imported.scenario.events.len(), 1);
}

#[test]
fn the_recorder_round_trips_through_the_cli() {
    let dir = std::env::temp_dir().join(format!("hlcviz-import-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log_path = dir.join("run.jsonl");
    std::fs::write(&log_path, two_host_log(2)).unwrap();
    let out_path = dir.join("run.json");
    let out = Command::new(env!("CARGO_BIN_EXE_hlcviz"))
        .arg("import")
        .arg(&log_path)
        .arg("-o")
        .arg(&out_path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("note: host b: offset +30.0 ms (between +25.0 and +35.0 ms)"),
        "{stderr}"
    );
    let json = std::fs::read_to_string(&out_path).unwrap();
    let scenario = hlcviz::scenario::Scenario::from_json(&json).unwrap();
    assert_eq!(scenario.nodes[1].skew_ms, 30);

    let bad = Command::new(env!("CARGO_BIN_EXE_hlcviz"))
        .args(["import", "--format", "otlp"])
        .arg(&log_path)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("no span could be read from the trace; 12 JSON object(s) are neither"),
        "a recorded log read as OTLP says why it is not one: {stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
