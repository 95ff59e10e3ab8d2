//! ShiViz / GoVector export and import: real-format samples, round trips,
//! splitting, reports, limits and robustness.

mod support;

use support::shiviz_sample;

use hlcviz::app::default_scenario;
use hlcviz::generate::random_scenario;
use hlcviz::scenario::{Node, Scenario, MAX_EVENTS, MAX_NODES};
use hlcviz::shiviz::{
    export, export_names, import, ImportError, Imported, MAX_IMPORT_BYTES, SHIVIZ_REGEX,
};
use hlcviz::sim::{replay, EventKind};
use proptest::prelude::*;

fn node_names(s: &Scenario) -> Vec<&str> {
    s.nodes.iter().map(|n| n.name.as_str()).collect()
}

/// Every message as (sender name, receiver name), sorted.
fn message_pairs(s: &Scenario) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = s
        .messages
        .iter()
        .map(|m| (s.nodes[m.from].name.clone(), s.nodes[m.to].name.clone()))
        .collect();
    pairs.sort();
    pairs
}

/// Per node, the kind and vector clock of each of its events, in order.
fn per_node(s: &Scenario) -> Vec<Vec<(EventKind, Vec<u32>)>> {
    let trace = replay(s).expect("valid scenario");
    (0..s.nodes.len())
        .map(|n| {
            trace
                .node_events(n)
                .iter()
                .map(|&i| (trace.event(i).unwrap().kind(), trace.vector(i).to_vec()))
                .collect()
        })
        .collect()
}

/// Per node, only the vector clocks.
fn per_node_clocks(s: &Scenario) -> Vec<Vec<Vec<u32>>> {
    per_node(s)
        .into_iter()
        .map(|events| events.into_iter().map(|(_, vc)| vc).collect())
        .collect()
}

fn import_ok(text: &str) -> Imported {
    let imported = import(text).unwrap_or_else(|e| panic!("import failed: {e}"));
    assert_eq!(imported.scenario.validate(), Ok(()));
    imported
}

/// Exports, imports and checks the happened-before structure survived.
fn assert_round_trip(s: &Scenario) -> Imported {
    let log = export(s, &replay(s).unwrap());
    let imported = import_ok(&log);
    assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
    assert!(imported.notes.is_empty(), "{:?}", imported.notes);
    let back = &imported.scenario;
    assert_eq!(
        node_names(back),
        export_names(s, s.nodes.len())
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
    );
    assert_eq!(back.messages.len(), s.messages.len());
    assert_eq!(back.events.len(), s.events.len());
    assert_eq!(per_node(back), per_node(s));
    imported
}

// ---------------------------------------------------------------------------
// Real-format samples
// ---------------------------------------------------------------------------

#[test]
fn govector_sample_imports_to_its_processes_and_messages() {
    let imported = import_ok(&shiviz_sample("govector.log"));
    assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
    assert!(imported.notes.is_empty(), "{:?}", imported.notes);
    let s = &imported.scenario;
    assert_eq!(node_names(s), ["client", "server", "storage"]);
    assert_eq!(
        message_pairs(s),
        [
            ("client".to_string(), "server".to_string()),
            ("server".to_string(), "client".to_string()),
            ("server".to_string(), "storage".to_string()),
            ("storage".to_string(), "server".to_string()),
        ]
    );
    // Initialization Complete on each process, and the client's result.
    assert_eq!(s.events.len(), 4);
    // The replayed vector clocks are the logged ones.
    let clocks = per_node_clocks(s);
    assert_eq!(clocks[0][2], [3, 5, 3], "client's receive of the reply");
    assert_eq!(clocks[1][3], [2, 4, 3], "server's receive from storage");
    assert_eq!(clocks[2][1], [2, 3, 2], "storage's receive of the lookup");
}

#[test]
fn shiviz_default_sample_imports_and_splits_the_relaying_event() {
    let imported = import_ok(&shiviz_sample("shiviz_default.log"));
    assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
    let s = &imported.scenario;
    assert_eq!(node_names(s), ["alice", "loadBalancer", "eastDC"]);
    assert_eq!(
        message_pairs(s),
        [
            ("alice".to_string(), "loadBalancer".to_string()),
            ("eastDC".to_string(), "loadBalancer".to_string()),
            ("loadBalancer".to_string(), "alice".to_string()),
            ("loadBalancer".to_string(), "eastDC".to_string()),
        ]
    );
    assert_eq!(
        s.events.len(),
        2,
        "eastDC's cache warm-up and alice's last GET"
    );
    // The relaying event (line 14) receives from eastDC and sends to alice.
    assert_eq!(imported.notes.len(), 1, "{:?}", imported.notes);
    assert!(
        imported.notes[0].starts_with("line 14:"),
        "{}",
        imported.notes[0]
    );
    assert!(imported.notes[0].contains("split into 2 events"));
    let kinds: Vec<EventKind> = per_node(s)[1].iter().map(|(k, _)| *k).collect();
    assert_eq!(
        kinds,
        [
            EventKind::Recv,
            EventKind::Send,
            EventKind::Recv,
            EventKind::Send
        ]
    );
}

#[test]
fn crlf_blank_lines_and_a_regex_line_read_the_same() {
    let plain = import_ok(&shiviz_sample("shiviz_default.log"));
    let crlf = shiviz_sample("shiviz_default.log").replace('\n', "\r\n\r\n");
    assert_eq!(import_ok(&crlf).scenario, plain.scenario);
    let with_regex = format!("{SHIVIZ_REGEX}\n\n{}", shiviz_sample("shiviz_default.log"));
    assert_eq!(import_ok(&with_regex).scenario, plain.scenario);
    let bom = format!(
        "\u{feff}{}",
        shiviz_sample("govector.log").replace('\n', "\r\n")
    );
    assert_eq!(
        import_ok(&bom).scenario,
        import_ok(&shiviz_sample("govector.log")).scenario
    );
}

#[test]
fn govector_without_its_regex_line_is_recognised_by_its_first_line() {
    let log = shiviz_sample("govector.log");
    let body = log.split_once("\n\n\n").unwrap().1;
    assert_eq!(
        import_ok(body).scenario,
        import_ok(&log).scenario,
        "the clock-first order is detected"
    );
}

// ---------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------

#[test]
fn export_writes_shiviz_default_format() {
    let s = default_scenario();
    let trace = replay(&s).unwrap();
    let log = export(&s, &trace);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines[0], SHIVIZ_REGEX);
    assert_eq!(lines[1], "", "the empty multiple-executions delimiter line");
    assert_eq!(lines[2], r#"# hlcviz nodes: ["A","B","C"]"#);
    assert_eq!(lines.len(), 3 + 2 * trace.events().len());
    assert_eq!(lines[3], "local e0, hlc (100, 0)");
    assert_eq!(lines[4], r#"A {"A":1}"#);
    assert!(log.contains("send m0 to B, hlc (200, 0)\nA {\"A\":2}\n"));
    assert!(log.contains("receive m0 from A, hlc (560, 0)\nB {\"A\":2,\"B\":1}\n"));
    for pair in lines[3..].chunks(2) {
        let (event, clock) = (pair[0], pair[1]);
        assert!(!event.contains('{'), "{event}");
        let (host, json) = clock.split_once(' ').unwrap();
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json).unwrap();
        assert!(map.contains_key(host), "own entry in {clock}");
        assert!(map.values().all(|v| v.as_u64().unwrap() > 0), "{clock}");
    }
}

#[test]
fn export_names_lose_whitespace_and_stay_unique() {
    let mut s = default_scenario();
    s.nodes[0].name = "node a".to_string();
    s.nodes[1].name = "node_a".to_string();
    s.nodes[2].name = "say \"hi\"\u{a0}there".to_string();
    let names = export_names(&s, 3);
    assert_eq!(names, ["node_a", "node_a_2", "say_\"hi\"_there"]);
    let log = export(&s, &replay(&s).unwrap());
    assert!(log.contains("node_a_2 {\"node_a\":2,\"node_a_2\":1}"));
    assert!(log.contains(r#"say_"hi"_there {"#));
    assert!(
        log.contains(r#""say_\"hi\"_there":"#),
        "keys are JSON strings"
    );
    assert_round_trip(&s);

    let mut long = Scenario::with_nodes(&["x"]);
    long.nodes = vec![
        Node::named("y".repeat(64)),
        Node::named(format!("{} ", "y".repeat(63))),
    ];
    let names = export_names(&long, 2);
    assert_eq!(names[1].chars().count(), 64);
    assert_ne!(names[0], names[1]);
}

// ---------------------------------------------------------------------------
// Round trips
// ---------------------------------------------------------------------------

#[test]
fn round_trip_of_the_default_scenario_keeps_the_structure() {
    let imported = assert_round_trip(&default_scenario());
    assert_eq!(node_names(&imported.scenario), ["A", "B", "C"]);
}

#[test]
fn round_trip_of_random_scenarios_keeps_the_structure() {
    let sizes = [
        (2, 30, 10),
        (3, 60, 20),
        (5, 120, 40),
        (8, 200, 30),
        (6, 2, 0),
        (1, 0, 12),
    ];
    for seed in 0..8 {
        for &(n, m, l) in &sizes {
            let s = random_scenario(n, m, l, seed);
            assert_round_trip(&s);
        }
    }
}

#[test]
fn round_trip_keeps_nodes_without_events_and_their_order() {
    let mut s = Scenario::with_nodes(&["idle", "late", "early"]);
    s.events = vec![
        hlcviz::scenario::LocalEvent::at(2, 5),
        hlcviz::scenario::LocalEvent::at(1, 9),
    ];
    let imported = assert_round_trip(&s);
    assert_eq!(node_names(&imported.scenario), ["idle", "late", "early"]);
}

#[test]
fn vector_clocks_alone_give_back_the_same_clocks() {
    // Without `send mN` / `receive mN` descriptions the messages come from the
    // clocks only. A receive that teaches its receiver nothing new (the message
    // was overtaken) cannot be seen in clocks, so only the clocks are compared.
    let strip = |log: &str| -> String {
        log.lines()
            .map(|l| {
                if l.starts_with("send") || l.starts_with("receive") || l.starts_with("local") {
                    "something happened"
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let s = default_scenario();
    let imported = import_ok(&strip(&export(&s, &replay(&s).unwrap())));
    assert_eq!(per_node(&imported.scenario), per_node(&s));
    for seed in 0..6 {
        let s = random_scenario(5, 80, 20, seed);
        let imported = import_ok(&strip(&export(&s, &replay(&s).unwrap())));
        assert!(imported.skipped.is_empty());
        assert_eq!(
            per_node_clocks(&imported.scenario),
            per_node_clocks(&s),
            "seed {seed}"
        );
        assert!(imported.scenario.messages.len() <= s.messages.len());
    }
}

#[test]
fn rejected_receives_are_exported_as_such() {
    let mut s = default_scenario();
    s.settings.max_offset_ms = Some(100);
    let trace = replay(&s).unwrap();
    let log = export(&s, &trace);
    assert!(log.contains("rejected by the max-offset bound"), "{log}");
    // The rejected receive kept no sender knowledge; import sees it does not
    // fit and reads it from the clock (a local event), noting why.
    let imported = import_ok(&log);
    assert!(imported.notes.iter().any(|n| n.contains("does not fit")));
}

// ---------------------------------------------------------------------------
// Splitting
// ---------------------------------------------------------------------------

#[test]
fn a_broadcast_is_split_into_one_send_per_receiver() {
    let log = "\
server {\"server\":1}
Initialization Complete
server {\"server\":2}
Broadcasting update
a {\"a\":1}
Initialization Complete
a {\"a\":2, \"server\":2}
Received update
b {\"b\":1}
Initialization Complete
b {\"b\":2, \"server\":2}
Received update
";
    let imported = import_ok(log);
    let s = &imported.scenario;
    assert_eq!(node_names(s), ["server", "a", "b"]);
    assert_eq!(s.messages.len(), 2);
    assert!(s.messages.iter().all(|m| m.from == 0));
    let mut sent: Vec<i64> = s.messages.iter().map(|m| m.sent_at_ms).collect();
    sent.sort_unstable();
    assert_eq!(sent[1] - sent[0], 1, "the sends are 1 ms apart");
    assert_eq!(imported.notes.len(), 1, "{:?}", imported.notes);
    assert!(imported.notes[0].starts_with("line 3:"));
    // Host names in notes are bidi-isolated (they reach the page's notices).
    assert!(imported.notes[0]
        .contains("sends 2 messages (to `\u{2068}a\u{2069}`, `\u{2068}b\u{2069}`)"));
    assert!(imported.notes[0].contains("split into 2 events"));
    let server: Vec<EventKind> = per_node(s)[0].iter().map(|(k, _)| *k).collect();
    assert_eq!(server, [EventKind::Local, EventKind::Send, EventKind::Send]);
}

#[test]
fn a_receive_that_also_sends_is_split_receive_first() {
    let log = "\
a asks
a {\"a\":1}
b answers and forwards
b {\"a\":1, \"b\":1}
c hears it
c {\"a\":1, \"b\":1, \"c\":1}
";
    let imported = import_ok(log);
    let s = &imported.scenario;
    assert_eq!(s.messages.len(), 2);
    let into_b = s.messages.iter().find(|m| m.to == 1).unwrap();
    let out_of_b = s.messages.iter().find(|m| m.from == 1).unwrap();
    assert_eq!(out_of_b.sent_at_ms, into_b.received_at_ms + 1);
    assert!(out_of_b.received_at_ms > out_of_b.sent_at_ms);
    assert!(
        imported.notes[0].contains(
            "receives 1 message (from `\u{2068}a\u{2069}`) and sends 1 message (to `\u{2068}c\u{2069}`)"
        )
    );
    let clocks = per_node_clocks(s);
    assert_eq!(clocks[2], [[1, 2, 1]], "c knows both of b's parts");
}

#[test]
fn a_join_of_two_senders_becomes_two_receives() {
    // ShiViz allows an event with two parents (e.g. a thread join).
    let log = "\
left
a {\"a\":1}
right
b {\"b\":1}
join
c {\"a\":1, \"b\":1, \"c\":1}
";
    let imported = import_ok(log);
    let s = &imported.scenario;
    assert_eq!(s.messages.len(), 2);
    assert!(imported
        .notes
        .iter()
        .any(|n| n.contains("receiving 2 messages")));
    assert!(imported
        .notes
        .iter()
        .any(|n| n.contains("split into 2 events")));
}

// ---------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------

#[test]
fn malformed_lines_are_reported_with_their_line_numbers() {
    let log = "\
a {\"a\":1}
Initialization Complete
a {\"a\":2
a clock line without its closing brace
a {\"a\":3, \"b\":x}
bad JSON
a {\"b\":1}
own entry missing
a {\"a\":2}
Sending
a {\"a\":2}
a repeated clock
a {\"a\":5}
jumped
b {\"b\":1, \"zz\":4}
names a host that logs nothing
";
    let imported = import_ok(log);
    let lines: Vec<usize> = imported.skipped.iter().map(|s| s.line).collect();
    assert_eq!(lines, [3, 4, 5, 7, 11], "{:#?}", imported.skipped);
    let reason = |line: usize| {
        imported
            .skipped
            .iter()
            .find(|s| s.line == line)
            .unwrap()
            .reason
            .clone()
    };
    assert!(reason(3).contains("no `host {clock}` line comes before"));
    assert!(reason(5).contains("not a JSON object"), "{}", reason(5));
    assert!(reason(5).contains("line 6"), "the event line is named too");
    assert!(reason(7).contains("no entry for its own host `a`"));
    assert!(reason(11).contains("already has an event with clock entry 2 (line 9)"));
    assert_eq!(imported.skipped[0].text, "a {\"a\":2");
    let note = |line: usize| {
        imported
            .notes
            .iter()
            .find(|n| n.starts_with(&format!("line {line}:")))
            .cloned()
            .unwrap_or_else(|| panic!("no note for line {line}: {:?}", imported.notes))
    };
    assert!(note(13).contains("jumps from 2 to 5"));
    assert!(note(15).contains("`zz`, which logs no event"));
    assert_eq!(imported.scenario.nodes.len(), 2);
    assert_eq!(imported.scenario.events.len(), 4);
}

#[test]
fn skipped_text_is_cut_to_120_characters() {
    let long = format!("a {{\"a\":1}}\nok\n{}\n", "x".repeat(500));
    let imported = import_ok(&long);
    assert_eq!(imported.skipped.len(), 1);
    assert_eq!(imported.skipped[0].text.chars().count(), 120);
}

#[test]
fn a_clock_line_without_its_event_line_is_imported_and_noted() {
    let log = "a {\"a\":1}\nfirst\na {\"a\":2}\nb {\"b\":1}\nthird\n";
    let imported = import_ok(log);
    assert_eq!(imported.scenario.events.len(), 3);
    assert!(imported.notes[0].starts_with("line 3:"));
    assert!(imported.notes[0].contains("without its event line"));
}

#[test]
fn an_orphan_event_line_is_skipped_in_shiviz_order() {
    let log = "start\na {\"a\":1}\nstray line\nnext\na {\"a\":2}\n";
    let imported = import_ok(log);
    assert_eq!(imported.skipped.len(), 1);
    assert_eq!(imported.skipped[0].line, 3);
    assert!(imported.skipped[0]
        .reason
        .contains("no `host {clock}` line follows"));
}

#[test]
fn a_delimiter_line_after_the_regex_is_noted() {
    let log =
        format!("{SHIVIZ_REGEX}\n^=== (?<trace>.*) ===$\n=== one ===\nhello\na {{\"a\":1}}\n");
    let imported = import_ok(&log);
    assert!(imported.notes[0].starts_with("line 2:"));
    assert!(imported.notes[0].contains("delimiter"));
    assert_eq!(imported.skipped.len(), 1, "the `=== one ===` line");
}

#[test]
fn clocks_forming_a_cycle_are_imported_with_the_message_dropped() {
    // a2 forgets b's entry and b2 forgets a's, so a1 -> a2 -> b1 -> b2 -> a1.
    let log = "\
a {\"a\":1, \"b\":2}
x
a {\"a\":2}
x
b {\"a\":2, \"b\":1}
x
b {\"b\":2}
x
";
    let imported = import_ok(log);
    assert!(imported
        .notes
        .iter()
        .any(|n| n.contains("goes back from 2 to 0")));
    assert!(imported
        .notes
        .iter()
        .any(|n| n.contains("message is dropped")));
}

#[test]
fn events_out_of_clock_order_are_sorted_like_shiviz() {
    let log = "a {\"a\":2}\nsecond\na {\"a\":1}\nfirst\n";
    let imported = import_ok(log);
    assert_eq!(imported.scenario.events.len(), 2);
    assert!(imported.notes[0].contains("not in the order of its own clock entry"));
}

// ---------------------------------------------------------------------------
// Errors and limits
// ---------------------------------------------------------------------------

#[test]
fn inputs_without_events_are_errors_naming_the_problem() {
    for text in ["", "\n\n\r\n", "hello", "{}", "{\"a\":1}\n"] {
        assert_eq!(
            import(text),
            Err(ImportError::NoEvents {
                first_problem: import(text).err().and_then(|e| match e {
                    ImportError::NoEvents { first_problem } => first_problem,
                    _ => None,
                })
            }),
            "{text:?}"
        );
    }
    let err = import("x\na {}\n").unwrap_err();
    assert!(
        err.to_string()
            .contains("line 2: the clock has no entry for its own host `a`"),
        "{err}"
    );
}

#[test]
fn one_line_regular_expressions_are_refused() {
    let log =
        "(?<host>\\w+) \"(?<event>.*)\" (?<clock>\\{.*\\})\nclient1 \"sent\" {\"client1\":1}\n";
    let err = import(log).unwrap_err();
    assert!(matches!(err, ImportError::UnsupportedRegex { line: 1, .. }));
    assert!(err.to_string().starts_with("line 1:"));
}

#[test]
fn input_over_16_mib_is_refused_before_reading() {
    let text = "a".repeat(MAX_IMPORT_BYTES + 1);
    let err = import(&text).unwrap_err();
    assert_eq!(
        err,
        ImportError::TooLarge {
            bytes: MAX_IMPORT_BYTES + 1
        }
    );
    assert!(err.to_string().contains("16 MiB"));
}

#[test]
fn more_events_than_the_limit_are_refused_before_reading() {
    let mut text = String::new();
    for i in 1..=MAX_EVENTS + 1 {
        text.push_str(&format!("a {{\"a\":{i}}}\n"));
    }
    let err = import(&text).unwrap_err();
    assert_eq!(
        err,
        ImportError::TooManyEvents {
            line: MAX_EVENTS + 1
        }
    );
    assert!(err
        .to_string()
        .starts_with(&format!("line {}:", MAX_EVENTS + 1)));
}

#[test]
fn more_hosts_than_the_limit_are_refused() {
    let log = |hosts: usize| -> String {
        (0..hosts)
            .map(|i| format!("h{i} {{\"h{i}\":1}}\nstarted\n"))
            .collect()
    };
    assert_eq!(import_ok(&log(MAX_NODES)).scenario.nodes.len(), MAX_NODES);
    let err = import(&log(MAX_NODES + 1)).unwrap_err();
    assert_eq!(
        err,
        ImportError::TooManyHosts {
            line: 2 * MAX_NODES + 1,
            host: format!("h{MAX_NODES}")
        }
    );
    let list: Vec<String> = (0..=MAX_NODES).map(|i| format!("\"n{i}\"")).collect();
    let err = import(&format!(
        "# hlcviz nodes: [{}]\nx\na {{\"a\":1}}\n",
        list.join(",")
    ))
    .unwrap_err();
    assert!(matches!(err, ImportError::TooManyHosts { line: 1, .. }));
}

#[test]
fn garbage_and_binary_inputs_give_errors_or_reports_never_panics() {
    let mut bytes: Vec<u8> = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..20_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        bytes.push((x >> 16) as u8);
    }
    let binary = String::from_utf8_lossy(&bytes).into_owned();
    let inputs = [
        binary.clone(),
        binary.replace('\u{fffd}', "{"),
        "\0\0\0 {\0}\n\0".to_string(),
        "a {\"a\":1}\n".repeat(1000) + &binary,
        "}{ } { {{{ }}} \n a {{\"a\" : {\"a\":1}}}".to_string(),
        format!("a {}\nx\n", "{".repeat(10_000)),
        format!("a {{\"a\":1{}}}\nx\n", "0".repeat(5_000)),
        format!("a {}\nx\n", " {".repeat(100_000)),
        "a {\"a\":4294967295}\nx\nb {\"b\":1, \"a\":4294967295}\ny\n".to_string(),
        "# hlcviz nodes: [\"a\", \"\", \"a\", 3]\nx\na {\"a\":1}\n".to_string(),
        "# hlcviz nodes: [\"\u{7}\", \"a\"]\nx\na {\"a\":1}\n".to_string(),
        "receive m0\na {\"a\":1, \"b\":1}\nsend m0\nb {\"b\":1, \"a\":1}\n".to_string(),
    ];
    for text in &inputs {
        if let Ok(imported) = import(text) {
            assert_eq!(imported.scenario.validate(), Ok(()));
            assert!(imported.notes.len() <= 1001 && imported.skipped.len() <= 1000);
        }
    }
}

#[test]
fn many_problems_are_listed_up_to_a_cap_and_counted() {
    let text = "stray\n".repeat(5_000) + "a {\"a\":1}\nok\n";
    let imported = import(&text).unwrap();
    assert_eq!(imported.skipped.len(), 1000);
    assert!(imported
        .notes
        .last()
        .unwrap()
        .contains("4000 more skipped lines"));
}

#[test]
fn a_large_export_imports_back() {
    let s = random_scenario(16, 8_000, 4_000, 7);
    assert_round_trip(&s);
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

fn log_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a {\"a\":1}".to_string()),
        Just("b {\"a\":1, \"b\":2}".to_string()),
        Just("c {\"c\":1, \"b\":2, \"a\":1}".to_string()),
        Just("send m0 to b".to_string()),
        Just("receive m0 from a".to_string()),
        Just(SHIVIZ_REGEX.to_string()),
        Just("# hlcviz nodes: [\"a\",\"b\"]".to_string()),
        Just(String::new()),
        ("[abc]", prop::collection::vec(("[abcz]", 0u32..5), 0..4)).prop_map(|(host, entries)| {
            let body: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("\"{k}\":{v}"))
                .collect();
            format!("{host} {{{}}}", body.join(", "))
        }),
        "\\PC{0,12}",
        ".{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn import_never_panics_on_arbitrary_text(text in any::<String>()) {
        if let Ok(imported) = import(&text) {
            prop_assert_eq!(imported.scenario.validate(), Ok(()));
        }
    }

    #[test]
    fn import_never_panics_on_log_like_text(
        pieces in prop::collection::vec(log_piece(), 0..40),
        crlf in any::<bool>(),
    ) {
        let text = pieces.join(if crlf { "\r\n" } else { "\n" });
        if let Ok(imported) = import(&text) {
            prop_assert_eq!(imported.scenario.validate(), Ok(()));
            prop_assert!(replay(&imported.scenario).is_ok());
        }
    }

    #[test]
    fn round_trip_holds_for_generated_scenarios(
        nodes in 1usize..7,
        messages in 0usize..40,
        locals in 0usize..15,
        seed in any::<u64>(),
    ) {
        let s = random_scenario(nodes, messages, locals, seed);
        let log = export(&s, &replay(&s).unwrap());
        let imported = import(&log).unwrap();
        prop_assert!(imported.skipped.is_empty() && imported.notes.is_empty());
        prop_assert_eq!(per_node(&imported.scenario), per_node(&s));
        prop_assert_eq!(imported.scenario.messages.len(), s.messages.len());
    }
}

#[test]
#[ignore = "timing report; run with --ignored --nocapture"]
fn timing_of_large_logs() {
    use std::time::Instant;
    let s = random_scenario(16, 30_000, 20_000, 3);
    let log = export(&s, &replay(&s).unwrap());
    let t = Instant::now();
    let imported = import(&log).unwrap();
    println!(
        "{} bytes, {} events: import {:?}",
        log.len(),
        s.event_count(),
        t.elapsed()
    );
    assert_eq!(per_node(&imported.scenario), per_node(&s));
    let stripped: String = log
        .lines()
        .map(|l| {
            if l.contains('{') {
                l.to_string()
            } else {
                "x".to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let t = Instant::now();
    let imported = import(&stripped).unwrap();
    println!(
        "clock inference only: {:?}, {} notes",
        t.elapsed(),
        imported.notes.len()
    );
    let garbage = "x\n".repeat(MAX_IMPORT_BYTES / 2);
    let t = Instant::now();
    let _ = import(&garbage);
    println!("16 MiB of stray lines: {:?}", t.elapsed());
    let spaces = format!("a {}\n", " {".repeat(MAX_IMPORT_BYTES / 2 - 4));
    let t = Instant::now();
    let _ = import(&spaces);
    println!("one 16 MiB line of ` {{`: {:?}", t.elapsed());
    let many: String = (0..MAX_EVENTS)
        .map(|i| format!("h{} {{\"h{}\":{}}}\nx\n", i % 64, i % 64, i / 64 + 1))
        .collect();
    let t = Instant::now();
    let r = import(&many).unwrap();
    println!(
        "{} bytes, 200000 local events on 64 hosts: {:?}",
        many.len(),
        t.elapsed()
    );
    assert_eq!(r.scenario.events.len(), MAX_EVENTS);
}
