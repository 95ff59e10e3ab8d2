//! Arbitrary bytes as the input file of `hlcviz check` / `trace` / `trace --table`:
//! UTF-8 and BOM handling, `Scenario::from_json`, replay, JSON report and table.
//! The checks live in `fuzz/src/checks.rs`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| hlcviz_fuzz::checks::cli_input(data));
