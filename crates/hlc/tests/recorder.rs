//! The recorder on hostile input: stamps from other processes never panic it,
//! and what it writes is one JSON object a line.
#![cfg(feature = "recorder")]

use hlc::recorder::{Recorder, Stamp, StampError, MAX_VECTOR_ENTRIES};
use hlc::Timestamp;
use proptest::prelude::*;
use std::collections::BTreeMap;

fn stamp(l: i64, c: u32, vc: BTreeMap<String, u32>) -> Stamp {
    Stamp {
        msg: "x:0".to_string(),
        hlc: Timestamp::new(l, c),
        vc,
    }
}

#[test]
fn a_stamp_with_too_many_entries_is_refused() {
    let vc: BTreeMap<String, u32> = (0..=MAX_VECTOR_ENTRIES)
        .map(|k| (format!("h{k}"), 1))
        .collect();
    let text = stamp(1, 0, vc).to_json();
    assert_eq!(
        Stamp::from_json(text.as_bytes()),
        Err(StampError::TooManyEntries(MAX_VECTOR_ENTRIES + 1))
    );
}

#[test]
fn a_receive_that_would_grow_the_vector_past_its_cap_changes_nothing() {
    let mut rec = Recorder::new("me", Vec::new()).unwrap();
    rec.local(1_000_000, None).unwrap();
    let vc: BTreeMap<String, u32> = (0..MAX_VECTOR_ENTRIES)
        .map(|k| (format!("h{k}"), 1))
        .collect();
    assert!(rec.recv(2_000_000, &stamp(2, 0, vc), None).is_err());
    assert_eq!(rec.now(), Timestamp::new(1, 0));
    assert_eq!(rec.vector().len(), 1);
    let log = String::from_utf8(rec.into_inner()).unwrap();
    assert_eq!(log.lines().count(), 2, "header and the local event only");
}

#[test]
fn every_line_is_one_json_object() {
    let mut rec = Recorder::new("a\"\n\u{202e}", Vec::new()).unwrap();
    rec.local(0, Some("line\nbreak \"quoted\"")).unwrap();
    rec.send(-5, None).unwrap();
    let log = String::from_utf8(rec.into_inner()).unwrap();
    assert_eq!(log.lines().count(), 3);
    for line in log.lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(value.is_object(), "{line}");
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_the_stamp_reader(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = Stamp::from_json(&bytes);
    }

    #[test]
    fn arbitrary_stamps_never_panic_a_receive(
        l in any::<i64>(),
        c in any::<u32>(),
        wall in any::<i64>(),
        entries in prop::collection::btree_map("[a-z]{1,3}", any::<u32>(), 0..8),
    ) {
        let mut rec = Recorder::new("me", Vec::new()).unwrap();
        let before = rec.now();
        match rec.recv(wall, &stamp(l, c, entries), None) {
            Ok(ts) => prop_assert!(ts > before),
            Err(_) => prop_assert_eq!(rec.now(), before),
        }
    }
}
