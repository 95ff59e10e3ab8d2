//! What the fuzzers found, and the committed fuzz corpus, under plain stable
//! `cargo test` (no cargo-fuzz, no nightly flags).
//!
//! * `corpus_*`: every file of `fuzz/corpus/<target>/` through the same check
//!   the fuzz target runs (`fuzz/src/checks.rs`, included below), so the seeds
//!   and the inputs the fuzzers kept are exercised by every test run.
//! * `cli_binary_agrees_with_the_cli_input_check`: the real `hlcviz` binary on
//!   every `cli_input` corpus file — it must exit 0 or 2 (never panic) and print
//!   exactly what the harness's mirror of its pipeline computed.
//! * Regressions: one named test per crash or timeout a fuzzer found, with the
//!   input as a byte string. A test for an input that still crashes is marked
//!   `#[ignore = "crash: ..."]` so the owner can fix the code and unignore it.
//!   How to add one: `docs/fuzzing.md`, "Turning a crash into a regression test".

#[allow(dead_code)]
#[path = "../fuzz/src/checks.rs"]
mod checks;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target)
}

/// Every file of a target's committed corpus, sorted by name.
fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = corpus_dir(target);
    let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            entry
                .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .path()
        })
        .filter(|path| path.is_file())
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (path, bytes)
        })
        .collect();
    files.sort();
    files
}

/// Runs `check` on every corpus file of `target`; fails naming every file
/// whose check panicked.
fn run_corpus(target: &str, check: fn(&[u8])) {
    let files = corpus(target);
    assert!(!files.is_empty(), "fuzz/corpus/{target}/ is empty");
    let failed: Vec<String> = files
        .iter()
        .filter(|(_, bytes)| catch_unwind(AssertUnwindSafe(|| check(bytes))).is_err())
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(
        failed.is_empty(),
        "{target}: the check fails on {} of {} corpus files: {failed:#?}",
        failed.len(),
        files.len()
    );
}

#[test]
fn every_target_has_a_corpus_and_a_check() {
    for (target, _) in checks::TARGETS {
        assert!(
            corpus_dir(target).is_dir(),
            "fuzz/corpus/{target}/ is missing"
        );
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/fuzz_targets")
            .join(format!("{target}.rs"));
        let text = std::fs::read_to_string(&source)
            .unwrap_or_else(|e| panic!("{}: {e}", source.display()));
        assert!(
            text.contains(&format!("checks::{target}(")),
            "{} does not call checks::{target}",
            source.display()
        );
    }
}

/// `permalink_body` frames its input as `permalink::encode` frames a body; if
/// the link format changes, update `link_from_body` in `fuzz/src/checks.rs`.
#[test]
fn permalink_body_framing_matches_encode() {
    let scenario = hlcviz::app::default_scenario();
    for snapshot in [None, Some(hlc::Timestamp::new(120, 3))] {
        let link = hlcviz::permalink::encode(&scenario, snapshot);
        let body = checks::body_from_link(&link).unwrap_or_else(|| {
            panic!("checks::link_from_body does not frame {link} as encode does")
        });
        assert_eq!(checks::link_from_body(&body), link);
        let opened = checks::check_fragment(&link).expect("the link opens");
        assert_eq!(
            (opened.scenario, opened.snapshot),
            (scenario.clone(), snapshot)
        );
    }
}

#[test]
fn corpus_permalink_decode() {
    run_corpus("permalink_decode", checks::permalink_decode);
}

#[test]
fn corpus_permalink_body() {
    run_corpus("permalink_body", checks::permalink_body);
}

#[test]
fn corpus_scenario_json() {
    run_corpus("scenario_json", checks::scenario_json);
}

#[test]
fn corpus_shiviz_import() {
    run_corpus("shiviz_import", checks::shiviz_import);
}

#[test]
fn corpus_log_import() {
    run_corpus("log_import", checks::log_import);
}

#[test]
fn corpus_recorded_import() {
    run_corpus("recorded_import", checks::recorded_import);
}

#[test]
fn corpus_otlp_import() {
    run_corpus("otlp_import", checks::otlp_import);
}

#[test]
fn corpus_cli_input() {
    run_corpus("cli_input", checks::cli_input);
}

#[test]
fn cli_binary_agrees_with_the_cli_input_check() {
    let bin = env!("CARGO_BIN_EXE_hlcviz");
    for (path, bytes) in corpus("cli_input") {
        let file = path.to_str().expect("corpus paths are UTF-8");
        let expected = checks::check_cli(&bytes);
        for args in [
            &["check", file][..],
            &["trace", file][..],
            &["trace", "--table", file][..],
        ] {
            let out = Command::new(bin)
                .args(args)
                .output()
                .unwrap_or_else(|e| panic!("cannot run {bin}: {e}"));
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            match &expected {
                Ok(output) => {
                    assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
                    let want = match args[0] {
                        "check" => format!("{}\n", output.check),
                        _ if args.len() == 3 => output.table.clone(),
                        _ => format!("{}\n", output.trace),
                    };
                    assert!(stdout == want, "{args:?}: stdout differs from the harness");
                    assert!(stderr.is_empty(), "{args:?}: {stderr}");
                }
                Err(message) => {
                    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
                    assert!(stdout.is_empty(), "{args:?}: {stdout}");
                    assert!(
                        stderr.starts_with("hlcviz: ") && stderr.lines().count() == 1,
                        "{args:?}: not one error line: {stderr:?}"
                    );
                    // The binary's message is the harness's, cut to one line.
                    let first: String = message.chars().take(40).collect();
                    assert!(
                        first.chars().any(char::is_control) || stderr.contains(&first),
                        "{args:?}: {stderr:?} does not say {first:?}"
                    );
                }
            }
        }
    }
}

// ---------------------------------------------------------------- regressions
//
// Crashes and timeouts found by `cargo fuzz run` (docs/fuzzing.md has the runs).
// None so far: the runs of 2026-11-24 found no crash, timeout or out-of-memory
// in any target. Add each new one below, named after what it exercises:
//
//     /// `cargo fuzz run <target>`, fuzz/artifacts/<target>/crash-<sha1>:
//     /// <one line on the cause>.
//     #[test]
//     #[ignore = "crash: <panic message>; fix <module> and remove this"]
//     fn <target>_<what_it_exercises>() {
//         checks::<target>(b"...input bytes...");
//     }

/// The database-lens section of a link: each field is checked, so a body
/// changed in any of them is refused with a reason, never misread.
#[test]
fn permalink_kv_section_fields_are_checked() {
    use hlcviz::permalink::{decode, LinkError};
    use hlcviz::scenario::{KvOp, LocalEvent, Scenario};
    let mut s = Scenario::with_nodes(&["A"]);
    s.events.push(LocalEvent {
        kv: Some(KvOp::Get { key: "x".into() }),
        ..LocalEvent::at(0, 1)
    });
    let body = checks::body_from_link(&hlcviz::permalink::encode(&s, None)).expect("framed");
    // commit wait off, observed on, restart 10 (zigzag 20), one op at gap 0: a
    // get (1) of a 1-byte key "x"; no message puts.
    let tail = [0, 1, 20, 1, 0, 1, 1, b'x', 0];
    assert!(body.ends_with(&tail), "{body:?}");
    let at = body.len() - tail.len();
    let changed = |offset: usize, byte: u8| {
        let mut b = body.clone();
        b[at + offset] = byte;
        decode(&checks::link_from_body(&b))
    };
    let malformed = |why: &str| Err(LinkError::Malformed(why.into()));
    assert_eq!(changed(0, 3), malformed("unknown commit wait 3"));
    assert_eq!(
        changed(1, 2),
        malformed("observed timestamps is not 0 or 1")
    );
    assert_eq!(
        changed(4, 1),
        malformed("a database operation's event does not exist")
    );
    assert_eq!(changed(5, 2), malformed("unknown database operation 2"));
    // A key length of 127 bytes is allowed, and the body ends first.
    assert_eq!(changed(6, 0x7f), Err(LinkError::Truncated));
    let mut b = body.clone();
    b.splice(at + 6..at + 7, [0x81, 0x01]);
    assert_eq!(
        decode(&checks::link_from_body(&b)),
        malformed("a key is too long"),
        "129 bytes"
    );
    assert_eq!(changed(7, 0xff), malformed("a key is not text"));
    assert_eq!(
        changed(8, 1),
        malformed("1 message puts is more than the limit of 0")
    );
    // restart 0 decodes but is not a valid scenario.
    assert!(matches!(changed(2, 0), Err(LinkError::Invalid(_))));
    // A flag bit this build does not know.
    let mut b = body.clone();
    b[0] = 16;
    assert_eq!(
        decode(&checks::link_from_body(&b)),
        malformed("unknown flags 0b10000")
    );
}
