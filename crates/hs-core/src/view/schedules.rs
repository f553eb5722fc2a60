//! The view of one code across schedules (what `hs show CODE
//! --all-schedules --json` prints): each HS subheading the code stands for,
//! with its flags and its lines in every national schedule loaded.

use serde::Serialize;

use crate::cn::CnSchedule;
use crate::code::Code;
use crate::flags::DISCLAIMER;
use crate::load::Dataset;
use crate::schedules::{ScheduleLines, across, subheadings_for};

use super::flag::FlagView;

/// One HS subheading and its national lines.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubheadingSchedules {
    pub hs6: String,
    /// Self-contained text of the subheading (null if not in the tree).
    pub description: Option<String>,
    pub flags: Vec<FlagView>,
    /// One entry per schedule (US HTS, EU CN) with its lines.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub schedules: Vec<ScheduleLines>,
    /// The subheading's code, for renderers.
    #[serde(skip)]
    pub code: Code,
}

/// A code across schedules.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SchedulesView {
    /// The code asked for.
    pub code: String,
    pub subheadings: Vec<SubheadingSchedules>,
    pub flags_disclaimer: &'static str,
}

impl SchedulesView {
    /// The subheadings `asked` stands for (empty for a chapter or a
    /// section), each across the US schedule and `cn` when given.
    pub fn new(ds: &Dataset, cn: Option<&CnSchedule>, asked: &Code) -> SchedulesView {
        let subheadings = subheadings_for(ds, asked)
            .into_iter()
            .map(|s| SubheadingSchedules {
                hs6: s.to_string(),
                description: ds.tree.get(&s).map(|n| n.full_text.clone()),
                flags: FlagView::of(&s),
                schedules: across(ds, cn, &s),
                code: s,
            })
            .collect();
        SchedulesView {
            code: asked.to_string(),
            subheadings,
            flags_disclaimer: DISCLAIMER,
        }
    }
}
