//! Arbitrary and near-valid input to every decoder of outside input, under
//! plain stable `cargo test`: the URL fragment (`permalink::decode`), scenario
//! JSON (`Scenario::from_json`), ShiViz/GoVector logs (`shiviz::import`) and the
//! command line's input file (bytes -> UTF-8 -> scenario -> replay -> reports).
//!
//! Each input goes through the fuzz targets' checks (`fuzz/src/checks.rs`): no
//! panic, every error has a message, and whatever is accepted validates,
//! replays, reports and round-trips. The coverage-guided fuzzers
//! (`docs/fuzzing.md`) search far longer; these properties keep the same
//! guarantees under every `cargo test` in a few seconds.

mod support;

use support::{example_text, shiviz_sample};

#[allow(dead_code)]
#[path = "../fuzz/src/checks.rs"]
mod checks;

use hlcviz::generate::random_scenario;
use hlcviz::permalink;
use hlcviz::scenario::{Scenario, MAX_EVENTS, MAX_NODES};
use hlcviz::shiviz::{self, SHIVIZ_REGEX};
use hlcviz::sim;
use proptest::prelude::*;
use proptest::sample::Index;

// ---------------------------------------------------------------- helpers

const EXAMPLES: [&str; 4] = [
    "default.json",
    "clock-step.json",
    "max-offset.json",
    "counter-overflow.json",
];

/// A small valid scenario: a documented example or a generated one.
fn valid_scenario() -> impl Strategy<Value = Scenario> {
    prop_oneof![
        (0..EXAMPLES.len()).prop_map(|i| Scenario::from_json(&example_text(EXAMPLES[i]))
            .unwrap_or_else(|e| panic!("{}: {e}", EXAMPLES[i]))),
        (1usize..6, 0usize..12, 0usize..6, any::<u64>())
            .prop_map(|(n, m, l, seed)| random_scenario(n, m, l, seed)),
    ]
}

/// Byte ranges of the number tokens of a JSON text (outside strings).
fn number_tokens(json: &str) -> Vec<(usize, usize)> {
    let bytes = json.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut in_string) = (0, false);
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
        } else if b == b'"' {
            in_string = true;
            i += 1;
        } else if b == b'-' || b.is_ascii_digit() {
            let start = i;
            i += 1;
            while i < bytes.len()
                && matches!(bytes[i], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
            {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

/// Numbers a hand-edited or hostile file might hold.
fn odd_number() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("1e400".to_string()),
        Just("-1e400".to_string()),
        Just("-0".to_string()),
        Just("0.0".to_string()),
        Just("0.5".to_string()),
        Just("1e2".to_string()),
        Just("-1".to_string()),
        Just("256".to_string()),
        Just("4294967296".to_string()),
        Just("9223372036854775807".to_string()),
        Just("9223372036854775808".to_string()),
        Just("-9223372036854775808".to_string()),
        Just("-9223372036854775809".to_string()),
        Just("18446744073709551615".to_string()),
        Just("18446744073709551616".to_string()),
        Just("1000000000001".to_string()),
        Just("86400001".to_string()),
        Just(format!("1{}", "0".repeat(400))),
        Just("NaN".to_string()),
        Just("Infinity".to_string()),
        Just("0x10".to_string()),
        Just("007".to_string()),
        Just("null".to_string()),
        Just("\"5\"".to_string()),
        Just("[]".to_string()),
        any::<i64>().prop_map(|v| v.to_string()),
        any::<u64>().prop_map(|v| v.to_string()),
        any::<f64>().prop_map(|v| format!("{v:e}")),
    ]
}

/// A JSON-ish fragment to splice into a scenario.
fn json_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        odd_number(),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just(",".to_string()),
        Just("\"nodes\":".to_string()),
        Just("\"unknown\": 1,".to_string()),
        Just("\"name\":\"\\u0000\"".to_string()),
        Just("\"\\ud800\"".to_string()),
        Just("\u{feff}".to_string()),
        Just("\"".to_string()),
        "\\PC{0,8}",
    ]
}

fn unsigned_varint(mut value: u64) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return out;
        }
        out.push(byte | 0x80);
    }
}

fn signed_varint(value: i64) -> Vec<u8> {
    unsigned_varint(((value << 1) ^ (value >> 63)) as u64)
}

/// One field of a permalink body: counts and indices that claim too much,
/// extreme times, and raw bytes.
fn body_field() -> impl Strategy<Value = Vec<u8>> {
    let claims = [
        0u64,
        1,
        2,
        3,
        32,
        MAX_NODES as u64,
        MAX_NODES as u64 + 1,
        MAX_EVENTS as u64,
        MAX_EVENTS as u64 + 1,
        u64::from(u32::MAX),
        1 << 32,
        i64::MAX as u64,
        u64::MAX,
    ];
    prop_oneof![
        prop::sample::select(claims.to_vec()).prop_map(unsigned_varint),
        (0u64..300).prop_map(unsigned_varint),
        prop::sample::select(vec![
            0i64,
            -1,
            1,
            i64::MIN,
            i64::MAX,
            1_000_000_000_000,
            1_000_000_000_001,
            -86_400_001,
            86_400_000,
        ])
        .prop_map(signed_varint),
        any::<i64>().prop_map(signed_varint),
        "[A-Za-z]{1,4}".prop_map(|name| {
            let mut out = unsigned_varint(name.len() as u64);
            out.extend_from_slice(name.as_bytes());
            out
        }),
        prop::collection::vec(any::<u8>(), 0..8),
        Just(vec![0xff; 10]),
        Just(vec![0x80; 11]),
    ]
}

/// Pieces of ShiViz / GoVector logs, well-formed and not.
fn log_line() -> impl Strategy<Value = String> {
    let host = prop_oneof![
        Just("a".to_string()),
        Just("b".to_string()),
        Just("c".to_string()),
        Just("ü".to_string()),
        Just(String::new()),
        Just("x".repeat(80)),
        "[a-c]{1,2}",
    ];
    let value = prop_oneof![
        (0u32..6).prop_map(|v| v.to_string()),
        Just("0".to_string()),
        Just("4294967295".to_string()),
        Just("4294967296".to_string()),
        Just("-1".to_string()),
        Just("1e3".to_string()),
        Just("1.0".to_string()),
        Just("null".to_string()),
        Just("\"1\"".to_string()),
        Just("{\"a\":1}".to_string()),
    ];
    let clock = (
        host.clone(),
        prop::collection::vec((host, value), 0..5),
        any::<bool>(),
    )
        .prop_map(|(h, entries, spaced)| {
            let sep = if spaced { ", " } else { "," };
            let body: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{}:{v}", serde_json::to_string(k).unwrap_or_default()))
                .collect();
            format!("{h} {{{}}}", body.join(sep))
        });
    prop_oneof![
        4 => clock,
        1 => (0u32..4, prop::sample::select(vec!["a", "b", "c"]))
            .prop_map(|(m, h)| format!("send m{m} to {h}")),
        1 => (0u32..4, prop::sample::select(vec!["a", "b", "c"]))
            .prop_map(|(m, h)| format!("receive m{m} from {h}")),
        1 => Just("Initialization Complete".to_string()),
        1 => Just(SHIVIZ_REGEX.to_string()),
        1 => Just(shiviz::GOVECTOR_REGEX.to_string()),
        1 => Just("(?<event>.*)".to_string()),
        1 => Just("# hlcviz nodes: [\"a\",\"b\",\"c\"]".to_string()),
        1 => Just("# hlcviz nodes: [\"a\", 3, \"\"]".to_string()),
        1 => Just(String::new()),
        1 => Just("a {\"a\":1".to_string()),
        1 => Just("a {{{{}}}}".to_string()),
        1 => "\\PC{0,16}",
    ]
}

// ---------------------------------------------------------------- permalinks

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn permalink_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        checks::permalink_decode(&bytes);
    }

    #[test]
    fn permalink_arbitrary_strings(text in any::<String>()) {
        checks::check_fragment(&text);
        checks::check_fragment(&format!("#v1.{text}"));
    }

    #[test]
    fn permalink_base64_after_a_version_tag(
        version in prop::sample::select(vec!["1", "01", "2", "0", "4294967296", "999999999", ""]),
        payload in "[A-Za-z0-9_=+/-]{0,80}",
    ) {
        checks::check_fragment(&format!("v{version}.{payload}"));
    }

    #[test]
    fn permalink_arbitrary_bodies_behind_a_good_checksum(
        bytes in prop::collection::vec(any::<u8>(), 0..200),
    ) {
        checks::permalink_body(&bytes);
    }

    #[test]
    fn permalink_bodies_of_hostile_fields(
        fields in prop::collection::vec(body_field(), 0..24),
    ) {
        let body: Vec<u8> = fields.concat();
        checks::permalink_body(&body);
    }

    #[test]
    fn valid_permalinks_with_mutated_characters(
        s in valid_scenario(),
        snapshot in prop::option::of((-10_000i64..10_000, 0u32..10)),
        at in any::<Index>(),
        with in prop::sample::select("AZaz09-_=+/.#% \u{e9}".chars().collect::<Vec<_>>()),
        cut in any::<bool>(),
    ) {
        let snapshot = snapshot.map(|(l, c)| hlc::Timestamp::new(l, c));
        let link = permalink::encode(&s, snapshot);
        prop_assert_eq!(
            checks::check_fragment(&link).map(|shared| shared.scenario),
            Some(s.clone())
        );
        let mut chars: Vec<char> = link.chars().collect();
        let i = at.index(chars.len());
        if cut {
            chars.truncate(i);
        } else {
            chars[i] = with;
        }
        let mutated: String = chars.into_iter().collect();
        let opened = checks::check_fragment(&mutated);
        if mutated != link && !cut && i >= 3 {
            // The checksum catches a changed payload character unless the
            // change is one base64 cannot see (the last character's spare bits).
            prop_assert!(opened.is_none() || i + 1 == link.len());
        }
    }

    #[test]
    fn valid_permalink_bodies_with_mutated_bytes(
        s in valid_scenario(),
        at in any::<Index>(),
        with in any::<u8>(),
        insert in any::<bool>(),
    ) {
        let link = permalink::encode(&s, None);
        let mut body = checks::body_from_link(&link).expect("framed as link_from_body frames");
        let i = at.index(body.len() + 1);
        if insert || i == body.len() {
            body.insert(i, with);
        } else {
            body[i] = with;
        }
        // Re-framed with a correct checksum, the change reaches the decoder.
        checks::check_fragment(&checks::link_from_body(&body));
    }
}

// ---------------------------------------------------------------- scenario JSON

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn scenario_json_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        checks::scenario_json(&bytes);
    }

    #[test]
    fn scenario_json_arbitrary_strings(text in any::<String>()) {
        checks::check_scenario_json(&text);
    }

    #[test]
    fn scenario_json_with_a_mutated_number(
        s in valid_scenario(),
        at in any::<Index>(),
        number in odd_number(),
    ) {
        let json = s.to_json();
        let tokens = number_tokens(&json);
        prop_assume!(!tokens.is_empty());
        let (start, end) = tokens[at.index(tokens.len())];
        let mutated = format!("{}{number}{}", &json[..start], &json[end..]);
        checks::check_scenario_json(&mutated);
        checks::check_cli(mutated.as_bytes()).ok();
    }

    #[test]
    fn scenario_json_with_a_spliced_piece(
        s in valid_scenario(),
        at in any::<Index>(),
        cut in 0usize..4,
        piece in json_piece(),
    ) {
        let json = s.to_json();
        let mut i = at.index(json.len() + 1);
        while !json.is_char_boundary(i) {
            i -= 1;
        }
        let end = (i + cut).min(json.len());
        let end = if json.is_char_boundary(end) { end } else { i };
        let mutated = format!("{}{piece}{}", &json[..i], &json[end..]);
        checks::check_scenario_json(&mutated);
    }

    #[test]
    fn scenario_json_truncated(s in valid_scenario(), at in any::<Index>()) {
        let json = s.to_json();
        let mut i = at.index(json.len());
        while !json.is_char_boundary(i) {
            i -= 1;
        }
        prop_assert!(checks::check_scenario_json(&json[..i]).is_none());
    }

    #[test]
    fn valid_scenarios_pass_every_check(s in valid_scenario()) {
        let json = s.to_json();
        prop_assert_eq!(checks::check_scenario_json(&json), Some(s.clone()));
        prop_assert!(checks::check_cli(json.as_bytes()).is_ok());
    }
}

#[test]
fn scenario_json_structural_extremes() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_object = format!(
        "{{\"nodes\":[{{\"name\":\"A\"}}],\"settings\":{}1{}}}",
        "{\"a\":".repeat(50_000),
        "}".repeat(50_000)
    );
    let nodes = |n: usize| {
        let list: Vec<String> = (0..n).map(|i| format!("{{\"name\":\"N{i}\"}}")).collect();
        format!("{{\"nodes\":[{}]}}", list.join(","))
    };
    let events = |n: usize| {
        let list = vec!["{\"node\":0,\"at_ms\":0}"; n].join(",");
        format!("{{\"nodes\":[{{\"name\":\"A\"}}],\"events\":[{list}]}}")
    };
    // (input, whether the library loads it, whether the CLI does)
    let cases = [
        (deep, false, false),
        (deep_object, false, false),
        (nodes(MAX_NODES), true, true),
        (nodes(MAX_NODES + 1), false, false),
        (events(MAX_EVENTS + 1), false, false),
        (
            "{\"nodes\":[{\"name\":\"A\"}],\"nodes\":[]}".to_string(),
            false,
            false,
        ),
        (
            "{\"nodes\":[{\"name\":\"A\",\"steps\":[{\"at_ms\":1e400,\"by_ms\":0}]}]}".to_string(),
            false,
            false,
        ),
        // serde_json reads `-0` as the float -0.0, which no integer field takes.
        (
            "{\"nodes\":[{\"name\":\"A\",\"skew_ms\":-0}]}".to_string(),
            false,
            false,
        ),
        (
            "{\"nodes\":[{\"name\":\"A\",\"skew_ms\":0}]}".to_string(),
            true,
            true,
        ),
        (
            "{\"nodes\":[{\"name\":\"A\"}],\"settings\":{\"counter_bits\":256}}".to_string(),
            false,
            false,
        ),
        (
            format!("{{\"nodes\":[{{\"name\":\"{}\"}}]}}", "é".repeat(65)),
            false,
            false,
        ),
        (
            format!("{{\"nodes\":[{{\"name\":\"{}\"}}]}}", "é".repeat(64)),
            true,
            true,
        ),
        // The CLI strips one byte-order mark; the library does not.
        (
            "\u{feff}{\"nodes\":[{\"name\":\"A\"}]}".to_string(),
            false,
            true,
        ),
        (
            "{\"nodes\":[{\"name\":\"A\"}]} trailing".to_string(),
            false,
            false,
        ),
    ];
    for (text, library, cli) in &cases {
        let short: String = text.chars().take(60).collect();
        assert_eq!(
            checks::check_scenario_json(text).is_some(),
            *library,
            "{short}"
        );
        assert_eq!(checks::check_cli(text.as_bytes()).is_ok(), *cli, "{short}");
    }
}

// ---------------------------------------------------- logs read with a parser

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// An expression, a delimiter and a log, each from pieces ShiViz logs
    /// and expressions are made of, so that matches happen.
    #[test]
    fn log_import_from_log_shaped_pieces(
        parser in prop::sample::select(vec![
            r"(?<host>\S*) (?<clock>{.*})\n(?<event>.*)",
            r"(?<event>.*)\n(?<host>\S*) (?<clock>{.*})",
            r"(?<date>\S+) (?<host>\w+) (?<clock>{.*}) (?<event>.*)",
            r"(?<timestamp>\d*) (?<host>\w*) (?<clock>.*)",
            r"(?<event>(a+)+$)(?<host>x*)(?<clock>y*)",
            "(?<host>",
        ]),
        delimiter in prop::sample::select(vec!["", "^=== (?<trace>.*) ===$", "^-+$", "(", "^"]),
        lines in prop::collection::vec(prop::sample::select(vec![
            "a {\"a\":1}", "b {\"a\":1, \"b\":2}", "=== x ===", "----", "",
            "2013-05-24T23:28:00Z a {\"a\":2} hi", "1700000000000 b {\"b\":1} yo",
            "5/27/2013 10:53:39 AM", "{\\\"a\\\":1}", "aaaaaaaaaaaaaaaaaaaaaaab", "\u{202e}\u{7}",
            "99999999999999999999 a {\"a\":9}", "c {\"c\":0}",
        ]), 0..40),
    ) {
        let input = format!("{parser}\n{delimiter}\n{}", lines.join("\n"));
        checks::log_import(input.as_bytes());
    }

    #[test]
    fn log_import_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        checks::log_import(&bytes);
    }
}

// ---------------------------------------------------------------- ShiViz logs

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn shiviz_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        checks::shiviz_import(&bytes);
    }

    #[test]
    fn shiviz_arbitrary_strings(text in any::<String>()) {
        checks::check_shiviz(&text);
    }

    #[test]
    fn shiviz_log_like_text(
        lines in prop::collection::vec(log_line(), 0..30),
        crlf in any::<bool>(),
        bom in any::<bool>(),
    ) {
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        let text = if bom { format!("\u{feff}{text}") } else { text };
        checks::check_shiviz(&text);
    }

    #[test]
    fn shiviz_samples_with_a_mutated_line(
        sample in prop::sample::select(vec!["govector.log", "shiviz_default.log"]),
        at in any::<Index>(),
        line in log_line(),
        replace in any::<bool>(),
    ) {
        let text = shiviz_sample(sample);
        let mut lines: Vec<&str> = text.lines().collect();
        let i = at.index(lines.len() + 1);
        if replace && i < lines.len() {
            lines[i] = &line;
        } else {
            lines.insert(i, &line);
        }
        checks::check_shiviz(&lines.join("\n"));
    }

    #[test]
    fn shiviz_exports_cut_anywhere(s in valid_scenario(), at in any::<Index>()) {
        let log = shiviz::export(&s, &sim::replay(&s).expect("valid"));
        let mut i = at.index(log.len() + 1);
        while !log.is_char_boundary(i) {
            i -= 1;
        }
        checks::check_shiviz(&log[..i]);
    }
}

// ---------------------------------------------------------------- command line

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn cli_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        checks::cli_input(&bytes);
    }

    #[test]
    fn cli_valid_files_with_a_bad_byte(
        s in valid_scenario(),
        at in any::<Index>(),
        with in prop::sample::select(vec![0x00u8, 0x80, 0xc0, 0xef, 0xfe, 0xff]),
        bom in any::<bool>(),
    ) {
        let mut bytes = if bom { "\u{feff}".as_bytes().to_vec() } else { Vec::new() };
        bytes.extend_from_slice(s.to_json().as_bytes());
        let i = at.index(bytes.len());
        bytes[i] = with;
        match (std::str::from_utf8(&bytes), checks::check_cli(&bytes)) {
            (Err(e), result) => {
                let message = result.expect_err("the CLI read bytes that are not UTF-8");
                let expected = if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
                    "is UTF-16 text; save it as UTF-8 and try again".to_string()
                } else {
                    format!(
                        "is not UTF-8 text (invalid byte at offset {}); save it as UTF-8 and try again",
                        e.valid_up_to()
                    )
                };
                prop_assert_eq!(message, expected);
            }
            // Still UTF-8 (a NUL, or a byte that completes another character):
            // the JSON parser or the validation decides, and the check holds.
            (Ok(_), _) => {}
        }
    }
}

// ---------------------------------------------------------------- recorded logs

/// One line of a recorded log, near valid: a header or an event whose fields
/// are drawn from small ranges (so sends and receives pair up) or wild ones.
fn recorded_line() -> impl Strategy<Value = String> {
    let host = prop_oneof![
        Just("a".to_string()),
        Just("b".to_string()),
        Just("c".to_string()),
        "[a-z\\n\\u{202e} ]{0,3}",
    ];
    let wall = prop_oneof![(0i64..400).prop_map(|ms| ms * 1_000_000), any::<i64>(),];
    let kind = prop::sample::select(vec!["local", "send", "recv", "jump"]);
    let msg = prop_oneof![(0u8..6).prop_map(|k| format!("m{k}")), ".{0,3}"];
    prop_oneof![
        host.clone().prop_map(|h| format!(
            "{{\"format\":\"hlcviz-log/1\",\"host\":{}}}",
            serde_json::Value::from(h)
        )),
        (kind, host, wall, msg, any::<(i64, u32)>(), any::<bool>()).prop_map(
            |(kind, host, wall, msg, (l, c), with_host)| {
                let host = if with_host {
                    format!(",\"host\":{}", serde_json::Value::from(host))
                } else {
                    String::new()
                };
                format!(
                    "{{\"kind\":\"{kind}\"{host},\"wall_ns\":{wall},\"hlc\":{{\"l\":{l},\"c\":{c}}},\"msg\":{}}}",
                    serde_json::Value::from(msg)
                )
            }
        ),
        ".{0,20}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn recorded_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        checks::recorded_import(&bytes);
    }

    #[test]
    fn recorded_arbitrary_strings(text in any::<String>()) {
        checks::check_recorded(&text);
    }

    #[test]
    fn recorded_log_like_text(lines in prop::collection::vec(recorded_line(), 0..30)) {
        checks::check_recorded(&lines.join("\n"));
    }
}

// ------------------------------------------------------- OpenTelemetry traces

/// One span of an OTLP/JSON trace, near valid: ids from a few values (so
/// parents are found, within and across services), times in a small range,
/// any kind, in any of the encodings the importer accepts, or wild values.
fn otlp_span() -> impl Strategy<Value = String> {
    let id = prop_oneof![
        (1u8..6).prop_map(|k| format!("\"{k:016x}\"")),
        (1u8..6).prop_map(|k| format!("\"0x{k:016x}\"")),
        Just("\"\"".to_string()),
        ".{0,4}".prop_map(|s| serde_json::Value::from(s).to_string()),
    ];
    let time = prop_oneof![
        (0i64..60).prop_map(|ms| format!("\"{}\"", 1_000_000_000 + ms * 1_000_000)),
        (0i64..60).prop_map(|ms| (1_000_000_000 + ms * 1_000_000).to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        Just("\"x\"".to_string()),
    ];
    let kind = prop_oneof![
        (0u8..7).prop_map(|k| k.to_string()),
        Just("\"SPAN_KIND_CLIENT\"".to_string()),
        Just("\"SPAN_KIND_SERVER\"".to_string()),
        Just("\"SpanKind.PRODUCER\"".to_string()),
    ];
    (id.clone(), id, kind, time.clone(), time).prop_map(|(span, parent, kind, start, end)| {
        format!(
            "{{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":{span},\"parentSpanId\":{parent},\"kind\":{kind},\"startTimeUnixNano\":{start},\"endTimeUnixNano\":{end}}}"
        )
    })
}

/// A trace of up to four services, each with a few spans.
fn otlp_trace() -> impl Strategy<Value = String> {
    let service = prop_oneof![
        Just("a".to_string()),
        Just("b".to_string()),
        Just("c".to_string()),
        "[a-z\\u{202e} ]{0,3}",
    ];
    prop::collection::vec(
        (service, prop::collection::vec(otlp_span(), 0..5)),
        0..4,
    )
    .prop_map(|groups| {
        let groups: Vec<String> = groups
            .into_iter()
            .map(|(name, spans)| {
                format!(
                    "{{\"resource\":{{\"attributes\":[{{\"key\":\"service.name\",\"value\":{{\"stringValue\":{}}}}}]}},\"scopeSpans\":[{{\"spans\":[{}]}}]}}",
                    serde_json::Value::from(name),
                    spans.join(",")
                )
            })
            .collect();
        format!("{{\"resourceSpans\":[{}]}}", groups.join(","))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn otlp_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        checks::otlp_import(&bytes);
    }

    #[test]
    fn otlp_arbitrary_strings(text in any::<String>()) {
        checks::check_otlp(&text);
    }

    #[test]
    fn otlp_trace_like_text(text in otlp_trace()) {
        checks::check_otlp(&text);
    }
}
