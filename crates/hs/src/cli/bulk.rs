//! Bulk runs: `hs classify` (descriptions to codes) and the driver shared
//! with `hs lookup`: input streamed a chunk at a time, each chunk's rows
//! worked and rendered on every core, written in input order, with progress
//! on stderr and a clean stop on Ctrl-C. Memory stays flat however long the
//! input. Each suggestion carries its controlled-goods flags (`--flag` keeps
//! the rows where any suggestion carries the flag), optionally its US
//! General rate (`--with-rates`), and the EU CN lines replace the US ones
//! with `--schedule eu`.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use crate::view::{ClassifyRow, SuggestionView, suggestion_flags};
use rayon::prelude::*;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::cn::CnSchedule;
use crate::engine::Engine;
use crate::flags::{DISCLAIMER, matches_filter};
use crate::rank::Suggestion;

use super::args::{ClassifyArgs, Format, Global, ScheduleArg};
use super::cells;
use super::interrupt::{EXIT_INTERRUPTED, Interrupt};
use super::output::{excerpt, flag_cell, flag_table, needs_review, round, stdout, terminal_safe};
use super::pool::{RankerPool, ResultCache};
use super::progress::Progress;
use super::records::{RecordError, Records};
use super::{EXIT_NONE, EXIT_OK, Failure};

const CHUNK: usize = 512;
/// The problem of a row whose cell is empty.
pub const EMPTY_DESCRIPTION: &str = "empty description";

/// One input row.
#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based data row number (header not counted).
    pub number: usize,
    /// 1-based line of the input where the row starts (a quoted cell may
    /// span lines, so it can be past `number + 1`).
    pub line: usize,
    /// The input's fields (CSV) or the line.
    pub fields: Vec<String>,
    pub text: String,
    /// Why the row cannot be classified, if so.
    pub problem: Option<String>,
    /// A note that does not stop classification (lossy UTF-8, cut text).
    pub warning: Option<String>,
}

/// Opens `-` as stdin or a file, with a clear error naming the file.
pub fn open_input(path: &Path) -> anyhow::Result<Box<dyn BufRead + Send>> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(BufReader::with_capacity(64 * 1024, io::stdin())));
    }
    if path.is_dir() {
        return Err(Failure::usage(format!(
            "{} is a folder; give a file, or - for stdin",
            terminal_safe(&path.display().to_string())
        )));
    }
    let f = File::open(path).map_err(|e| {
        Failure::usage(format!(
            "cannot open input {}: {e}; give an existing file or - for stdin",
            terminal_safe(&path.display().to_string())
        ))
    })?;
    Ok(Box::new(BufReader::with_capacity(64 * 1024, f)))
}

fn clean(raw: &[u8], at: &str) -> (String, Option<String>) {
    let mut warning = None;
    let text = match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => {
            warning = Some(format!("{at}: invalid UTF-8, read lossily"));
            String::from_utf8_lossy(raw).into_owned()
        }
    };
    let text = text.trim_start_matches('\u{feff}').to_string();
    (text, warning)
}

fn add_warning(warning: &mut Option<String>, w: String) {
    *warning = Some(match warning.take() {
        Some(prev) => format!("{prev}; {w}"),
        None => w,
    });
}

fn finish_row(
    (number, line): (usize, usize),
    fields: Vec<String>,
    text: String,
    warning: Option<String>,
) -> Row {
    let problem = text
        .trim()
        .is_empty()
        .then(|| EMPTY_DESCRIPTION.to_string());
    Row {
        number,
        line,
        fields,
        text,
        problem,
        warning,
    }
}

/// The problem of a blank line in a CSV file (a row of its own).
pub const BLANK_LINE: &str = "blank line";

/// True for the row a blank line of a CSV file makes.
pub fn is_blank_line(row: &Row) -> bool {
    row.fields.is_empty()
        && row
            .problem
            .as_deref()
            .is_some_and(|p| p.starts_with(BLANK_LINE))
}

/// Refuses to write `output` when it is the input file `input` (the same
/// path, a symbolic link to it, or another hard link of it): creating it
/// would empty the input before it is read.
pub fn refuse_same_file(output: &Path, input: &Path) -> anyhow::Result<()> {
    if input.as_os_str() == "-" {
        return Ok(());
    }
    let same_path = match (std::fs::canonicalize(output), std::fs::canonicalize(input)) {
        (Ok(o), Ok(i)) => o == i,
        _ => false,
    };
    #[cfg(unix)]
    let same_file = {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(output), std::fs::metadata(input)) {
            (Ok(o), Ok(i)) => (o.dev(), o.ino()) == (i.dev(), i.ino()),
            _ => false,
        }
    };
    #[cfg(not(unix))]
    let same_file = false;
    if same_path || same_file {
        return Err(Failure::usage(format!(
            "{} is an input file ({}); writing to it would destroy it: choose another output file",
            terminal_safe(&output.display().to_string()),
            terminal_safe(&input.display().to_string())
        )));
    }
    Ok(())
}

/// Rows (or input bytes) gathered before a chunk is worked: the byte bound
/// keeps memory flat when rows are wide.
const CHUNK_BYTES: usize = 8 * 1024 * 1024;

/// Reads rows from CSV with a header or from lines, bounded (see
/// [`super::records`]).
pub struct RowReader {
    records: Records<Box<dyn BufRead + Send>>,
    lines: bool,
    /// The column's position (0 for lines), and its name.
    pos: usize,
    column: String,
    /// Rows so far.
    count: usize,
    /// The input's name for messages.
    name: String,
    /// An error met after rows that were returned first.
    pending: Option<anyhow::Error>,
}

impl RowReader {
    /// True for `--lines` input.
    pub fn is_lines(&self) -> bool {
        self.lines
    }

    /// Input bytes taken by the rows read so far.
    pub fn bytes_consumed(&self) -> u64 {
        self.records.consumed()
    }

    fn error(&self, e: RecordError) -> anyhow::Error {
        let name = terminal_safe(&self.name);
        match e {
            RecordError::Bad { line, message } => {
                Failure::usage(format!("{name}, line {line}: {message}"))
            }
            RecordError::Io(e) => Failure::usage(format!("cannot read {name}: {e}")),
        }
    }

    /// `--lines`: one value a line.
    pub fn lines(input: Box<dyn BufRead + Send>, name: &str) -> RowReader {
        RowReader::new(input, true, name)
    }

    fn new(input: Box<dyn BufRead + Send>, lines: bool, name: &str) -> RowReader {
        RowReader {
            records: Records::new(input, !lines),
            lines,
            pos: 0,
            column: String::new(),
            count: 0,
            name: name.to_string(),
            pending: None,
        }
    }

    /// CSV with a header; `column` must be one of its columns.
    pub fn csv(
        input: Box<dyn BufRead + Send>,
        column: &str,
        name: &str,
    ) -> anyhow::Result<(RowReader, Vec<String>)> {
        let mut reader = RowReader::new(input, false, name);
        let safe = terminal_safe(name);
        let header = reader.records.next_record().map_err(|e| reader.error(e))?;
        let Some(header) = header else {
            return Err(Failure::usage(format!(
                "{safe} is empty: expected a CSV header with a '{}' column (or use --lines)",
                excerpt(column, 60)
            )));
        };
        if header.blank {
            return Err(Failure::usage(format!(
                "{safe}, line 1 is blank: expected a CSV header with a '{}' column (or use --lines)",
                excerpt(column, 60)
            )));
        }
        let headers: Vec<String> = header
            .fields
            .iter()
            .map(|h| {
                String::from_utf8_lossy(h)
                    .trim_start_matches('\u{feff}')
                    .trim()
                    .to_string()
            })
            .collect();
        let Some(pos) = unique_column(name, &headers, column, "--column")? else {
            return Err(Failure::usage(format!(
                "{safe} has no column '{}'; columns found: {}. Choose one with --column NAME, or use --lines",
                excerpt(column, 60),
                column_list(&headers)
            )));
        };
        reader.pos = pos;
        reader.column = column.to_string();
        Ok((reader, headers))
    }

    /// The next row, `None` at the end; an error names the line where the
    /// input stopped making sense.
    pub fn next_row(&mut self) -> anyhow::Result<Option<Row>> {
        if let Some(e) = self.pending.take() {
            return Err(e);
        }
        let rec = match self.records.next_record() {
            Ok(Some(r)) => r,
            Ok(None) => return Ok(None),
            Err(e) => return Err(self.error(e)),
        };
        self.count += 1;
        let number = self.count;
        // Where a warning points: the row, and its line when a quoted cell
        // spanning lines put it elsewhere than after the header.
        let at = if rec.line == number + usize::from(!self.lines) {
            format!("row {number}")
        } else {
            format!("row {number} (line {})", rec.line)
        };
        let mut warning = None;
        let fields: Vec<String> = rec
            .fields
            .iter()
            .map(|f| {
                let (t, w) = clean(f, &at);
                if let Some(w) = w
                    && warning.is_none()
                {
                    warning = Some(w);
                }
                t
            })
            .collect();
        for &(i, was) in &rec.cut {
            let kept = rec.fields[i].len();
            let what = if i == self.pos {
                excerpt(&self.column, 40)
            } else {
                format!("field {}", i + 1)
            };
            add_warning(
                &mut warning,
                format!("{at}: {what} of {was} bytes cut to {kept}"),
            );
        }
        // A quoted cell holding line ends, or a quote that does not pair
        // up and ran the following lines into this row: said either way.
        if rec.last_line > rec.line {
            add_warning(
                &mut warning,
                format!(
                    "{at}: read from lines {}-{} (a quoted cell holds line ends; if these were meant as separate rows, a quote does not pair up)",
                    rec.line, rec.last_line
                ),
            );
        }
        if rec.blank && !self.lines {
            return Ok(Some(Row {
                number,
                line: rec.line,
                fields: Vec::new(),
                text: String::new(),
                problem: Some(format!("{BLANK_LINE} (line {})", rec.line)),
                warning,
            }));
        }
        Ok(Some(match fields.get(self.pos) {
            Some(t) => {
                let t = t.clone();
                finish_row((number, rec.line), fields, t, warning)
            }
            None => Row {
                number,
                line: rec.line,
                text: String::new(),
                problem: Some(format!(
                    "row has {} fields, the '{}' column is field {}",
                    fields.len(),
                    excerpt(&self.column, 40),
                    self.pos + 1
                )),
                fields,
                warning,
            },
        }))
    }

    /// Up to `n` rows (fewer when they are wide); empty at the end. An
    /// error after some rows comes on the next call.
    pub fn next_chunk(&mut self, n: usize) -> anyhow::Result<Vec<Row>> {
        let mut out = Vec::with_capacity(n.min(CHUNK));
        let mut weight = 0;
        while out.len() < n && weight < CHUNK_BYTES {
            match self.next_row() {
                Ok(Some(row)) => {
                    weight += row.weight();
                    out.push(row);
                }
                Ok(None) => break,
                Err(e) if out.is_empty() => return Err(e),
                Err(e) => {
                    self.pending = Some(e);
                    break;
                }
            }
        }
        Ok(out)
    }
}

/// The position of the column `name` among `headers`, refusing a name
/// that two columns share (which one is meant would be a guess); `what`
/// names the flag that chooses it, for the message.
pub fn unique_column(
    file: &str,
    headers: &[String],
    name: &str,
    what: &str,
) -> anyhow::Result<Option<usize>> {
    let mut named = headers.iter().enumerate().filter(|(_, h)| *h == name);
    match (named.next(), named.next()) {
        (Some((a, _)), Some((b, _))) => Err(Failure::usage(format!(
            "{} has two columns named '{}' (fields {} and {}): which one is meant is unclear; rename one, or choose another with {what}",
            terminal_safe(file),
            excerpt(name, 60),
            a + 1,
            b + 1
        ))),
        (first, _) => Ok(first.map(|(i, _)| i)),
    }
}

/// The position of the gold-code column `gold` (`eval`, `quiz`): named once
/// ([`unique_column`]), or a usage error listing the columns found.
pub fn gold_column(file: &str, headers: &[String], gold: &str) -> anyhow::Result<usize> {
    unique_column(file, headers, gold, "--gold")?.ok_or_else(|| {
        Failure::usage(format!(
            "{} has no gold column '{}'; columns found: {}. Choose one with --gold NAME",
            terminal_safe(file),
            excerpt(gold, 60),
            column_list(headers)
        ))
    })
}

/// Column names for a message: each cut short, at most 20 of them
/// ([`crate::text::column_list`]), terminal-safe.
pub fn column_list(headers: &[String]) -> String {
    terminal_safe(&crate::text::column_list(headers)).into_owned()
}

impl Row {
    /// Bytes held, roughly.
    pub fn weight(&self) -> usize {
        self.text.len() + self.fields.iter().map(|f| f.len() + 24).sum::<usize>()
    }
}

/// Classifies rows in parallel, keeping their order.
pub fn classify_rows(
    engine: &Engine,
    pool: &RankerPool,
    rows: &[Row],
    top: usize,
) -> Result<Vec<Vec<Suggestion>>, crate::rank::RankError> {
    rows.par_iter()
        .map_init(
            || pool.take(),
            |ranker, row| {
                if row.problem.is_some() {
                    Ok(Vec::new())
                } else {
                    Ok(engine
                        .search_with(ranker.ranker(), &row.text, top)?
                        .suggestions)
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
            let mut reader = RowReader::lines(input, &name);
            // Messages name the line's value as the command reads it.
            reader.column = line_column.to_string();
            (reader, vec![line_column.to_string()])
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

/// What the reading thread hands over: a row with the input bytes taken
/// so far, or the error that ended the input.
enum Msg {
    Row(Box<Row>, u64),
    Fatal(anyhow::Error),
}

/// How long the run waits for the next row before it works the rows it
/// has (input arriving slowly, e.g. typed or from a FIFO) and checks for
/// Ctrl-C.
const STALL: Duration = Duration::from_millis(100);
/// Rows read ahead of the workers.
const READ_AHEAD: usize = 64;

/// Starts the thread that reads rows; it stops at the end of the input, at
/// an error, or once Ctrl-C was pressed. It is left blocked on a read that
/// never returns when the run ends first (stdin held open).
fn spawn_reader(mut reader: RowReader, interrupt: Interrupt) -> anyhow::Result<Receiver<Msg>> {
    let (tx, rx) = mpsc::sync_channel(READ_AHEAD);
    std::thread::Builder::new()
        .name("hs-read".into())
        .spawn(move || {
            loop {
                let msg = match reader.next_row() {
                    Ok(Some(row)) => Msg::Row(Box::new(row), reader.bytes_consumed()),
                    Ok(None) => return,
                    Err(e) => Msg::Fatal(e),
                };
                let last = matches!(msg, Msg::Fatal(_));
                if tx.send(msg).is_err() || last || interrupt.requested() {
                    return;
                }
            }
        })?;
    Ok(rx)
}

/// The rows of the next chunk: up to [`CHUNK`] rows (or [`CHUNK_BYTES`]),
/// fewer when the input pauses for [`STALL`]; after Ctrl-C only the rows
/// already read. Sets `end` at the end of the input (`fatal` when it
/// stopped making sense) and `bytes` to the input taken.
fn gather(
    rx: &Receiver<Msg>,
    interrupt: &Interrupt,
    end: &mut bool,
    fatal: &mut Option<anyhow::Error>,
    bytes: &mut u64,
) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut weight = 0;
    // Takes one message; returns the row's weight.
    let mut take = |m: Msg, rows: &mut Vec<Row>, end: &mut bool| match m {
        Msg::Row(r, b) => {
            *bytes = b;
            let w = r.weight();
            rows.push(*r);
            w
        }
        Msg::Fatal(e) => {
            *fatal = Some(e);
            *end = true;
            0
        }
    };
    while !*end && rows.len() < CHUNK && weight < CHUNK_BYTES {
        if interrupt.requested() {
            // Rows already read are worked and written; reading stops.
            while let Ok(m) = rx.try_recv() {
                take(m, &mut rows, end);
            }
            break;
        }
        match rx.recv_timeout(STALL) {
            Ok(m) => weight += take(m, &mut rows, end),
            Err(RecvTimeoutError::Timeout) if rows.is_empty() => {}
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => *end = true,
        }
    }
    rows
}

/// Runs a bulk job: reads `input` on a thread of its own, renders each
/// chunk's rows in parallel with `render` (one per-thread state from
/// `init`), writes them in input order, shows progress and stops cleanly on
/// Ctrl-C (the rows already read are worked and written first). Returns the
/// exit code; `none` names what a failed row lacked. Input that stops
/// making sense is an error (exit 2) after the rows before it are written.
pub fn run_bulk<S, I, F>(
    g: &Global,
    input: Input,
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
    let name = terminal_safe(&input.name).into_owned();
    let is_lines = input.reader.is_lines();
    let rx = spawn_reader(input.reader, interrupt.clone())?;
    let mut out = stdout();
    if let Some(h) = header {
        out.write_all(&h)?;
    }
    let (mut failed, mut total, mut lines) = (0usize, 0usize, 0usize);
    let (mut end, mut fatal, mut bytes) = (false, None, 0u64);
    loop {
        out.flush()?;
        let rows = gather(&rx, &interrupt, &mut end, &mut fatal, &mut bytes);
        if rows.is_empty() {
            break;
        }
        let rendered: Vec<anyhow::Result<Rendered>> = rows
            .par_iter()
            .map_init(&init, |state, row| render(state, row))
            .collect();
        for (row, r) in rows.iter().zip(rendered) {
            let r = r?;
            if let Some(w) = &row.warning
                && !g.quiet
            {
                progress.note(&format!("hs: warning: {name} {}", terminal_safe(w)));
            }
            out.write_all(&r.line)?;
            total += 1;
            if !r.line.is_empty() {
                lines += 1;
            }
            if r.failed {
                failed += 1;
            }
        }
        progress.update(total, bytes);
        if interrupt.requested() {
            break;
        }
    }
    out.flush()?;
    progress.finish();
    if interrupt.requested() {
        let _ = writeln!(
            io::stderr(),
            "hs: interrupted after {total} rows of {name}: every row read was worked and written; the output holds {lines} whole lines"
        );
        return Ok(EXIT_INTERRUPTED);
    }
    if let Some(e) = fatal {
        // The rows before the error are written, one output line each.
        return Err(Failure::usage(format!(
            "{e}; rows before it written: {total}"
        )));
    }
    if total == 0 && is_lines {
        return Err(Failure::usage(format!(
            "{name} is empty: expected one {} a line",
            input.headers[0]
        )));
    }
    if total == 0 && !g.quiet {
        let _ = writeln!(io::stderr(), "hs: {name} has a header but no rows");
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
    // `--origin`: checked before any data is read; the measures after.
    let origin = match &a.origin {
        Some(o) => Some(
            crate::tariff::country(o)
                .map_err(|e| Failure::usage(format!("--origin: {e}")))?
                .code
                .clone(),
        ),
        None => None,
    };
    let date = match &a.date {
        Some(d) => {
            crate::tariff::Date::parse(d).map_err(|e| Failure::usage(format!("--date: {e}")))?
        }
        None => crate::tariff::Date::today(),
    };
    let input = Input::open(&a.input, a.lines, &a.column, "description")?;
    // `classify` is the process's one job: its engine (the tree, the
    // rankers' caches, every precedent row) is left for the process's end to
    // free at once rather than taken apart piece by piece (tens of
    // milliseconds with a 100,000-row precedent store).
    let engine: &Engine = Box::leak(Box::new(super::precedents::engine_with_precedents(
        g,
        super::precedents::Default::Store,
    )?));
    let measures = match &origin {
        Some(_) => Some(crate::tariff::Measures::load(&engine.data.dir)?),
        None => None,
    };
    // Each suggestion's rates for the origin (None without `--origin`).
    let origin_rates = |s: &Suggestion| {
        origin
            .as_deref()
            .zip(measures.as_ref())
            .map(|(o, m)| crate::view::duty::origin_rates(&engine.data, m, s.node, o, date))
    };
    let rate_cell =
        |r: Option<crate::tariff::Decimal>| r.map(|x| x.to_string()).unwrap_or_default();
    let cn = match a.schedule {
        ScheduleArg::Us => None,
        ScheduleArg::Eu => Some(CnSchedule::load(&engine.data.dir, &engine.data.tree)?),
    };
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
            if origin.is_some() {
                h.push(format!("hs_additional_rate_{i}"));
                h.push(format!("hs_total_rate_{i}"));
            }
        }
        h.push("hs_review".into());
        h.push("hs_error".into());
        // Added after the original columns so their positions stay put.
        for i in 1..=a.top {
            h.push(format!("hs_flags_{i}"));
        }
        Some(cells::record(a.format, a.raw_cells, &h)?)
    } else {
        None
    };
    let (kept, seen) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let flagged = AtomicBool::new(false);
    let (cn, kept_ref, flagged_ref, seen_ref) = (cn.as_ref(), &kept, &flagged, &seen);
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
            seen_ref.fetch_add(1, Ordering::Relaxed);
            let mut search = || {
                engine
                    .search_in(ranker.ranker(), &row.text, a.top, cn)
                    .map(|r| r.suggestions)
            };
            let sugg = if row.problem.is_some() {
                Arc::new(Vec::new())
            } else if a.no_cache {
                Arc::new(search()?)
            } else {
                cache.get_or(&row.text, search)?
            };
            let error = row
                .problem
                .clone()
                .or_else(|| sugg.is_empty().then(|| "no suggestion".to_string()));
            let failed = error.is_some();
            let flags: Vec<_> = sugg.iter().map(suggestion_flags).collect();
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
                        let suggestions = sugg
                            .iter()
                            .map(|s| {
                                let r = origin_rates(s);
                                SuggestionView {
                                    general_rate: a.with_rates.then(|| general_rate(engine, s)),
                                    additional_rate: r.as_ref().map(|r| r.additional_rate),
                                    total_rate: r.as_ref().map(|r| r.total_rate),
                                    rate_note: r.and_then(|r| r.note),
                                    ..SuggestionView::new(s)
                                }
                            })
                            .collect();
                        let v = ClassifyRow::new(
                            row.number,
                            &row.text,
                            suggestions,
                            needs_review(&sugg),
                            error.clone(),
                            row.warning.clone(),
                        )
                        .with_language(&sugg);
                        let mut l = serde_json::to_vec(&v)?;
                        l.push(b'\n');
                        l
                    }
                    Format::Csv | Format::Tsv => {
                        let mut rec: Vec<String> = row.fields.clone();
                        // A ragged row's extra fields go after hs's columns.
                        let extra = rec.split_off(width.min(rec.len()));
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
                                    if let Some(r) = origin_rates(s) {
                                        rec.push(rate_cell(r.additional_rate));
                                        rec.push(rate_cell(r.total_rate));
                                    }
                                }
                                None => {
                                    rec.extend([String::new(), String::new(), String::new()]);
                                    if a.with_rates {
                                        rec.push(String::new());
                                    }
                                    if origin.is_some() {
                                        rec.extend([String::new(), String::new()]);
                                    }
                                }
                            }
                        }
                        rec.push(needs_review(&sugg).to_string());
                        rec.push(error.unwrap_or_default());
                        for i in 0..a.top {
                            rec.push(flags.get(i).map(|f| flag_cell(f)).unwrap_or_default());
                        }
                        rec.extend(extra);
                        cells::record(a.format, a.raw_cells, &rec)?
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
                "hs: {kept} of {} rows have a suggestion flagged {}",
                seen.load(Ordering::Relaxed),
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
