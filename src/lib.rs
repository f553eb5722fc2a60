//! `hs`: classify goods into Harmonized System codes and look up tariffs.
//!
//! Data flows one way: reference files -> [`load`] -> one [`tree`] -> [`index`]
//! -> [`rank`] -> front ends ([`cli`], [`tui`]). The core modules print
//! nothing and know no terminal; front ends do no searching of their own.

pub mod alias;
pub mod cli;
pub mod code;
pub mod engine;
pub mod eval;
pub mod index;
pub mod load;
pub mod notes;
pub mod rank;
pub mod text;
pub mod tree;
pub mod tui;
