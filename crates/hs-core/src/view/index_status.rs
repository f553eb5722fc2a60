//! The view of the index's state (what `hs index status --json` prints):
//! where it is, what it holds, when it was built, and whether it is
//! current, stale, damaged or missing.

use std::path::Path;

use serde::Serialize;

use crate::index::{IndexError, IndexState, inspect, read_meta, resolve_index_dir};
use crate::index_folder::{FINGERPRINT_FILE, verify_index_files};
use crate::load::{find_schedule, resolve_data_dir};

/// The index's state.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndexStatusView {
    /// The index folder.
    pub dir: String,
    /// Whether an index (its fingerprint file) is there, readable or not
    /// (an unreadable one is `damaged`).
    pub exists: bool,
    /// True when current, false when stale or damaged, null when missing or
    /// when the data folder was not found (nothing to compare with).
    pub up_to_date: Option<bool>,
    pub documents: Option<u64>,
    /// Unix time.
    pub built_at: Option<u64>,
    pub build_ms: Option<u64>,
    pub schema_version: Option<u32>,
    pub analyzer_version: Option<u32>,
    /// The reference data folder, when found.
    pub data_dir: Option<String>,
    /// `up_to_date`, `stale`, `damaged`, `missing` or `unknown`.
    pub state: &'static str,
    pub damaged: bool,
    /// What is damaged, when something is.
    pub damage: Option<String>,
    /// The US schedule of the data folder ("US HTS 2026 Revision 12").
    pub schedule: Option<String>,
    /// The hs version that built the index.
    pub hs_version: Option<String>,
}

impl IndexStatusView {
    /// The state of the index at `index` (else the default folder) against
    /// the data at `data` (else the default data folder). A path that is
    /// not a folder, or a folder hs did not make, is an error.
    pub fn new(index: Option<&Path>, data: Option<&Path>) -> Result<IndexStatusView, IndexError> {
        let dir = resolve_index_dir(index);
        let data = resolve_data_dir(data).ok();
        let schedule = data
            .as_ref()
            .and_then(|d| find_schedule(d).ok())
            .map(|s| s.name());
        let state = match &data {
            Some(d) => Some(inspect(&dir, d)?),
            None => None,
        };
        let meta = read_meta(&dir);
        // Damage: from the full check, or (no data folder) from the index
        // files alone.
        let damage = match &state {
            Some(IndexState::Damaged { reason }) => Some(reason.clone()),
            Some(_) => None,
            None => meta
                .as_ref()
                .and_then(|m| verify_index_files(&dir, &m.files).err()),
        };
        let up_to_date = match &state {
            Some(IndexState::Current(_)) => Some(true),
            Some(IndexState::Stale { .. } | IndexState::Damaged { .. }) => Some(false),
            Some(IndexState::Missing) => None,
            None if damage.is_some() => Some(false),
            None => None,
        };
        let state_name = match &state {
            _ if damage.is_some() => "damaged",
            Some(IndexState::Current(_)) => "up_to_date",
            Some(IndexState::Stale { .. }) => "stale",
            Some(IndexState::Missing) => "missing",
            Some(IndexState::Damaged { .. }) => "damaged",
            None if meta.is_none() => "missing",
            None => "unknown",
        };
        Ok(IndexStatusView {
            dir: dir.display().to_string(),
            exists: meta.is_some() || dir.join(FINGERPRINT_FILE).is_file(),
            up_to_date,
            documents: meta.as_ref().map(|m| m.documents),
            built_at: meta.as_ref().map(|m| m.built_at),
            build_ms: meta.as_ref().map(|m| m.build_ms),
            schema_version: meta.as_ref().map(|m| m.fingerprint.schema_version),
            analyzer_version: meta.as_ref().map(|m| m.fingerprint.analyzer_version),
            data_dir: data.as_ref().map(|d| d.display().to_string()),
            state: state_name,
            damaged: damage.is_some(),
            damage,
            schedule,
            hs_version: meta.map(|m| m.fingerprint.hs_version),
        })
    }
}
