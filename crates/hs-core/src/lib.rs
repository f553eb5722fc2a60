//! `hs-core`: the library behind `hs`, which classifies goods into
//! Harmonized System codes and looks up tariffs.
//!
//! Data flows one way: reference files -> [`load`] -> one [`tree`] -> [`index`]
//! -> [`rank`] -> front ends (the `hs` crate's command line and terminal UI). The core modules print
//! nothing and know no terminal; front ends do no searching of their own.
//! Beside that flow: [`flags`] (the controlled-goods table), [`editions`]
//! (HS 2017 beside HS 2022), [`successors`] (HS 2022 codes for a deleted
//! one) and [`schedules`] (one subheading across national schedules).
//! Beside that flow, [`tariff`] turns a line's rate cells into duties for an
//! origin, and [`cn`] holds the EU Combined Nomenclature's lines under the
//! same HS subheadings.

pub mod alias;
pub mod chem;
pub mod cn;
pub mod code;
pub mod editions;
pub mod engine;
pub mod eval;
pub mod flags;
pub mod fsio;
pub mod hts_cache;
pub mod hts_json;
pub mod index;
pub mod index_folder;
pub mod lang;
pub mod load;
pub mod measure;
pub mod notes;
pub mod precedents;
pub mod rank;
pub mod schedules;
pub mod successors;
pub mod tables;
pub mod tariff;
pub mod text;
pub mod tree;
pub mod view;
