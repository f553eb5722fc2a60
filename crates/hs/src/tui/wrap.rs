//! Text for the panes: clipping to a width, word wrapping of styled text
//! with a hanging indent, highlighting the query's words, and the notes'
//! Markdown read as paragraphs.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// A paragraph: styled spans, wrapped with `hang` columns of indent on
/// every line after the first.
#[derive(Debug, Clone, Default)]
pub struct Para {
    pub spans: Vec<Span<'static>>,
    pub hang: usize,
    /// A place `n` jumps to (the start of a block of notes).
    pub anchor: bool,
}

impl Para {
    pub fn new(spans: Vec<Span<'static>>) -> Para {
        Para {
            spans,
            hang: 0,
            anchor: false,
        }
    }

    pub fn raw(text: impl Into<String>, style: Style) -> Para {
        Para::new(vec![Span::styled(text.into(), style)])
    }

    pub fn blank() -> Para {
        Para::default()
    }

    pub fn hang(mut self, hang: usize) -> Para {
        self.hang = hang;
        self
    }

    pub fn anchor(mut self) -> Para {
        self.anchor = true;
        self
    }
}

/// Display width of text (one column a character: the data is Latin text).
pub fn width(s: &str) -> usize {
    s.chars().count()
}

/// `s` cut to `max` columns, ending in `…` when cut.
pub fn clip(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut t: String = s.chars().take(max - 1).collect();
    t.push('…');
    t
}

/// `s` padded with spaces (or clipped) to exactly `w` columns.
pub fn pad(s: &str, w: usize) -> String {
    let c = clip(s, w);
    let n = width(&c);
    format!("{c}{}", " ".repeat(w.saturating_sub(n)))
}

/// Spans cut to `max` columns (the last one ending in `…` when cut).
pub fn clip_spans(spans: Vec<Span<'static>>, max: usize) -> Vec<Span<'static>> {
    let total: usize = spans.iter().map(|s| width(&s.content)).sum();
    if total <= max {
        return spans;
    }
    let mut out = Vec::new();
    let mut left = max;
    for s in spans {
        let w = width(&s.content);
        if w < left {
            left -= w;
            out.push(s);
        } else {
            out.push(Span::styled(clip(&s.content, left), s.style));
            break;
        }
    }
    out
}

/// Wraps paragraphs to `width` columns.
pub fn wrap_all(paras: &[Para], width: usize) -> Vec<Line<'static>> {
    wrap_with_anchors(paras, width).0
}

/// Wraps paragraphs to `width` columns; also returns the line index of
/// each anchored paragraph.
pub fn wrap_with_anchors(paras: &[Para], width: usize) -> (Vec<Line<'static>>, Vec<usize>) {
    let mut out = Vec::new();
    let mut anchors = Vec::new();
    for p in paras {
        if p.anchor {
            anchors.push(out.len());
        }
        wrap_into(p, width, &mut out);
    }
    (out, anchors)
}

/// Word-wraps one paragraph into `out`; words longer than a line are cut.
pub fn wrap_into(p: &Para, width: usize, out: &mut Vec<Line<'static>>) {
    let width = width.max(8);
    let hang = p.hang.min(width / 2);
    let chars: Vec<(char, Style)> = p
        .spans
        .iter()
        .flat_map(|s| s.content.chars().map(move |c| (c, s.style)))
        .collect();
    if chars.is_empty() {
        out.push(Line::default());
        return;
    }
    let mut line: Vec<(char, Style)> = Vec::new();
    let mut first = true;
    let mut i = 0;
    while i < chars.len() {
        let space = chars[i].0 == ' ';
        let mut j = i;
        while j < chars.len() && (chars[j].0 == ' ') == space {
            j += 1;
        }
        let token = &chars[i..j];
        let start = if first { 0 } else { hang };
        if space {
            // Spaces at the start of a continuation line are dropped.
            if line.len() > start || first {
                line.extend_from_slice(token);
            }
        } else {
            let mut token = token;
            loop {
                let room = width.saturating_sub(line.len());
                if token.len() <= room {
                    line.extend_from_slice(token);
                    break;
                }
                let start = if first { 0 } else { hang };
                let has_word = line[start.min(line.len())..].iter().any(|c| c.0 != ' ');
                if has_word {
                    push_line(&mut line, out);
                    first = false;
                    line.extend(std::iter::repeat_n((' ', Style::new()), hang));
                    continue;
                }
                // A word longer than a line: cut it.
                line.extend_from_slice(&token[..room]);
                token = &token[room..];
                push_line(&mut line, out);
                first = false;
                line.extend(std::iter::repeat_n((' ', Style::new()), hang));
            }
        }
        i = j;
    }
    push_line(&mut line, out);
}

fn push_line(line: &mut Vec<(char, Style)>, out: &mut Vec<Line<'static>>) {
    while line.last().is_some_and(|c| c.0 == ' ') {
        line.pop();
    }
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut buf = String::new();
    let mut style = None;
    for &(c, s) in line.iter() {
        if style != Some(s) {
            if let Some(st) = style
                && !buf.is_empty()
            {
                spans.push(Span::styled(std::mem::take(&mut buf), st));
            }
            style = Some(s);
        }
        buf.push(c);
    }
    if let Some(st) = style
        && !buf.is_empty()
    {
        spans.push(Span::styled(buf, st));
    }
    out.push(Line::from(spans));
    line.clear();
}

/// `text` as spans in `base` style, with the words of `words` (found at the
/// start of a word, and the rest of that word: "shirt" marks "shirts";
/// hyphens and apostrophes are skipped: "tshirt" marks "T-shirts") in `hl`
/// style.
pub fn highlight(text: &str, words: &[String], base: Style, hl: Style) -> Vec<Span<'static>> {
    let chars: Vec<char> = text.chars().collect();
    // The text without hyphens and apostrophes, lower case, with the index
    // of each kept character in `chars`.
    let kept: Vec<(char, usize)> = chars
        .iter()
        .enumerate()
        .filter(|(_, c)| !matches!(c, '-' | '\'' | '’'))
        .map(|(i, c)| (c.to_ascii_lowercase(), i))
        .collect();
    let mut mark = vec![false; chars.len()];
    for w in words {
        let w: Vec<char> = w
            .chars()
            .map(|c| c.to_ascii_lowercase())
            .filter(|c| !matches!(c, '-' | '\'' | '’' | '"'))
            .collect();
        let mut forms = vec![w.clone()];
        if w.len() > 3 && w.last() == Some(&'s') {
            forms.push(w[..w.len() - 1].to_vec());
        }
        for f in forms.iter().filter(|f| f.len() >= 2) {
            let mut p = 0;
            while p + f.len() <= kept.len() {
                let first = kept[p].1;
                let at_start = first == 0 || !chars[first - 1].is_alphanumeric();
                if at_start
                    && kept[p..p + f.len()]
                        .iter()
                        .map(|k| k.0)
                        .eq(f.iter().copied())
                {
                    // Mark through the end of the word.
                    let mut e = kept[p + f.len() - 1].1 + 1;
                    while e < chars.len() && chars[e].is_alphanumeric() {
                        e += 1;
                    }
                    mark[first..e].iter_mut().for_each(|m| *m = true);
                    while p < kept.len() && kept[p].1 < e {
                        p += 1;
                    }
                } else {
                    p += 1;
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut buf = String::new();
    let mut cur = false;
    for (c, m) in chars.into_iter().zip(mark) {
        if m != cur && !buf.is_empty() {
            out.push(Span::styled(
                std::mem::take(&mut buf),
                if cur { hl } else { base },
            ));
        }
        cur = m;
        buf.push(c);
    }
    if !buf.is_empty() {
        out.push(Span::styled(buf, if cur { hl } else { base }));
    }
    out
}

/// The notes' Markdown as paragraphs: headers in `heading` style without
/// their `#`s, list items with a hanging indent, blank lines kept (once).
pub fn markdown(md: &str, text: Style, heading: Style) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::new();
    let mut blank = true;
    for raw in md.lines() {
        let line = raw.trim_end();
        if line.trim().is_empty() {
            if !blank {
                out.push(Para::blank());
            }
            blank = true;
            continue;
        }
        blank = false;
        if line.starts_with('#') {
            let t = line.trim_start_matches('#').trim().replace("**", "");
            out.push(Para::raw(t, heading));
            continue;
        }
        let line = line.replace("**", "");
        let indent = line.len() - line.trim_start().len();
        let hang = indent + marker_len(line.trim_start());
        out.push(Para::raw(line, text).hang(hang));
    }
    while out.last().is_some_and(|p| p.spans.is_empty()) {
        out.pop();
    }
    out
}

/// Width of a list marker starting `s` ("1. ", "(a) ", "- "), with its space.
fn marker_len(s: &str) -> usize {
    let Some((first, _)) = s.split_once(' ') else {
        return 0;
    };
    let is_marker = first == "-"
        || first == "*"
        || (first.ends_with('.')
            && first.len() <= 4
            && first[..first.len() - 1]
                .chars()
                .all(|c| c.is_ascii_alphanumeric()))
        || (first.starts_with('(') && first.ends_with(')') && first.len() <= 6);
    if is_marker { first.len() + 1 } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn clips_with_ellipsis() {
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("abc", 4), "abc");
        assert_eq!(pad("ab", 4), "ab  ");
    }

    #[test]
    fn wraps_with_hanging_indent() {
        let p = Para::raw("1. one two three four five six", Style::new()).hang(3);
        let lines = wrap_all(&[p], 12);
        assert_eq!(
            text(&lines),
            vec!["1. one two", "   three", "   four five", "   six"]
        );
        for l in &lines {
            assert!(l.width() <= 12);
        }
    }

    #[test]
    fn cuts_long_words() {
        let p = Para::raw("abcdefghijklmnopqrstuvwxyz", Style::new());
        let lines = wrap_all(&[p], 10);
        assert_eq!(text(&lines), vec!["abcdefghij", "klmnopqrst", "uvwxyz"]);
    }

    #[test]
    fn highlights_words_and_their_endings() {
        let hl = Style::new().add_modifier(ratatui::style::Modifier::BOLD);
        let spans = highlight(
            "T-shirts, of cotton; cottonseed; men's tshirt",
            &["tshirt".into(), "cotton".into(), "men".into()],
            Style::new(),
            hl,
        );
        let marked: Vec<&str> = spans
            .iter()
            .filter(|s| s.style == hl)
            .map(|s| s.content.as_ref())
            .collect();
        assert_eq!(
            marked,
            vec!["T-shirts", "cotton", "cottonseed", "men", "tshirt"]
        );
    }

    #[test]
    fn reads_markdown_lists() {
        let paras = markdown(
            "### Notes\n\n1. This chapter:\n   (a) Goods;\n",
            Style::new(),
            Style::new(),
        );
        assert_eq!(paras.len(), 4);
        assert_eq!(paras[2].hang, 3);
        assert_eq!(paras[3].hang, 7);
    }
}
