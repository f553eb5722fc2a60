//! `hs`: classify goods into Harmonized System codes and look up tariffs.
//!
//! This crate holds the front ends of the command line, [`cli`] and [`tui`];
//! everything they show comes from the library core, `hs-core`, whose modules
//! are re-exported here so that `hs::rank`, `hs::tree` and the others name
//! the same items as `hs_core::rank`, `hs_core::tree`.

// The package denies `unsafe` (rather than forbidding it, as the workspace
// does) only so that `main.rs` can set one allocator option; the library
// forbids it.
#![forbid(unsafe_code)]

pub use hs_core::*;

pub mod cli;
pub mod tui;
