//! Arbitrary bytes (as lossy UTF-8) as a log read with a ShiViz parser
//! expression: the first line is the expression, the second the delimiter,
//! the rest the log (or a matched log as JSON); `logimport::match_log` /
//! `from_json` then `build`. The checks live in `fuzz/src/checks.rs`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| hlcviz_fuzz::checks::log_import(data));
