//! `hs precedents add|list|remove` (the store of named sets), the global
//! `--precedents FILE` / `--no-precedents` flags that choose the sets a run
//! consults, and `hs eval --cross-validate K` (each fold ranked with the
//! other folds' rows as precedents).

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::sync::Arc;

use crate::engine::Engine;
use crate::fsio::Digesting;
use crate::precedents::codes::CodeCheck;
use crate::precedents::file::{FileReader, Loaded, is_jsonl};
use crate::precedents::folds::{DEFAULT_SEED, assign, each_fold};
use crate::precedents::store::{Added, Fingerprint, Store, default_name};
use crate::precedents::{Precedent, PrecedentIndex, Precedents};
use crate::rank::Suggestion;
use crate::view::{PrecedentsAddView, PrecedentsListView};

use super::args::{Global, PrecedentsAction, PrecedentsArgs};
use super::bulk::{Row, classify_rows};
use super::output::{engine, terminal_safe, text_stdout};
use super::pool::RankerPool;
use super::records::{RecordError, Records};
use super::{EXIT_OK, Failure};

/// Problems of a `--precedents` file listed on stderr before a summary.
const SHOWN_PROBLEMS: usize = 10;

/// Which precedents a command consults by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Default {
    /// `search`, `classify`, `tui`, `pick`: the store.
    Store,
    /// `eval`, `audit`: none unless asked.
    None,
}

/// Opens the engine with the precedents the flags choose: `--no-precedents`
/// none; `--precedents FILE` those files; else the store when the command
/// uses it by default. The sets used are named on stderr.
pub fn engine_with_precedents(g: &Global, default: Default) -> anyhow::Result<Engine> {
    if g.no_precedents || !g.precedents.is_empty() || default != Default::Store {
        let mut engine = engine(g)?;
        attach(g, &mut engine, default)?;
        return Ok(engine);
    }
    // The store opens (and numbers its sets' terms) while the
    // nomenclature loads.
    let (loaded, opened) = std::thread::scope(|s| {
        let store = s.spawn(|| {
            let opened = Store::default_store().open_all();
            if let Ok((sets, _)) = &opened {
                for set in sets {
                    set.row_ids();
                }
            }
            opened
        });
        (engine(g), store.join())
    });
    let mut engine = loaded?;
    let (sets, notes) = opened
        .map_err(|_| anyhow::anyhow!("opening the precedent store failed unexpectedly"))??;
    attach_sets(g, &mut engine, sets, notes);
    Ok(engine)
}

/// As [`engine_with_precedents`], for an engine already open.
pub fn attach(g: &Global, engine: &mut Engine, default: Default) -> anyhow::Result<()> {
    let (sets, notes) = chosen(g, engine, default == Default::Store)?;
    attach_sets(g, engine, sets, notes);
    Ok(())
}

/// The sets the flags choose, and the store's notes: none with
/// `--no-precedents`; the `--precedents` files; else the store when
/// `store` (the command's default, or `--use-store`).
fn chosen(
    g: &Global,
    engine: &Engine,
    store: bool,
) -> anyhow::Result<(Vec<PrecedentIndex>, Vec<String>)> {
    if g.no_precedents {
        Ok((Vec::new(), Vec::new()))
    } else if !g.precedents.is_empty() {
        Ok((files(g, engine)?, Vec::new()))
    } else if store {
        Ok(Store::default_store().open_all()?)
    } else {
        Ok((Vec::new(), Vec::new()))
    }
}

/// The sets of the `--precedents` files, each read, checked and reported
/// (`--strict`: any report is an error).
fn files(g: &Global, engine: &Engine) -> anyhow::Result<Vec<PrecedentIndex>> {
    let check = CodeCheck::new(engine);
    let mut sets = Vec::new();
    for path in &g.precedents {
        let (loaded, _) = read_checked(g, path, &check)?;
        report(g, &loaded, Some(SHOWN_PROBLEMS));
        // Two files of one name (a/entries.csv, b/entries.csv) are told
        // apart in explanations: `entries`, `entries (2)`.
        let stem = default_name(path);
        let mut name = stem.clone();
        let mut n = 1;
        while sets.iter().any(|s: &PrecedentIndex| s.name == name) {
            n += 1;
            name = format!("{stem} ({n})");
        }
        sets.push(PrecedentIndex::in_memory(&name, &loaded.file, loaded.rows)?);
    }
    Ok(sets)
}

/// The sets `hs audit` consults beside the audited file: the
/// `--precedents` files, else the store with `--use-store`; none with
/// `--no-precedents`. The store's notes are told.
pub fn audit_sets(
    g: &Global,
    engine: &Engine,
    use_store: bool,
) -> anyhow::Result<Vec<PrecedentIndex>> {
    let (sets, notes) = chosen(g, engine, use_store)?;
    tell(g, notes);
    Ok(sets)
}

/// The store's notes on stderr, unless `--quiet`.
fn tell(g: &Global, notes: Vec<String>) {
    if !g.quiet {
        for n in notes {
            eprintln!("hs: {}", terminal_safe(&n));
        }
    }
}

/// Gives the engine the sets opened (telling the store's notes first).
fn attach_sets(g: &Global, engine: &mut Engine, mut sets: Vec<PrecedentIndex>, notes: Vec<String>) {
    tell(g, notes);
    // A set without rows says nothing: it is not named either.
    sets.retain(|s| !s.is_empty());
    if sets.is_empty() {
        return;
    }
    if !g.quiet {
        let names: Vec<String> = sets
            .iter()
            .map(|s| format!("{} ({} rows)", s.name, s.len()))
            .collect();
        eprintln!("hs: precedents: {}", terminal_safe(&names.join(", ")));
    }
    engine.precedents = Some(Arc::new(Precedents::new(sets)));
}

/// Reads and checks a precedent file through the bounded record reader
/// (CSV, or JSON lines: see [`is_jsonl`]); `--strict` turns any report
/// into an error. Returns the rows and the fingerprint of the bytes read.
fn read_checked(g: &Global, path: &Path, check: &CodeCheck) -> anyhow::Result<(Loaded, String)> {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let safe = terminal_safe(&name);
    let file = File::open(path).map_err(|e| {
        Failure::usage(format!(
            "cannot read {}: {e}",
            terminal_safe(&path.display().to_string())
        ))
    })?;
    let mut input = BufReader::with_capacity(64 * 1024, Digesting::<_, Fingerprint>::new(file));
    let start = input
        .fill_buf()
        .map_err(|e| Failure::usage(format!("cannot read {safe}: {e}")))?;
    let jsonl = is_jsonl(&name, start);
    let mut records = Records::new(&mut input, !jsonl);
    let fail = |e: RecordError| match e {
        RecordError::Bad { line, message } => {
            Failure::usage(format!("{safe}, line {line}: {message}"))
        }
        RecordError::Io(e) => Failure::usage(format!("cannot read {safe}: {e}")),
    };
    let mut reader = FileReader::new(&name, check);
    if !jsonl {
        match records.next_record().map_err(fail)? {
            Some(h) if !h.blank => reader
                .header(&h.fields)
                .map_err(|e| Failure::usage(e.to_string()))?,
            _ => {
                return Err(Failure::usage(format!(
                    "{safe} has no header: a precedent file needs a CSV header with 'description' and 'code' (optional: source, date, reference, note), or JSON lines"
                )));
            }
        }
    }
    while let Some(rec) = records.next_record().map_err(fail)? {
        let line = rec.line as u64;
        if jsonl {
            let cut = rec.cut.first().map(|&(_, len)| len);
            let bytes = rec.fields.first().map_or(&[][..], Vec::as_slice);
            reader.json_line(line, bytes, cut);
        } else {
            reader.csv_record(line, rec.last_line as u64, &rec.fields, &rec.cut, rec.blank);
        }
    }
    let fingerprint = input.get_ref().digest.hex();
    let loaded = reader.finish();
    let loaded = if g.strict {
        loaded.strict().map_err(|e| Failure::usage(e.to_string()))?
    } else {
        loaded
    };
    Ok((loaded, fingerprint))
}

/// Lists a file's reported rows on stderr (at most `limit`, then a count).
fn report(g: &Global, loaded: &Loaded, limit: Option<usize>) {
    if g.quiet || loaded.problems.is_empty() {
        return;
    }
    let file = terminal_safe(&loaded.file);
    let shown = limit.unwrap_or(usize::MAX);
    for p in loaded.problems.iter().take(shown) {
        eprintln!(
            "hs: {} line {}: {}{}",
            file,
            p.line,
            terminal_safe(&p.message),
            if p.skipped {
                "; row skipped"
            } else {
                "; row kept"
            }
        );
    }
    if loaded.problems.len() > shown {
        eprintln!(
            "hs: {file}: {} more reported rows (`hs precedents add {file}` lists them all)",
            loaded.problems.len() - shown,
        );
    }
    eprintln!(
        "hs: {file}: {} rows read, {} taken, {} skipped, {} kept with a warning",
        loaded.records,
        loaded.rows.len(),
        loaded.skipped(),
        loaded.problems.len() - loaded.skipped()
    );
}

pub fn run(g: &Global, a: &PrecedentsArgs) -> anyhow::Result<i32> {
    let store = Store::default_store();
    // Plain output names files and sets: made safe for a terminal.
    let json = match &a.action {
        PrecedentsAction::Add { json, .. } | PrecedentsAction::List { json } => *json,
        PrecedentsAction::Remove { .. } => false,
    };
    let mut out = text_stdout(json);
    match &a.action {
        PrecedentsAction::Add { file, name, json } => {
            let name = name.clone().unwrap_or_else(|| default_name(file));
            crate::precedents::store::check_name(&name)
                .map_err(|e| Failure::usage(e.to_string()))?;
            let started = std::time::Instant::now();
            let engine = engine(g)?;
            let check = CodeCheck::new(&engine);
            let (loaded, fingerprint) = read_checked(g, file, &check)?;
            report(g, &loaded, None);
            let problems = loaded.problems.clone();
            let skipped = loaded.skipped();
            let records = loaded.records;
            let (status, meta) = store
                .add(&name, file, &fingerprint, loaded)
                .map_err(|e| Failure::usage(e.to_string()))?;
            let secs = started.elapsed().as_secs_f64();
            let view = PrecedentsAddView::new(&store, status, &meta, records, skipped, &problems);
            if *json {
                serde_json::to_writer(&mut out, &view)?;
                writeln!(out)?;
            } else {
                let what = match view.status {
                    Added::Added => "added",
                    Added::Updated => "rebuilt (the file changed, or the set was damaged)",
                    Added::Replaced => "replaced (it was made from another file)",
                    Added::Unchanged => "unchanged (same content)",
                };
                writeln!(
                    out,
                    "precedent set '{}' {what}: {} rows from {} in {:.2} s ({})",
                    view.name, view.rows, view.file, secs, view.store
                )?;
            }
        }
        PrecedentsAction::List { json } => {
            // A set an interrupted update left aside is put back first, as
            // a search would.
            for n in store.recover().map_err(|e| Failure::usage(e.to_string()))? {
                if !g.quiet {
                    eprintln!("hs: {}", terminal_safe(&n));
                }
            }
            let sets = store.list().map_err(|e| Failure::usage(e.to_string()))?;
            let view = PrecedentsListView::new(&store, &sets);
            if *json {
                serde_json::to_writer(&mut out, &view)?;
                writeln!(out)?;
            } else if view.sets.is_empty() {
                writeln!(out, "no precedent sets in {}", view.store)?;
            } else {
                writeln!(out, "{:<24} {:>9}  file", "name", "rows")?;
                for s in &view.sets {
                    writeln!(out, "{:<24} {:>9}  {}", s.name, s.rows, s.source)?;
                }
            }
        }
        PrecedentsAction::Remove { name } => {
            let meta = store
                .remove(name)
                .map_err(|e| Failure::usage(e.to_string()))?;
            writeln!(
                out,
                "removed precedent set '{}' ({} rows)",
                meta.name, meta.rows
            )?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// Cross-validation: the suggestions of every row, each fold ranked with
/// the other folds' rows (their first gold code checked as a precedent's)
/// as one precedent set. Returns the suggestions in row order.
pub fn cross_validate(
    g: &Global,
    engine: &mut Engine,
    rows: &[Row],
    gold: &[String],
    k: usize,
    seed: Option<u64>,
    top: usize,
) -> anyhow::Result<Vec<Vec<Suggestion>>> {
    let folds = assign(rows.len(), k, seed.unwrap_or(DEFAULT_SEED));
    // Checked once: a row's precedent is the same in every fold it serves.
    let checked: Vec<Option<Precedent>> = {
        let check = CodeCheck::new(engine);
        rows.iter()
            .zip(gold)
            .map(|(row, g)| {
                (row.problem.is_none())
                    .then(|| check.labelled(&row.text, g, row.number as u64 + 1))
                    .flatten()
            })
            .collect()
    };
    let unusable = checked.iter().filter(|c| c.is_none()).count();
    if unusable > 0 && !g.quiet {
        eprintln!(
            "hs: {unusable} rows have no usable gold code (or description) and serve as no precedent"
        );
    }
    let mut out: Vec<Vec<Suggestion>> = vec![Vec::new(); rows.len()];
    let saved = engine.precedents.take();
    for fold in each_fold(&checked, &folds, k) {
        let fold = fold?;
        let mut sets = vec![fold.others];
        if let Some(s) = &saved {
            // `--use-store`: the store's sets vote too.
            for extra in &s.sets {
                sets.push(PrecedentIndex::in_memory(
                    &extra.name,
                    &extra.file,
                    extra.rows.clone(),
                )?);
            }
        }
        engine.precedents = Some(Arc::new(Precedents::new(sets)));
        let fold_rows: Vec<Row> = fold.rows.iter().map(|&i| rows[i].clone()).collect();
        let pool = RankerPool::new(engine);
        let results = classify_rows(engine, &pool, &fold_rows, top)?;
        for (i, r) in fold.rows.into_iter().zip(results) {
            out[i] = r;
        }
    }
    engine.precedents = saved;
    Ok(out)
}
