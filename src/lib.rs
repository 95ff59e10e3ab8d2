//! The Hybrid Logical Clock visualizer: the scenario model, its replay into a
//! trace of every clock, the analysis of causality and snapshots, and (on
//! `wasm32`) the page.

#![forbid(unsafe_code)]

pub mod analysis;
pub mod scenario;
pub mod sim;
