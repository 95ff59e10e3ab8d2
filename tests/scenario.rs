//! The scenario model: every `ScenarioError` variant, the caps, the ranges, node
//! names, the JSON format and `Node::physical_time`.

mod support;

use support::{local, message};

use hlcviz::scenario::{
    ClockStep, EventRef, LoadError, Node, Scenario, ScenarioError, Settings, COUNTER_BITS_RANGE,
    FORMAT_VERSION, MAX_DRIFT_PPM, MAX_EVENTS, MAX_NAME_CHARS, MAX_NODES, MAX_OFFSET_LIMIT_MS,
    MAX_SKEW_MS, MAX_STEPS_PER_NODE, MAX_TIME_MS,
};
use hlcviz::sim::replay;

fn two_nodes() -> Scenario {
    Scenario::with_nodes(&["A", "B"])
}

/// Asserts `err` is `OutOfRange` for exactly this field, value and range, and that
/// its message names all four.
fn assert_out_of_range(err: ScenarioError, field: &str, value: i128, min: i128, max: i128) {
    assert_eq!(
        err,
        ScenarioError::OutOfRange {
            field: field.to_string(),
            value,
            min,
            max
        }
    );
    let text = err.to_string();
    for part in [
        field.to_string(),
        value.to_string(),
        min.to_string(),
        max.to_string(),
    ] {
        assert!(text.contains(&part), "{text:?} should mention {part:?}");
    }
}

// ---------------------------------------------------------------- variants

#[test]
fn unsupported_version_is_refused_and_named() {
    for version in [0, FORMAT_VERSION + 1, u32::MAX] {
        let mut s = two_nodes();
        s.version = version;
        let err = s.validate().unwrap_err();
        assert_eq!(err, ScenarioError::UnsupportedVersion(version));
        let text = err.to_string();
        assert!(text.contains(&version.to_string()), "{text}");
        assert!(text.contains("version"), "{text}");
        assert!(text.contains(&FORMAT_VERSION.to_string()), "{text}");
    }
}

#[test]
fn no_nodes_is_refused() {
    let s = Scenario::with_nodes(&[]);
    let err = s.validate().unwrap_err();
    assert_eq!(err, ScenarioError::NoNodes);
    assert!(err.to_string().contains("no nodes"), "{err}");
    assert!(replay(&s).is_err());
}

#[test]
fn too_many_nodes_is_refused_and_names_both_numbers() {
    let names: Vec<String> = (0..=MAX_NODES).map(|i| format!("n{i}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let err = Scenario::with_nodes(&refs).validate().unwrap_err();
    assert_eq!(err, ScenarioError::TooManyNodes(MAX_NODES + 1));
    let text = err.to_string();
    assert!(text.contains("65") && text.contains("64"), "{text}");
}

#[test]
fn too_many_events_is_refused_and_counts_a_message_as_two() {
    // MAX_EVENTS + 1 local events on one node, at distinct instants.
    let mut s = Scenario::with_nodes(&["A"]);
    s.events = (0..=MAX_EVENTS as i64).map(|t| local(0, t)).collect();
    let err = s.validate().unwrap_err();
    assert_eq!(err, ScenarioError::TooManyEvents(MAX_EVENTS + 1));
    let text = err.to_string();
    assert!(text.contains(&(MAX_EVENTS + 1).to_string()), "{text}");
    assert!(text.contains(&MAX_EVENTS.to_string()), "{text}");

    // MAX_EVENTS / 2 messages and one local event: one too many.
    let mut s = two_nodes();
    s.messages = (0..(MAX_EVENTS / 2) as i64)
        .map(|k| message(0, 2 * k, 1, 2 * k + 1))
        .collect();
    assert_eq!(s.validate(), Ok(()), "exactly MAX_EVENTS is accepted");
    s.events.push(local(0, 1));
    assert_eq!(
        s.validate(),
        Err(ScenarioError::TooManyEvents(MAX_EVENTS + 1))
    );
}

#[test]
fn bad_name_is_refused_with_node_and_reason() {
    let cases: [(&str, &str); 7] = [
        ("", "empty"),
        ("   ", "empty"),
        ("\t \n", "empty"),
        ("a\nb", "control"),
        ("bell\u{7}", "control"),
        ("esc\u{1b}[31m", "control"),
        ("nul\0", "control"),
    ];
    for (name, reason) in cases {
        let mut s = Scenario::with_nodes(&["ok", "fine", name]);
        let err = s.validate().unwrap_err();
        match &err {
            ScenarioError::BadName { node, reason: r } => {
                assert_eq!(*node, 2, "{name:?}");
                assert!(r.contains(reason), "{name:?}: {r}");
            }
            other => panic!("{name:?}: expected BadName, got {other:?}"),
        }
        let text = err.to_string();
        assert!(text.contains("node 2"), "{text}");
        assert!(text.contains(reason), "{text}");
        s.nodes[2].name = "fixed".into();
        assert_eq!(s.validate(), Ok(()));
    }
}

#[test]
fn out_of_range_names_field_value_and_range() {
    let mut s = two_nodes();
    s.nodes[1].skew_ms = MAX_SKEW_MS + 1;
    assert_out_of_range(
        s.validate().unwrap_err(),
        "node 1 skew_ms",
        (MAX_SKEW_MS + 1).into(),
        (-MAX_SKEW_MS).into(),
        MAX_SKEW_MS.into(),
    );
}

#[test]
fn unknown_node_names_the_event_the_node_and_the_count() {
    let mut s = two_nodes();
    s.events.push(local(2, 5));
    let err = s.validate().unwrap_err();
    assert_eq!(
        err,
        ScenarioError::UnknownNode {
            event: EventRef::Local(0),
            node: 2,
            nodes: 2
        }
    );
    let text = err.to_string();
    assert!(text.contains("event 0"), "{text}");
    assert!(text.contains("node 2"), "{text}");
    assert!(text.contains("only 2 nodes"), "{text}");
    assert!(text.contains("0 to 1"), "{text}");

    let mut s = two_nodes();
    s.messages.push(message(0, 1, 1, 2));
    s.messages.push(message(7, 1, 1, 3));
    assert_eq!(
        s.validate(),
        Err(ScenarioError::UnknownNode {
            event: EventRef::Send(1),
            node: 7,
            nodes: 2
        })
    );
    assert!(s
        .validate()
        .unwrap_err()
        .to_string()
        .contains("send of message 1"));

    let mut s = two_nodes();
    s.messages.push(message(0, 1, 9, 2));
    let err = s.validate().unwrap_err();
    assert_eq!(
        err,
        ScenarioError::UnknownNode {
            event: EventRef::Recv(0),
            node: 9,
            nodes: 2
        }
    );
    assert!(err.to_string().contains("receive of message 0"), "{err}");
}

#[test]
fn message_to_self_is_refused() {
    let mut s = Scenario::with_nodes(&["A", "B", "C"]);
    s.messages.push(message(0, 1, 1, 2));
    s.messages.push(message(2, 3, 2, 4));
    let err = s.validate().unwrap_err();
    assert_eq!(err, ScenarioError::MessageToSelf { message: 1 });
    assert!(err.to_string().contains("message 1"), "{err}");
    assert!(err.to_string().contains("itself"), "{err}");
}

#[test]
fn received_before_or_when_sent_is_refused_with_both_times() {
    for (sent, received) in [(500, 499), (500, 500), (731, 0)] {
        let mut s = two_nodes();
        s.messages.push(message(0, 1, 1, 2));
        s.messages.push(message(0, 10, 1, 20));
        s.messages.push(message(1, sent, 0, received));
        let err = s.validate().unwrap_err();
        assert_eq!(
            err,
            ScenarioError::ReceivedBeforeSent {
                message: 2,
                sent_at_ms: sent,
                received_at_ms: received
            }
        );
        let text = err.to_string();
        assert!(text.contains("message 2"), "{text}");
        assert!(text.contains(&format!("{sent} ms")), "{text}");
        assert!(text.contains(&format!("{received} ms")), "{text}");
    }
    // One ms later is enough.
    let mut s = two_nodes();
    s.messages.push(message(1, 500, 0, 501));
    assert_eq!(s.validate(), Ok(()));
}

#[test]
fn same_instant_on_one_node_is_refused_with_both_events() {
    // A local event and the receive of message 0, both on node 1 at 40 ms.
    let mut s = Scenario::with_nodes(&["A", "B", "C"]);
    s.events.push(local(0, 40)); // other node, same instant: fine
    s.events.push(local(1, 40));
    s.messages.push(message(2, 10, 1, 40));
    let err = s.validate().unwrap_err();
    assert_eq!(
        err,
        ScenarioError::SameInstant {
            node: 1,
            at_ms: 40,
            first: EventRef::Local(1),
            second: EventRef::Recv(0)
        }
    );
    let text = err.to_string();
    for part in ["node 1", "40 ms", "event 1", "receive of message 0"] {
        assert!(text.contains(part), "{text:?} lacks {part:?}");
    }

    // A send and a receive of two messages on one node.
    let mut s = two_nodes();
    s.messages.push(message(0, 5, 1, 9));
    s.messages.push(message(1, 9, 0, 12));
    assert_eq!(
        s.validate(),
        Err(ScenarioError::SameInstant {
            node: 1,
            at_ms: 9,
            first: EventRef::Send(1),
            second: EventRef::Recv(0)
        })
    );

    // The same instant on different nodes is fine.
    let mut s = Scenario::with_nodes(&["A", "B", "C"]);
    for n in 0..3 {
        s.events.push(local(n, 7));
    }
    assert_eq!(s.validate(), Ok(()));
}

// ---------------------------------------------------------------- caps

#[test]
fn sixty_four_nodes_are_accepted_sixty_five_refused() {
    let names: Vec<String> = (0..MAX_NODES).map(|i| format!("node-{i}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut s = Scenario::with_nodes(&refs);
    assert_eq!(MAX_NODES, 64);
    s.messages = (0..MAX_NODES)
        .map(|i| message(i, i as i64, (i + 1) % MAX_NODES, 100 + i as i64))
        .collect();
    assert_eq!(s.validate(), Ok(()));
    let trace = replay(&s).unwrap();
    assert_eq!(trace.node_count(), 64);
    assert_eq!(trace.vector(0).len(), 64);

    s.nodes.push(Node::named("one too many"));
    assert_eq!(s.validate(), Err(ScenarioError::TooManyNodes(65)));
}

#[test]
fn a_hundred_thousand_events_are_accepted_and_replayed() {
    // 64 nodes; 30,000 messages (60,000 events) around a ring and 40,000 local
    // events, all at distinct instants per node.
    let names: Vec<String> = (0..64).map(|i| format!("n{i}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut s = Scenario::with_nodes(&refs);
    s.messages = (0..30_000i64)
        .map(|k| {
            let from = (k % 64) as usize;
            // Sends on even ms, receives on odd ms: never clash on a node.
            message(from, 2 * k, (from + 1) % 64, 2 * k + 3)
        })
        .collect();
    s.events = (0..40_000i64)
        .map(|k| local((k % 64) as usize, 1_000_000 + k))
        .collect();
    assert_eq!(s.event_count(), 100_000);
    assert!(s.event_count() <= MAX_EVENTS);
    assert_eq!(s.validate(), Ok(()));
    let trace = replay(&s).unwrap();
    assert_eq!(trace.events().len(), 100_000);
}

#[test]
fn max_events_exactly_is_accepted_one_more_refused() {
    let mut s = Scenario::with_nodes(&["A"]);
    s.events = (0..MAX_EVENTS as i64).map(|t| local(0, t)).collect();
    assert_eq!(s.validate(), Ok(()));
    s.events.push(local(0, MAX_EVENTS as i64));
    assert_eq!(
        s.validate(),
        Err(ScenarioError::TooManyEvents(MAX_EVENTS + 1))
    );
}

// ---------------------------------------------------------------- ranges

#[test]
fn event_times_outside_zero_to_max_time_are_refused() {
    let mut s = two_nodes();
    s.events.push(local(0, 0));
    s.events.push(local(1, MAX_TIME_MS));
    s.messages
        .push(message(0, MAX_TIME_MS - 2, 1, MAX_TIME_MS - 1));
    assert_eq!(s.validate(), Ok(()), "the bounds themselves are fine");

    let mut bad = s.clone();
    bad.events[0].at_ms = -1;
    assert_out_of_range(
        bad.validate().unwrap_err(),
        "event 0 time",
        -1,
        0,
        MAX_TIME_MS.into(),
    );

    let mut bad = s.clone();
    bad.events[1].at_ms = MAX_TIME_MS + 1;
    assert_out_of_range(
        bad.validate().unwrap_err(),
        "event 1 time",
        (MAX_TIME_MS + 1).into(),
        0,
        MAX_TIME_MS.into(),
    );

    let mut bad = s.clone();
    bad.messages[0].sent_at_ms = -5;
    assert_out_of_range(
        bad.validate().unwrap_err(),
        "send of message 0 time",
        -5,
        0,
        MAX_TIME_MS.into(),
    );

    let mut bad = s.clone();
    bad.messages[0].received_at_ms = i64::MAX;
    assert_out_of_range(
        bad.validate().unwrap_err(),
        "receive of message 0 time",
        i64::MAX.into(),
        0,
        MAX_TIME_MS.into(),
    );
}

#[test]
fn skew_range_is_inclusive_and_checked() {
    let mut s = two_nodes();
    s.nodes[0].skew_ms = -MAX_SKEW_MS;
    s.nodes[1].skew_ms = MAX_SKEW_MS;
    assert_eq!(s.validate(), Ok(()));
    s.nodes[0].skew_ms = -MAX_SKEW_MS - 1;
    assert_out_of_range(
        s.validate().unwrap_err(),
        "node 0 skew_ms",
        (-MAX_SKEW_MS - 1).into(),
        (-MAX_SKEW_MS).into(),
        MAX_SKEW_MS.into(),
    );
    s.nodes[0].skew_ms = i64::MIN;
    assert!(matches!(
        s.validate(),
        Err(ScenarioError::OutOfRange { value, .. }) if value == i128::from(i64::MIN)
    ));
}

#[test]
fn drift_range_is_inclusive_and_checked() {
    let mut s = two_nodes();
    s.nodes[0].drift_ppm = -MAX_DRIFT_PPM;
    s.nodes[1].drift_ppm = MAX_DRIFT_PPM;
    assert_eq!(s.validate(), Ok(()));
    s.nodes[1].drift_ppm = MAX_DRIFT_PPM + 1;
    assert_out_of_range(
        s.validate().unwrap_err(),
        "node 1 drift_ppm",
        (MAX_DRIFT_PPM + 1).into(),
        (-MAX_DRIFT_PPM).into(),
        MAX_DRIFT_PPM.into(),
    );
    s.nodes[1].drift_ppm = -MAX_DRIFT_PPM - 1;
    assert_out_of_range(
        s.validate().unwrap_err(),
        "node 1 drift_ppm",
        (-MAX_DRIFT_PPM - 1).into(),
        (-MAX_DRIFT_PPM).into(),
        MAX_DRIFT_PPM.into(),
    );
}

#[test]
fn steps_count_time_and_size_are_checked() {
    let step = |at_ms, by_ms| ClockStep { at_ms, by_ms };
    let mut s = two_nodes();
    s.nodes[1].steps = (0..MAX_STEPS_PER_NODE as i64)
        .map(|k| step(k * 10, if k % 2 == 0 { 5 } else { -5 }))
        .collect();
    assert_eq!(s.validate(), Ok(()), "{MAX_STEPS_PER_NODE} steps are fine");
    s.nodes[1].steps.push(step(1, 1));
    assert_out_of_range(
        s.validate().unwrap_err(),
        "node 1 number of steps",
        (MAX_STEPS_PER_NODE + 1) as i128,
        0,
        MAX_STEPS_PER_NODE as i128,
    );

    let mut s = two_nodes();
    s.nodes[0].steps = vec![
        step(0, MAX_SKEW_MS),
        step(MAX_TIME_MS, -MAX_SKEW_MS),
        step(5, 0),
    ];
    assert_eq!(s.validate(), Ok(()));
    s.nodes[0].steps[2].at_ms = -1;
    assert_out_of_range(
        s.validate().unwrap_err(),
        "node 0 step 2 at_ms",
        -1,
        0,
        MAX_TIME_MS.into(),
    );
    s.nodes[0].steps[2].at_ms = MAX_TIME_MS + 1;
    assert_out_of_range(
        s.validate().unwrap_err(),
        "node 0 step 2 at_ms",
        (MAX_TIME_MS + 1).into(),
        0,
        MAX_TIME_MS.into(),
    );
    s.nodes[0].steps[2] = step(5, -MAX_SKEW_MS - 1);
    assert_out_of_range(
        s.validate().unwrap_err(),
        "node 0 step 2 by_ms",
        (-MAX_SKEW_MS - 1).into(),
        (-MAX_SKEW_MS).into(),
        MAX_SKEW_MS.into(),
    );
    s.nodes[0].steps[2] = step(5, MAX_SKEW_MS + 1);
    assert_out_of_range(
        s.validate().unwrap_err(),
        "node 0 step 2 by_ms",
        (MAX_SKEW_MS + 1).into(),
        (-MAX_SKEW_MS).into(),
        MAX_SKEW_MS.into(),
    );
}

#[test]
fn max_offset_range_is_checked() {
    let mut s = two_nodes();
    for ok in [None, Some(0), Some(1), Some(MAX_OFFSET_LIMIT_MS)] {
        s.settings.max_offset_ms = ok;
        assert_eq!(s.validate(), Ok(()), "{ok:?}");
    }
    for bad in [-1, MAX_OFFSET_LIMIT_MS + 1, i64::MIN] {
        s.settings.max_offset_ms = Some(bad);
        assert_out_of_range(
            s.validate().unwrap_err(),
            "settings max_offset_ms",
            bad.into(),
            0,
            MAX_OFFSET_LIMIT_MS.into(),
        );
    }
}

#[test]
fn counter_bits_range_is_one_to_thirty_two() {
    assert_eq!(COUNTER_BITS_RANGE, 1..=32);
    let mut s = two_nodes();
    for ok in [1, 2, 16, 32] {
        s.settings.counter_bits = ok;
        assert_eq!(s.validate(), Ok(()), "{ok}");
    }
    for bad in [0u8, 33, 64, u8::MAX] {
        s.settings.counter_bits = bad;
        assert_out_of_range(
            s.validate().unwrap_err(),
            "settings counter_bits",
            bad.into(),
            1,
            32,
        );
    }
}

// ---------------------------------------------------------------- names

#[test]
fn name_length_is_counted_in_characters() {
    let mut s = two_nodes();
    s.nodes[0].name = "x".repeat(MAX_NAME_CHARS);
    assert_eq!(s.validate(), Ok(()));
    // 64 two-byte characters (128 bytes) are still 64 characters.
    s.nodes[0].name = "é".repeat(MAX_NAME_CHARS);
    assert_eq!(s.validate(), Ok(()));
    s.nodes[0].name = "🦀".repeat(MAX_NAME_CHARS);
    assert_eq!(s.validate(), Ok(()));

    s.nodes[0].name = "x".repeat(MAX_NAME_CHARS + 1);
    let err = s.validate().unwrap_err();
    match &err {
        ScenarioError::BadName { node: 0, reason } => {
            assert!(reason.contains("longer than 64"), "{reason}")
        }
        other => panic!("expected BadName, got {other:?}"),
    }
    assert!(err.to_string().contains("node 0"), "{err}");
    s.nodes[0].name = "é".repeat(MAX_NAME_CHARS + 1);
    assert!(matches!(
        s.validate(),
        Err(ScenarioError::BadName { node: 0, .. })
    ));
}

#[test]
fn markup_emoji_and_right_to_left_names_are_plain_text() {
    let names = [
        "<img src=x onerror=alert(1)>",
        "<script>alert('x')</script>",
        "🦀 crab 🕐",
        "👩‍💻",
        "שרת א",
        "عقدة ١",
        "\"quoted\" & 'apostrophe' \\ backslash",
        " padded ",
    ];
    let mut s = Scenario::with_nodes(&names);
    s.messages.push(message(0, 1, 1, 2));
    assert_eq!(s.validate(), Ok(()));
    // The names survive the file format byte for byte.
    let back = Scenario::from_json(&s.to_json()).unwrap();
    let got: Vec<&str> = back.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(got, names);
}

// ---------------------------------------------------------------- JSON

fn full_scenario() -> Scenario {
    Scenario {
        version: FORMAT_VERSION,
        nodes: vec![
            Node {
                name: "alpha <b>".into(),
                skew_ms: -120,
                drift_ppm: 250,
                steps: vec![
                    ClockStep {
                        at_ms: 900,
                        by_ms: -40,
                    },
                    ClockStep {
                        at_ms: 300,
                        by_ms: 15,
                    },
                ],
            },
            Node {
                name: "β 🦀".into(),
                skew_ms: 75,
                drift_ppm: -3_000,
                steps: Vec::new(),
            },
            Node::named("C"),
        ],
        events: vec![local(0, 5), local(2, 5), local(1, 700)],
        messages: vec![message(0, 10, 1, 30), message(2, 31, 0, 400)],
        settings: Settings {
            max_offset_ms: Some(250),
            counter_bits: 7,
            ..Settings::default()
        },
    }
}

#[test]
fn json_round_trip_keeps_every_field() {
    let s = full_scenario();
    assert_eq!(s.validate(), Ok(()));
    let text = s.to_json();
    let back = Scenario::from_json(&text).unwrap();
    assert_eq!(back, s);
    // And the text is stable under a second round trip.
    assert_eq!(back.to_json(), text);
    // Defaults are really the defaults, and omitted fields come back as them.
    let minimal = Scenario::from_json(r#"{"nodes":[{"name":"solo"}]}"#).unwrap();
    assert_eq!(minimal, Scenario::with_nodes(&["solo"]));
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["version"], 1);
    assert_eq!(value["settings"]["max_offset_ms"], 250);
    assert_eq!(value["settings"]["counter_bits"], 7);
    assert_eq!(value["nodes"][0]["steps"][0]["by_ms"], -40);
    assert_eq!(value["messages"][1]["received_at_ms"], 400);
}

#[test]
fn unknown_fields_are_refused_at_every_level() {
    let good = r#"{
        "version": 1,
        "nodes": [{"name": "A", "skew_ms": 1, "steps": [{"at_ms": 1, "by_ms": 2}]}, {"name": "B"}],
        "events": [{"node": 0, "at_ms": 5}],
        "messages": [{"from": 0, "sent_at_ms": 1, "to": 1, "received_at_ms": 2}],
        "settings": {"max_offset_ms": null, "counter_bits": 16}
    }"#;
    assert!(Scenario::from_json(good).is_ok());
    let bad = [
        good.replacen(r#""version": 1,"#, r#""version": 1, "extra": true,"#, 1),
        good.replacen(r#""skew_ms": 1"#, r#""skew_ms": 1, "colour": "red""#, 1),
        good.replacen(r#""by_ms": 2"#, r#""by_ms": 2, "why": "ntp""#, 1),
        good.replacen(r#""at_ms": 5}"#, r#""at_ms": 5, "label": "x"}"#, 1),
        good.replacen(
            r#""received_at_ms": 2"#,
            r#""received_at_ms": 2, "lost": false"#,
            1,
        ),
        good.replacen(
            r#""counter_bits": 16"#,
            r#""counter_bits": 16, "mode": 1"#,
            1,
        ),
        // A misspelled field is unknown too, not silently defaulted.
        good.replacen(r#""skew_ms""#, r#""skew""#, 1),
    ];
    for text in &bad {
        assert_ne!(text, good, "the replacement must apply");
        match Scenario::from_json(text) {
            Err(LoadError::Json(e)) => {
                assert!(e.to_string().contains("unknown field"), "{e}")
            }
            other => panic!("expected a JSON error for {text}, got {other:?}"),
        }
    }
}

#[test]
fn a_future_version_is_refused_when_loading() {
    let text = r#"{"version": 2, "nodes": [{"name": "A"}]}"#;
    match Scenario::from_json(text) {
        Err(LoadError::Invalid(ScenarioError::UnsupportedVersion(2))) => {}
        other => panic!("expected UnsupportedVersion(2), got {other:?}"),
    }
    let err = Scenario::from_json(text).unwrap_err();
    assert!(err.to_string().contains("version 2"), "{err}");
    // An absent version means the current one.
    let s = Scenario::from_json(r#"{"nodes": [{"name": "A"}]}"#).unwrap();
    assert_eq!(s.version, FORMAT_VERSION);
}

#[test]
fn loading_validates() {
    let text = r#"{"nodes": [{"name": "A"}, {"name": "B"}],
                   "messages": [{"from": 0, "sent_at_ms": 9, "to": 1, "received_at_ms": 9}]}"#;
    match Scenario::from_json(text) {
        Err(LoadError::Invalid(ScenarioError::ReceivedBeforeSent { message: 0, .. })) => {}
        other => panic!("expected ReceivedBeforeSent, got {other:?}"),
    }
    // Wrong types and malformed JSON are JSON errors.
    for text in [
        r#"{"nodes": [{"name": 5}]}"#,
        r#"{"nodes": [{"name": "A", "skew_ms": 1.5}]}"#,
        r#"{"nodes": [{"name": "A"}], "settings": {"counter_bits": 300}}"#,
        r#"{"nodes": "#,
        "",
    ] {
        assert!(
            matches!(Scenario::from_json(text), Err(LoadError::Json(_))),
            "{text}"
        );
    }
}

// ---------------------------------------------------------------- physical time

#[test]
fn physical_time_adds_skew() {
    let mut n = Node::named("n");
    assert_eq!(n.physical_time(1_000), 1_000);
    n.skew_ms = 250;
    assert_eq!(n.physical_time(1_000), 1_250);
    n.skew_ms = -250;
    assert_eq!(n.physical_time(1_000), 750);
    assert_eq!(n.physical_time(0), -250);
}

#[test]
fn physical_time_drift_rounds_toward_negative_infinity() {
    let mut n = Node::named("n");
    n.drift_ppm = 100;
    // 1,000,000 ms * 100 ppm = 100 ms exactly.
    assert_eq!(n.physical_time(1_000_000), 1_000_100);
    // 9,999 * 100 / 1e6 = 0.9999 -> 0.
    assert_eq!(n.physical_time(9_999), 9_999);
    assert_eq!(n.physical_time(10_000), 10_001);
    n.drift_ppm = -100;
    // -0.9999 -> -1 (toward -inf, not toward zero).
    assert_eq!(n.physical_time(9_999), 9_998);
    assert_eq!(n.physical_time(10_000), 9_999);
    // -1.0001 -> -2: the clock stands still for a millisecond.
    assert_eq!(n.physical_time(10_001), 9_999);
    assert_eq!(n.physical_time(0), 0);
    // Combined with skew.
    n.skew_ms = 7;
    n.drift_ppm = -MAX_DRIFT_PPM; // 10 % slow
    assert_eq!(n.physical_time(1_000), 1_000 + 7 - 100);
    assert_eq!(n.physical_time(1_001), 1_001 + 7 - 101);
    assert_eq!(n.physical_time(1_009), 1_009 + 7 - 101);
}

#[test]
fn physical_time_with_drift_is_monotone() {
    for drift in [-MAX_DRIFT_PPM, -99_999, -1, 1, 33_333, MAX_DRIFT_PPM] {
        let n = Node {
            name: "n".into(),
            skew_ms: -3,
            drift_ppm: drift,
            steps: Vec::new(),
        };
        let mut last = n.physical_time(0);
        for t in 1..5_000 {
            let pt = n.physical_time(t);
            assert!(pt >= last, "drift {drift}: pt({t}) = {pt} < {last}");
            let exact = (i128::from(t) * i128::from(drift)) as f64 / 1e6;
            assert_eq!(pt, t - 3 + exact.floor() as i64, "drift {drift} at {t}");
            last = pt;
        }
    }
}

#[test]
fn physical_time_steps_back_and_forward_from_their_instant() {
    let n = Node {
        name: "n".into(),
        skew_ms: 10,
        drift_ppm: 0,
        // Deliberately not in time order.
        steps: vec![
            ClockStep {
                at_ms: 200,
                by_ms: 500,
            },
            ClockStep {
                at_ms: 100,
                by_ms: -30,
            },
        ],
    };
    assert_eq!(n.physical_time(99), 109);
    assert_eq!(n.physical_time(100), 80, "the step applies at its instant");
    assert_eq!(n.physical_time(101), 81);
    assert_eq!(n.physical_time(199), 179);
    assert_eq!(n.physical_time(200), 680);
    assert_eq!(n.physical_time(1_000), 1_480);
    // Two steps at one instant add up.
    let twice = Node {
        steps: vec![
            ClockStep {
                at_ms: 5,
                by_ms: -2,
            },
            ClockStep {
                at_ms: 5,
                by_ms: -3,
            },
        ],
        ..Node::named("t")
    };
    assert_eq!(twice.physical_time(4), 4);
    assert_eq!(twice.physical_time(5), 0);
}

#[test]
fn physical_time_clamps_absurd_unvalidated_values() {
    let huge = Node {
        name: "x".into(),
        skew_ms: i64::MAX,
        drift_ppm: i64::MAX,
        steps: vec![
            ClockStep {
                at_ms: i64::MIN,
                by_ms: i64::MAX,
            };
            64
        ],
    };
    assert_eq!(huge.physical_time(i64::MAX), i64::MAX / 2);
    assert_eq!(huge.physical_time(0), i64::MAX / 2);
    let tiny = Node {
        name: "x".into(),
        skew_ms: i64::MIN,
        drift_ppm: i64::MAX,
        steps: vec![
            ClockStep {
                at_ms: 0,
                by_ms: i64::MIN,
            };
            64
        ],
    };
    assert_eq!(tiny.physical_time(i64::MIN), i64::MIN / 2);
    assert_eq!(tiny.physical_time(0), i64::MIN / 2);
    // Unvalidated but moderate values are not clamped.
    let n = Node {
        skew_ms: 5 * MAX_SKEW_MS,
        ..Node::named("x")
    };
    assert_eq!(n.physical_time(1), 5 * MAX_SKEW_MS + 1);
    // Drift alone at the extremes: i64::MIN * i64::MAX would overflow in i64.
    let d = Node {
        drift_ppm: i64::MIN,
        ..Node::named("x")
    };
    assert_eq!(d.physical_time(i64::MAX), i64::MIN / 2);
    assert_eq!(d.physical_time(i64::MIN), i64::MAX / 2);
}

#[test]
fn locate_and_all_events_agree() {
    let s = full_scenario();
    let all: Vec<(EventRef, usize, i64)> = s.all_events().collect();
    assert_eq!(all.len(), s.event_count());
    assert_eq!(s.event_count(), 3 + 2 * 2);
    for (event, node, at) in &all {
        assert_eq!(s.locate(*event), Some((*node, *at)));
    }
    assert_eq!(s.locate(EventRef::Recv(1)), Some((0, 400)));
    assert_eq!(s.locate(EventRef::Local(3)), None);
    assert_eq!(s.locate(EventRef::Send(2)), None);
}
