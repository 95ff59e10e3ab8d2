//! Arbitrary bytes (as lossy UTF-8) as a permalink fragment: `permalink::decode`;
//! on success the link re-encodes and decodes to the same scenario.
//! The checks live in `fuzz/src/checks.rs`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| hlcviz_fuzz::checks::permalink_decode(data));
