//! `hs index build|status`.

use std::io::Write;

use serde_json::json;

use crate::index::{IndexState, inspect, read_meta, resolve_index_dir};
use crate::index_folder::verify_index_files;
use crate::load::resolve_data_dir;

use super::args::{Global, IndexAction, IndexArgs};
use super::output::{engine_with, options, stdout};
use super::{EXIT_NONE, EXIT_OK};

pub fn run(g: &Global, a: &IndexArgs) -> anyhow::Result<i32> {
    match &a.action {
        IndexAction::Build => {
            let mut opts = options(g);
            opts.rebuild = true;
            let engine = engine_with(g, &opts)?;
            let mut out = stdout();
            writeln!(
                out,
                "index built in {}: {} documents in {} ms",
                engine.index.dir.display(),
                engine.index.meta.documents,
                engine.index.meta.build_ms
            )?;
            out.flush()?;
            Ok(EXIT_OK)
        }
        IndexAction::Status { json } => {
            let dir = resolve_index_dir(g.index.as_deref());
            let data = resolve_data_dir(g.data.as_deref()).ok();
            let schedule = data
                .as_ref()
                .and_then(|d| crate::load::find_schedule(d).ok())
                .map(|s| s.name());
            // A path that is not a folder or not an index hs made is an
            // error (exit 2), as for every other command.
            let state = match &data {
                Some(d) => Some(inspect(&dir, d)?),
                None => None,
            };
            let meta = read_meta(&dir);
            // Damage: from the full check, or (no data folder) from the
            // index files alone.
            let damage = match &state {
                Some(IndexState::Damaged { reason }) => Some(reason.clone()),
                Some(_) => None,
                None => meta
                    .as_ref()
                    .and_then(|m| verify_index_files(&dir, &m.files).err()),
            };
            let current = match &state {
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
            let mut out = stdout();
            if *json {
                let v = json!({
                    "dir": dir.display().to_string(),
                    "exists": meta.is_some(),
                    "up_to_date": current,
                    "documents": meta.as_ref().map(|m| m.documents),
                    "built_at": meta.as_ref().map(|m| m.built_at),
                    "build_ms": meta.as_ref().map(|m| m.build_ms),
                    "schema_version": meta.as_ref().map(|m| m.fingerprint.schema_version),
                    "analyzer_version": meta.as_ref().map(|m| m.fingerprint.analyzer_version),
                    "data_dir": data.as_ref().map(|d| d.display().to_string()),
                    "state": state_name,
                    "damaged": damage.is_some(),
                    "damage": damage,
                    "schedule": schedule,
                });
                serde_json::to_writer_pretty(&mut out, &v)?;
                writeln!(out)?;
            } else {
                writeln!(out, "index:     {}", dir.display())?;
                match &meta {
                    _ if let Some(why) = &damage => writeln!(
                        out,
                        "state:     damaged: {why} (rebuilt on next use, or by `hs index build`)"
                    )?,
                    None => writeln!(
                        out,
                        "state:     not built (it is built on first use, or by `hs index build`)"
                    )?,
                    Some(m) => {
                        let state = match current {
                            Some(true) => "up to date",
                            Some(false) => "stale (rebuilt on next use)",
                            None => "unknown (data folder not found)",
                        };
                        writeln!(out, "state:     {state}")?;
                        writeln!(out, "documents: {} HS subheadings", m.documents)?;
                        writeln!(
                            out,
                            "built:     {} (unix time), in {} ms",
                            m.built_at, m.build_ms
                        )?;
                        writeln!(
                            out,
                            "versions:  schema {}, analyzer {}, hs {}",
                            m.fingerprint.schema_version,
                            m.fingerprint.analyzer_version,
                            m.fingerprint.hs_version
                        )?;
                    }
                }
                if let Some(d) = &data {
                    writeln!(out, "data:      {}", d.display())?;
                }
                if let Some(s) = &schedule {
                    writeln!(out, "schedule:  {s}")?;
                }
            }
            out.flush()?;
            Ok(if meta.is_some() { EXIT_OK } else { EXIT_NONE })
        }
    }
}
