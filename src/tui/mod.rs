//! The interactive terminal UI (ratatui + crossterm): live suggestions as a
//! broker types (Classify), the code tree for trainers (Browse), the General
//! Rules of Interpretation, and a quiz. The building blocks come first:
//! styles, text wrapping, the search worker, node details, the quiz model.

pub mod detail;
pub mod keys;
pub mod quiz;
pub mod search;
pub mod theme;
pub mod wrap;
