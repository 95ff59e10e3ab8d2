//! Outside input is refused before it is allocated: oversized text, arrays past
//! their caps, names past their limit.

use hlcviz::scenario::{LoadError, Scenario, MAX_JSON_BYTES};
use std::fmt::Write;

fn error_of(text: &str) -> String {
    match Scenario::from_json(text) {
        Ok(_) => panic!("accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn text_over_the_limit_is_refused_unread() {
    let text = " ".repeat(MAX_JSON_BYTES + 1);
    assert!(
        matches!(Scenario::from_json(&text), Err(LoadError::TooLarge(n)) if n == MAX_JSON_BYTES + 1)
    );
    assert!(error_of(&text).contains("too large"));
}

#[test]
fn arrays_past_their_cap_fail_at_the_first_extra_element() {
    let mut nodes = String::from("{\"nodes\": [");
    for k in 0..65 {
        write!(
            nodes,
            "{}{{\"name\": \"n{k}\"}}",
            if k > 0 { "," } else { "" }
        )
        .unwrap();
    }
    // Garbage after the 65th node proves parsing stopped there.
    nodes.push_str(", this is never read");
    let message = error_of(&nodes);
    assert!(
        message.contains("more than 64 nodes (the limit)"),
        "{message}"
    );

    let mut steps = String::from("{\"nodes\": [{\"name\": \"A\", \"steps\": [");
    for k in 0..65 {
        write!(
            steps,
            "{}{{\"at_ms\": {k}, \"by_ms\": 1}}",
            if k > 0 { "," } else { "" }
        )
        .unwrap();
    }
    steps.push_str(", never read");
    assert!(error_of(&steps).contains("more than 64 clock steps"));
}

#[test]
fn a_billion_events_claim_fails_fast() {
    // 200,001 events in 3.6 MB: refused at event 200,001, not after replaying.
    let mut text = String::from("{\"nodes\": [{\"name\": \"A\"}], \"events\": [");
    for t in 0..200_001 {
        write!(
            text,
            "{}{{\"node\":0,\"at_ms\":{t}}}",
            if t > 0 { "," } else { "" }
        )
        .unwrap();
    }
    text.push_str("]}");
    assert!(error_of(&text).contains("more than 200000 events (the limit)"));
}

#[test]
fn a_huge_name_is_refused_while_parsing() {
    let name = "x".repeat(1_000_000);
    let text = format!("{{\"nodes\": [{{\"name\": \"{name}\"}}]}}");
    assert!(error_of(&text).contains("longer than 64 characters"));
    // 64 characters of 4 bytes each is fine.
    let ok = format!("{{\"nodes\": [{{\"name\": \"{}\"}}]}}", "🙂".repeat(64));
    assert!(Scenario::from_json(&ok).is_ok());
    let over = format!("{{\"nodes\": [{{\"name\": \"{}\"}}]}}", "🙂".repeat(65));
    assert!(error_of(&over).contains("longer than 64 characters"));
}

#[test]
fn numbers_out_of_every_range_are_refused_with_their_field() {
    for (text, field) in [
        (r#"{"nodes":[{"name":"A","skew_ms":1e400}]}"#, ""),
        (
            r#"{"nodes":[{"name":"A","skew_ms":99999999999999999999}]}"#,
            "",
        ),
        (r#"{"nodes":[{"name":"A","skew_ms":86400001}]}"#, "skew_ms"),
        (
            r#"{"nodes":[{"name":"A","drift_ppm":-100001}]}"#,
            "drift_ppm",
        ),
        (
            r#"{"nodes":[{"name":"A"}],"events":[{"node":0,"at_ms":-1}]}"#,
            "time",
        ),
        (
            r#"{"nodes":[{"name":"A"}],"events":[{"node":0,"at_ms":1000000000001}]}"#,
            "time",
        ),
        (
            r#"{"nodes":[{"name":"A"}],"settings":{"counter_bits":0}}"#,
            "counter_bits",
        ),
        (
            r#"{"nodes":[{"name":"A"}],"settings":{"counter_bits":300}}"#,
            "",
        ),
        (
            r#"{"nodes":[{"name":"A"}],"settings":{"max_offset_ms":-5}}"#,
            "max_offset_ms",
        ),
        (
            r#"{"nodes":[{"name":"A"}],"events":[{"node":18446744073709551615,"at_ms":1}]}"#,
            "node",
        ),
    ] {
        let message = error_of(text);
        assert!(message.contains(field), "{text}: {message}");
    }
}

#[test]
fn recorded_logs_past_their_caps_are_refused_before_they_are_read() {
    use hlcviz::recorded::{self, RecordedError, MAX_LINES};
    use hlcviz::shiviz::MAX_IMPORT_BYTES;
    let big = " ".repeat(MAX_IMPORT_BYTES + 1);
    assert_eq!(
        recorded::import(&big).unwrap_err(),
        RecordedError::TooLarge {
            bytes: MAX_IMPORT_BYTES + 1
        }
    );
    // Lines are counted before any is parsed: garbage past the limit is never
    // read.
    let many = "x\n".repeat(MAX_LINES + 1);
    assert_eq!(
        recorded::import(&many).unwrap_err(),
        RecordedError::TooManyLines {
            line: MAX_LINES + 1
        }
    );
    // A line past its cap is skipped unread, with its reason.
    let long = format!(
        "{{\"kind\":\"local\",\"host\":\"a\",\"wall_ns\":1}}\n{}",
        "{".repeat(recorded::MAX_LINE_BYTES + 1)
    );
    let rec = recorded::import(&long).unwrap();
    assert_eq!(rec.imported.skipped.len(), 1);
    assert!(rec.imported.skipped[0].reason.contains("not read"));
    assert!(rec.imported.skipped[0].text.chars().count() <= hlcviz::shiviz::SKIPPED_TEXT_CHARS);
}

#[test]
fn opentelemetry_traces_past_their_caps_are_refused_before_they_are_kept() {
    use hlcviz::otlp::{self, OtlpError, MAX_GROUPS, MAX_SPANS};
    use hlcviz::scenario::MAX_NODES;
    use hlcviz::shiviz::MAX_IMPORT_BYTES;
    let big = format!("{{\"resourceSpans\":[]}}{}", " ".repeat(MAX_IMPORT_BYTES));
    assert_eq!(
        otlp::import(&big).unwrap_err(),
        OtlpError::TooLarge {
            bytes: MAX_IMPORT_BYTES + 20
        }
    );
    // Empty spans are counted as they are parsed: the parse stops at the cap.
    let many_spans = format!(
        "{{\"resourceSpans\":[{{\"scopeSpans\":[{{\"spans\":[{}{{}}]}}]}}]}}",
        "{},".repeat(MAX_SPANS)
    );
    assert_eq!(
        otlp::import(&many_spans).unwrap_err(),
        OtlpError::TooManySpans
    );
    let many_groups = format!("{{\"resourceSpans\":[{}{{}}]}}", "{},".repeat(MAX_GROUPS));
    assert_eq!(
        otlp::import(&many_groups).unwrap_err(),
        OtlpError::TooManyGroups
    );
    let many_objects = "{}".repeat(MAX_GROUPS + 1);
    assert_eq!(
        otlp::import(&many_objects).unwrap_err(),
        OtlpError::TooManyGroups
    );
    // The caps are per import: the next one starts afresh.
    let one = r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","startTimeUnixNano":"1000000","endTimeUnixNano":"2000000"}]}]}]}"#;
    assert_eq!(otlp::import(one).unwrap().spans, 1);
    // One service past the node limit is refused by name.
    let services: Vec<String> = (0..=MAX_NODES)
        .map(|k| {
            format!(
                r#"{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"s{k}"}}}}]}}}}"#
            )
        })
        .collect();
    let text = format!("{{\"resourceSpans\":[{}]}}", services.join(","));
    assert_eq!(
        otlp::import(&text).unwrap_err(),
        OtlpError::TooManyServices {
            service: format!("s{MAX_NODES}")
        }
    );
}

#[test]
fn hostile_strings_in_opentelemetry_traces_get_one_clear_message() {
    use hlcviz::otlp;
    let span = |trace: &str, span: &str, start: &str| {
        format!(
            r#"{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"web"}}}}]}},"scopeSpans":[{{"spans":[{{"traceId":{trace},"spanId":{span},"startTimeUnixNano":{start},"endTimeUnixNano":"5000000"}}]}}]}}]}}"#
        )
    };
    let long = format!("\"{}\"", "a".repeat(100_000));
    for (text, says) in [
        (
            span(&long, "\"b7ad6b7169203331\"", "\"1\""),
            "is not a 16-byte id",
        ),
        (
            span("\"0af7651916cd43dd8448eb211c80319c\"", &long, "\"1\""),
            "is not a 8-byte id",
        ),
        (
            span(
                "\"0af7651916cd43dd8448eb211c80319c\"",
                "\"b7ad6b7169203331\"",
                &long,
            ),
            "is not a whole number of ns",
        ),
        (
            span(
                "\"0af7651916cd43dd8448eb211c80319c\"",
                "\"b7ad6b7169203331\"",
                "-5",
            ),
            "is negative",
        ),
        (
            span(
                "\"0af7651916cd43dd8448eb211c80319c\"",
                "\"b7ad6b7169203331\"",
                "1e30",
            ),
            "is not a number",
        ),
        (
            span("\"0af7651916cd43dd8448eb211c80319c\"", "null", "\"1\""),
            "no span id",
        ),
        (span("7", "\"b7ad6b7169203331\"", "\"1\""), "no trace id"),
        (
            span(
                "\"00000000000000000000000000000000\"",
                "\"b7ad6b7169203331\"",
                "\"1\"",
            ),
            "empty or zero",
        ),
        (
            span(
                "\"0af7651916cd43dd8448eb211c80319c\"",
                "\"b7ad6b7169203331\"",
                "\"18446744073709551615\"",
            ),
            "after the year 2262",
        ),
    ] {
        let message = otlp::import(&text).unwrap_err().to_string();
        assert!(
            message.starts_with("no span could be read from the trace; span 1 not used: "),
            "{message}"
        );
        assert!(message.contains(says), "{says}: {message}");
        assert!(
            message.chars().count() < 300,
            "the input is not echoed whole: {message}"
        );
    }
    // A service name that cannot be a node's name.
    let bad_name = span(
        "\"0af7651916cd43dd8448eb211c80319c\"",
        "\"b7ad6b7169203331\"",
        "\"1\"",
    )
    .replace("\"web\"", "\"a\\u0007b\"");
    let message = otlp::import(&bad_name).unwrap_err().to_string();
    assert!(message.contains("its service name `a\u{7}b`"), "{message}");
    // Not JSON, or JSON of another shape, in one line.
    for (text, says) in [
        (
            "{\"resourceSpans\": 5}".to_string(),
            "not an OpenTelemetry trace in JSON: invalid type",
        ),
        (
            format!("{{\"resourceSpans\": {long}}}"),
            "not an OpenTelemetry trace in JSON",
        ),
        (
            "{\"resourceSpans\": [".to_string(),
            "not an OpenTelemetry trace in JSON: EOF",
        ),
        ("[1, 2]".to_string(), "not an OpenTelemetry trace in JSON"),
        ("{}".to_string(), "no span could be read"),
    ] {
        let message = otlp::import(&text).unwrap_err().to_string();
        assert!(message.contains(says), "{says}: {message}");
        assert!(message.chars().count() < 300, "{message}");
        assert_eq!(message.lines().count(), 1);
    }
}
