//! Writes the seed corpora `fuzz/corpus/<target>/seed-*` from the documented
//! examples, the ShiViz samples and their permalinks and exports:
//!
//! ```text
//! cargo run --manifest-path fuzz/Cargo.toml --example make_seeds
//! ```
//!
//! It rewrites only `seed-*` files; inputs the fuzzer found (named by their
//! SHA-1) are left alone. Runs on stable: it does not link libFuzzer.

use hlc::Timestamp;
use hlcviz::permalink;
use hlcviz::scenario::Scenario;
use hlcviz::shiviz;
use hlcviz::sim;
use hlcviz_fuzz::checks;
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("fuzz/ has a parent")
        .to_path_buf()
}

/// `(file stem, contents)` of every file in `dir`, sorted by name.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .map(|path| {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let bytes = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (stem, bytes)
        })
        .collect();
    out.sort();
    out
}

fn write(target: &str, name: &str, bytes: &[u8]) {
    let dir = root().join("fuzz/corpus").join(target);
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let path = dir.join(format!("seed-{name}"));
    fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn main() {
    let root = root();
    let examples = files(&root.join("docs/examples"));
    let invalid = files(&root.join("docs/examples/invalid"));
    let logs = files(&root.join("tests/data/shiviz"));

    // Scenario files, valid and invalid: the JSON decoder and the CLI.
    for (name, bytes) in &examples {
        write("scenario_json", name, bytes);
        write("cli_input", name, bytes);
    }
    for (name, bytes) in &invalid {
        write("scenario_json", &format!("invalid-{name}"), bytes);
        write("cli_input", &format!("invalid-{name}"), bytes);
    }
    // What only the CLI reads specially: a byte-order mark, bad UTF-8, blank input.
    if let Some((name, bytes)) = examples.first() {
        let mut bom = "\u{feff}".as_bytes().to_vec();
        bom.extend_from_slice(bytes);
        write("cli_input", &format!("bom-{name}"), &bom);
        let mut bad = bytes.clone();
        bad.insert(bad.len() / 2, 0xff);
        write("cli_input", &format!("not-utf8-{name}"), &bad);
    }
    write("cli_input", "blank", b" \n\t\r\n");

    // Logs: the samples and the ShiViz export of every valid example.
    for (name, bytes) in &logs {
        write("shiviz_import", name, bytes);
    }
    for (name, bytes) in &examples {
        let text = String::from_utf8_lossy(bytes);
        let scenario = Scenario::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let trace = sim::replay(&scenario).unwrap_or_else(|e| panic!("{name}: {e}"));
        write(
            "shiviz_import",
            &format!("export-{name}"),
            shiviz::export(&scenario, &trace).as_bytes(),
        );

        // Permalinks (with and without a snapshot) and their binary bodies.
        for (suffix, snapshot) in [("", None), ("-snapshot", Some(Timestamp::new(120, 3)))] {
            let link = permalink::encode(&scenario, snapshot);
            write(
                "permalink_decode",
                &format!("{name}{suffix}"),
                link.as_bytes(),
            );
            let body = checks::body_from_link(&link)
                .expect("checks::link_from_body no longer frames links as permalink::encode does");
            write("permalink_body", &format!("{name}{suffix}"), &body);
        }
    }
    // Fragments the decoder must refuse for each reason.
    for (name, text) in [
        ("empty", ""),
        ("hash-only", "#"),
        ("not-a-link", "#section-2"),
        ("future-version", "v2.AAAA"),
        ("version-zero", "v0.AAAA"),
        ("not-base64", "v1.*&^%"),
        ("truncated", "v1.AA"),
        ("bad-checksum", "v1.AAAAAAAA"),
    ] {
        write(
            "permalink_decode",
            &format!("refused-{name}"),
            text.as_bytes(),
        );
    }
    println!("seeds written under {}", root.join("fuzz/corpus").display());
}
