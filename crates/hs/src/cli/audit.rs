//! `hs audit FILE`: rows of a classified history whose declared code
//! disagrees with the evidence.
use super::args::{AuditArgs, Global};
pub fn run(_g: &Global, _a: &AuditArgs) -> anyhow::Result<i32> {
    Err(super::Failure::usage("hs audit: not yet"))
}
