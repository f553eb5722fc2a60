//! `hs index build|status`.

use std::io::Write;

use crate::view::IndexStatusView;

use super::args::{Global, IndexAction, IndexArgs};
use super::output::{engine_with, options, text_stdout};
use super::{EXIT_NONE, EXIT_OK};

pub fn run(g: &Global, a: &IndexArgs) -> anyhow::Result<i32> {
    match &a.action {
        IndexAction::Build => {
            let mut opts = options(g);
            opts.rebuild = true;
            let engine = engine_with(g, &opts)?;
            // The folder's name came from the user: made safe for a terminal.
            let mut out = text_stdout(false);
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
            // A path that is not a folder or not an index hs made is an
            // error (exit 2), as for every other command.
            let v = IndexStatusView::new(g.index.as_deref(), g.data.as_deref())?;
            let mut out = text_stdout(*json);
            if *json {
                serde_json::to_writer_pretty(&mut out, &v)?;
                writeln!(out)?;
            } else {
                writeln!(out, "index:     {}", v.dir)?;
                match (&v.damage, v.exists) {
                    (Some(why), _) => writeln!(
                        out,
                        "state:     damaged: {why} (rebuilt on next use, or by `hs index build`)"
                    )?,
                    (None, false) => writeln!(
                        out,
                        "state:     not built (it is built on first use, or by `hs index build`)"
                    )?,
                    (None, true) => {
                        let state = match v.up_to_date {
                            Some(true) => "up to date",
                            Some(false) => "stale (rebuilt on next use)",
                            None => "unknown (data folder not found)",
                        };
                        writeln!(out, "state:     {state}")?;
                        writeln!(
                            out,
                            "documents: {} HS subheadings",
                            v.documents.unwrap_or_default()
                        )?;
                        writeln!(
                            out,
                            "built:     {} (unix time), in {} ms",
                            v.built_at.unwrap_or_default(),
                            v.build_ms.unwrap_or_default()
                        )?;
                        writeln!(
                            out,
                            "versions:  schema {}, analyzer {}, hs {}",
                            v.schema_version.unwrap_or_default(),
                            v.analyzer_version.unwrap_or_default(),
                            v.hs_version.as_deref().unwrap_or_default()
                        )?;
                    }
                }
                if let Some(d) = &v.data_dir {
                    writeln!(out, "data:      {d}")?;
                }
                if let Some(s) = &v.schedule {
                    writeln!(out, "schedule:  {s}")?;
                }
            }
            out.flush()?;
            Ok(if v.exists { EXIT_OK } else { EXIT_NONE })
        }
    }
}
