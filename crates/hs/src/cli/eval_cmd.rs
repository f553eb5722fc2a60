//! `hs eval FILE.csv`: the built-in scorer over a labelled file.

use std::collections::BTreeMap;
use std::io::Write;

use serde_json::json;

use crate::eval::{Scores, digits, gold_codes};

use super::args::{EvalArgs, Global};
use super::bulk::{Input, classify_rows, column_list};
use super::output::{engine, round, stdout};
use super::pool::RankerPool;
use super::progress::Progress;
use super::{EXIT_OK, Failure};

pub fn run(g: &Global, a: &EvalArgs) -> anyhow::Result<i32> {
    let Input {
        name,
        mut reader,
        headers,
        size,
    } = Input::open(&a.file, false, &a.column, "description")?;
    let Some(gold_pos) = headers.iter().position(|h| h == &a.gold) else {
        return Err(Failure::usage(format!(
            "{name} has no gold column '{}'; columns found: {}. Choose one with --gold NAME",
            a.gold,
            column_list(&headers)
        )));
    };
    let engine = engine(g)?;
    let mut all = Scores::default();
    let mut by_chapter: BTreeMap<String, Scores> = BTreeMap::new();
    let mut preds = match &a.predictions {
        Some(p) => Some(std::io::BufWriter::new(std::fs::File::create(p).map_err(
            |e| Failure::usage(format!("cannot write predictions to {}: {e}", p.display())),
        )?)),
        None => None,
    };
    let started = std::time::Instant::now();
    let progress = Progress::bulk(g.quiet, size, "eval");
    let pool = RankerPool::new(&engine);
    let mut done = 0usize;
    loop {
        let rows = reader.next_chunk(1024)?;
        if rows.is_empty() {
            break;
        }
        let results = classify_rows(&engine, &pool, &rows, 10)?;
        for (row, sugg) in rows.iter().zip(results) {
            let gold = gold_codes(row.fields.get(gold_pos).map_or("", String::as_str));
            let ranked: Vec<String> = sugg.iter().map(|s| digits(s.code.digits())).collect();
            all.add(&ranked, &gold);
            if a.by_chapter {
                let ch = gold
                    .first()
                    .map(|g| g.chars().take(2).collect())
                    .unwrap_or_default();
                by_chapter.entry(ch).or_default().add(&ranked, &gold);
            }
            if let Some(p) = preds.as_mut() {
                // `suggestions` carries each one's confidence for score.py.
                let listed: Vec<_> = sugg
                    .iter()
                    .map(|s| json!({"code": s.code.digits(), "confidence": round(s.confidence, 4)}))
                    .collect();
                serde_json::to_writer(&mut *p, &json!({"codes": ranked, "suggestions": listed}))?;
                writeln!(p)?;
            }
        }
        done += rows.len();
        progress.update(done, reader.bytes_consumed());
    }
    progress.finish();
    if let Some(mut p) = preds {
        p.flush()?;
    }
    let elapsed = started.elapsed();
    all.finish();
    for s in by_chapter.values_mut() {
        s.finish();
    }
    let mut out = stdout();
    if a.json {
        let v = json!({
            "file": name,
            "rows": all.rows,
            "figures": all.figures,
            "seconds": elapsed.as_secs_f64(),
            "by_chapter": if a.by_chapter { Some(by_chapter.iter().map(|(k, v)| (k.clone(), json!({"rows": v.rows, "figures": v.figures}))).collect::<BTreeMap<_, _>>()) } else { None },
        });
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{name}: {} rows in {:.2} s",
            all.rows,
            elapsed.as_secs_f64()
        )?;
        let line: Vec<String> = all
            .figures
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        writeln!(out, "{}", line.join(" "))?;
        if a.by_chapter {
            writeln!(out)?;
            writeln!(out, "chapter  rows  hs2@1  hs4@1  hs6@1  hs6@5")?;
            for (ch, s) in &by_chapter {
                let f = |k: &str| s.get(k).map_or("-".to_string(), |v| format!("{v:.1}"));
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
