//! `hs eval FILE.csv`: the built-in scorer over a labelled file.

use std::collections::BTreeMap;
use std::io::Write;

use crate::eval::{Scores, digits, gold_parts};
use crate::view::{EvalPrediction, EvalReport};

use super::args::{EvalArgs, Global};
use super::bulk::{Input, Row, classify_rows, gold_column, is_blank_line, refuse_same_file};
use super::output::{engine, stdout, terminal_safe};
use super::pool::RankerPool;
use super::precedents::{Default as PrecedentDefault, attach, cross_validate};
use super::progress::Progress;
use super::{EXIT_OK, Failure};

pub fn run(g: &Global, a: &EvalArgs) -> anyhow::Result<i32> {
    let Input {
        name,
        mut reader,
        headers,
        size,
    } = Input::open(&a.file, false, &a.column, "description")?;
    let gold_pos = gold_column(&name, &headers, &a.gold)?;
    let mut engine = engine(g)?;
    let default = if a.use_store {
        PrecedentDefault::Store
    } else {
        PrecedentDefault::None
    };
    attach(g, &mut engine, default)?;
    let mut all = Scores::default();
    let mut by_chapter: BTreeMap<String, Scores> = BTreeMap::new();
    if let Some(p) = &a.predictions {
        refuse_same_file(p, &a.file)?;
        for input in &g.precedents {
            refuse_same_file(p, input)?;
        }
    }
    let mut preds = match &a.predictions {
        Some(p) => Some(std::io::BufWriter::new(std::fs::File::create(p).map_err(
            |e| Failure::usage(format!("cannot write predictions to {}: {e}", p.display())),
        )?)),
        None => None,
    };
    let started = std::time::Instant::now();
    let progress = Progress::bulk(g.quiet, size, "eval");
    let gold_of = |row: &Row| row.fields.get(gold_pos).cloned().unwrap_or_default();
    // Blank lines are no rows here, as score.py's CSV reader skips them
    // (each is noted on stderr); rows without a usable gold code count as
    // misses, and are counted for a note.
    let (mut blank, mut no_gold) = (0usize, 0usize);
    let mut score = |row: &Row, sugg: &[crate::rank::Suggestion]| -> anyhow::Result<()> {
        if is_blank_line(row) {
            blank += 1;
            return Ok(());
        }
        if let Some(w) = &row.warning
            && !g.quiet
        {
            eprintln!("hs: warning: {} {}", terminal_safe(&name), terminal_safe(w));
        }
        let gold = gold_parts(&gold_of(row));
        no_gold += usize::from(gold.iter().all(String::is_empty));
        let ranked: Vec<String> = sugg.iter().map(|s| digits(s.code.digits())).collect();
        all.add(&ranked, &gold);
        if a.by_chapter {
            let ch = gold
                .iter()
                .find(|g| !g.is_empty())
                .map(|g| g.chars().take(2).collect())
                .unwrap_or_default();
            by_chapter.entry(ch).or_default().add(&ranked, &gold);
        }
        if let Some(p) = preds.as_mut() {
            // `suggestions` carries each one's confidence for score.py.
            serde_json::to_writer(&mut *p, &EvalPrediction::new(sugg))?;
            writeln!(p)?;
        }
        Ok(())
    };
    if let Some(k) = a.cross_validate {
        // The folds need every row at once.
        let mut rows = Vec::new();
        loop {
            let chunk = reader.next_chunk(1024)?;
            if chunk.is_empty() {
                break;
            }
            rows.extend(chunk);
        }
        let gold: Vec<String> = rows.iter().map(gold_of).collect();
        let results = cross_validate(g, &mut engine, &rows, &gold, k as usize, a.seed, 10)?;
        for (row, sugg) in rows.iter().zip(&results) {
            score(row, sugg)?;
        }
        progress.update(rows.len(), reader.bytes_consumed());
    } else {
        let pool = RankerPool::new(&engine);
        let mut done = 0usize;
        loop {
            let rows = reader.next_chunk(1024)?;
            if rows.is_empty() {
                break;
            }
            let results = classify_rows(&engine, &pool, &rows, 10)?;
            for (row, sugg) in rows.iter().zip(&results) {
                score(row, sugg)?;
            }
            done += rows.len();
            progress.update(done, reader.bytes_consumed());
        }
    }
    progress.finish();
    if let Some(mut p) = preds {
        p.flush()?;
    }
    if !g.quiet {
        if blank > 0 {
            eprintln!(
                "hs: {}: {blank} blank line(s) skipped (not rows, as score.py reads them)",
                terminal_safe(&name)
            );
        }
        if no_gold > 0 {
            eprintln!(
                "hs: {}: {no_gold} row(s) have no usable gold code in column '{}' and count as misses",
                terminal_safe(&name),
                terminal_safe(&a.gold)
            );
        }
    }
    let elapsed = started.elapsed();
    all.finish();
    for s in by_chapter.values_mut() {
        s.finish();
    }
    let report = EvalReport::new(
        &name,
        &all,
        a.by_chapter.then_some(&by_chapter),
        elapsed.as_secs_f64(),
    );
    let mut out = stdout();
    if a.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{}: {} rows in {:.2} s",
            terminal_safe(&report.file),
            report.rows,
            report.seconds
        )?;
        let line: Vec<String> = report
            .figures
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        writeln!(out, "{}", line.join(" "))?;
        if let Some(chapters) = &report.by_chapter {
            writeln!(out)?;
            writeln!(out, "chapter  rows  hs2@1  hs4@1  hs6@1  hs6@5")?;
            for (ch, s) in chapters {
                let f = |k: &str| {
                    s.figures
                        .get(k)
                        .map_or("-".to_string(), |v| format!("{v:.1}"))
                };
                writeln!(
                    out,
                    "{ch:>7}  {:>4}  {:>5}  {:>5}  {:>5}  {:>5}",
                    s.rows,
                    f("hs2@1"),
                    f("hs4@1"),
                    f("hs6@1"),
                    f("hs6@5")
                )?;
            }
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}
