//! Arbitrary bytes (as lossy UTF-8) as a recorded log (`hlcviz-log/1`):
//! `recorded::import`; on success the scenario validates and replays, and
//! every event not moved replays at its recorded wall clock. The checks live
//! in `fuzz/src/checks.rs`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| hlcviz_fuzz::checks::recorded_import(data));
