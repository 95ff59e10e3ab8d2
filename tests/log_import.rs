//! Logs read with a ShiViz parser expression (`hlcviz::logimport`): every
//! example log ShiViz ships imports with the expression and delimiter its
//! index.html gives, with ShiViz's own event and host counts; executions,
//! host order, logs that do not match, times in several formats, offsets
//! estimated from a generated log, and hostile input.

use hlcviz::logimport::{
    build, from_json, match_log, reorder, translate, HostOrder, LogImportError, MatchedLog,
    MAX_EXECUTIONS,
};
use hlcviz::logtime::{self, Format};
use hlcviz::scenario::{Scenario, MAX_EVENTS, MAX_SKEW_MS};
use hlcviz::shiviz::{self, MAX_IMPORT_BYTES};
use hlcviz::sim::replay;

/// One of ShiViz's example logs (an excerpt, see tests/data/shiviz/README.md),
/// the expressions ShiViz's index.html gives for it, and per execution what
/// ShiViz's own parser (js/model/parser.js, run on the same excerpt) reads:
/// (events, hosts, label).
struct Example {
    file: &'static str,
    parser: &'static str,
    delimiter: &'static str,
    executions: &'static [(usize, usize, &'static str)],
}

const EXAMPLES: &[Example] = &[
    Example {
        file: "simple-reliable-broadcast.log",
        parser: r#"\[\w+\] \[(?<date>([^ ]+ [^ ]+))\] [^ ]+ \[akka://Broadcast/user/(?<host>\w+)\] (?<clock>.*\}) (?<event>.*)"#,
        delimiter: r#""#,
        executions: &[(39, 3, "")],
    },
    Example {
        file: "reliable-broadcast.log",
        parser: r#"\[\w+\] \[(?<date>([^ ]+ [^ ]+))\] [^ ]+ \[akka://Broadcast/user/(?<host>\w+)\] (?<clock>.*\}) (?<event>.*)"#,
        delimiter: r#""#,
        executions: &[(116, 4, "")],
    },
    Example {
        file: "chord.log",
        parser: r#"(?<host>\S*) (?<clock>{.*})\n(?<event>.*)"#,
        delimiter: r#""#,
        executions: &[(100, 4, "")],
    },
    Example {
        file: "tsviz_fslock_24t_4sp.log",
        parser: r#"(?<timestamp>(\d*)) (?<event>.*)\n(?<host>\w*) (?<clock>.*)"#,
        delimiter: r#""#,
        executions: &[(100, 1, "")],
    },
    Example {
        file: "tsviz_shared_var_4_threads.log",
        parser: r#"(?<timestamp>(\d*)) (?<event>.*)\n(?<host>\w*) (?<clock>.*)"#,
        delimiter: r#""#,
        executions: &[(100, 4, "")],
    },
    Example {
        file: "voldemort-simple-threadnames.log",
        parser: r#"\[(?<date>\d{4}-\d{2}-\d{2} (\d{2}:){2}\d{2},\d{3}) (?<path>\S*)\] (?<priority>(INFO|WARN)) (?<event>.*)\n(?<host>\S*) (?<clock>{.*})"#,
        delimiter: r#""#,
        executions: &[(100, 3, "")],
    },
    Example {
        file: "voldemort.log",
        parser: r#"\[(?<date>\d{4}-\d{2}-\d{2} (\d{2}:){2}\d{2},\d{3}) (?<path>\S*)\] (?<priority>(INFO|WARN)) (?<event>.*)\n(?<host>\S*) (?<clock>{.*})"#,
        delimiter: r#""#,
        executions: &[(100, 3, "")],
    },
    Example {
        file: "simpledb.log",
        parser: r#"(?<event>.*)\n(?<host>\S*) (?<clock>{.*})"#,
        delimiter: r#""#,
        executions: &[(100, 2, "")],
    },
    Example {
        file: "facebook.log",
        parser: r#"(?<ip>(\d{1,3}\.){3}\d{1,3}) (?<date>(\d{1,2}/){2}\d{4} (\d{2}:){2}\d{2} (AM|PM)) (?<action>(INFO|GET|POST)) (?<event>.*)\n(?<host>\w*) (?<clock>.*)"#,
        delimiter: r#""#,
        executions: &[(47, 4, "")],
    },
    Example {
        file: "facebook-multiple.log",
        parser: r#"(?<ip>(\d{1,3}\.){3}\d{1,3}) (?<date>(\d{1,2}/){2}\d{4} (\d{2}:){2}\d{2} (AM|PM)) (?<action>(INFO|GET|POST)) (?<event>.*)\n(?<host>\w*) (?<clock>.*)"#,
        delimiter: r#"^=== (?<trace>.*) ===$"#,
        executions: &[(47, 4, "Execution #1"), (41, 4, "Execution #2")],
    },
    Example {
        file: "multiple-comparison.log",
        parser: r#"(?<ip>(\d{1,3}\.){3}\d{1,3}) (?<date>(\d{1,2}/){2}\d{4} (\d{2}:){2}\d{2} (AM|PM)) (?<action>(INFO|GET|POST)) (?<event>.*)\n(?<host>\w*) (?<clock>.*)"#,
        delimiter: r#"^=== (?<trace>.*) ===$"#,
        executions: &[
            (8, 2, "Base execution"),
            (8, 2, "Same as base"),
            (8, 2, "Different host from base"),
            (8, 2, "All events are different from base"),
            (8, 2, "Some events are different from base"),
        ],
    },
    Example {
        file: "ewd998.log",
        parser: r#"^State [0-9]+: <(?<event>\w*) .*>\n\/\\ Host = (?<host>.*)\n\/\\ Clock = "(?<clock>.*)"\n\/\\ active = (?<active>.*)\n\/\\ color = (?<color>.*)\n\/\\ counter = (?<counter>.*)"#,
        delimiter: r#"^=== (?<trace>.*) ===$"#,
        executions: &[
            (18, 7, "78 actions (EWD998Chan!EWD998!terminationDetected)"),
            (8, 4, "249 actions"),
        ],
    },
];

fn read(file: &str) -> String {
    let path = format!("{}/tests/data/shiviz/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn names(s: &Scenario) -> Vec<&str> {
    s.nodes.iter().map(|n| n.name.as_str()).collect()
}

#[test]
fn every_shiviz_example_imports_with_shivizs_counts() {
    for ex in EXAMPLES {
        let text = read(ex.file);
        let matched = match_log(&text, ex.parser, ex.delimiter)
            .unwrap_or_else(|e| panic!("{}: {e}", ex.file));
        assert_eq!(matched.executions.len(), ex.executions.len(), "{}", ex.file);
        for (k, &(events, hosts, label)) in ex.executions.iter().enumerate() {
            let exec = &matched.executions[k];
            assert_eq!(exec.label, label, "{}", ex.file);
            assert_eq!(
                exec.records.len(),
                events,
                "{} execution {}",
                ex.file,
                k + 1
            );
            let built = build(&matched, k, HostOrder::Log)
                .unwrap_or_else(|e| panic!("{} execution {}: {e}", ex.file, k + 1));
            let imported = &built.imported;
            assert!(
                imported.skipped.is_empty(),
                "{} execution {}: {:?}",
                ex.file,
                k + 1,
                imported.skipped
            );
            assert_eq!(imported.scenario.nodes.len(), hosts, "{}", ex.file);
            imported.scenario.validate().unwrap();
            let trace = replay(&imported.scenario).unwrap();
            // Every log event is at least one scenario event.
            assert!(trace.events().len() >= events, "{}", ex.file);
        }
    }
}

#[test]
fn logs_with_a_time_group_say_how_they_read_the_times() {
    let cases = [
        ("voldemort.log", Format::Iso { zone: false }),
        ("facebook.log", Format::Us12),
        ("reliable-broadcast.log", Format::Us24),
        ("tsviz_fslock_24t_4sp.log", Format::EpochNanos),
        ("tsviz_shared_var_4_threads.log", Format::EpochMicros),
    ];
    for (file, format) in cases {
        let ex = EXAMPLES.iter().find(|e| e.file == file).unwrap();
        let matched = match_log(&read(file), ex.parser, ex.delimiter).unwrap();
        let built = build(&matched, 0, HostOrder::Log).unwrap();
        assert_eq!(built.time_formats, vec![format], "{file}");
        let notes = &built.imported.notes;
        assert!(
            notes[0].starts_with("Times are read from the log as `"),
            "{file}: {notes:?}"
        );
        assert!(notes[0].contains(format.describe()), "{file}: {notes:?}");
        assert!(
            notes
                .iter()
                .any(|n| n.starts_with("Time 0 on the diagram is")),
            "{file}: {notes:?}"
        );
    }
}

#[test]
fn akka_times_become_pt_and_hlc_is_replayed_on_them() {
    let ex = &EXAMPLES[0];
    let matched = match_log(&read(ex.file), ex.parser, "").unwrap();
    let built = build(&matched, 0, HostOrder::Log).unwrap();
    let s = &built.imported.scenario;
    let trace = replay(s).unwrap();
    // Events 5 ms apart in the log (20.543 -> 20.548) are 5 ms apart in pt
    // when on one host, and a node's events never go back.
    for n in 0..s.nodes.len() {
        let pts: Vec<i64> = trace
            .node_events(n)
            .iter()
            .map(|&i| trace.event(i).unwrap().pt())
            .collect();
        assert!(pts.windows(2).all(|w| w[0] < w[1]), "{pts:?}");
    }
    let first = trace.event(0).unwrap().pt();
    assert!((0..=1000).contains(&first), "{first}");
}

#[test]
fn a_multi_execution_log_opens_the_execution_asked_for() {
    let ex = EXAMPLES
        .iter()
        .find(|e| e.file == "multiple-comparison.log")
        .unwrap();
    let matched = match_log(&read(ex.file), ex.parser, ex.delimiter).unwrap();
    let second = build(&matched, 1, HostOrder::Log).unwrap();
    assert_eq!(second.execution, 1);
    assert_eq!(second.labels.len(), 5);
    assert!(second
        .imported
        .notes
        .iter()
        .any(|n| n.starts_with("Execution 2 of 5 (`Same as base`)")));
    let third = build(&matched, 2, HostOrder::Log).unwrap();
    assert_ne!(
        names(&second.imported.scenario),
        names(&third.imported.scenario),
        "'Different host from base' has other hosts"
    );
    let err = build(&matched, 5, HostOrder::Log).unwrap_err();
    assert_eq!(
        err.to_string(),
        "there is no execution 6: the log has 5 (numbered from 1)"
    );
}

#[test]
fn hosts_are_ordered_as_asked() {
    let log = "a {\"a\":1}\nx\nb {\"b\":1}\nx\nb {\"b\":2}\nx\nc {\"c\":1}\nx\nc {\"c\":2}\nx\nc {\"c\":3}\nx\n";
    let matched = match_log(log, shiviz::GOVECTOR_REGEX, "").unwrap();
    let order = |o| names(&build(&matched, 0, o).unwrap().imported.scenario).join(",");
    assert_eq!(order(HostOrder::Log), "a,b,c");
    assert_eq!(order(HostOrder::LogReversed), "c,b,a");
    assert_eq!(order(HostOrder::MostEvents), "c,b,a");
    assert_eq!(order(HostOrder::FewestEvents), "a,b,c");
    // Reordering keeps every event on its host.
    let mut s = build(&matched, 0, HostOrder::Log)
        .unwrap()
        .imported
        .scenario;
    reorder(&mut s, HostOrder::MostEvents);
    s.validate().unwrap();
    let on = |name: &str| {
        let k = s.nodes.iter().position(|n| n.name == name).unwrap();
        s.events.iter().filter(|e| e.node == k).count()
    };
    assert_eq!((on("a"), on("b"), on("c")), (1, 2, 3));
    for name in HostOrder::NAMES {
        assert!(HostOrder::parse(name).is_some());
    }
}

#[test]
fn a_log_that_does_not_match_names_its_first_line() {
    let log = "\n\nhello world\nsecond line\n";
    let err = match_log(log, "", "").unwrap_err();
    assert_eq!(
        err.to_string(),
        "the parser expression matches no event; line 3 is the first it does not match: `hello world`"
    );
    // One execution of two matches nothing.
    let log = "=== one ===\na {\"a\":1}\nx\n=== two ===\nnothing here\n";
    let matched = match_log(log, shiviz::GOVECTOR_REGEX, "^=== (?<trace>.*) ===$").unwrap();
    let err = build(&matched, 1, HostOrder::Log).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the parser expression matches no event in execution `two` (from line 5); line 5 is the first it does not match: `nothing here`"
    );
    // Lines between matches are counted in a note.
    let log = "noise\na {\"a\":1}\nx\nmore noise\n";
    let built = build(
        &match_log(log, shiviz::GOVECTOR_REGEX, "").unwrap(),
        0,
        HostOrder::Log,
    )
    .unwrap();
    assert!(built.imported.notes.iter().any(|n| n.starts_with(
        "2 non-blank line(s) match no event and are ignored, as ShiViz ignores them; the first is line 1: `noise`"
    )), "{:?}", built.imported.notes);
}

#[test]
fn bad_expressions_get_one_clear_message() {
    let cases = [
        ("(?<event>.*", "the parser expression is not valid"),
        ("(?<host>\\S+) (?<clock>.*)", "it lacks event"),
        ("(?<event>.*)(?=x)(?<host>.)(?<clock>.)", "look-around"),
        ("(?<event>.)(?<host>.)(?<clock>.)\\1", "backreference"),
    ];
    for (parser, expected) in cases {
        let err = match_log("a {\"a\":1}\nx\n", parser, "")
            .unwrap_err()
            .to_string();
        assert!(err.contains(expected), "{parser}: {err}");
        assert!(!err.contains('\n'), "{err}");
    }
    let err = match_log("x", "", "(").unwrap_err().to_string();
    assert!(
        err.starts_with("the delimiter expression is not valid"),
        "{err}"
    );
    let long = "a".repeat(5000);
    assert!(match_log("x", &long, "")
        .unwrap_err()
        .to_string()
        .contains("longer than"));
}

#[test]
fn javascript_only_syntax_is_translated() {
    // ShiViz's `{.*}` has literal braces in JavaScript.
    assert_eq!(
        translate(shiviz::GOVECTOR_REGEX).unwrap(),
        r"(?<host>\S*) (?<clock>\{.*\})\n(?<event>.*)"
    );
    assert_eq!(translate(r"\d{1,3}").unwrap(), r"\d{1,3}");
    assert_eq!(translate(r"\/\\ Host").unwrap(), r"\/\\ Host");
}

#[test]
fn time_formats() {
    let s = 1_000_000_000i64;
    let table: &[(&str, i64, Format)] = &[
        ("1970-01-01T00:00:00Z", 0, Format::Iso { zone: true }),
        ("1970-01-01 00:00:01", s, Format::Iso { zone: false }),
        ("1970-01-01T01:00:00+01:00", 0, Format::Iso { zone: true }),
        (
            "1970-01-01T00:00:00-0130",
            5_400 * s,
            Format::Iso { zone: true },
        ),
        (
            "2013-05-24 23:28:00,637",
            1_369_438_080_637_000_000,
            Format::Iso { zone: false },
        ),
        (
            "2013-05-24T23:28:00.637123456Z",
            1_369_438_080_637_123_456,
            Format::Iso { zone: true },
        ),
        ("5/27/2013 10:53:39 AM", 1_369_652_019 * s, Format::Us12),
        ("5/27/2013 12:00:00 AM", 1_369_612_800 * s, Format::Us12),
        ("5/27/2013 12:00:00 PM", 1_369_656_000 * s, Format::Us12),
        (
            "10/13/2014 04:23:20.113",
            1_413_174_200_113_000_000,
            Format::Us24,
        ),
        ("1369438080", 1_369_438_080 * s, Format::EpochSeconds),
        (
            "1369438080.5",
            1_369_438_080 * s + s / 2,
            Format::EpochSeconds,
        ),
        (
            "1369438080637",
            1_369_438_080_637_000_000,
            Format::EpochMillis,
        ),
        (
            "1369438080637123",
            1_369_438_080_637_123_000,
            Format::EpochMicros,
        ),
        (
            "1456966522870845696",
            1_456_966_522_870_845_696,
            Format::EpochNanos,
        ),
    ];
    for &(text, ns, format) in table {
        assert_eq!(logtime::parse(text), Ok((ns, format)), "{text}");
    }
    for bad in [
        "",
        "2013-13-01 00:00:00",
        "2013-02-30 00:00:00",
        "13/27/2013 1:00:00 AM",
        "5/27/2013 13:00:00 PM",
        "2013-05-24 25:00:00",
        "99999999999999999999999",
        "1.2.3",
        "2013-05-24T23:28:00+99:00",
        "now",
        &"9".repeat(100),
        "10000-01-01 00:00:00",
        "2013-05-24 23:28:00,",
    ] {
        assert!(logtime::parse(bad).is_err(), "{bad}");
    }
}

/// A log generated with known clock offsets and message delays: the estimated
/// offsets bound the truth, and every host's skew is within the bounds.
#[test]
fn offsets_are_bounded_on_a_generated_log() {
    // True offsets (ms) of a, b, c, and each message's delay.
    let offsets = [0i64, 250, -120];
    let hosts = ["a", "b", "c"];
    let mut clocks = [0u32; 3];
    let mut vcs = [[0u32; 3]; 3];
    let mut log = String::new();
    let base = 1_700_000_000_000i64; // ms since the epoch
    let mut real = 0i64;
    let emit = |h: usize, vc: [u32; 3], real: i64, what: &str, log: &mut String| {
        let t = base + real + offsets[h];
        let clock: Vec<String> = (0..3)
            .filter(|&k| vc[k] > 0)
            .map(|k| format!("\"{}\":{}", hosts[k], vc[k]))
            .collect();
        log.push_str(&format!(
            "{t} {} {{{}}} {what}\n",
            hosts[h],
            clock.join(", ")
        ));
    };
    for round in 0..12 {
        let (from, to) = [(0, 1), (1, 0), (1, 2), (2, 1), (0, 2), (2, 0)][round % 6];
        let delay = 3 + (round as i64 * 7) % 11;
        real += 40;
        clocks[from] += 1;
        vcs[from][from] = clocks[from];
        emit(from, vcs[from], real, "send", &mut log);
        let sent = vcs[from];
        clocks[to] += 1;
        for k in 0..3 {
            vcs[to][k] = vcs[to][k].max(sent[k]);
        }
        vcs[to][to] = clocks[to];
        emit(to, vcs[to], real + delay, "receive", &mut log);
    }
    let matched = match_log(
        &log,
        r"(?<timestamp>\d+) (?<host>\w+) (?<clock>\{.*\}) (?<event>.*)",
        "",
    )
    .unwrap();
    let built = build(&matched, 0, HostOrder::Log).unwrap();
    let s = &built.imported.scenario;
    assert_eq!(s.messages.len(), 12);
    assert_eq!(built.time_formats, vec![Format::EpochMillis]);
    for (h, truth) in offsets.iter().enumerate() {
        let skew = s.nodes[h].skew_ms;
        assert!(
            (skew - truth).abs() <= 7,
            "host {h}: skew {skew}, truth {truth}"
        );
    }
    let notes = built.imported.notes.join("\n");
    assert!(notes.contains("host b: offset +"), "{notes}");
    assert!(notes.contains("(between +"), "{notes}");
    // Replayed pt is each event's logged time minus the shift.
    let trace = replay(s).unwrap();
    let pts: Vec<i64> = (0..trace.events().len())
        .map(|i| trace.event(i).unwrap().pt())
        .collect();
    assert!(pts.iter().all(|&p| (0..10_000).contains(&p)), "{pts:?}");
}

#[test]
fn the_default_import_is_matching_then_building() {
    // The GoVector sample through both paths: the same nodes and messages.
    let text = read("govector.log");
    let old = shiviz::import(&text).unwrap();
    let body: String = text.lines().skip(2).map(|l| format!("{l}\n")).collect();
    let matched = match_log(&body, shiviz::GOVECTOR_REGEX, "").unwrap();
    let new = build(&matched, 0, HostOrder::Log).unwrap().imported;
    assert_eq!(names(&old.scenario), names(&new.scenario));
    assert_eq!(old.scenario.messages.len(), new.scenario.messages.len());
    assert_eq!(old.scenario.events.len(), new.scenario.events.len());
}

#[test]
fn matched_logs_round_trip_through_json_and_hostile_json_is_refused() {
    let log = "=== x ===\na {\"a\":1}\nhi\n";
    let matched = match_log(log, shiviz::GOVECTOR_REGEX, "^=== (?<trace>.*) ===$").unwrap();
    let json = serde_json::to_string(&matched).unwrap();
    assert_eq!(from_json(&json).unwrap(), matched);
    for bad in [
        "",
        "null",
        "{}",
        "{\"executions\":[]}",
        "{\"executions\":[{\"line\":1}]}",
        "{\"executions\":[{\"line\":-1,\"records\":[]}]}",
        "[[[[[[[[[[[[[[",
    ] {
        assert!(from_json(bad).is_err(), "{bad}");
    }
    let too_many = format!(
        "{{\"executions\":[{}]}}",
        vec!["{\"line\":1,\"records\":[]}"; MAX_EXECUTIONS + 1].join(",")
    );
    assert!(from_json(&too_many)
        .unwrap_err()
        .to_string()
        .contains("more than 1000 executions"));
    let big = " ".repeat(hlcviz::logimport::MAX_MATCHED_JSON_BYTES + 1);
    assert!(matches!(
        from_json(&big),
        Err(LogImportError::TooLarge { .. })
    ));
    // Records that are not events: reported, never a panic.
    let odd = r#"{"time_group":"date","executions":[{"line":1,"records":[
        {"l":1,"h":"","c":"{}","e":""},
        {"l":2,"h":"a","c":"{\"a\":1}","e":"x","t":"not a date"},
        {"l":3,"h":"b","c":"{\"a\":1,\"b\":99999999999}","e":"x","t":"1/1/1900 1:00:00 AM"},
        {"l":4,"h":"b","c":"{\"a\":1,\"b\":1}","e":"x","t":"12/31/2262 1:00:00 AM"}
    ]}]}"#;
    let built = build(&from_json(odd).unwrap(), 0, HostOrder::MostEvents).unwrap();
    built.imported.scenario.validate().unwrap();
    assert_eq!(
        built.imported.skipped.len(),
        2,
        "{:?}",
        built.imported.skipped
    );
}

#[test]
fn hostile_logs_and_caps() {
    assert!(matches!(
        match_log(&"x".repeat(MAX_IMPORT_BYTES + 1), "", ""),
        Err(LogImportError::TooLarge { .. })
    ));
    // More executions than the cap.
    let many = "=== e ===\na {\"a\":1}\nx\n".repeat(MAX_EXECUTIONS + 1);
    assert!(matches!(
        match_log(&many, shiviz::GOVECTOR_REGEX, "^=== e ===$"),
        Err(LogImportError::TooManyExecutions { .. })
    ));
    // More events than a scenario may have.
    let lots = "a {\"a\":1}\nx\n".repeat(MAX_EVENTS + 1);
    assert!(matches!(
        match_log(&lots, shiviz::GOVECTOR_REGEX, ""),
        Err(LogImportError::TooManyEvents { .. })
    ));
    // A pathological expression for a backtracking engine runs in linear time.
    let line = format!("{}b\n", "a".repeat(100_000));
    let err = match_log(&line, r"(?<event>(a+)+$)(?<host>x)(?<clock>y)", "").unwrap_err();
    assert!(matches!(err, LogImportError::NoMatch { .. }), "{err}");
    // Control characters, huge clocks and fields, times far apart.
    let weird = format!(
        "\u{7}\u{202e} {{\"\u{7}\u{202e}\":1}}\n{}\nb {{{}}}\nx\nc {{\"c\":1}}\n\n",
        "e".repeat(10_000),
        (0..300)
            .map(|i| format!("\"h{i}\":1"))
            .collect::<Vec<_>>()
            .join(",")
    );
    let built = build(
        &match_log(&weird, shiviz::GOVECTOR_REGEX, "").unwrap(),
        0,
        HostOrder::Log,
    )
    .unwrap();
    built.imported.scenario.validate().unwrap();
    let far = "1 a {\"a\":1} x\n99999999999999999 b {\"b\":1} y\n";
    let built = build(
        &match_log(
            far,
            r"(?<date>\d+) (?<host>\w+) (?<clock>\{.*\}) (?<event>.*)",
            "",
        )
        .unwrap(),
        0,
        HostOrder::Log,
    )
    .unwrap();
    built.imported.scenario.validate().unwrap();
    for n in &built.imported.scenario.nodes {
        assert!(n.skew_ms.abs() <= MAX_SKEW_MS);
    }
    // Empty matches are not events.
    assert!(match_log("abc\n", "(?<event>)(?<host>)(?<clock>)", "").is_err());
    let _: MatchedLog = MatchedLog::default();
}
