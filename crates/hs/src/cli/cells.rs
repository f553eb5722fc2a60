//! How a record is written as a CSV or TSV line. By default every cell is
//! made safe to open in a spreadsheet and to show on a terminal: a text
//! cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
//! leading `'` (OWASP's advice against formula injection; a plain number
//! such as `-12.5` is data and stays as it is), and control characters are
//! escaped ([`terminal_safe`]). `--raw-cells` keeps the bytes unchanged.
//! TSV is real TSV: no quoting, and a tab, newline, carriage return or
//! backslash inside a value is written `\t`, `\n`, `\r`, `\\` (always,
//! since they would break the line).

use std::borrow::Cow;

use super::args::Format;
use super::output::terminal_safe;

/// True when a spreadsheet could read the cell as a formula.
fn formula_like(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !plain_number(cell)
}

/// An optional sign, digits, optionally a point and more digits.
fn plain_number(cell: &str) -> bool {
    let s = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let (int, frac) = s.split_once('.').unwrap_or((s, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// One cell as written (before CSV quoting).
pub fn cell(value: &str, format: Format, raw: bool) -> Cow<'_, str> {
    let mut v = Cow::Borrowed(value);
    if !raw && formula_like(&v) {
        v = Cow::Owned(format!("'{v}"));
    }
    if format == Format::Tsv && v.contains(['\t', '\n', '\r', '\\']) {
        let mut out = String::with_capacity(v.len() + 4);
        for c in v.chars() {
            match c {
                '\t' => out.push_str("\\t"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\\' => out.push_str("\\\\"),
                c => out.push(c),
            }
        }
        v = Cow::Owned(out);
    }
    if !raw && let Cow::Owned(safe) = terminal_safe(&v) {
        v = Cow::Owned(safe);
    }
    v
}

/// One record as a CSV (quoted as needed) or TSV line, with its line end.
pub fn record<S: AsRef<str>>(format: Format, raw: bool, fields: &[S]) -> anyhow::Result<Vec<u8>> {
    if format == Format::Tsv {
        let mut line = Vec::with_capacity(256);
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                line.push(b'\t');
            }
            line.extend_from_slice(cell(f.as_ref(), format, raw).as_bytes());
        }
        line.push(b'\n');
        return Ok(line);
    }
    let mut w = csv::WriterBuilder::new()
        .buffer_capacity(256)
        .from_writer(Vec::with_capacity(256));
    w.write_record(
        fields
            .iter()
            .map(|f| cell(f.as_ref(), format, raw).into_owned()),
    )?;
    w.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn line(format: Format, raw: bool, fields: &[&str]) -> String {
        String::from_utf8(record(format, raw, fields).unwrap()).unwrap()
    }

    #[test]
    fn formulas_are_escaped_numbers_are_not() {
        for (given, want) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+cmd", "'+cmd"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("-12.5", "-12.5"),
            ("+7", "+7"),
            ("-", "'-"),
            ("6109.10", "6109.10"),
            ("plain", "plain"),
        ] {
            assert_eq!(cell(given, Format::Csv, false), want, "{given:?}");
            assert_eq!(cell(given, Format::Csv, true), given, "raw {given:?}");
        }
    }

    #[test]
    fn tsv_is_real_tsv() {
        assert_eq!(
            line(Format::Tsv, false, &["a\tb", "c\nd\re", "f\\g", "\"q\""]),
            "a\\tb\tc\\nd\\re\tf\\\\g\t\"q\"\n"
        );
        assert_eq!(
            line(Format::Tsv, true, &["a\tb", "\u{1b}"]),
            "a\\tb\t\u{1b}\n"
        );
        assert_eq!(
            line(Format::Tsv, false, &["\u{1b}]52;c;x\u{7}"]),
            "\\x1b]52;c;x\\x07\n"
        );
    }

    #[test]
    fn csv_quotes_and_escapes_controls() {
        assert_eq!(
            line(Format::Csv, false, &["a,b", "\u{1b}[31mred"]),
            "\"a,b\",\\x1b[31mred\n"
        );
        assert_eq!(line(Format::Csv, true, &["\u{1b}"]), "\u{1b}\n");
    }
}
