//! Bounded record reading for bulk input: one value a line (`--lines`) or
//! CSV (RFC 4180: `,` between fields, `"` quoting with `""` inside). `\r`,
//! `\n` and `\r\n` all end a line or record. Every field is cut while it is
//! read at [`MAX_FIELD`] bytes (on a UTF-8 boundary; the full length is
//! reported), so one huge line never takes more memory than that. A blank
//! line is a record of its own (flagged `blank`), never skipped. Input that
//! stops making sense (a quote never closed, text after a closing quote,
//! more than [`MAX_FIELDS`] fields) is an error naming the line.

use std::io::{BufRead, ErrorKind};

/// Longest field kept, in bytes; longer ones are cut while reading.
pub const MAX_FIELD: usize = 10_000;
/// Most fields a CSV record may have.
pub const MAX_FIELDS: usize = 1_000;

/// One record as read.
#[derive(Debug, Default)]
pub struct RawRecord {
    /// 1-based line of the input where the record starts.
    pub line: usize,
    /// The fields' bytes, each at most [`MAX_FIELD`] long.
    pub fields: Vec<Vec<u8>>,
    /// Fields that were cut: (field index, full length in bytes).
    pub cut: Vec<(usize, usize)>,
    /// The record was an empty line.
    pub blank: bool,
    /// The line the record ends on (after `line` when a quoted field
    /// holds line ends, or a quote opened by mistake ran on).
    pub last_line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a field.
    Start,
    /// Inside a field that did not begin with a quote.
    Unquoted,
    /// Inside a quoted field.
    Quoted,
    /// A quote inside a quoted field: the end, or the first of `""`.
    QuoteInQuoted,
}

/// Reads records from a buffered input.
pub struct Records<R> {
    input: R,
    csv: bool,
    /// The line the reader is on (1-based).
    line: usize,
    /// A `\r` ended the last line: a `\n` right after it belongs to it.
    skip_lf: bool,
    consumed: u64,
    done: bool,
    /// The start of the input was looked at for a byte-order mark.
    bom_checked: bool,
    /// The first bytes, read to look for a mark, and how many of them the
    /// parser has taken: they are parsed before the rest of the input.
    head: Vec<u8>,
    head_at: usize,
}

/// Where and why the input stopped making sense, or a read error.
#[derive(Debug)]
pub enum RecordError {
    Bad { line: usize, message: String },
    Io(std::io::Error),
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordError::Bad { line, message } => write!(f, "line {line}: {message}"),
            RecordError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl<R: BufRead> Records<R> {
    /// A reader of CSV records (`csv`) or of lines.
    pub fn new(input: R, csv: bool) -> Records<R> {
        Records {
            input,
            csv,
            line: 1,
            skip_lf: false,
            consumed: 0,
            done: false,
            bom_checked: false,
            head: Vec::new(),
            head_at: 0,
        }
    }

    /// Drops a UTF-8 byte-order mark at the start of the input (before the
    /// first field is parsed, so a quoted first field stays quoted), and
    /// refuses UTF-16 or UTF-32 input, whose every other byte would be
    /// read as text.
    fn check_bom(&mut self) -> Result<(), RecordError> {
        self.bom_checked = true;
        // Up to four bytes, however the input delivers them (a pipe may
        // give one at a time), while they may still be the start of a mark.
        const MARKS: [&[u8]; 4] = [
            b"\xEF\xBB\xBF",
            b"\xFF\xFE\0\0",
            b"\0\0\xFE\xFF",
            b"\xFE\xFF",
        ];
        let mut head = Vec::new();
        while head.len() < 4
            && MARKS
                .iter()
                .any(|m| m.starts_with(&head) || head.starts_with(m))
        {
            let buf = match self.input.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(RecordError::Io(e)),
            };
            if buf.is_empty() {
                break;
            }
            let take = (4 - head.len()).min(buf.len());
            head.extend_from_slice(&buf[..take]);
            self.input.consume(take);
        }
        let buf = head.as_slice();
        if buf.starts_with(b"\xEF\xBB\xBF") {
            self.consumed += 3;
            self.head = head[3..].to_vec();
            return Ok(());
        }
        let wide = if buf.starts_with(b"\xFF\xFE\0\0") || buf.starts_with(b"\0\0\xFE\xFF") {
            Some("UTF-32")
        } else if buf.starts_with(b"\xFF\xFE") || buf.starts_with(b"\xFE\xFF") {
            Some("UTF-16")
        } else {
            None
        };
        match wide {
            Some(enc) => {
                self.done = true;
                Err(RecordError::Bad {
                    line: 1,
                    message: format!(
                        "the input is {enc} (it starts with a {enc} byte-order mark); save it as UTF-8 and try again"
                    ),
                })
            }
            None => {
                self.head = head;
                Ok(())
            }
        }
    }

    /// Input bytes taken so far.
    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    /// The next record, `None` at the end of the input.
    pub fn next_record(&mut self) -> Result<Option<RawRecord>, RecordError> {
        if self.done {
            return Ok(None);
        }
        if !self.bom_checked {
            self.check_bom()?;
        }
        let mut rec = RawRecord {
            line: self.line,
            ..RawRecord::default()
        };
        let mut field: Vec<u8> = Vec::new();
        // Full length of the current field (kept or not).
        let mut len = 0usize;
        let mut state = State::Start;
        // The line a quoted field opened on; a `\r` inside a quoted field.
        let mut quote_line = 0usize;
        let mut quoted_cr = false;
        // Anything read for this record (a field or a separator).
        let mut started = false;
        loop {
            let from_head = self.head_at < self.head.len();
            let buf = if from_head {
                &self.head[self.head_at..]
            } else {
                match self.input.fill_buf() {
                    Ok(b) => b,
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    Err(e) => return Err(RecordError::Io(e)),
                }
            };
            if buf.is_empty() {
                self.done = true;
                if state == State::Quoted {
                    return Err(RecordError::Bad {
                        line: quote_line,
                        message: "a quoted field opened on this line is never closed (unterminated quote); the rows from here on were not read".into(),
                    });
                }
                if !started {
                    return Ok(None);
                }
                push_field(&mut rec, &mut field, len)?;
                rec.last_line = self.line;
                return Ok(Some(rec));
            }
            let mut i = 0;
            let n = buf.len();
            let mut end = false;
            while i < n {
                let b = buf[i];
                i += 1;
                if self.skip_lf {
                    self.skip_lf = false;
                    if b == b'\n' {
                        continue;
                    }
                }
                match state {
                    State::Start | State::Unquoted => {
                        if b == b'\n' || b == b'\r' {
                            self.skip_lf = b == b'\r';
                            self.line += 1;
                            end = true;
                            break;
                        }
                        started = true;
                        if self.csv && b == b',' {
                            push_field(&mut rec, &mut field, len)?;
                            len = 0;
                            state = State::Start;
                        } else if self.csv && b == b'"' && state == State::Start {
                            state = State::Quoted;
                            quote_line = self.line;
                        } else {
                            keep(&mut field, &mut len, b);
                            state = State::Unquoted;
                        }
                    }
                    State::Quoted => {
                        if quoted_cr {
                            quoted_cr = false;
                            if b == b'\n' {
                                keep(&mut field, &mut len, b);
                                continue;
                            }
                        }
                        match b {
                            b'"' => state = State::QuoteInQuoted,
                            b'\r' => {
                                quoted_cr = true;
                                self.line += 1;
                                keep(&mut field, &mut len, b);
                            }
                            b'\n' => {
                                self.line += 1;
                                keep(&mut field, &mut len, b);
                            }
                            _ => keep(&mut field, &mut len, b),
                        }
                    }
                    State::QuoteInQuoted => match b {
                        b'"' => {
                            keep(&mut field, &mut len, b);
                            state = State::Quoted;
                        }
                        b',' => {
                            push_field(&mut rec, &mut field, len)?;
                            len = 0;
                            state = State::Start;
                        }
                        b'\n' | b'\r' => {
                            self.skip_lf = b == b'\r';
                            self.line += 1;
                            end = true;
                            break;
                        }
                        _ => {
                            self.consumed += i as u64;
                            if from_head {
                                self.head_at += i;
                            } else {
                                self.input.consume(i);
                            }
                            self.done = true;
                            return Err(RecordError::Bad {
                                line: self.line,
                                message: format!(
                                    "text after the closing quote of a field{} (quotes that do not pair up)",
                                    if quote_line == self.line {
                                        String::new()
                                    } else {
                                        format!(" that opened on line {quote_line}")
                                    }
                                ),
                            });
                        }
                    },
                }
            }
            self.consumed += i as u64;
            if from_head {
                self.head_at += i;
            } else {
                self.input.consume(i);
            }
            if end {
                if !started {
                    rec.blank = true;
                }
                push_field(&mut rec, &mut field, len)?;
                // The line end just read counted the next line.
                rec.last_line = self.line - 1;
                return Ok(Some(rec));
            }
        }
    }
}

/// Ends a field: cut fields are trimmed to a UTF-8 boundary and noted.
fn push_field(rec: &mut RawRecord, field: &mut Vec<u8>, len: usize) -> Result<(), RecordError> {
    if rec.fields.len() >= MAX_FIELDS {
        return Err(RecordError::Bad {
            line: rec.line,
            message: format!("a record with more than {MAX_FIELDS} fields (the limit)"),
        });
    }
    let mut f = std::mem::take(field);
    if len > f.len() {
        utf8_boundary(&mut f);
        rec.cut.push((rec.fields.len(), len));
    }
    rec.fields.push(f);
    Ok(())
}

/// Appends a byte while the field is under the limit; counts it always.
fn keep(field: &mut Vec<u8>, len: &mut usize, b: u8) {
    if field.len() < MAX_FIELD {
        field.push(b);
    }
    *len += 1;
}

/// Drops an incomplete UTF-8 sequence left at the end by a cut.
fn utf8_boundary(f: &mut Vec<u8>) {
    let n = f.len();
    for back in 1..=n.min(4) {
        let b = f[n - back];
        if b & 0xC0 == 0x80 {
            continue; // a continuation byte: look further back
        }
        let need = if b < 0x80 {
            1
        } else if b >> 5 == 0b110 {
            2
        } else if b >> 4 == 0b1110 {
            3
        } else if b >> 3 == 0b11110 {
            4
        } else {
            1
        };
        if need > back {
            f.truncate(n - back);
        }
        return;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn all(input: &str, csv: bool) -> Result<Vec<(usize, Vec<String>, bool)>, String> {
        let mut r = Records::new(input.as_bytes(), csv);
        let mut out = Vec::new();
        loop {
            match r.next_record() {
                Ok(Some(rec)) => out.push((
                    rec.line,
                    rec.fields
                        .iter()
                        .map(|f| String::from_utf8_lossy(f).into_owned())
                        .collect(),
                    rec.blank,
                )),
                Ok(None) => return Ok(out),
                Err(e) => return Err(e.to_string()),
            }
        }
    }

    fn lines(input: &str) -> Vec<String> {
        all(input, false)
            .unwrap()
            .into_iter()
            .map(|(_, f, _)| f.concat())
            .collect()
    }

    #[test]
    fn every_line_end_ends_a_line() {
        assert_eq!(lines("a\rb\rc"), ["a", "b", "c"]);
        assert_eq!(lines("a\r\nb\nc\r\n"), ["a", "b", "c"]);
        assert_eq!(lines("a\n\nb\n"), ["a", "", "b"]);
        assert_eq!(lines("a\r\rb"), ["a", "", "b"]);
        assert!(lines("").is_empty());
        assert_eq!(lines("a,\"b"), ["a,\"b"], "no CSV rules in lines");
    }

    #[test]
    fn csv_records_quotes_and_blank_lines() {
        let got = all(
            "a,b\r\"x, \"\"y\"\"\",2\r\n\n\"multi\nline\",3\rlast,",
            true,
        )
        .unwrap();
        assert_eq!(got[0], (1, vec!["a".into(), "b".into()], false));
        assert_eq!(got[1], (2, vec!["x, \"y\"".into(), "2".into()], false));
        assert_eq!(got[2], (3, vec![String::new()], true));
        assert_eq!(got[3], (4, vec!["multi\nline".into(), "3".into()], false));
        assert_eq!(got[4], (6, vec!["last".into(), String::new()], false));
        assert_eq!(got.len(), 5);
        // A quote inside an unquoted field is kept (5" pipe).
        let got = all("5\" pipe,x\n", true).unwrap();
        assert_eq!(got[0].1, ["5\" pipe", "x"]);
    }

    #[test]
    fn a_record_knows_the_line_it_ends_on() {
        let mut r = Records::new("a,b\n\"multi\nline\r\nmore\",3\nx,y".as_bytes(), true);
        let ends: Vec<(usize, usize)> = std::iter::from_fn(|| r.next_record().unwrap())
            .map(|rec| (rec.line, rec.last_line))
            .collect();
        assert_eq!(ends, [(1, 1), (2, 4), (5, 5)]);
    }

    #[test]
    fn broken_quotes_name_their_line() {
        let e = all("a\nb,\"open\nc\nd\n", true).unwrap_err();
        assert!(
            e.starts_with("line 2:") && e.contains("never closed"),
            "{e}"
        );
        let e = all("a\n\"x\"y,1\n", true).unwrap_err();
        assert!(
            e.starts_with("line 2:") && e.contains("closing quote"),
            "{e}"
        );
    }

    #[test]
    fn long_fields_are_cut_while_reading() {
        let input = format!("a{}\nx\n", "é".repeat(MAX_FIELD));
        let mut r = Records::new(input.as_bytes(), false);
        let rec = r.next_record().unwrap().unwrap();
        let f = &rec.fields[0];
        assert!(f.len() <= MAX_FIELD && f.len() >= MAX_FIELD - 1);
        assert!(std::str::from_utf8(f).is_ok(), "cut on a boundary");
        assert_eq!(rec.cut, [(0, 1 + 2 * MAX_FIELD)]);
        let next = r.next_record().unwrap().unwrap();
        assert_eq!((next.line, next.fields[0].as_slice()), (2, &b"x"[..]));
    }

    #[test]
    fn too_many_fields_is_an_error() {
        let e = all(&",".repeat(MAX_FIELDS + 5), true).unwrap_err();
        assert!(e.contains("more than 1000 fields"), "{e}");
    }

    #[test]
    fn a_byte_order_mark_is_dropped_before_parsing() {
        // A quoted first field stays quoted after the mark.
        let rows = all("\u{feff}\"code\",x\r\n\"6109.10\",1\r\n", true).unwrap();
        assert_eq!(
            rows[0],
            (1, vec!["code".to_string(), "x".to_string()], false)
        );
        assert_eq!(rows[1].1, ["6109.10", "1"]);
        assert_eq!(lines("\u{feff}a\nb\n"), ["a", "b"]);
        // Only at the start of the input.
        assert_eq!(lines("a\n\u{feff}b\n"), ["a", "\u{feff}b"]);
    }

    #[test]
    fn utf16_and_utf32_input_is_refused() {
        for input in [
            &b"\xFF\xFEa\0\n\0"[..],
            &b"\xFE\xFF\0a\0\n"[..],
            &b"\xFF\xFE\0\0a\0\0\0"[..],
        ] {
            let mut r = Records::new(input, false);
            let e = r.next_record().unwrap_err().to_string();
            assert!(e.starts_with("line 1: the input is UTF-"), "{e}");
            assert!(r.next_record().unwrap().is_none());
        }
    }

    #[test]
    fn a_mark_delivered_a_byte_at_a_time_is_still_found() {
        let input = "\u{feff}\"code\",x\n\"6109.10\",1\n";
        let mut r = Records::new(std::io::BufReader::with_capacity(1, input.as_bytes()), true);
        let first = r.next_record().unwrap().unwrap();
        assert_eq!(first.fields, [b"code".to_vec(), b"x".to_vec()]);
        let second = r.next_record().unwrap().unwrap();
        assert_eq!(second.fields, [b"6109.10".to_vec(), b"1".to_vec()]);
        // Short input and input that only starts like a mark.
        assert_eq!(lines("a"), ["a"]);
        let mut r = Records::new(std::io::BufReader::with_capacity(1, &b"\xEFx\n"[..]), false);
        assert_eq!(
            r.next_record().unwrap().unwrap().fields,
            [b"\xEFx".to_vec()]
        );
        let mut r = Records::new(
            std::io::BufReader::with_capacity(1, &b"\xFE\xFF\0a"[..]),
            false,
        );
        assert!(r.next_record().is_err());
    }
}
