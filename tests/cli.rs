//! The `hlcviz` command line, run as a separate process on the scenarios in
//! `docs/examples/` and on hostile input.

mod support;

use support::examples_dir;

use serde_json::{json, Value};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_hlcviz");
const MIB: usize = 1024 * 1024;

fn example(name: &str) -> String {
    examples_dir().join(name).to_string_lossy().into_owned()
}

/// The `*.json` files directly in `dir`, sorted.
fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// Runs `hlcviz args`, feeding `stdin` from another thread (so a large input
/// cannot deadlock against the output pipes; a write the binary refuses to
/// read is not an error).
fn run(args: &[&str], stdin: Option<Vec<u8>>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the hlcviz binary runs");
    let feeder = stdin.map(|bytes| {
        let mut pipe = child.stdin.take().unwrap();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        })
    });
    let output = child.wait_with_output().unwrap();
    if let Some(feeder) = feeder {
        feeder.join().unwrap();
    }
    output
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

/// Asserts a clean failure: the exit code, and exactly one stderr line that
/// starts with `hlcviz: ` and contains every one of `needles`; nothing on stdout.
fn assert_fails(o: &Output, code: i32, needles: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(code), "stderr: {err}");
    assert!(o.stdout.is_empty(), "stdout: {}", stdout(o));
    assert!(err.starts_with("hlcviz: "), "stderr: {err:?}");
    assert!(err.ends_with('\n'), "stderr: {err:?}");
    assert_eq!(err.lines().count(), 1, "one line only: {err:?}");
    assert!(!err.contains("panicked"), "stderr: {err}");
    for needle in needles {
        assert!(err.contains(needle), "{needle:?} not in {err:?}");
    }
}

fn trace_json(file: &str) -> Value {
    let o = run(&["trace", file], None);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("trace prints JSON")
}

fn hlc(l: i64, c: u32) -> Value {
    json!({ "l": l, "c": c })
}

#[test]
fn every_example_traces_tables_and_checks() {
    let files = json_files(&examples_dir());
    for required in [
        "basic.json",
        "sender-ahead.json",
        "message-loop.json",
        "max-offset.json",
        "counter-overflow.json",
        "clock-step.json",
    ] {
        assert!(
            files.iter().any(|f| f.ends_with(required)),
            "missing example {required}"
        );
    }
    for file in &files {
        let path = file.to_str().unwrap();
        let scenario: Value =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let messages = scenario["messages"].as_array().map_or(0, Vec::len);
        let locals = scenario["events"].as_array().map_or(0, Vec::len);
        let nodes = scenario["nodes"].as_array().unwrap().len();
        let events = locals + 2 * messages;

        let trace = trace_json(path);
        assert_eq!(trace["format"], "hlcviz-trace/1", "{path}");
        assert_eq!(trace["nodes"].as_array().unwrap().len(), nodes, "{path}");
        let list = trace["events"].as_array().unwrap();
        assert_eq!(list.len(), events, "{path}");
        for (i, e) in list.iter().enumerate() {
            assert_eq!(e["index"], i, "{path}");
            assert_eq!(e["vector"].as_array().unwrap().len(), nodes, "{path}");
            assert!(e["explanation"].as_str().unwrap().ends_with('.'), "{path}");
        }

        let table = run(&["trace", path, "--table"], None);
        assert_eq!(table.status.code(), Some(0), "{path}: {}", stderr(&table));
        assert_eq!(stdout(&table).lines().count(), events + 1, "{path}");

        let check = run(&["check", path], None);
        assert_eq!(check.status.code(), Some(0), "{path}");
        assert_eq!(
            stdout(&check),
            format!("ok: {nodes} nodes, {events} events\n")
        );
        assert!(check.stderr.is_empty());
    }
}

/// basic.json by hand. Nodes A (skew 0), B (skew +50), C (skew 0), no drift, so
/// pt = real + skew. Replay order is real time. HLC: Figure 5; naive (Figure 3):
/// local `max(l + 1, pt)`, receive `max(l + 1, l_m + 1, pt)`; Lamport: local
/// `+1`, receive `max(lc, lc_m) + 1`; vector: own entry `+1` after the max.
///
/// | # | event          | pt  | HLC branch                                   | HLC      | naive                  | Lamport        | vector  |
/// |---|----------------|-----|----------------------------------------------|----------|------------------------|----------------|---------|
/// | 0 | A local @10    | 10  | first event: l = pt                          | (10, 0)  | 10                     | 1              | [1 0 0] |
/// | 1 | C local @20    | 20  | first event: l = pt                          | (20, 0)  | 20                     | 1              | [0 0 1] |
/// | 2 | A send m0 @30  | 30  | pt 30 > l 10                                 | (30, 0)  | max(11, 30) = 30       | 2              | [2 0 0] |
/// | 3 | B recv m0 @40  | 90  | pt 90 beats l_m 30 (no l yet): c = 0         | (90, 0)  | max(31, 90) = 90       | max(0, 2)+1 = 3 | [2 1 0] |
/// | 4 | B send m1 @60  | 110 | pt 110 > l 90                                | (110, 0) | max(91, 110) = 110     | 4              | [2 2 0] |
/// | 5 | C recv m1 @65  | 65  | l_m 110 beats l 20, pt 65: c = c_m + 1       | (110, 1) | max(21, 111, 65) = 111 | max(1, 4)+1 = 5 | [2 2 2] |
/// | 6 | C send m2 @80  | 80  | pt 80 <= l 110: l kept, c + 1                | (110, 2) | max(112, 80) = 112     | 6              | [2 2 3] |
/// | 7 | A recv m2 @90  | 90  | l_m 110 beats l 30, pt 90: c = c_m + 1 = 3   | (110, 3) | max(31, 113, 90) = 113 | max(2, 6)+1 = 7 | [3 2 3] |
/// | 8 | A local @120   | 120 | pt 120 > l 110                               | (120, 0) | max(114, 120) = 120    | 8              | [4 2 3] |
#[test]
fn basic_example_matches_the_hand_computed_trace() {
    let trace = trace_json(&example("basic.json"));
    let events = trace["events"].as_array().unwrap();
    // (node, kind, pt, hlc, rule, naive_l, lamport, vector, partner)
    let expected = [
        (
            0,
            "local",
            10,
            hlc(10, 0),
            "physical-ahead",
            10,
            1,
            json!([1, 0, 0]),
            Value::Null,
        ),
        (
            2,
            "local",
            20,
            hlc(20, 0),
            "physical-ahead",
            20,
            1,
            json!([0, 0, 1]),
            Value::Null,
        ),
        (
            0,
            "send",
            30,
            hlc(30, 0),
            "physical-ahead",
            30,
            2,
            json!([2, 0, 0]),
            json!(3),
        ),
        (
            1,
            "recv",
            90,
            hlc(90, 0),
            "recv-physical-ahead",
            90,
            3,
            json!([2, 1, 0]),
            json!(2),
        ),
        (
            1,
            "send",
            110,
            hlc(110, 0),
            "physical-ahead",
            110,
            4,
            json!([2, 2, 0]),
            json!(5),
        ),
        (
            2,
            "recv",
            65,
            hlc(110, 1),
            "recv-message-ahead",
            111,
            5,
            json!([2, 2, 2]),
            json!(4),
        ),
        (
            2,
            "send",
            80,
            hlc(110, 2),
            "logical-held",
            112,
            6,
            json!([2, 2, 3]),
            json!(7),
        ),
        (
            0,
            "recv",
            90,
            hlc(110, 3),
            "recv-message-ahead",
            113,
            7,
            json!([3, 2, 3]),
            json!(6),
        ),
        (
            0,
            "local",
            120,
            hlc(120, 0),
            "physical-ahead",
            120,
            8,
            json!([4, 2, 3]),
            Value::Null,
        ),
    ];
    assert_eq!(events.len(), expected.len());
    for (e, (node, kind, pt, stamp, rule, naive, lamport, vector, partner)) in
        events.iter().zip(expected)
    {
        let at = format!("event {}", e["index"]);
        assert_eq!(e["node"], node, "{at}");
        assert_eq!(e["kind"], kind, "{at}");
        assert_eq!(e["pt"], pt, "{at}");
        assert_eq!(e["hlc"], stamp, "{at}");
        assert_eq!(e["rule"], rule, "{at}");
        assert_eq!(e["naive_l"], naive, "{at}");
        assert_eq!(e["lamport"], lamport, "{at}");
        assert_eq!(e["vector"], vector, "{at}");
        assert_eq!(e["partner"], partner, "{at}");
        assert_eq!(e["carried"], false, "{at}");
        assert_eq!(e["rejected"], Value::Null, "{at}");
    }
    assert_eq!(events[3]["node_name"], "B");
    assert_eq!(events[3]["real_ms"], 40);
    assert_eq!(events[3]["event"], json!({"kind": "recv", "index": 0}));
    assert_eq!(events[3]["message"], 0);
    assert_eq!(events[8]["event"], json!({"kind": "local", "index": 2}));
    assert_eq!(events[8]["message"], Value::Null);
    assert_eq!(
        events[5]["explanation"],
        "Receive: the message's l_m = 110 beat the local l = 20 and pt = 65, so l = 110 and c = c_m + 1 = 1."
    );
    assert_eq!(
        trace["nodes"][1],
        json!({"name": "B", "skew_ms": 50, "drift_ppm": 0})
    );
}

/// sender-ahead.json by hand. The sender's clock is 100 ms ahead (pt = real +
/// 100), the receiver's is exact (pt = real).
///
/// - #0 sender sends m0 at real 0: pt 100, HLC (100, 0).
/// - #1 receiver local at 5: (5, 0).
/// - #2 receiver gets m0 at 10: l = max(5, 100, pt 10) = 100 = l_m, so
///   c = c_m + 1 = 1: (100, 1); naive max(6, 101, 10) = 101.
/// - #3, #4 locals at 20, 30: pt is still below 100, l holds and c counts:
///   (100, 2), (100, 3); naive 102, 103.
/// - #5 sender sends m1 at 40: pt 140, (140, 0).
/// - #6 receiver gets m1 at 50: (140, 1); Lamport max(4, 2) + 1 = 5.
/// - #7 local at 60: (140, 2).
/// - #8 local at 150: pt 150 > 140 finally, (150, 0).
#[test]
fn sender_ahead_example_matches_the_hand_computed_trace() {
    let trace = trace_json(&example("sender-ahead.json"));
    let events = trace["events"].as_array().unwrap();
    let stamps: Vec<&Value> = events.iter().map(|e| &e["hlc"]).collect();
    let expected = [
        hlc(100, 0),
        hlc(5, 0),
        hlc(100, 1),
        hlc(100, 2),
        hlc(100, 3),
        hlc(140, 0),
        hlc(140, 1),
        hlc(140, 2),
        hlc(150, 0),
    ];
    assert_eq!(stamps, expected.iter().collect::<Vec<_>>());
    let rules: Vec<&str> = events.iter().map(|e| e["rule"].as_str().unwrap()).collect();
    assert_eq!(
        rules,
        [
            "physical-ahead",
            "physical-ahead",
            "recv-message-ahead",
            "logical-held",
            "logical-held",
            "physical-ahead",
            "recv-message-ahead",
            "logical-held",
            "physical-ahead"
        ]
    );
    let naive: Vec<i64> = events
        .iter()
        .map(|e| e["naive_l"].as_i64().unwrap())
        .collect();
    assert_eq!(naive, [100, 5, 101, 102, 103, 140, 141, 142, 150]);
    let lamport: Vec<u64> = events
        .iter()
        .map(|e| e["lamport"].as_u64().unwrap())
        .collect();
    assert_eq!(lamport, [1, 1, 2, 3, 4, 2, 5, 6, 7]);
    assert_eq!(events[2]["pt"], 10);
    assert_eq!(events[2]["partner"], 0);
    assert_eq!(events[0]["partner"], 2);
    assert_eq!(events[6]["vector"], json!([2, 5]));
    assert_eq!(events[0]["node_name"], "sender");
}

/// The other examples, each on the one effect it exists to show.
#[test]
fn the_other_examples_show_their_effect() {
    // max-offset.json: B is 500 ms ahead, the bound is 100 ms. A receives m0
    // (l_m = 510) at pt 20: 490 > 100, rejected; A's clock treats it as a local
    // event (20, 0), Lamport and vector do not take the message either.
    let t = trace_json(&example("max-offset.json"));
    let rejected = &t["events"][2];
    assert_eq!(rejected["event"], json!({"kind": "recv", "index": 0}));
    assert_eq!(rejected["hlc"], hlc(20, 0));
    assert_eq!(rejected["rule"], "physical-ahead");
    assert_eq!(rejected["vector"], json!([2, 0, 0]));
    assert_eq!(
        rejected["rejected"],
        "remote time l_m = 510 is 490 ahead of the local clock pt = 20, more than the max offset 100"
    );
    assert!(rejected["explanation"]
        .as_str()
        .unwrap()
        .starts_with("Message rejected: "));
    assert_eq!(t["settings"]["max_offset_ms"], 100);
    // C is 60 ms ahead: m1 (l_m = 90, pt 40) is within the bound and accepted.
    assert_eq!(t["events"][4]["hlc"], hlc(90, 1));
    assert_eq!(t["events"][4]["rejected"], Value::Null);

    // counter-overflow.json: 2-bit counter (max 3). B takes (100, 1) from A and
    // its pt stays below 100, so locals count 2, 3, then carry to (101, 0).
    let t = trace_json(&example("counter-overflow.json"));
    let stamps: Vec<&Value> = t["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["hlc"])
        .collect();
    let expected = [
        hlc(100, 0),
        hlc(100, 1),
        hlc(100, 2),
        hlc(100, 3),
        hlc(101, 0),
        hlc(101, 1),
        hlc(101, 2),
        hlc(101, 3),
        hlc(102, 0),
    ];
    assert_eq!(stamps, expected.iter().collect::<Vec<_>>());
    let carried: Vec<bool> = t["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["carried"].as_bool().unwrap())
        .collect();
    assert_eq!(
        carried,
        [false, false, false, false, true, false, false, false, true]
    );

    // clock-step.json: A's clock steps back 40 ms at real 50 (pt 50 -> 10), yet
    // A's HLC keeps increasing: (40, 0), (40, 1), (40, 2), (40, 3), (50, 0).
    let t = trace_json(&example("clock-step.json"));
    let a: Vec<(i64, i64, u64)> = t["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["node"] == 0)
        .map(|e| {
            (
                e["pt"].as_i64().unwrap(),
                e["hlc"]["l"].as_i64().unwrap(),
                e["hlc"]["c"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        a,
        [
            (10, 10, 0),
            (20, 20, 0),
            (30, 30, 0),
            (40, 40, 0),
            (10, 40, 1),
            (20, 40, 2),
            (30, 40, 3),
            (50, 50, 0)
        ]
    );

    // message-loop.json: both clocks run 10 % slow, and 30 messages bounce back
    // and forth every ms. The naive rule adds 1 per hop (l = real time), HLC
    // follows pt: at the last event (real 59, pt 59 - 6 = 53) naive is 6 ahead.
    let t = trace_json(&example("message-loop.json"));
    let events = t["events"].as_array().unwrap();
    let last = events.last().unwrap();
    assert_eq!(
        (last["real_ms"].clone(), last["pt"].clone()),
        (json!(59), json!(53))
    );
    assert_eq!(last["naive_l"], 59);
    assert_eq!(last["hlc"], hlc(53, 0));
    for e in events {
        // Naive: +1 per hop, so l = real time. HLC: pt never decreases along the
        // chain, so l = pt at every event (c counts when pt repeats).
        assert_eq!(e["naive_l"], e["real_ms"], "{e}");
        assert_eq!(e["hlc"]["l"], e["pt"], "{e}");
    }
    assert_eq!(
        events[11]["hlc"],
        hlc(9, 1),
        "real 10 and 11 both read pt 9"
    );
}

#[test]
fn table_has_the_expected_rows() {
    let o = run(&["trace", "--table", &example("basic.json")], None);
    assert_eq!(o.status.code(), Some(0));
    let table = stdout(&o);
    let lines: Vec<&str> = table.lines().collect();
    for header in [
        "#",
        "node",
        "event",
        "real",
        "pt",
        "hlc (l, c)",
        "rule",
        "naive l",
        "lamport",
        "vector",
    ] {
        assert!(lines[0].contains(header), "{header}: {}", lines[0]);
    }
    let row3: Vec<&str> = lines[4].split_whitespace().collect();
    assert_eq!(
        row3[..8],
        ["3", "B", "recv", "m0", "<-", "A", "40", "90"],
        "{}",
        lines[4]
    );
    assert!(lines[4].contains("(90, 0)") && lines[4].contains("[2 1 0]"));
    assert!(lines[4].contains("physical clock ahead of both"));
    assert!(lines[3].contains("send m0 -> B"));
    assert!(lines[8].contains("recv m2 <- C") && lines[8].contains("(110, 3)"));
    assert!(lines[8].contains("message ahead: took l_m, c = c_m + 1"));
    assert!(lines.iter().all(|l| !l.ends_with(' ')));

    let o = run(&["trace", &example("max-offset.json"), "--table"], None);
    let table = stdout(&o);
    let marked: Vec<&str> = table.lines().filter(|l| l.contains("REJECTED: ")).collect();
    assert_eq!(marked.len(), 1, "{table}");
    assert!(marked[0].contains("recv m0 <- B"), "{table}");

    let o = run(
        &["trace", &example("counter-overflow.json"), "--table"],
        None,
    );
    assert_eq!(stdout(&o).matches("+ carry").count(), 2);
}

#[test]
fn long_and_odd_node_names_are_cut_in_the_table() {
    let name = "Ωmega-ノード-👩‍👩‍👧‍👦-with-a-very-long-name";
    let scenario = json!({
        "nodes": [{"name": name}, {"name": "b"}],
        "messages": [{"from": 0, "sent_at_ms": 1, "to": 1, "received_at_ms": 2}],
    });
    let input = serde_json::to_vec(&scenario).unwrap();
    let o = run(&["trace", "--table", "-"], Some(input.clone()));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let table = stdout(&o);
    let cut: String = name.chars().take(15).chain(['…']).collect();
    assert!(table.contains(&format!("recv m0 <- {cut}")), "{table}");
    let o = run(&["trace", "-"], Some(input));
    let trace: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        trace["events"][0]["node_name"], name,
        "JSON keeps the full name"
    );
}

#[test]
fn every_invalid_example_fails_with_one_line_naming_the_problem() {
    let expected: &[(&str, &[&str])] = &[
        (
            "bad-version.json",
            &["invalid scenario", "format version 2 is not supported"],
        ),
        (
            "malformed.json",
            &["not a valid scenario file", "EOF while parsing"],
        ),
        (
            "message-to-self.json",
            &["message 0 is sent from a node to itself"],
        ),
        ("no-nodes.json", &["the scenario has no nodes"]),
        (
            "out-of-range.json",
            &["node 0 skew_ms = 90000000 is out of range"],
        ),
        (
            "received-before-sent.json",
            &["invalid scenario: message 1 is received at 30 ms, not after it is sent at 30 ms"],
        ),
        (
            "same-instant.json",
            &["node 1 has two events at the same instant 7 ms"],
        ),
        ("unknown-field.json", &["unknown field `skew`"]),
        (
            "unknown-node.json",
            &["event 1 names node 3, but there are only 2 nodes"],
        ),
    ];
    let files = json_files(&examples_dir().join("invalid"));
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let listed: Vec<&str> = expected.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names, listed,
        "every invalid example has its expectation here"
    );
    for (file, (name, needles)) in files.iter().zip(expected) {
        let path = file.to_str().unwrap();
        for command in ["trace", "check"] {
            let o = run(&[command, path], None);
            let mut all = vec![path];
            all.extend_from_slice(needles);
            assert_fails(&o, 2, &all);
            assert!(
                stderr(&o).starts_with(&format!("hlcviz: {path}: ")),
                "{name}: {}",
                stderr(&o)
            );
        }
    }
}

#[test]
fn stdin_dash_works() {
    let text = std::fs::read(example("basic.json")).unwrap();
    let o = run(&["trace", "-"], Some(text.clone()));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let from_stdin: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(from_stdin, trace_json(&example("basic.json")));
    let o = run(&["check", "-"], Some(text));
    assert_eq!(stdout(&o), "ok: 3 nodes, 9 events\n");
    let o = run(&["check", "-"], Some(b"{\"nodes\": []}".to_vec()));
    assert_fails(
        &o,
        2,
        &["hlcviz: <stdin>: invalid scenario: the scenario has no nodes"],
    );
}

#[test]
fn hostile_input_fails_cleanly() {
    let cases: &[(&[u8], &[&str])] = &[
        (b"", &["input is empty"]),
        (b"  \n\t ", &["input is empty"]),
        (b"\xff\xfe\x00garbage\x80\x81", &["is UTF-16 text"]),
        (b"\xfe\x00garbage", &["not UTF-8", "offset 0"]),
        (b"{\"nodes\": [{\"name\": \"A\x80\"}]}", &["not UTF-8", "offset 22"]),
        (b"\x00\x01\x02\x03", &["not a valid scenario file"]),
        (b"{\"nodes\": [{\"name\": \"A\", \"skew_ms\": 1e400}]}", &["not a valid scenario file", "number out of range"]),
        (
            b"{\"nodes\": [{\"name\": \"A\", \"skew_ms\": -99999999999999999999}]}",
            &["not a valid scenario file", "expected i64"],
        ),
        (
            b"{\"nodes\": [{\"name\": \"A\"}], \"events\": [{\"node\": 99999999999999999999999, \"at_ms\": 1}]}",
            &["not a valid scenario file"],
        ),
        (b"{\"nodes\": [{\"name\": \"A\"}], \"events\": [{\"node\": -1, \"at_ms\": 1}]}", &["not a valid scenario file"]),
        (b"{\"nodes\": [{\"name\": \"A\"}], \"events\": [{\"node\": 0, \"at_ms\": -5}]}", &["out of range"]),
        (b"{\"nodes\": [{\"name\": \"A\"}], \"settings\": {\"counter_bits\": 300}}", &["not a valid scenario file"]),
        (b"{\"nodes\": [{\"name\": \"A\"}], \"settings\": {\"counter_bits\": 0}}", &["counter_bits = 0 is out of range"]),
        (b"{\"nodes\": [{\"name\": \"A\\nB\"}]}", &["name contains control characters"]),
        (b"{\"nodes\": [{\"name\": \"A\"}], \"x\\ny\": 1}", &["unknown field `x\\ny`"]),
        (b"[1, 2, 3]", &["not a valid scenario file"]),
        (b"null", &["not a valid scenario file"]),
    ];
    for (input, needles) in cases {
        let o = run(&["trace", "-"], Some(input.to_vec()));
        let mut all = vec!["hlcviz: <stdin>: "];
        all.extend_from_slice(needles);
        assert_fails(&o, 2, &all);
    }

    let deep = "[".repeat(100_000).into_bytes();
    assert_fails(
        &run(&["check", "-"], Some(deep)),
        2,
        &["not a valid scenario file"],
    );

    // A long string echoed by the parser is cut, so the message stays short.
    let mut long = b"{\"nodes\": \"".to_vec();
    long.resize(long.len() + MIB, b'x');
    long.extend_from_slice(b"\"}");
    let o = run(&["check", "-"], Some(long));
    assert_fails(&o, 2, &["not a valid scenario file"]);
    assert!(o.stderr.len() < 1_000, "{} bytes of stderr", o.stderr.len());

    // Too many events for MAX_EVENTS: refused while parsing, at the first one
    // past the cap, before the rest is allocated.
    let events: Vec<Value> = (0..200_001)
        .map(|t| json!({"node": 0, "at_ms": t}))
        .collect();
    let input = serde_json::to_vec(&json!({"nodes": [{"name": "A"}], "events": events})).unwrap();
    assert_fails(
        &run(&["check", "-"], Some(input)),
        2,
        &["more than 200000 events (the limit)"],
    );
}

#[test]
fn input_over_64_mib_is_refused_and_64_mib_is_accepted() {
    // 65 MiB on stdin: refused after reading 64 MiB + 1 byte.
    let mut big = b"{\"nodes\": [{\"name\": \"A\"}]}".to_vec();
    big.resize(65 * MIB, b' ');
    let o = run(&["trace", "-"], Some(big.clone()));
    assert_fails(
        &o,
        2,
        &["hlcviz: <stdin>: input is larger than the limit of 64 MiB (67108864 bytes)"],
    );

    // The same as a file: refused from its size.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join("hlcviz-cli-65mib.json");
    std::fs::write(&path, &big).unwrap();
    let o = run(&["check", path.to_str().unwrap()], None);
    let _ = std::fs::remove_file(&path);
    assert_fails(
        &o,
        2,
        &["hlcviz-cli-65mib.json: input is larger than the limit of 64 MiB"],
    );

    // Exactly 64 MiB (a small scenario padded with spaces) is read.
    big.truncate(64 * MIB);
    let o = run(&["check", "-"], Some(big));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "ok: 1 nodes, 0 events\n");
}

#[test]
fn unreadable_files_fail_with_exit_2() {
    let missing = example("no-such-file.json");
    assert_fails(
        &run(&["trace", &missing], None),
        2,
        &[&missing, "cannot read"],
    );
    let dir = example("invalid");
    assert_fails(&run(&["check", &dir], None), 2, &[&dir, "cannot read"]);
}

#[test]
fn bad_usage_exits_64() {
    let basic = example("basic.json");
    let cases: &[&[&str]] = &[
        &[],
        &["trace"],
        &["check"],
        &["trace", &basic, &basic],
        &["frobnicate", &basic],
        &["trace", &basic, "--tabel"],
        &["check", &basic, "--table"],
        &["-x"],
    ];
    for args in cases {
        let o = run(args, None);
        assert_fails(&o, 64, &["try 'hlcviz --help'"]);
    }
    assert_fails(
        &run(&["trace", &basic, "--json"], None),
        64,
        &["unknown option '--json'"],
    );
}

#[test]
fn help_and_version() {
    for flag in ["--help", "-h", "help"] {
        let o = run(&[flag], None);
        assert_eq!(o.status.code(), Some(0));
        let text = stdout(&o);
        assert!(text.contains("hlcviz trace FILE [--table]"), "{text}");
        assert!(text.contains("64 MiB"));
        for code in ["  0 ", "  1 ", "  2 ", "  64 "] {
            assert!(text.contains(code), "exit code {code} documented");
        }
    }
    let o = run(&["--version"], None);
    assert_eq!(
        stdout(&o),
        format!("hlcviz {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_reader_closing_the_pipe_early_is_not_an_error() {
    // A trace of several MiB, far more than a pipe buffer holds.
    let scenario = hlcviz::generate::random_scenario(8, 3_000, 1_000, 5);
    let mut child = Command::new(BIN)
        .args(["trace", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let text = scenario.to_json();
    let feeder = std::thread::spawn(move || input.write_all(text.as_bytes()));
    let mut first = [0u8; 1];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap(); // then dropped: pipe closed
    assert_eq!(&first, b"{");
    feeder.join().unwrap().unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stderr.is_empty(), "{}", stderr(&output));
}

/// Writes `bytes` to a file of its own under the test target directory.
fn temp_file(name: &str, bytes: &[u8]) -> String {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_string_lossy().into_owned()
}

/// The one encoding rule (`hlcviz::encoding`, shared with the page's Import):
/// UTF-8 with an optional UTF-8 byte-order mark; the message says what the
/// file is and how to fix it.
#[test]
fn text_must_be_utf8_with_an_optional_byte_order_mark() {
    let not_utf8 = |offset: usize| {
        format!(
            "is not UTF-8 text (invalid byte at offset {offset}); save it as UTF-8 and try again"
        )
    };
    let utf16 = "is UTF-16 text; save it as UTF-8 and try again";

    // Latin-1: é is the single byte E9.
    let latin1 = temp_file(
        "hlcviz-cli-latin1.json",
        b"{\"nodes\":[{\"name\":\"Caf\xe9\"}]}",
    );
    // UTF-16 LE with its byte-order mark, as Windows editors save "Unicode".
    let le: Vec<u8> = std::iter::once(0xFEFF_u16)
        .chain("{\"nodes\":[{\"name\":\"Café\"}]}".encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect();
    let utf16le = temp_file("hlcviz-cli-utf16le.json", &le);
    for command in ["trace", "check"] {
        let o = run(&[command, &latin1], None);
        assert_fails(&o, 2, &[]);
        assert_eq!(stderr(&o), format!("hlcviz: {latin1}: {}\n", not_utf8(22)));

        let o = run(&[command, &utf16le], None);
        assert_fails(&o, 2, &[]);
        assert_eq!(stderr(&o), format!("hlcviz: {utf16le}: {utf16}\n"));
    }

    // Invalid UTF-8 on standard input; UTF-16 BE there too.
    let o = run(
        &["trace", "-"],
        Some(b"{\"nodes\": [{\"name\": \"\xc3\x28\"}]}".to_vec()),
    );
    assert_fails(&o, 2, &[]);
    assert_eq!(stderr(&o), format!("hlcviz: <stdin>: {}\n", not_utf8(21)));
    let o = run(&["check", "-"], Some(b"\xfe\xff\x00{\x00}".to_vec()));
    assert_eq!(stderr(&o), format!("hlcviz: <stdin>: {utf16}\n"));

    // UTF-8 with a byte-order mark is accepted, from a file and from stdin, and
    // the offset of a bad byte after it counts the mark.
    let text = "\u{feff}{\"nodes\":[{\"name\":\"Café\"}]}";
    let bom = temp_file("hlcviz-cli-utf8-bom.json", text.as_bytes());
    let o = run(&["check", &bom], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "ok: 1 nodes, 0 events\n");
    let o = run(&["trace", "-"], Some(text.as_bytes().to_vec()));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let trace: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(trace["nodes"][0]["name"], "Café");
    let o = run(&["check", "-"], Some(b"\xef\xbb\xbf{\xff}".to_vec()));
    assert_eq!(stderr(&o), format!("hlcviz: <stdin>: {}\n", not_utf8(4)));

    for file in [latin1, utf16le, bom] {
        let _ = std::fs::remove_file(file);
    }
}

/// Output that cannot be written (here: a full device) is exit 1 with one
/// line on stderr, for every command that writes.
#[cfg(target_os = "linux")]
#[test]
fn output_that_cannot_be_written_is_exit_1() {
    let basic = example("basic.json");
    let cases: &[&[&str]] = &[
        &["trace", &basic],
        &["trace", "--table", &basic],
        &["check", &basic],
        &["--help"],
        &["--version"],
    ];
    for args in cases {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full opens");
        let o = Command::new(BIN)
            .args(*args)
            .stdin(Stdio::null())
            .stdout(full)
            .stderr(Stdio::piped())
            .output()
            .expect("the hlcviz binary runs");
        assert_fails(&o, 1, &[]);
        assert_eq!(
            stderr(&o),
            "hlcviz: cannot write output: No space left on device (os error 28)\n",
            "{args:?}"
        );
    }
}

/// `hlcviz ... >&-`: standard output closed when the process starts. The Rust
/// runtime reopens a closed fd 0, 1 or 2 on `/dev/null` (opened read-write)
/// before `main` (rust-lang/rust#75295), so this is exactly `>/dev/null`:
/// the output is discarded and the status is 0. (Telling the two apart would
/// need code that runs before the runtime, i.e. `unsafe`, which this crate
/// forbids; a parent can also legitimately pass `/dev/null` read-write, as
/// Python's `subprocess.DEVNULL` does.) Pinned so a change in std is noticed.
#[cfg(unix)]
#[test]
fn a_closed_standard_output_is_reopened_on_dev_null() {
    let basic = example("basic.json");
    let cases: &[&[&str]] = &[&["trace", &basic], &["check", &basic], &["--version"]];
    for args in cases {
        // `sh -c 'exec "$0" "$@" >&-' BIN ARGS`: the shell closes fd 1, then
        // becomes hlcviz.
        let o = Command::new("sh")
            .arg("-c")
            .arg(r#"exec "$0" "$@" >&-"#)
            .arg(BIN)
            .args(*args)
            .stdin(Stdio::null())
            .output()
            .expect("sh runs");
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty() && o.stderr.is_empty(), "{args:?}");
    }
    // Bad input is reported as usual.
    let o = Command::new("sh")
        .args(["-c", r#"exec "$0" check - >&-"#, BIN])
        .stdin(Stdio::null())
        .output()
        .expect("sh runs");
    assert_fails(&o, 2, &["hlcviz: <stdin>: input is empty"]);
}

/// A reader that is gone before `hlcviz` writes a byte (`| head -c0`, or `:`)
/// closes the pipe, it does not close standard output: exit 0, quietly, for
/// every command. (The large-output case is
/// `a_reader_closing_the_pipe_early_is_not_an_error`.)
#[cfg(unix)]
#[test]
fn a_pipe_closed_before_the_first_write_is_not_an_error() {
    let basic = example("basic.json");
    let cases: &[&[&str]] = &[
        &["trace", &basic],
        &["check", &basic],
        &["--help"],
        &["--version"],
    ];
    for args in cases {
        // `:` exits at once; hlcviz starts writing only after it has. Its exit
        // status goes to stderr, since the pipeline's is that of `:`.
        let o = Command::new("sh")
            .arg("-c")
            .arg(r#"{ sleep 0.3; "$0" "$@"; echo "exit $?" >&2; } | :"#)
            .arg(BIN)
            .args(*args)
            .stdin(Stdio::null())
            .output()
            .expect("sh runs");
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        assert_eq!(stderr(&o), "exit 0\n", "{args:?}");
    }
}

#[test]
fn import_with_a_parser_expression_opens_the_execution_asked_for() {
    let log = "=== first ===\na {\"a\":1}\nhello\n=== second ===\nb {\"b\":1}\nhi\nc {\"b\":1,\"c\":1}\nthere\n";
    let re = r"(?<host>\S*) (?<clock>{.*})\n(?<event>.*)";
    let delim = "^=== (?<trace>.*) ===$";
    let o = run(
        &[
            "import",
            "-",
            "--parser",
            re,
            "--delimiter",
            delim,
            "--execution",
            "2",
            "--host-order",
            "log-reversed",
        ],
        Some(log.as_bytes().to_vec()),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let scenario: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let names: Vec<&str> = scenario["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["c", "b"]);
    assert!(
        stderr(&o).contains("Execution 2 of 2 (`second`)"),
        "{}",
        stderr(&o)
    );

    let bad = |args: &[&str], needles: &[&str]| {
        let mut all = vec!["import", "-"];
        all.extend_from_slice(args);
        assert_fails(&run(&all, Some(log.as_bytes().to_vec())), 2, needles);
    };
    bad(
        &["--parser", re, "--delimiter", delim, "--execution", "3"],
        &["no execution 3", "has 2"],
    );
    bad(
        &["--parser", "(?<event>"],
        &["parser expression is not valid"],
    );
    bad(
        &["--parser", r"(?<host>x)(?<clock>y)(?<event>z)"],
        &["matches no event", "line 1"],
    );
    bad(&["--parser", r"(?<host>\S+)"], &["lacks event, clock"]);
}
