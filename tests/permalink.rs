//! The permalink codec: round trips, every class of bad link, and link size.

use hlc::Timestamp;
use hlcviz::generate::random_scenario;
use hlcviz::permalink::{decode, encode, LinkError, Shared, MAX_FRAGMENT_CHARS};
use hlcviz::scenario::{ClockStep, Scenario};
use proptest::prelude::*;
use std::time::Instant;

#[allow(dead_code)]
#[path = "../fuzz/src/checks.rs"]
mod checks;

fn sample() -> Scenario {
    let mut s = random_scenario(5, 20, 10, 7);
    s.nodes[0].name = "<img src=x onerror=alert(1)> é 🙂".into();
    s.nodes[1].drift_ppm = -2_500;
    s.nodes[2].steps = vec![ClockStep {
        at_ms: 40,
        by_ms: -30,
    }];
    s.settings.max_offset_ms = Some(250);
    s.settings.counter_bits = 5;
    s
}

#[test]
fn a_rich_scenario_round_trips_exactly() {
    let s = sample();
    let link = encode(&s, Some(Timestamp::new(120, 3)));
    assert_eq!(
        decode(&link),
        Ok(Shared {
            scenario: s,
            snapshot: Some(Timestamp::new(120, 3))
        })
    );
}

/// The size of a link people actually share: 10 nodes, 100 messages.
#[test]
fn a_ten_node_hundred_message_link_is_short() {
    let s = random_scenario(10, 100, 0, 42);
    assert_eq!((s.nodes.len(), s.messages.len()), (10, 100));
    let link = encode(&s, None);
    // Measured: 686 characters for this seed, compressed (799 as a version 1
    // link: about 6 bytes per message, base64, plus names and the header);
    // the README states the figures.
    assert!(link.len() < 750, "link is {} characters", link.len());
    let plain = hlcviz::permalink::encode_uncompressed(&s, None);
    assert!(
        plain.len() < 900,
        "version 1 link is {} characters",
        plain.len()
    );
    assert_eq!(decode(&plain).map(|x| x.scenario), Ok(s.clone()));
    assert_eq!(decode(&link).map(|x| x.scenario), Ok(s));
}

fn encoded(s: &Scenario) -> String {
    encode(s, None)
}

#[test]
fn empty_and_foreign_fragments_are_refused() {
    assert_eq!(decode(""), Err(LinkError::Empty));
    assert_eq!(decode("#"), Err(LinkError::Empty));
    for foreign in [
        "#section-2",
        "hello",
        "v",
        "v.",
        "vx.AAAA",
        "v1",
        "#v-1.AAAA",
        "v0.AAAA",
        "v12345678901.AA",
    ] {
        assert_eq!(decode(foreign), Err(LinkError::NotALink), "{foreign}");
    }
}

#[test]
fn a_link_from_a_future_version_says_so() {
    let link = format!("v3.{}", &encoded(&sample())[3..]);
    assert_eq!(decode(&link), Err(LinkError::FutureVersion(3)));
    assert!(decode(&link)
        .unwrap_err()
        .to_string()
        .contains("newer version"));
}

#[test]
fn every_truncation_is_refused() {
    let link = encoded(&sample());
    for cut in 3..link.len() {
        let result = decode(&link[..cut]);
        assert!(result.is_err(), "cut at {cut} decoded to a scenario");
    }
}

/// A changed character says "garbled", never "cut short", wherever it is
/// (the stated length has a check byte of its own).
#[test]
fn a_garbled_link_says_garbled() {
    for seed in 0..12 {
        let link = encoded(&random_scenario(4, 10, 4, seed));
        for (i, original) in link.char_indices().skip(3) {
            for replacement in ['A', 'B', 'g', '9', '_']
                .into_iter()
                .filter(|&c| c != original)
            {
                let mut garbled = link.clone();
                garbled.replace_range(i..i + 1, &replacement.to_string());
                let error = decode(&garbled).unwrap_err();
                assert!(
                    matches!(
                        error,
                        LinkError::Corrupted | LinkError::NotBase64 | LinkError::Malformed(_)
                    ),
                    "seed {seed}: changing character {i} gave {error:?}"
                );
            }
        }
    }
}

#[test]
fn every_single_character_change_is_refused() {
    let link = encoded(&random_scenario(3, 6, 3, 1));
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (i, original) in link.char_indices().skip(3) {
        for replacement in alphabet.chars().filter(|&c| c != original).step_by(7) {
            let mut garbled = link.clone();
            garbled.replace_range(i..i + 1, &replacement.to_string());
            assert!(
                decode(&garbled).is_err(),
                "changing byte {i} to {replacement} still decoded"
            );
        }
    }
}

#[test]
fn characters_outside_base64url_are_refused() {
    let link = encoded(&sample());
    for bad in ["%", " ", "+", "/", "=", "<", "é"] {
        let garbled = format!("{}{bad}{}", &link[..10], &link[10..]);
        assert!(decode(&garbled).is_err(), "{bad}");
    }
}

#[test]
fn an_oversized_fragment_is_refused_at_once() {
    let huge = format!("v1.{}", "A".repeat(50 * 1024 * 1024));
    let started = Instant::now();
    assert_eq!(decode(&huge), Err(LinkError::TooLong(huge.len())));
    // Refused from its length alone (no decoding work), so it is immediate; the
    // bound is loose on purpose, it is not a timing test.
    assert!(started.elapsed().as_secs() < 5);
    let just_over = "A".repeat(MAX_FRAGMENT_CHARS + 1);
    assert!(matches!(decode(&just_over), Err(LinkError::TooLong(_))));
}

/// A valid checksum over a body that claims a billion nodes or events must be
/// refused from the claim, before allocating.
#[test]
fn hostile_counts_are_refused_before_allocation() {
    use base64::Engine;
    fn fnv(bytes: &[u8]) -> u32 {
        bytes.iter().fold(0x811c_9dc5u32, |h, &b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        })
    }
    // A payload is the body's length (one varint byte here), its check byte,
    // the body and the FNV-1a checksum of all that.
    fn with_checksum(body: &[u8]) -> String {
        assert!(body.len() < 128);
        let mut bytes = vec![body.len() as u8];
        bytes.push(fnv(&bytes) as u8);
        bytes.extend_from_slice(body);
        let sum = fnv(&bytes);
        bytes.extend_from_slice(&sum.to_le_bytes());
        format!(
            "v1.{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
        )
    }
    // flags 0, counter_bits 16, node count 10^9 (varint)
    let billion_nodes = with_checksum(&[0, 16, 0x80, 0x94, 0xeb, 0xdc, 0x03]);
    assert!(matches!(decode(&billion_nodes), Err(LinkError::Malformed(m)) if m.contains("limit")));
    // one node "A", then 60 events claimed with no bytes behind them
    let claimed = with_checksum(&[0, 16, 1, 1, b'A', 0, 0, 0, 60]);
    assert_eq!(decode(&claimed), Err(LinkError::Truncated));
    // a name length past the limit
    let long_name = with_checksum(&[0, 16, 1, 0xff, 0x7f, 0, 0, 0, 0]);
    assert!(matches!(decode(&long_name), Err(LinkError::Malformed(_))));
    // extra bytes after a complete scenario
    let extra = with_checksum(&[0, 16, 1, 1, b'A', 0, 0, 0, 0, 0, 9]);
    assert!(matches!(decode(&extra), Err(LinkError::Malformed(m)) if m.contains("extra")));
    // a well-formed link whose scenario is invalid (message to itself)
    let to_self = with_checksum(&[0, 16, 1, 1, b'A', 0, 0, 0, 0, 1, 0, 0, 20, 5]);
    assert!(matches!(decode(&to_self), Err(LinkError::Invalid(_))));
}

#[test]
fn script_in_a_name_stays_text() {
    let mut s = Scenario::with_nodes(&["A", "B"]);
    s.nodes[1].name = "<script>alert(1)</script>".into();
    let link = encode(&s, None);
    assert!(!link.contains('<'));
    assert_eq!(
        decode(&link).map(|x| x.scenario.nodes[1].name.clone()),
        Ok(s.nodes[1].name.clone())
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn generated_scenarios_round_trip(nodes in 1usize..12, messages in 0usize..80, locals in 0usize..40, seed: u64, l in -5_000i64..5_000, c in 0u32..9, snap: bool) {
        let mut s = random_scenario(nodes, messages, locals, seed);
        if seed % 3 == 0 {
            s.settings.max_offset_ms = Some((seed % 500) as i64);
        }
        let snapshot = snap.then_some(Timestamp::new(l, c));
        let link = encode(&s, snapshot);
        prop_assert_eq!(decode(&link), Ok(Shared { scenario: s, snapshot }));
    }

    #[test]
    fn arbitrary_strings_never_panic(text in ".{0,300}") {
        let _ = decode(&text);
        let _ = decode(&format!("v1.{text}"));
    }

    #[test]
    fn arbitrary_bytes_behind_a_valid_prefix_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        use base64::Engine;
        let link = format!("v1.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes));
        let _ = decode(&link);
    }
}

/// What a person sees when a link lost its end: "cut short", whatever the
/// number of characters lost (as long as something of the scenario is left).
#[test]
fn a_link_that_lost_its_end_says_cut_short() {
    for seed in 0..5 {
        let link = encode(
            &random_scenario(4, 12, 6, seed),
            Some(Timestamp::new(90, 1)),
        );
        for lost in [1, 2, 3, 4, 5, 10, link.len() / 2] {
            let cut = &link[..link.len() - lost];
            assert_eq!(
                decode(cut),
                Err(LinkError::Truncated),
                "seed {seed}, {lost} characters lost"
            );
        }
    }
}

/// Links made before the database lens existed (by commit 63411b5) open as
/// exactly the scenarios they were made from.
#[test]
fn links_from_before_the_database_lens_decode_unchanged() {
    let default_link =
        "v1.NokCEAMBQQAAAAFC2AQAAAFDxwEAAAUAyAECkAMArAIB9AMCeAMAAZADOwEAyAFPAAK4A3foBwBNvT0g";
    assert_eq!(
        decode(default_link),
        Ok(Shared {
            scenario: hlcviz::app::default_scenario(),
            snapshot: Some(Timestamp::new(500, 0)),
        })
    );
    let mut rich = Scenario::with_nodes(&["A", "Bé"]);
    rich.nodes[1].skew_ms = -40;
    rich.nodes[1].drift_ppm = 100;
    rich.nodes[0].steps.push(ClockStep {
        at_ms: 50,
        by_ms: -7,
    });
    rich.settings.max_offset_ms = Some(250);
    rich.settings.counter_bits = 8;
    rich.events.push(hlcviz::scenario::LocalEvent::at(0, 10));
    rich.events.push(hlcviz::scenario::LocalEvent::at(1, 30));
    rich.messages
        .push(hlcviz::scenario::Message::between(1, 40, 0, 90));
    let rich_link = "v1.HsEBCPQDAgFBAAABZA0DQsOpT8gBAAIAFAEoAQEAUDHfdRfw";
    assert_eq!(decode(rich_link).map(|x| x.scenario), Ok(rich.clone()));
    // And this build still writes them byte for byte.
    assert_eq!(encode(&rich, None), rich_link);
    assert_eq!(
        encode(
            &hlcviz::app::default_scenario(),
            Some(Timestamp::new(500, 0))
        ),
        default_link
    );
}

fn kv_sample() -> Scenario {
    use hlcviz::scenario::{CommitWait, KvOp, Put};
    let mut s = sample();
    s.events[1].kv = Some(KvOp::Put {
        key: "ключ 🔑".into(),
        value: String::new(),
    });
    s.events[7].kv = Some(KvOp::Get {
        key: "ключ 🔑".into(),
    });
    s.messages[0].put = Some(Put {
        key: "x".into(),
        value: "v".repeat(64),
    });
    s.messages[19].put = Some(Put {
        key: "y".into(),
        value: "2".into(),
    });
    s.settings.commit_wait = CommitWait::TrueTime { eps_ms: 7 };
    s.settings.observed_timestamps = false;
    s.settings.restart_after_ms = 33;
    s
}

#[test]
fn database_lens_data_round_trips() {
    let s = kv_sample();
    let link = encode(&s, Some(Timestamp::new(9, 1)));
    assert_eq!(
        decode(&link),
        Ok(Shared {
            scenario: s.clone(),
            snapshot: Some(Timestamp::new(9, 1))
        })
    );
    // Only the settings differ from the defaults: still a lens section.
    let mut only_settings = sample();
    only_settings.settings.commit_wait = hlcviz::scenario::CommitWait::MaxOffset;
    assert_eq!(
        decode(&encode(&only_settings, None)).map(|x| x.scenario),
        Ok(only_settings)
    );
    // Every cut of the link is refused, never misread.
    for cut in 1..link.len() - 3 {
        assert!(decode(&link[..cut]).is_err(), "cut at {cut}");
    }
}

#[test]
fn a_stop_rule_survives_a_link_and_old_links_have_none() {
    let preset = hlcviz::presets::find("node-stops").expect("the node-stops preset");
    let scenario = preset.scenario();
    assert!(scenario.settings.stop_on_skew.is_some());
    let link = hlcviz::permalink::encode(&scenario, None);
    let back = hlcviz::permalink::decode(&link).expect("decodes");
    assert_eq!(back.scenario, scenario);
    let mut any = scenario.clone();
    if let Some(rule) = any.settings.stop_on_skew.as_mut() {
        rule.majority = false;
    }
    let back = hlcviz::permalink::decode(&hlcviz::permalink::encode(&any, None)).expect("decodes");
    assert_eq!(
        back.scenario.settings.stop_on_skew,
        any.settings.stop_on_skew
    );
    let mut none = scenario;
    none.settings.stop_on_skew = None;
    let back = hlcviz::permalink::decode(&hlcviz::permalink::encode(&none, None)).expect("decodes");
    assert_eq!(back.scenario.settings.stop_on_skew, None);
}

/// Version 2 links: the body compressed. At the caps (64 nodes, 200,000
/// events) the link still fits the fragment limit and opens to the same
/// scenario; version 1 links still open; a decompression bomb is refused
/// before it is inflated whole.
#[test]
fn compressed_links_round_trip_at_the_caps() {
    use hlcviz::permalink::{encode_uncompressed, MAX_FRAGMENT_CHARS};
    let s = hlcviz::generate::random_scenario(64, 100_000, 0, 1);
    assert_eq!(s.event_count(), hlcviz::scenario::MAX_EVENTS);
    let link = encode(&s, None);
    assert!(link.starts_with("v2."), "a big scenario compresses");
    assert!(link.len() < MAX_FRAGMENT_CHARS, "{} characters", link.len());
    let plain = encode_uncompressed(&s, None);
    assert!(
        link.len() < plain.len(),
        "{} vs {}",
        link.len(),
        plain.len()
    );
    assert_eq!(decode(&link).map(|shared| shared.scenario), Ok(s.clone()));
    assert_eq!(decode(&plain).map(|shared| shared.scenario), Ok(s));
}

#[test]
fn a_decompression_bomb_is_refused() {
    // 64 MiB of zeros deflate to a few kilobytes.
    let zeros = vec![0u8; 64 * 1024 * 1024];
    let bomb = miniz_oxide::deflate::compress_to_vec(&zeros, 6);
    let link = link_of_v2_data(&bomb);
    assert!(link.len() < 200_000);
    assert!(matches!(decode(&link), Err(LinkError::Malformed(why)) if why.contains("too large")));
    // Data that is not deflate at all is garbled, not a panic.
    let junk = link_of_v2_data(&[0xff; 40]);
    assert!(matches!(decode(&junk), Err(LinkError::Malformed(_))));
}

/// A version 2 link framing `data` (as `encode` frames a compressed body).
fn link_of_v2_data(data: &[u8]) -> String {
    format!("v2.{}", &checks::link_from_body(data)[3..])
}
