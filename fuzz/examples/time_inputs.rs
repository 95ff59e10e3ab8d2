//! Runs one target's check on files (or every file of directories) and prints
//! the slowest, to find what makes a target slow or to confirm a timeout
//! without libFuzzer:
//!
//! ```text
//! cargo run --release --manifest-path fuzz/Cargo.toml --example time_inputs -- \
//!     shiviz_import fuzz/scratch/shiviz_import [more files or dirs]
//! ```
//!
//! Exits with status 1 if a check panics (the panic and the file are printed).

use hlcviz_fuzz::checks::TARGETS;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let target = args.next().unwrap_or_default();
    let Some(&(_, check)) = TARGETS.iter().find(|(name, _)| *name == target) else {
        let names: Vec<&str> = TARGETS.iter().map(|(name, _)| *name).collect();
        eprintln!("usage: time_inputs TARGET FILE_OR_DIR...; targets: {names:?}");
        std::process::exit(2);
    };
    let mut files: Vec<PathBuf> = Vec::new();
    for arg in args {
        let path = PathBuf::from(arg);
        if path.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|p| p.is_file())
                .collect();
            inside.sort();
            files.extend(inside);
        } else {
            files.push(path);
        }
    }
    let mut times: Vec<(Duration, usize, PathBuf)> = Vec::new();
    let mut failed = false;
    for file in files {
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let start = Instant::now();
        if std::panic::catch_unwind(|| check(&bytes)).is_err() {
            eprintln!("PANIC in {target} on {}", file.display());
            failed = true;
        }
        times.push((start.elapsed(), bytes.len(), file));
    }
    let total: Duration = times.iter().map(|(t, ..)| *t).sum();
    times.sort_by_key(|t| std::cmp::Reverse(t.0));
    println!("{target}: {} inputs in {total:.2?}; slowest:", times.len());
    for (time, len, file) in times.iter().take(10) {
        println!("  {time:>10.2?}  {len:>6} bytes  {}", file.display());
    }
    if failed {
        std::process::exit(1);
    }
}
