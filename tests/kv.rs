//! The database lens (`kv::evaluate`): golden tables worked out by hand, one
//! comment per row, for every version and read outcome; the words of the
//! tooltips; the edits; and properties over random scenarios with puts and
//! gets (never stale within the max offset, stale beyond it, deterministic,
//! and round trips through JSON and the permalink).

use hlc::{Time, Timestamp};
use hlcviz::analysis::clock_spread;
use hlcviz::app::{Document, Edit};
use hlcviz::generate::random_kv_scenario;
use hlcviz::kv::{evaluate, KvRun, MAX_ATTEMPTS};
use hlcviz::permalink;
use hlcviz::scenario::{CommitWait, EventRef, KvOp, LocalEvent, Message, Put, Scenario};
use hlcviz::sim::replay;
use proptest::prelude::*;

// ---------------------------------------------------------------- builders

fn put(node: usize, at_ms: Time, key: &str, value: &str) -> LocalEvent {
    LocalEvent {
        kv: Some(KvOp::Put {
            key: key.into(),
            value: value.into(),
        }),
        ..LocalEvent::at(node, at_ms)
    }
}

fn get(node: usize, at_ms: Time, key: &str) -> LocalEvent {
    LocalEvent {
        kv: Some(KvOp::Get { key: key.into() }),
        ..LocalEvent::at(node, at_ms)
    }
}

fn put_message(from: usize, sent: Time, to: usize, received: Time, value: &str) -> Message {
    Message {
        put: Some(Put {
            key: "x".into(),
            value: value.into(),
        }),
        ..Message::between(from, sent, to, received)
    }
}

/// A (clock exact) and B (clock `skew_b` ms ahead), with a max offset.
fn ab(skew_b: Time, max_offset_ms: Option<Time>) -> Scenario {
    let mut s = Scenario::with_nodes(&["A", "B"]);
    s.nodes[1].skew_ms = skew_b;
    s.settings.max_offset_ms = max_offset_ms;
    s
}

fn with(mut s: Scenario, events: Vec<LocalEvent>, messages: Vec<Message>) -> Scenario {
    s.events = events;
    s.messages = messages;
    s
}

fn run(s: &Scenario) -> KvRun {
    evaluate(s, &replay(s).expect("valid scenario"))
}

fn ts(l: Time, c: u32) -> Timestamp {
    Timestamp::new(l, c)
}

fn example(name: &str) -> Scenario {
    let path = format!("{}/docs/examples/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("example file");
    Scenario::from_json(&text).expect("valid example")
}

/// The page's words without the bidi isolates around names, keys and values.
fn plain(lines: Vec<String>) -> Vec<String> {
    lines
        .into_iter()
        .map(|l| l.replace(['\u{2068}', '\u{2069}'], ""))
        .collect()
}

// ---------------------------------------------------------------- versions

/// `(key, value, ts, node, written_ms, acked_ms, wait_ms)` of each version.
type VersionRow = (
    &'static str,
    &'static str,
    Timestamp,
    usize,
    Time,
    Time,
    Time,
);

fn versions(s: &Scenario) -> Vec<VersionRow> {
    run(s)
        .versions
        .iter()
        .map(|v| {
            let key: &'static str = Box::leak(v.key.clone().into_boxed_str());
            let value: &'static str = Box::leak(v.value.clone().into_boxed_str());
            (
                key,
                value,
                v.ts,
                v.node,
                v.written_ms,
                v.acked_ms,
                v.wait_ms,
            )
        })
        .collect()
}

#[test]
fn versions_golden_table() {
    let rows: Vec<(Scenario, Vec<VersionRow>)> = vec![
        // A local put on B (clock +100) at real 200: ts (300, 0), applied and
        // acknowledged at once (no commit wait).
        (
            with(ab(100, None), vec![put(1, 200, "x", "1")], vec![]),
            vec![("x", "1", ts(300, 0), 1, 200, 200, 0)],
        ),
        // A put-message: coordinator A sends at real 100 (ts (100, 0)); B
        // (clock +100) receives at 150 with pt 250, so the receive's own HLC is
        // (250, 0), but the version keeps the send's (100, 0), applied on B.
        (
            with(
                ab(100, None),
                vec![],
                vec![put_message(0, 100, 1, 150, "1")],
            ),
            vec![("x", "1", ts(100, 0), 1, 150, 150, 0)],
        ),
        // A refused put-message: B (clock +400) sends at ts (500, 0); A reads
        // pt 150 at the receive, 350 > max offset 250: refused, nothing applied.
        (
            with(
                ab(400, Some(250)),
                vec![],
                vec![put_message(1, 100, 0, 150, "1")],
            ),
            vec![],
        ),
        // Commit wait max_offset: B's put at (300, 0) waits until B's clock
        // reads 300 + 250 = 550, at real 450: 250 ms.
        (
            {
                let mut s = with(ab(100, Some(250)), vec![put(1, 200, "x", "1")], vec![]);
                s.settings.commit_wait = CommitWait::MaxOffset;
                s
            },
            vec![("x", "1", ts(300, 0), 1, 200, 450, 250)],
        ),
        // Commit wait max_offset on a slow replica: B (clock +100) sends the
        // write at (200, 0); A applies it at real 150 and waits until its own
        // clock reads 200 + 250 = 450, real 450: 300 ms.
        (
            {
                let mut s = with(
                    ab(100, Some(250)),
                    vec![],
                    vec![put_message(1, 100, 0, 150, "1")],
                );
                s.settings.commit_wait = CommitWait::MaxOffset;
                s
            },
            vec![("x", "1", ts(200, 0), 0, 150, 450, 300)],
        ),
        // Commit wait max_offset without a max offset: nothing to wait out.
        (
            {
                let mut s = with(ab(0, None), vec![put(0, 100, "x", "1")], vec![]);
                s.settings.commit_wait = CommitWait::MaxOffset;
                s
            },
            vec![("x", "1", ts(100, 0), 0, 100, 100, 0)],
        ),
        // TrueTime with ε = 7: A's put at (100, 0) waits until A reads
        // 100 + 2 × 7 = 114, real 114: 14 ms.
        (
            {
                let mut s = with(ab(0, None), vec![put(0, 100, "x", "1")], vec![]);
                s.settings.commit_wait = CommitWait::TrueTime { eps_ms: 7 };
                s
            },
            vec![("x", "1", ts(100, 0), 0, 100, 114, 14)],
        ),
        // TrueTime with ε = 10 on a clock 10 % fast: at real 100 it reads
        // 110, so ts (110, 0); it reads 130 first at real 119 (119 + 11): 19 ms.
        (
            {
                let mut s = with(ab(0, None), vec![put(0, 100, "x", "1")], vec![]);
                s.nodes[0].drift_ppm = 100_000;
                s.settings.commit_wait = CommitWait::TrueTime { eps_ms: 10 };
                s
            },
            vec![("x", "1", ts(110, 0), 0, 100, 119, 19)],
        ),
        // The example file: A's put y at (100, 0) waits to real 350, B's put
        // x at (300, 0) to real 450; 250 ms each.
        (
            example("db-commit-wait.json"),
            vec![
                ("y", "a", ts(100, 0), 0, 100, 350, 250),
                ("x", "1", ts(300, 0), 1, 200, 450, 250),
            ],
        ),
    ];
    for (k, (s, want)) in rows.iter().enumerate() {
        assert_eq!(&versions(s), want, "row {k}");
    }
}

// ---------------------------------------------------------------- reads

/// One attempt: `(at_ms, ts, the uncertain version's ts)`.
type AttemptRow = (Time, Timestamp, Option<Timestamp>);

/// `(attempts, result value, stale value)` of the scenario's only read.
fn only_read(s: &Scenario) -> (Vec<AttemptRow>, Option<String>, Option<String>) {
    let run = run(s);
    assert_eq!(run.reads.len(), 1, "one read");
    let read = &run.reads[0];
    let value = |v: Option<usize>| v.map(|v| run.versions[v].value.clone());
    let attempts = read
        .attempts
        .iter()
        .map(|a| (a.at_ms, a.ts, a.uncertain.map(|v| run.versions[v].ts)))
        .collect();
    (attempts, value(read.result), value(read.stale))
}

fn observed_off(mut s: Scenario) -> Scenario {
    s.settings.observed_timestamps = false;
    s
}

type ReadRow = (
    Scenario,
    Vec<AttemptRow>,
    Option<&'static str>,
    Option<&'static str>,
);

#[test]
fn reads_golden_table() {
    let rows: Vec<ReadRow> = vec![
        // A plain read: B (+100) puts at real 100, ts (200, 0); A gets at real
        // 300, ts (300, 0), and sees it. No max offset, no uncertainty.
        (
            with(
                ab(100, None),
                vec![put(1, 100, "x", "1"), get(0, 300, "x")],
                vec![],
            ),
            vec![(300, ts(300, 0), None)],
            Some("1"),
            None,
        ),
        // A restart (db-read-restart.json): B's put at real 200 has ts (300, 0);
        // A reads at (250, 0), global limit 250 + 250 = 500 ≥ 300: uncertain.
        // 10 ms later it reads at (300, 0) and sees x = 1.
        (
            example("db-read-restart.json"),
            vec![(250, ts(250, 0), Some(ts(300, 0))), (260, ts(300, 0), None)],
            Some("1"),
            None,
        ),
        // A restart avoided by an observed timestamp (db-observed-timestamp.json):
        // attempt 1 restarts on (300, 0) as above; at the read's start B's
        // clock read 350, so B's put at real 280, ts (380, 0), is above B's
        // observed (350, 0): written after the read began, not uncertain.
        // The retry 50 ms later returns x = 1.
        (
            example("db-observed-timestamp.json"),
            vec![(250, ts(250, 0), Some(ts(300, 0))), (300, ts(300, 0), None)],
            Some("1"),
            None,
        ),
        // The same with observed timestamps off: (380, 0) is within the global
        // limit 550, so the retry restarts again, and the third attempt at
        // (380, 0) returns x = 2.
        (
            observed_off(example("db-observed-timestamp.json")),
            vec![
                (250, ts(250, 0), Some(ts(300, 0))),
                (300, ts(300, 0), Some(ts(380, 0))),
                (350, ts(380, 0), None),
            ],
            Some("2"),
            None,
        ),
        // A stale read (db-stale-read.json): B runs 400 ms ahead, beyond the
        // max offset 250. B's x = 1 at (600, 0), acknowledged at real 200, is
        // past A's global limit 250 + 250 = 500, so A's read at real 250 returns
        // the older x = 0 and misses x = 1.
        (
            example("db-stale-read.json"),
            vec![(250, ts(250, 0), None)],
            Some("0"),
            Some("1"),
        ),
        // The same with max offset 500 (db-no-stale-read.json): the limit is
        // 750, (600, 0) is uncertain, and the retry at (600, 0) returns x = 1.
        (
            example("db-no-stale-read.json"),
            vec![(250, ts(250, 0), Some(ts(600, 0))), (260, ts(600, 0), None)],
            Some("1"),
            None,
        ),
        // No value: A reads at real 50, before B's put at real 200 exists.
        (
            with(
                ab(100, None),
                vec![get(0, 50, "x"), put(1, 200, "x", "1")],
                vec![],
            ),
            vec![(50, ts(50, 0), None)],
            None,
            None,
        ),
        // No value, and stale: without a max offset nothing is uncertain, so
        // A's read at (250, 0) misses B's (300, 0), acknowledged at real 200.
        (
            with(
                ab(100, None),
                vec![put(1, 200, "x", "1"), get(0, 250, "x")],
                vec![],
            ),
            vec![(250, ts(250, 0), None)],
            None,
            Some("1"),
        ),
        // Another key is not this read's business: x has no value.
        (
            with(
                ab(0, Some(100)),
                vec![put(1, 100, "y", "1"), get(0, 200, "x")],
                vec![],
            ),
            vec![(200, ts(200, 0), None)],
            None,
            None,
        ),
        // A put-message read back: A sends x = 1 at (100, 0), B applies it at
        // real 150; A reads at (200, 0) and sees the version at the send's
        // timestamp.
        (
            with(
                ab(100, None),
                vec![get(0, 200, "x")],
                vec![put_message(0, 100, 1, 150, "1")],
            ),
            vec![(200, ts(200, 0), None)],
            Some("1"),
            None,
        ),
        // A read before the replica applies the put-message: no value, and not
        // stale (the write is acknowledged at real 150, after the read at 120).
        (
            with(
                ab(100, None),
                vec![get(0, 120, "x")],
                vec![put_message(0, 100, 1, 150, "1")],
            ),
            vec![(120, ts(120, 0), None)],
            None,
            None,
        ),
        // A refused put-message applies nothing: no value, nothing missed.
        (
            with(
                ab(400, Some(250)),
                vec![get(0, 200, "x")],
                vec![put_message(1, 100, 0, 150, "1")],
            ),
            vec![(200, ts(200, 0), None)],
            None,
            None,
        ),
        // Commit wait does not change what a read sees: B's x = 1 at (300, 0)
        // is acknowledged at real 450, and A's read at real 500, ts (500, 0),
        // returns it (db-commit-wait.json).
        (
            example("db-commit-wait.json"),
            vec![(500, ts(500, 0), None)],
            Some("1"),
            None,
        ),
    ];
    for (k, (s, attempts, result, stale)) in rows.into_iter().enumerate() {
        let (got_attempts, got_result, got_stale) = only_read(&s);
        assert_eq!(got_attempts, attempts, "row {k}: attempts");
        assert_eq!(got_result.as_deref(), result, "row {k}: result");
        assert_eq!(got_stale.as_deref(), stale, "row {k}: stale");
    }
}

#[test]
fn attempts_carry_the_limits_and_observed_clocks() {
    let s = example("db-observed-timestamp.json");
    let run = run(&s);
    let read = &run.reads[0];
    // global limit 250 + 300; A's clock at 250 is its own read's (250, 0); B's
    // clock read 350, above its latest (300, 0).
    for attempt in &read.attempts {
        assert_eq!(attempt.global_limit, 550);
        assert_eq!(attempt.observed, vec![(0, ts(250, 0)), (1, ts(350, 0))]);
    }
    let off = run_of(observed_off(s));
    assert!(off.reads[0].attempts.iter().all(|a| a.observed.is_empty()));
}

fn run_of(s: Scenario) -> KvRun {
    run(&s)
}

#[test]
fn a_read_that_stays_uncertain_gives_up_and_is_not_stale() {
    // B writes a new version every ms from real 200; each retry 1 ms later
    // finds a newer one within the limit, so the read never settles.
    let mut events: Vec<LocalEvent> = (0..40)
        .map(|k| put(1, 200 + k, "x", &k.to_string()))
        .collect();
    events.push(get(0, 201, "x"));
    let mut s = with(ab(100, Some(500)), events, vec![]);
    s.settings.restart_after_ms = 1;
    s.settings.observed_timestamps = false;
    let run = run(&s);
    let read = &run.reads[0];
    assert_eq!(read.attempts.len(), MAX_ATTEMPTS);
    assert!(read.gave_up());
    assert_eq!((read.result, read.stale), (None, None));
    let words = plain(read.explain(&run, &s));
    assert!(words
        .last()
        .is_some_and(|l| l == "get x gave up after 16 restarts: no value"));
}

// ---------------------------------------------------------------- words

#[test]
fn explanations_golden_table() {
    let rows: Vec<(Scenario, Vec<&str>)> = vec![
        // The restart, in CockroachDB's words, then the result.
        (
            example("db-read-restart.json"),
            vec![
                "ReadWithinUncertaintyIntervalError: read at time (250, 0) encountered previous write with future timestamp (300, 0) within uncertainty interval `t <= (local=500, global=500)`; restarting at (300, 0) (real 260 ms)",
                "get x at (300, 0) after 1 restart → x = 1, written by B at (300, 0)",
            ],
        ),
        // The restart an observed timestamp avoided.
        (
            example("db-observed-timestamp.json"),
            vec![
                "ReadWithinUncertaintyIntervalError: read at time (250, 0) encountered previous write with future timestamp (300, 0) within uncertainty interval `t <= (local=550, global=550)`; restarting at (300, 0) (real 300 ms)",
                "B's version at (380, 0) is above B's observed timestamp (350, 0): written after the read began, so not uncertain",
                "get x at (300, 0) after 1 restart → x = 1, written by B at (300, 0)",
            ],
        ),
        // Without observed timestamps the second restart's local limit is the
        // global one.
        (
            observed_off(example("db-observed-timestamp.json")),
            vec![
                "ReadWithinUncertaintyIntervalError: read at time (250, 0) encountered previous write with future timestamp (300, 0) within uncertainty interval `t <= (local=550, global=550)`; restarting at (300, 0) (real 300 ms)",
                "ReadWithinUncertaintyIntervalError: read at time (300, 0) encountered previous write with future timestamp (380, 0) within uncertainty interval `t <= (local=550, global=550)`; restarting at (380, 0) (real 350 ms)",
                "get x at (380, 0) after 2 restarts → x = 2, written by B at (380, 0)",
            ],
        ),
        // The stale read and why.
        (
            example("db-stale-read.json"),
            vec![
                "get x at (250, 0) → x = 0, written by A at (100, 0)",
                "STALE: misses x = 1 acknowledged at real 200 ms; clocks were 400 ms apart, beyond max offset 250 ms",
            ],
        ),
        // No value, stale for want of a max offset.
        (
            with(
                ab(100, None),
                vec![put(1, 200, "x", "1"), get(0, 250, "x")],
                vec![],
            ),
            vec![
                "get x at (250, 0) → no value",
                "STALE: misses x = 1 acknowledged at real 200 ms; clocks were 100 ms apart and there is no max offset, so the read has no uncertainty interval",
            ],
        ),
    ];
    for (k, (s, want)) in rows.into_iter().enumerate() {
        let run = run(&s);
        let read = run.reads.last().expect("a read");
        assert_eq!(plain(read.explain(&run, &s)), want, "row {k}");
    }
}

#[test]
fn version_explanations_name_the_writer_and_the_wait() {
    let s = {
        let mut s = with(
            ab(100, Some(250)),
            vec![put(1, 200, "x", "1")],
            vec![put_message(1, 100, 0, 150, "2")],
        );
        s.settings.commit_wait = CommitWait::MaxOffset;
        s
    };
    let trace = replay(&s).unwrap();
    let run = evaluate(&s, &trace);
    let words: Vec<String> = run.versions.iter().map(|v| v.explain(&s, &trace)).collect();
    assert_eq!(
        plain(words),
        [
            "x = 2 at (200, 0): the coordinator B sent the write at its timestamp; A applied it at real 150 ms, acknowledged at real 450 ms after a commit wait of 300 ms (until A's clock read l + max offset = 200 + 250).",
            "x = 1 at (300, 0): written by B at real 200 ms, acknowledged at real 450 ms after a commit wait of 250 ms (until B's clock read l + max offset = 300 + 250).",
        ]
    );
}

#[test]
fn run_lookups_find_reads_and_versions_by_trace_index() {
    let s = example("db-observed-timestamp.json");
    let run = run(&s);
    assert_eq!(run.version_at(0).map(|v| v.value.as_str()), Some("1"));
    assert_eq!(run.version_index_at(2), Some(1));
    assert!(run.version_at(1).is_none());
    assert_eq!(run.read_at(1).map(|r| r.key.as_str()), Some("x"));
    assert!(run.read_at(0).is_none());
    assert_eq!(run.stale_reads(), 0);
    assert_eq!(run_of(example("db-stale-read.json")).stale_reads(), 1);
}

// ---------------------------------------------------------------- edits

#[test]
fn edits_add_set_and_clear_operations() {
    let mut doc = Document::new(with(
        ab(100, Some(250)),
        vec![],
        vec![Message::between(0, 10, 1, 20)],
    ))
    .unwrap();
    doc.apply(Edit::AddKv {
        node: 1,
        at_ms: 200,
        kv: KvOp::Put {
            key: "x".into(),
            value: "1".into(),
        },
    })
    .unwrap();
    doc.apply(Edit::AddKv {
        node: 0,
        at_ms: 250,
        kv: KvOp::Get { key: "x".into() },
    })
    .unwrap();
    // The document's lens follows every edit: the read restarts once.
    assert_eq!(doc.kv().reads[0].attempts.len(), 2);
    // A put on a message, set from either end.
    let put_y = Some(KvOp::Put {
        key: "y".into(),
        value: "2".into(),
    });
    doc.apply(Edit::SetKv {
        event: EventRef::Recv(0),
        kv: put_y,
    })
    .unwrap();
    assert_eq!(
        doc.scenario().messages[0].put,
        Some(Put {
            key: "y".into(),
            value: "2".into()
        })
    );
    assert_eq!(doc.kv().versions.len(), 2);
    // A get on a message is refused and changes nothing.
    let revision = doc.revision();
    assert_eq!(
        doc.apply(Edit::SetKv {
            event: EventRef::Send(0),
            kv: Some(KvOp::Get { key: "y".into() }),
        }),
        Err("A message carries writes, not reads.".to_string())
    );
    assert_eq!(doc.revision(), revision);
    // A bad key is refused with the validation's words.
    assert_eq!(
        doc.apply(Edit::SetKv {
            event: EventRef::Local(0),
            kv: Some(KvOp::Get { key: "".into() }),
        }),
        Err("Key of event 0 is empty.".to_string())
    );
    assert_eq!(
        doc.apply(Edit::SetKv {
            event: EventRef::Send(0),
            kv: Some(KvOp::Put {
                key: "y".into(),
                value: "\u{7}".into()
            }),
        }),
        Err("Value of the put of message 0 contains control characters.".to_string())
    );
    // Clearing.
    doc.apply(Edit::SetKv {
        event: EventRef::Send(0),
        kv: None,
    })
    .unwrap();
    doc.apply(Edit::SetKv {
        event: EventRef::Local(1),
        kv: None,
    })
    .unwrap();
    assert_eq!(doc.scenario().messages[0].put, None);
    assert!(doc.kv().reads.is_empty());
    assert!(doc.undo());
    assert_eq!(doc.kv().reads.len(), 1, "undo brings the read back");
    assert_eq!(
        doc.apply(Edit::SetKv {
            event: EventRef::Local(9),
            kv: None,
        }),
        Err("That event no longer exists.".to_string())
    );
}

// ---------------------------------------------------------------- properties

/// A random scenario with puts and gets and random lens settings.
fn kv_scenarios() -> impl Strategy<Value = Scenario> {
    (
        2usize..5,
        0usize..12,
        1usize..24,
        1usize..4,
        any::<u64>(),
        0u8..3,
        any::<bool>(),
        1i64..60,
    )
        .prop_map(
            |(nodes, messages, locals, keys, seed, wait, observed, restart)| {
                let mut s = random_kv_scenario(nodes, messages, locals, keys, seed);
                s.settings.commit_wait = match wait {
                    0 => CommitWait::Off,
                    1 => CommitWait::MaxOffset,
                    _ => CommitWait::TrueTime { eps_ms: restart },
                };
                s.settings.observed_timestamps = observed;
                s.settings.restart_after_ms = restart;
                s
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Soundness: with every two clocks within the max offset (no backward
    /// steps: the generator makes none; a 16-bit counter never carries here),
    /// no read misses a write acknowledged before it began.
    #[test]
    fn no_read_is_stale_within_the_max_offset(s in kv_scenarios(), slack in 0i64..50) {
        let mut s = s;
        let trace = replay(&s).unwrap();
        let spread = clock_spread(&s, &trace);
        s.settings.max_offset_ms = Some(spread + slack);
        let trace = replay(&s).unwrap();
        prop_assert!(clock_spread(&s, &trace) <= spread + slack);
        let run = evaluate(&s, &trace);
        for read in &run.reads {
            prop_assert_eq!(read.stale, None, "{:?}\n{}", read, s.to_json());
        }
    }

    #[test]
    fn evaluate_is_deterministic(s in kv_scenarios()) {
        let trace = replay(&s).unwrap();
        prop_assert_eq!(evaluate(&s, &trace), evaluate(&s.clone(), &replay(&s).unwrap()));
    }

    #[test]
    fn kv_scenarios_round_trip_through_json_and_links(s in kv_scenarios()) {
        let text = s.to_json();
        prop_assert_eq!(&Scenario::from_json(&text).unwrap(), &s);
        let link = permalink::encode(&s, None);
        prop_assert_eq!(permalink::decode(&link).map(|x| x.scenario), Ok(s));
    }
}

/// With skew beyond the max offset, stale reads happen: some seed shows one.
#[test]
fn skew_beyond_the_max_offset_gives_stale_reads() {
    let found = (0..200u64).find(|&seed| {
        let mut s = random_kv_scenario(3, 4, 20, 2, seed);
        s.settings.max_offset_ms = Some(20);
        let trace = replay(&s).unwrap();
        clock_spread(&s, &trace) > 20 && evaluate(&s, &trace).stale_reads() > 0
    });
    assert!(found.is_some(), "no seed in 0..200 gave a stale read");
}

// ---------------------------------------------------------------- format

fn load_error(text: &str) -> String {
    match Scenario::from_json(text) {
        Ok(_) => panic!("accepted: {text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_json_forms_of_ops_and_settings() {
    let text = r#"{
      "nodes": [{"name": "A"}, {"name": "B"}],
      "events": [
        {"node": 0, "at_ms": 1, "kv": {"put": {"key": "x", "value": ""}}},
        {"node": 1, "at_ms": 2, "kv": {"get": {"key": "x"}}}
      ],
      "messages": [
        {"from": 0, "sent_at_ms": 3, "to": 1, "received_at_ms": 4,
         "put": {"key": "x", "value": "2"}}
      ],
      "settings": {"commit_wait": {"true_time": {"eps_ms": 7}},
                   "observed_timestamps": false, "restart_after_ms": 25}
    }"#;
    let s = Scenario::from_json(text).unwrap();
    assert_eq!(s, {
        let mut want = with(
            Scenario::with_nodes(&["A", "B"]),
            vec![put(0, 1, "x", ""), get(1, 2, "x")],
            vec![put_message(0, 3, 1, 4, "2")],
        );
        want.settings.commit_wait = CommitWait::TrueTime { eps_ms: 7 };
        want.settings.observed_timestamps = false;
        want.settings.restart_after_ms = 25;
        want
    });
    assert_eq!(Scenario::from_json(&s.to_json()).ok(), Some(s.clone()));
    for (json, wait) in [
        (r#""off""#, CommitWait::Off),
        (r#""max_offset""#, CommitWait::MaxOffset),
        (
            r#"{"true_time": {"eps_ms": 3}}"#,
            CommitWait::TrueTime { eps_ms: 3 },
        ),
    ] {
        let text = format!(r#"{{"nodes":[{{"name":"A"}}],"settings":{{"commit_wait":{json}}}}}"#);
        assert_eq!(
            Scenario::from_json(&text).unwrap().settings.commit_wait,
            wait
        );
    }
}

#[test]
fn a_scenario_without_the_lens_saves_as_before() {
    // No new field appears in the JSON of a scenario that does not use them.
    let s = with(
        ab(5, Some(9)),
        vec![LocalEvent::at(0, 1)],
        vec![Message::between(0, 2, 1, 3)],
    );
    let text = s.to_json();
    for field in [
        "kv",
        "put",
        "commit_wait",
        "observed_timestamps",
        "restart_after_ms",
    ] {
        assert!(!text.contains(field), "{field} in {text}");
    }
}

#[test]
fn bad_keys_and_values_are_refused_with_their_event() {
    let long_key = "k".repeat(33);
    let long_value = "v".repeat(65);
    let rows: Vec<(Scenario, &str)> = vec![
        // An empty key.
        (
            with(ab(0, None), vec![get(0, 1, "")], vec![]),
            "key of event 0 is empty",
        ),
        // A blank key is as good as empty.
        (
            with(
                ab(0, None),
                vec![LocalEvent::at(0, 1), get(0, 2, "  ")],
                vec![],
            ),
            "key of event 1 is empty",
        ),
        // 33 characters.
        (
            with(ab(0, None), vec![get(0, 1, &long_key)], vec![]),
            "key of event 0 is longer than 32 characters",
        ),
        // A control character in a key.
        (
            with(ab(0, None), vec![put(0, 1, "a\nb", "1")], vec![]),
            "key of event 0 contains control characters",
        ),
        // 65 characters of value.
        (
            with(ab(0, None), vec![put(0, 1, "x", &long_value)], vec![]),
            "value of event 0 is longer than 64 characters",
        ),
        // A message's put, named by its message.
        (
            with(
                ab(0, None),
                vec![],
                vec![put_message(0, 1, 1, 2, "\u{1b}[31m")],
            ),
            "value of the put of message 0 contains control characters",
        ),
    ];
    for (k, (s, want)) in rows.iter().enumerate() {
        assert_eq!(
            s.validate().map_err(|e| e.to_string()),
            Err(want.to_string()),
            "row {k}"
        );
        // Loading says the same, or (for a text too long to copy) says so
        // while parsing.
        let reason = want
            .find(" is ")
            .or_else(|| want.find(" contains "))
            .map_or(*want, |at| &want[at..]);
        assert!(load_error(&s.to_json()).contains(reason), "row {k}");
    }
    // The limits themselves are fine: 32 characters of 4 bytes, 64 of value,
    // an empty value.
    let ok = with(
        ab(0, None),
        vec![
            put(0, 1, &"🦀".repeat(32), &"é".repeat(64)),
            put(0, 2, "x", ""),
        ],
        vec![],
    );
    assert_eq!(ok.validate(), Ok(()));
}

#[test]
fn hostile_sizes_are_refused_while_parsing() {
    let key = "k".repeat(1_000_000);
    let text = format!(
        r#"{{"nodes":[{{"name":"A"}}],"events":[{{"node":0,"at_ms":1,"kv":{{"get":{{"key":"{key}"}}}}}}]}}"#
    );
    assert!(load_error(&text).contains("a key is longer than 32 characters"));
    let value = "v".repeat(1_000_000);
    let text = format!(
        r#"{{"nodes":[{{"name":"A"}},{{"name":"B"}}],"messages":[{{"from":0,"sent_at_ms":1,"to":1,"received_at_ms":2,"put":{{"key":"x","value":"{value}"}}}}]}}"#
    );
    assert!(load_error(&text).contains("a value is longer than 64 characters"));
}

#[test]
fn lens_settings_out_of_range_are_refused() {
    for (settings, want) in [
        (
            r#""restart_after_ms": 0"#,
            "settings restart_after_ms = 0 is out of range (1 to 10000)",
        ),
        (
            r#""restart_after_ms": 10001"#,
            "settings restart_after_ms = 10001 is out of range (1 to 10000)",
        ),
        (
            r#""commit_wait": {"true_time": {"eps_ms": -1}}"#,
            "settings commit_wait true_time eps_ms = -1 is out of range (0 to 86400000)",
        ),
    ] {
        let text = format!(r#"{{"nodes":[{{"name":"A"}}],"settings":{{{settings}}}}}"#);
        assert!(
            load_error(&text).contains(want),
            "{settings}: {}",
            load_error(&text)
        );
    }
    for bad in [
        r#"{"nodes":[{"name":"A"}],"events":[{"node":0,"at_ms":1,"kv":{"delete":{"key":"x"}}}]}"#,
        r#"{"nodes":[{"name":"A"}],"events":[{"node":0,"at_ms":1,"kv":{"get":{"key":"x","value":"1"}}}]}"#,
        r#"{"nodes":[{"name":"A"}],"settings":{"commit_wait":"always"}}"#,
    ] {
        assert!(
            load_error(bad).starts_with("not a valid scenario file"),
            "{bad}"
        );
    }
}

// ---------------------------------------------------------------- report

#[test]
fn the_trace_report_and_table_show_the_lens() {
    use hlcviz::report::{trace_json, trace_table};
    let s = with(
        ab(400, Some(250)),
        vec![
            put(0, 100, "x", "0"),
            put(1, 200, "x", "1"),
            get(0, 250, "x"),
        ],
        vec![put_message(1, 300, 0, 350, "2")],
    );
    let trace = replay(&s).unwrap();
    let json = trace_json(&s, &trace);
    assert_eq!(json["versions"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        json["versions"][1]["ts"],
        serde_json::json!({"l": 600, "c": 0})
    );
    let events = json["events"].as_array().unwrap();
    assert_eq!(events[0]["kv"]["op"], "put x=0");
    assert_eq!(events[0]["kv"]["version"], 0);
    let read = &events[2]["kv"];
    assert_eq!(read["op"], "get x");
    assert_eq!(read["read"]["result"], 0);
    assert_eq!(read["read"]["stale"], 1);
    assert_eq!(
        read["read"]["attempts"][0]["ts"],
        serde_json::json!({"l": 250, "c": 0})
    );
    assert_eq!(events[3]["kv"]["op"], "send put x=2");
    // B's clock is 400 ms ahead: the receive is refused and applies nothing.
    assert_eq!(events[4]["kv"]["op"], "refuse put x=2");
    assert_eq!(events[4]["kv"]["version"], serde_json::Value::Null);
    let table = trace_table(&s, &trace);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].contains("event         op"), "{table}");
    assert!(lines[3].contains("get x → 0 STALE"), "{table}");
    assert!(lines[5].contains("refuse put x=2"), "{table}");
    // Without operations there is no op column and no new JSON field.
    let plain_s = with(ab(0, None), vec![LocalEvent::at(0, 1)], vec![]);
    let plain_trace = replay(&plain_s).unwrap();
    assert!(!trace_table(&plain_s, &plain_trace).contains(" op "));
    let plain_json = trace_json(&plain_s, &plain_trace);
    assert!(plain_json.get("versions").is_none());
    assert!(plain_json["events"][0].get("kv").is_none());
}

#[test]
fn restarts_show_in_the_table() {
    let s = observed_off(example("db-observed-timestamp.json"));
    let table = hlcviz::report::trace_table(&s, &replay(&s).unwrap());
    assert!(table.contains("get x → 2 (2 restarts)"), "{table}");
    let s = {
        let mut s = example("db-commit-wait.json");
        s.settings.commit_wait = CommitWait::TrueTime { eps_ms: 7 };
        s
    };
    let table = hlcviz::report::trace_table(&s, &replay(&s).unwrap());
    assert!(table.contains("put x=1 (wait 14 ms)"), "{table}");
}
