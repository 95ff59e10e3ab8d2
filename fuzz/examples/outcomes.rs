//! Counts what a target's decoder made of each input of a corpus — accepted, or
//! which error — to see how deep the fuzzer got:
//!
//! ```text
//! cargo run --release --manifest-path fuzz/Cargo.toml --example outcomes -- \
//!     scenario_json fuzz/scratch/scenario_json fuzz/corpus/scenario_json
//! ```

use hlcviz::permalink::{self, LinkError};
use hlcviz::scenario::{LoadError, Scenario};
use hlcviz::shiviz;
use hlcviz_fuzz::checks;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The variant name of a `Debug` rendering: `Invalid(NoNodes)` -> `Invalid(NoNodes)`,
/// `BadName { node: 0, .. }` -> `BadName`.
fn variant(debug: &str) -> String {
    debug
        .split([' ', '{', ',', '('])
        .next()
        .unwrap_or(debug)
        .trim_end_matches(['(', ')'])
        .to_string()
}

fn link_outcome(text: &str) -> String {
    match permalink::decode(text) {
        Ok(shared) => format!(
            "ok ({} snapshot)",
            if shared.snapshot.is_some() {
                "with"
            } else {
                "no"
            }
        ),
        Err(LinkError::Invalid(e)) => format!("Invalid({})", variant(&format!("{e:?}"))),
        Err(LinkError::Malformed(why)) => {
            let why: String = why.chars().filter(|c| !c.is_ascii_digit()).collect();
            format!("Malformed({why})")
        }
        Err(e) => variant(&format!("{e:?}")),
    }
}

fn json_outcome(text: &str) -> String {
    match Scenario::from_json(text) {
        Ok(s) => format!(
            "ok ({} messages)",
            if s.messages.is_empty() { "no" } else { "with" }
        ),
        Err(LoadError::Json(e)) => format!("Json({:?})", e.classify()),
        Err(LoadError::Invalid(e)) => format!("Invalid({})", variant(&format!("{e:?}"))),
        Err(LoadError::TooLarge(_)) => "TooLarge".to_string(),
    }
}

fn outcome(target: &str, bytes: &[u8]) -> String {
    let lossy = String::from_utf8_lossy(bytes);
    match target {
        "permalink_decode" => link_outcome(&lossy),
        "permalink_body" => link_outcome(&checks::link_from_body(bytes)),
        "scenario_json" => json_outcome(&lossy),
        "cli_input" => match checks::cli_load(bytes) {
            Ok(_) => "ok".to_string(),
            Err(e) if e.starts_with("input is") || e.starts_with("is ") => e
                .split([';', '('])
                .next()
                .unwrap_or(&e)
                .trim_end()
                .to_string(),
            Err(_) => json_outcome(lossy.trim_start_matches('\u{feff}')),
        },
        "shiviz_import" => match shiviz::import(&lossy) {
            Ok(imported) => format!(
                "ok ({} messages, {} skipped lines, {} notes)",
                if imported.scenario.messages.is_empty() {
                    "no"
                } else {
                    "with"
                },
                if imported.skipped.is_empty() {
                    "no"
                } else {
                    "some"
                },
                if imported.notes.is_empty() {
                    "no"
                } else {
                    "some"
                },
            ),
            Err(e) => variant(&format!("{e:?}")),
        },
        _ => {
            eprintln!("unknown target {target}");
            std::process::exit(2);
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let target = args.next().unwrap_or_default();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut total = 0;
    for arg in args {
        let path = PathBuf::from(arg);
        let files: Vec<PathBuf> = if path.is_dir() {
            std::fs::read_dir(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|p| p.is_file())
                .collect()
        } else {
            vec![path]
        };
        for file in files {
            let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            *counts.entry(outcome(&target, &bytes)).or_default() += 1;
            total += 1;
        }
    }
    println!("{target}: {total} inputs");
    for (what, n) in counts {
        println!("  {n:>6}  {what}");
    }
}
