//! Arbitrary bytes (as lossy UTF-8) as a ShiViz/GoVector log: `shiviz::import`;
//! on success the scenario validates, replays and survives export -> import.
//! The checks live in `fuzz/src/checks.rs`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| hlcviz_fuzz::checks::shiviz_import(data));
