//! Arbitrary bytes (as lossy UTF-8) as scenario JSON: `Scenario::from_json`;
//! on success it replays and survives `to_json` -> `from_json` and a permalink.
//! The checks live in `fuzz/src/checks.rs`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| hlcviz_fuzz::checks::scenario_json(data));
