//! Arbitrary bytes (as lossy UTF-8) as an OpenTelemetry trace (OTLP/JSON or
//! the SDK console exporter's JSON): `otlp::import`; on success the scenario
//! validates and replays, and every event not moved replays at its span
//! timestamp. The checks live in `fuzz/src/checks.rs`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| hlcviz_fuzz::checks::otlp_import(data));
