//! The fuzz targets' shared checks (see `checks.rs`; the stable tests include
//! that file directly).

#![forbid(unsafe_code)]

pub mod checks;
