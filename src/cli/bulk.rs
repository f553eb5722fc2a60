//! `hs classify`: bulk classification of descriptions from a CSV file or
//! lines, streamed in chunks over every core, written in input order.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::engine::Engine;
use crate::rank::Suggestion;

use super::args::{ClassifyArgs, Format, Global};
use super::output::{engine, needs_review, round, stdout, suggestion_json};
use super::{EXIT_NONE, EXIT_OK, Failure};

/// Longest description classified; longer ones are cut with a warning.
pub const MAX_DESCRIPTION: usize = 10_000;
const CHUNK: usize = 512;

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
        problem = Some("empty description".to_string());
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
    Lines(Box<dyn BufRead>, usize),
    Csv(csv::Reader<Box<dyn Read>>, usize, usize),
}

impl RowReader {
    /// `--lines`: one description a line.
    pub fn lines(input: Box<dyn Read>) -> RowReader {
        RowReader::Lines(Box::new(BufReader::new(input)), 0)
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
            RowReader::Lines(r, count) => {
                let mut buf = Vec::new();
                while out.len() < n {
                    buf.clear();
                    if r.read_until(b'\n', &mut buf)? == 0 {
                        break;
                    }
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
pub fn classify_rows(engine: &Engine, rows: &[Row], top: usize) -> Vec<Vec<Suggestion>> {
    rows.par_iter()
        .map_init(
            || engine.ranker(),
            |ranker, row| {
                if row.problem.is_some() {
                    Vec::new()
                } else {
                    engine.search_with(ranker, &row.text, top).suggestions
                }
            },
        )
        .collect()
}

pub fn classify(g: &Global, a: &ClassifyArgs) -> anyhow::Result<i32> {
    let name = if a.input.as_os_str() == "-" {
        "stdin".to_string()
    } else {
        a.input.display().to_string()
    };
    let input = open_input(&a.input)?;
    let (mut reader, headers) = if a.lines {
        (RowReader::lines(input), vec!["description".to_string()])
    } else {
        RowReader::csv(input, &a.column, &name)?
    };
    let engine = engine(g)?;
    let mut out = stdout();
    let sep = if a.format == Format::Tsv { b'\t' } else { b',' };
    if !a.codes_only && a.format != Format::Jsonl {
        let mut h = headers.clone();
        for i in 1..=a.top {
            h.push(format!("hs_code_{i}"));
            h.push(format!("hs_description_{i}"));
            h.push(format!("hs_confidence_{i}"));
        }
        h.push("hs_review".into());
        h.push("hs_error".into());
        out.write_all(&csv_line(sep, &h)?)?;
    }
    let mut failed = 0usize;
    let mut total = 0usize;
    loop {
        let rows = reader.next_chunk(CHUNK)?;
        if rows.is_empty() {
            break;
        }
        let results = classify_rows(&engine, &rows, a.top);
        for (row, sugg) in rows.iter().zip(results) {
            total += 1;
            if let Some(w) = &row.warning
                && !g.quiet
            {
                eprintln!("hs: warning: {name} {w}");
            }
            let error = row
                .problem
                .clone()
                .or_else(|| sugg.is_empty().then(|| "no suggestion".to_string()));
            if error.is_some() {
                failed += 1;
            }
            if a.codes_only {
                writeln!(
                    out,
                    "{}",
                    sugg.first().map(|s| s.code.to_string()).unwrap_or_default()
                )?;
                continue;
            }
            match a.format {
                Format::Jsonl => {
                    let mut v: Value = json!({
                        "row": row.number,
                        "description": row.text,
                        "suggestions": sugg.iter().map(suggestion_json).collect::<Vec<_>>(),
                        "review": needs_review(&sugg),
                    });
                    if let Some(e) = &error {
                        v["error"] = json!(e);
                    }
                    if let Some(w) = &row.warning {
                        v["warning"] = json!(w);
                    }
                    serde_json::to_writer(&mut out, &v)?;
                    writeln!(out)?;
                }
                Format::Csv | Format::Tsv => {
                    let mut rec: Vec<String> = row.fields.clone();
                    rec.resize(headers.len(), String::new());
                    for i in 0..a.top {
                        match sugg.get(i) {
                            Some(s) => {
                                rec.push(s.code.to_string());
                                rec.push(s.description.clone());
                                rec.push(format!("{}", round(s.confidence, 4)));
                            }
                            None => rec.extend([String::new(), String::new(), String::new()]),
                        }
                    }
                    rec.push(needs_review(&sugg).to_string());
                    rec.push(error.unwrap_or_default());
                    out.write_all(&csv_line(sep, &rec)?)?;
                }
            }
        }
        out.flush()?;
    }
    out.flush()?;
    if failed > 0 {
        if !g.quiet {
            eprintln!("hs: {failed} of {total} rows got no suggestion");
        }
        return Ok(EXIT_NONE);
    }
    Ok(EXIT_OK)
}

/// One CSV (or TSV) record, quoted as needed, with its line end.
pub fn csv_line(sep: u8, fields: &[String]) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(sep)
        .from_writer(Vec::new());
    w.write_record(fields)?;
    w.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))
}
