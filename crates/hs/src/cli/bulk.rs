//! Bulk runs: `hs classify` (descriptions to codes) and the driver shared
//! with `hs lookup`: input streamed a chunk at a time, each chunk's rows
//! worked and rendered on every core, written in input order, with progress
//! on stderr and a clean stop on Ctrl-C. Memory stays flat however long the
//! input. Each suggestion carries its controlled-goods flags (`--flag` keeps
//! the rows where any suggestion carries the flag), optionally its US
//! General rate (`--with-rates`), and the EU CN lines replace the US ones
//! with `--schedule eu`.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{Value, json};

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::cn::CnSchedule;
use crate::engine::Engine;
use crate::flags::{DISCLAIMER, matches_filter};
use crate::rank::Suggestion;

use super::args::{ClassifyArgs, Format, Global, ScheduleArg};
use super::interrupt::{EXIT_INTERRUPTED, Interrupt};
use super::output::{
    code_flags, flag_cell, flag_table, needs_review, round, stdout, suggestion_json,
};
use super::pool::{RankerPool, ResultCache};
use super::progress::Progress;
use super::{EXIT_NONE, EXIT_OK, Failure};

/// Longest description classified; longer ones are cut with a warning.
pub const MAX_DESCRIPTION: usize = 10_000;
const CHUNK: usize = 512;
/// The problem of a row whose cell is empty.
pub const EMPTY_DESCRIPTION: &str = "empty description";

/// One input row.
#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based data row number (header not counted).
    pub number: usize,
    /// The input's fields (CSV) or the line.
    pub fields: Vec<String>,
    pub text: String,
    /// Why the row cannot be classified, if so.
    pub problem: Option<String>,
    /// A note that does not stop classification (lossy UTF-8, cut text).
    pub warning: Option<String>,
}

/// Opens `-` as stdin or a file, with a clear error naming the file.
pub fn open_input(path: &Path) -> anyhow::Result<Box<dyn Read>> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(io::stdin().lock()));
    }
    if path.is_dir() {
        return Err(Failure::usage(format!(
            "{} is a folder; give a file, or - for stdin",
            path.display()
        )));
    }
    let f = File::open(path).map_err(|e| {
        Failure::usage(format!(
            "cannot open input {}: {e}; give an existing file or - for stdin",
            path.display()
        ))
    })?;
    Ok(Box::new(f))
}

fn clean(raw: &[u8], number: usize) -> (String, Option<String>) {
    let mut warning = None;
    let text = match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => {
            warning = Some(format!("row {number}: invalid UTF-8, read lossily"));
            String::from_utf8_lossy(raw).into_owned()
        }
    };
    let text = text.trim_start_matches('\u{feff}').to_string();
    (text, warning)
}

fn finish_row(
    number: usize,
    fields: Vec<String>,
    mut text: String,
    mut warning: Option<String>,
) -> Row {
    let mut problem = None;
    if text.trim().is_empty() {
        problem = Some(EMPTY_DESCRIPTION.to_string());
    } else if text.len() > MAX_DESCRIPTION {
        let mut cut = MAX_DESCRIPTION;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let was = text.len();
        text.truncate(cut);
        let w = format!("row {number}: description of {was} bytes cut to {cut}");
        warning = Some(match warning {
            Some(prev) => format!("{prev}; {w}"),
            None => w,
        });
    }
    Row {
        number,
        fields,
        text,
        problem,
        warning,
    }
}

/// Reads rows one chunk at a time.
pub enum RowReader {
    /// The lines, rows so far, bytes consumed.
    Lines(Box<dyn BufRead>, usize, u64),
    /// The CSV reader, the column's position, rows so far.
    Csv(csv::Reader<Box<dyn Read>>, usize, usize),
}

impl RowReader {
    /// True for `--lines` input.
    pub fn is_lines(&self) -> bool {
        matches!(self, RowReader::Lines(..))
    }

    /// Input bytes taken by the rows read so far.
    pub fn bytes_consumed(&self) -> u64 {
        match self {
            RowReader::Lines(_, _, consumed) => *consumed,
            RowReader::Csv(rdr, _, _) => rdr.position().byte(),
        }
    }

    /// `--lines`: one description a line.
    pub fn lines(input: Box<dyn Read>) -> RowReader {
        RowReader::Lines(Box::new(BufReader::new(input)), 0, 0)
    }

    /// CSV with a header; `column` must be one of its columns.
    pub fn csv(
        input: Box<dyn Read>,
        column: &str,
        name: &str,
    ) -> anyhow::Result<(RowReader, Vec<String>)> {
        let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(input);
        let headers = rdr
            .byte_headers()
            .map_err(|e| Failure::usage(format!("{name}: cannot read the CSV header: {e}")))?
            .clone();
        let headers: Vec<String> = headers
            .iter()
            .map(|h| {
                String::from_utf8_lossy(h)
                    .trim_start_matches('\u{feff}')
                    .trim()
                    .to_string()
            })
            .collect();
        if headers.is_empty() || (headers.len() == 1 && headers[0].is_empty()) {
            return Err(Failure::usage(format!(
                "{name} is empty: expected a CSV header with a '{column}' column (or use --lines)"
            )));
        }
        let Some(pos) = headers.iter().position(|h| h == column) else {
            return Err(Failure::usage(format!(
                "{name} has no column '{column}'; columns found: {}. Choose one with --column NAME, or use --lines",
                headers.join(", ")
            )));
        };
        Ok((RowReader::Csv(rdr, pos, 0), headers))
    }

    /// Up to `n` rows; empty at the end.
    pub fn next_chunk(&mut self, n: usize) -> anyhow::Result<Vec<Row>> {
        let mut out = Vec::with_capacity(n);
        match self {
            RowReader::Lines(r, count, consumed) => {
                let mut buf = Vec::new();
                while out.len() < n {
                    buf.clear();
                    let got = r.read_until(b'\n', &mut buf)?;
                    if got == 0 {
                        break;
                    }
                    *consumed += got as u64;
                    while buf.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
                        buf.pop();
                    }
                    *count += 1;
                    let (text, warning) = clean(&buf, *count);
                    out.push(finish_row(*count, vec![text.clone()], text, warning));
                }
            }
            RowReader::Csv(rdr, pos, count) => {
                let mut rec = csv::ByteRecord::new();
                while out.len() < n {
                    match rdr.read_byte_record(&mut rec) {
                        Ok(false) => break,
                        Ok(true) => {
                            *count += 1;
                            let mut warning = None;
                            let fields: Vec<String> = rec
                                .iter()
                                .map(|f| {
                                    let (t, w) = clean(f, *count);
                                    warning = warning.take().or(w);
                                    t
                                })
                                .collect();
                            match fields.get(*pos) {
                                Some(t) => {
                                    let t = t.clone();
                                    out.push(finish_row(*count, fields, t, warning));
                                }
                                None => out.push(Row {
                                    number: *count,
                                    text: String::new(),
                                    problem: Some(format!(
                                        "row has {} fields, the description column is field {}",
                                        fields.len(),
                                        *pos + 1
                                    )),
                                    fields,
                                    warning,
                                }),
                            }
                        }
                        Err(e) => {
                            *count += 1;
                            out.push(Row {
                                number: *count,
                                fields: Vec::new(),
                                text: String::new(),
                                problem: Some(format!("unreadable CSV row: {e}")),
                                warning: None,
                            });
                            if e.position().is_none() {
                                break;
                            }
                        }
                    }
                }
            }
        }
        Ok(out)
    }
}

/// Classifies rows in parallel, keeping their order.
pub fn classify_rows(
    engine: &Engine,
    pool: &RankerPool,
    rows: &[Row],
    top: usize,
) -> Vec<Vec<Suggestion>> {
    rows.par_iter()
        .map_init(
            || pool.take(),
            |ranker, row| {
                if row.problem.is_some() {
                    Vec::new()
                } else {
                    engine
                        .search_with(ranker.ranker(), &row.text, top)
                        .suggestions
                }
            },
        )
        .collect()
}

/// The US General rate of a suggested line (its own or its 8-digit
/// parent's); empty for suggestions without US rates.
fn general_rate(engine: &Engine, s: &Suggestion) -> String {
    if s.level == crate::cn::CN_LINE_LEVEL {
        return String::new();
    }
    engine
        .data
        .tree
        .effective_duty(s.node)
        .map(|(_, d)| d.general.clone())
        .unwrap_or_default()
}

/// An opened bulk input: its name for messages, its rows, its header (or
/// the one column of `--lines`) and its size when known (for the bar).
pub struct Input {
    pub name: String,
    pub reader: RowReader,
    pub headers: Vec<String>,
    pub size: Option<u64>,
}

impl Input {
    /// Opens `path` (`-` for stdin) as CSV with `column`, or as lines
    /// (whose one column is called `line_column`).
    pub fn open(
        path: &Path,
        lines: bool,
        column: &str,
        line_column: &str,
    ) -> anyhow::Result<Input> {
        let name = if path.as_os_str() == "-" {
            "stdin".to_string()
        } else {
            path.display().to_string()
        };
        let size = if path.as_os_str() == "-" {
            None
        } else {
            std::fs::metadata(path)
                .ok()
                .filter(|m| m.is_file())
                .map(|m| m.len())
        };
        let input = open_input(path)?;
        let (reader, headers) = if lines {
            (RowReader::lines(input), vec![line_column.to_string()])
        } else {
            RowReader::csv(input, column, &name)?
        };
        Ok(Input {
            name,
            reader,
            headers,
            size,
        })
    }
}

/// One row's output, rendered on a worker thread.
pub struct Rendered {
    pub line: Vec<u8>,
    /// The row got no result.
    pub failed: bool,
}

/// Runs a bulk job: reads `input` a chunk at a time, renders each chunk's
/// rows in parallel with `render` (one per-thread state from `init`),
/// writes them in input order, shows progress and stops cleanly on Ctrl-C.
/// Returns the exit code; `none` names what a failed row lacked.
pub fn run_bulk<S, I, F>(
    g: &Global,
    mut input: Input,
    header: Option<Vec<u8>>,
    what: &'static str,
    none: &str,
    init: I,
    render: F,
) -> anyhow::Result<i32>
where
    I: Fn() -> S + Sync + Send,
    F: Fn(&mut S, &Row) -> anyhow::Result<Rendered> + Sync + Send,
{
    let interrupt = Interrupt::install();
    let progress = Progress::bulk(g.quiet, input.size, what);
    let mut out = stdout();
    if let Some(h) = header {
        out.write_all(&h)?;
    }
    let mut failed = 0usize;
    let mut total = 0usize;
    let mut stopped = false;
    loop {
        out.flush()?;
        // Waiting for input with everything written: Ctrl-C may end at once.
        interrupt.set_idle(true);
        let rows = input.reader.next_chunk(CHUNK);
        interrupt.set_idle(false);
        let rows =
            rows.map_err(|e| Failure::usage(format!("cannot read {}: {e:#}", input.name)))?;
        if rows.is_empty() {
            break;
        }
        let rendered: Vec<Option<anyhow::Result<Rendered>>> = rows
            .par_iter()
            .map_init(&init, |state, row| {
                (!interrupt.requested()).then(|| render(state, row))
            })
            .collect();
        for (row, r) in rows.iter().zip(rendered) {
            let Some(r) = r else {
                stopped = true;
                break;
            };
            let r = r?;
            if let Some(w) = &row.warning
                && !g.quiet
            {
                progress.note(&format!("hs: warning: {} {w}", input.name));
            }
            out.write_all(&r.line)?;
            total += 1;
            if r.failed {
                failed += 1;
            }
        }
        progress.update(total, input.reader.bytes_consumed());
        if stopped || interrupt.requested() {
            stopped = true;
            break;
        }
    }
    out.flush()?;
    progress.finish();
    if stopped {
        let _ = writeln!(
            io::stderr(),
            "hs: interrupted after {total} rows of {}; the output holds {total} whole lines",
            input.name
        );
        return Ok(EXIT_INTERRUPTED);
    }
    if total == 0 && input.reader.is_lines() {
        return Err(Failure::usage(format!(
            "{} is empty: expected one {} a line",
            input.name, input.headers[0]
        )));
    }
    if total == 0 && !g.quiet {
        let _ = writeln!(io::stderr(), "hs: {} has a header but no rows", input.name);
    }
    if failed > 0 {
        if !g.quiet {
            let _ = writeln!(io::stderr(), "hs: {failed} of {total} rows got {none}");
        }
        return Ok(EXIT_NONE);
    }
    Ok(EXIT_OK)
}

pub fn classify(g: &Global, a: &ClassifyArgs) -> anyhow::Result<i32> {
    flag_table()?;
    if a.with_rates && a.schedule == ScheduleArg::Eu {
        return Err(Failure::usage(
            "--with-rates gives US rates, and the EU CN data carries none: use --schedule us with --with-rates",
        ));
    }
    let input = Input::open(&a.input, a.lines, &a.column, "description")?;
    let engine = super::precedents::engine_with_precedents(g, super::precedents::Default::Store)?;
    let cn = match a.schedule {
        ScheduleArg::Us => None,
        ScheduleArg::Eu => Some(CnSchedule::load(&engine.data.dir, &engine.data.tree)?),
    };
    let sep = if a.format == Format::Tsv { b'\t' } else { b',' };
    let width = input.headers.len();
    let header = if !a.codes_only && a.format != Format::Jsonl {
        let mut h = input.headers.clone();
        for i in 1..=a.top {
            h.push(format!("hs_code_{i}"));
            h.push(format!("hs_description_{i}"));
            h.push(format!("hs_confidence_{i}"));
            if a.with_rates {
                h.push(format!("hs_general_rate_{i}"));
            }
        }
        h.push("hs_review".into());
        h.push("hs_error".into());
        // Added after the original columns so their positions stay put.
        for i in 1..=a.top {
            h.push(format!("hs_flags_{i}"));
        }
        Some(csv_line(sep, &h)?)
    } else {
        None
    };
    let kept = AtomicUsize::new(0);
    let flagged = AtomicBool::new(false);
    let (engine, cn, kept_ref, flagged_ref) = (&engine, cn.as_ref(), &kept, &flagged);
    let pool = RankerPool::new(engine);
    let cache = ResultCache::default();
    let code = run_bulk(
        g,
        input,
        header,
        "classify",
        "no suggestion",
        || pool.take(),
        |ranker, row| {
            let mut search = || {
                engine
                    .search_in(ranker.ranker(), &row.text, a.top, cn)
                    .suggestions
            };
            let sugg = if row.problem.is_some() {
                Arc::new(Vec::new())
            } else if a.no_cache {
                Arc::new(search())
            } else {
                cache.get_or(&row.text, search)
            };
            let error = row
                .problem
                .clone()
                .or_else(|| sugg.is_empty().then(|| "no suggestion".to_string()));
            let failed = error.is_some();
            let flags: Vec<_> = sugg.iter().map(|s| code_flags(&s.code)).collect();
            // `--flag`: a row is kept when any of its suggestions carries the flag.
            if !a.flag.is_empty() && !flags.iter().any(|f| matches_filter(f, &a.flag)) {
                return Ok(Rendered {
                    line: Vec::new(),
                    failed,
                });
            }
            kept_ref.fetch_add(1, Ordering::Relaxed);
            if flags.iter().any(|f| !f.is_empty()) {
                flagged_ref.store(true, Ordering::Relaxed);
            }
            let line = if a.codes_only {
                let mut l = sugg.first().map(|s| s.code.to_string()).unwrap_or_default();
                l.push('\n');
                l.into_bytes()
            } else {
                match a.format {
                    Format::Jsonl => {
                        let suggestions: Vec<Value> = sugg
                            .iter()
                            .map(|s| {
                                let mut v = suggestion_json(s);
                                if a.with_rates {
                                    v["general_rate"] = json!(general_rate(engine, s));
                                }
                                v
                            })
                            .collect();
                        let mut v: Value = json!({
                            "row": row.number,
                            "description": row.text,
                            "suggestions": suggestions,
                            "review": needs_review(&sugg),
                        });
                        if let Some(e) = &error {
                            v["error"] = json!(e);
                        }
                        if let Some(w) = &row.warning {
                            v["warning"] = json!(w);
                        }
                        let mut l = serde_json::to_vec(&v)?;
                        l.push(b'\n');
                        l
                    }
                    Format::Csv | Format::Tsv => {
                        let mut rec: Vec<String> = row.fields.clone();
                        rec.resize(width, String::new());
                        for i in 0..a.top {
                            match sugg.get(i) {
                                Some(s) => {
                                    rec.push(s.code.to_string());
                                    rec.push(s.description.clone());
                                    rec.push(format!("{}", round(s.confidence, 4)));
                                    if a.with_rates {
                                        rec.push(general_rate(engine, s));
                                    }
                                }
                                None => {
                                    rec.extend([String::new(), String::new(), String::new()]);
                                    if a.with_rates {
                                        rec.push(String::new());
                                    }
                                }
                            }
                        }
                        rec.push(needs_review(&sugg).to_string());
                        rec.push(error.unwrap_or_default());
                        for i in 0..a.top {
                            rec.push(flags.get(i).map(|f| flag_cell(f)).unwrap_or_default());
                        }
                        csv_line(sep, &rec)?
                    }
                }
            };
            Ok(Rendered { line, failed })
        },
    )?;
    let kept = kept.load(Ordering::Relaxed);
    if !g.quiet {
        if !a.flag.is_empty() {
            eprintln!(
                "hs: {kept} rows have a suggestion flagged {}",
                a.flag.join(" or ")
            );
        }
        if flagged.load(Ordering::Relaxed) && !a.codes_only {
            eprintln!("hs: note: {DISCLAIMER}");
        }
    }
    if code == EXIT_OK && !a.flag.is_empty() && kept == 0 {
        return Ok(EXIT_NONE);
    }
    Ok(code)
}

/// One CSV (or TSV) record, quoted as needed, with its line end.
pub fn csv_line(sep: u8, fields: &[String]) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(sep)
        .buffer_capacity(256)
        .from_writer(Vec::with_capacity(256));
    w.write_record(fields)?;
    w.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))
}
