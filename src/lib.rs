//! The Hybrid Logical Clock visualizer: the scenario model, its replay into a
//! trace of every clock, the analysis of causality and snapshots, and (on
//! `wasm32`) the page.

#![forbid(unsafe_code)]

pub mod analysis;
pub mod app;
pub mod bidi;
pub mod embed;
pub mod encoding;
pub mod exercise;
pub mod generate;
pub mod hints;
pub mod input;
pub mod kv;
pub mod labels;
pub mod lanes;
pub mod layout;
pub mod library;
pub mod logimport;
pub mod logtime;
pub mod offsets;
pub mod otlp;
pub mod permalink;
pub mod pixels;
pub mod policies;
pub mod presets;
pub mod recorded;
pub mod report;
pub mod scenario;
pub mod scene;
pub mod search;
pub mod shiviz;
pub mod sim;
pub mod slider;
pub mod svg;
pub mod table;
pub mod touch;
pub mod tour;
#[cfg(target_arch = "wasm32")]
pub mod web;
