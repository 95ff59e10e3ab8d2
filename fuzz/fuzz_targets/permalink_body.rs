//! Arbitrary bytes as the binary body of a v1 permalink, framed with a correct
//! checksum so mutations reach the body decoder behind the checksum.
//! The checks live in `fuzz/src/checks.rs`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| hlcviz_fuzz::checks::permalink_body(data));
