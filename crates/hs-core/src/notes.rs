//! Legal notes: the section and chapter notes and the General Rules of
//! Interpretation, parsed from the schedule's Markdown, and the cross
//! references a note makes to headings and chapters.

use std::collections::BTreeMap;

use crate::code::parse_section;

/// Section and chapter notes, keyed by number, as Markdown text.
#[derive(Debug, Clone, Default)]
pub struct Notes {
    pub sections: BTreeMap<u8, String>,
    pub chapters: BTreeMap<u8, String>,
    /// The General Rules of Interpretation (and Additional U.S. Rules).
    pub gri: String,
}

impl Notes {
    /// Parses `section-chapter-notes.md`: `# SECTION XI` and `## CHAPTER 61`
    /// headers start blocks; `## SUBCHAPTER` blocks belong to their chapter.
    pub fn parse(markdown: &str) -> Notes {
        enum Target {
            None,
            Section(u8),
            Chapter(u8),
        }
        let mut notes = Notes::default();
        let mut target = Target::None;
        let mut buf = String::new();
        let flush = |target: &Target, buf: &mut String, notes: &mut Notes| {
            let text = buf.trim().to_string();
            buf.clear();
            if text.is_empty() {
                return;
            }
            let map = match target {
                Target::Section(n) => notes.sections.entry(*n),
                Target::Chapter(n) => notes.chapters.entry(*n),
                Target::None => return,
            };
            let slot = map.or_default();
            if !slot.is_empty() {
                slot.push_str("\n\n");
            }
            slot.push_str(&text);
        };
        for line in markdown.lines() {
            if let Some(rest) = line.strip_prefix("# SECTION ") {
                flush(&target, &mut buf, &mut notes);
                target = parse_section(rest).map_or(Target::None, Target::Section);
                continue;
            }
            if let Some(rest) = line.strip_prefix("## CHAPTER ") {
                flush(&target, &mut buf, &mut notes);
                target = rest
                    .trim()
                    .parse::<u8>()
                    .map_or(Target::None, Target::Chapter);
                continue;
            }
            if line.starts_with("# ") {
                // Any other top-level header ends the notes we know.
                flush(&target, &mut buf, &mut notes);
                target = Target::None;
                continue;
            }
            buf.push_str(line);
            buf.push('\n');
        }
        flush(&target, &mut buf, &mut notes);
        notes
    }

    pub fn section(&self, n: u8) -> Option<&str> {
        self.sections.get(&n).map(String::as_str)
    }

    pub fn chapter(&self, n: u8) -> Option<&str> {
        self.chapters.get(&n).map(String::as_str)
    }
}

/// One piece of a note, classified: does it describe what the chapter covers,
/// or what it excludes (and sends elsewhere)?
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteClause {
    pub text: String,
    /// True when the clause lies in an exclusion list ("does not cover").
    pub exclusion: bool,
    /// Headings (4 digits) the clause names ("heading 3002", "headings 2801 to 2803").
    pub headings: Vec<String>,
    /// Chapters the clause names ("chapter 39", "(chapter 39)").
    pub chapters: Vec<u8>,
}

/// Splits a note's Markdown into clauses (list items), marking those in an
/// exclusion list and the headings and chapters each names.
pub fn clauses(note: &str) -> Vec<NoteClause> {
    let mut out = Vec::new();
    let mut in_exclusion = false;
    for raw in note.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let indented = raw.starts_with(' ') || raw.starts_with('\t');
        let lower = line.to_ascii_lowercase();
        let opens_exclusion = lower.contains("does not cover")
            || lower.contains("do not cover")
            || lower.contains("does not include")
            || lower.contains("do not include")
            || lower.contains("not to be classified")
            || lower.contains("excludes")
            || lower.trim_end_matches(':').ends_with("except");
        if !indented {
            // A new top-level note: exclusion lists end here.
            in_exclusion = opens_exclusion;
        } else if opens_exclusion {
            in_exclusion = true;
        }
        out.push(NoteClause {
            text: line.to_string(),
            exclusion: in_exclusion || opens_exclusion,
            headings: referenced_headings(line),
            chapters: referenced_chapters(line),
        });
    }
    out
}

/// Numbers named after `word` (or its plural) in text: "heading 3002",
/// "headings 2801 to 2803 or 2805", "heading no. 8407 or 8408", "headings
/// 8456-8465", "headings 84.70 to 84.72". Each number is the first `width`
/// digits of a token (so "8517.62" reads 8517); short ranges (at most 30
/// apart) are expanded.
fn referenced(text: &str, word: &str, width: usize) -> Vec<u32> {
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut rest = lower.as_str();
    while let Some(pos) = rest.find(word) {
        let after = &rest[pos + word.len()..];
        let after = after.strip_prefix('s').unwrap_or(after);
        let mut prev: Option<u32> = None;
        let mut range = false;
        'tokens: for tok in after.split(|c: char| c.is_whitespace() || c == ',' || c == ';') {
            let tok = tok.trim_matches(|c: char| c == '(' || c == ')' || c == '.');
            if tok.is_empty() || matches!(tok, "or" | "and" | "nor" | "no" | "nos") {
                continue;
            }
            if matches!(tok, "to" | "through") {
                range = true;
                continue;
            }
            // "8456-8465": a range of headings written with a dash.
            let parts: Vec<&str> = if width == 4 {
                tok.split('-').collect()
            } else {
                vec![tok]
            };
            for (i, part) in parts.into_iter().enumerate() {
                range |= i > 0;
                let mut groups = part.split('.').map(|g| {
                    g.chars()
                        .take_while(char::is_ascii_digit)
                        .collect::<String>()
                });
                let mut digits = groups.next().unwrap_or_default();
                // "84.70": a heading written as its chapter and number.
                if width == 4
                    && digits.len() == 2
                    && let Some(second) = groups.next().filter(|g| g.len() == 2)
                {
                    digits.push_str(&second);
                }
                let ok_width = if width == 4 {
                    digits.len() == 4
                } else {
                    (1..=2).contains(&digits.len())
                };
                let Some(v) = digits.parse::<u32>().ok().filter(|_| ok_width) else {
                    break 'tokens;
                };
                if range
                    && let Some(p) = prev
                    && v > p
                    && v - p <= 30
                {
                    out.extend(p + 1..v);
                }
                range = false;
                out.push(v);
                prev = Some(v);
            }
        }
        rest = &rest[pos + word.len()..];
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Headings named in text: "heading 3002", "headings 2801 to 2803",
/// "heading 8471 or 8473", "subheading 8517.62".
pub fn referenced_headings(text: &str) -> Vec<String> {
    referenced_heading_numbers(text)
        .into_iter()
        .map(|h| format!("{h:04}"))
        .collect()
}

/// [`referenced_headings`] as numbers (8425 for "heading no. 8425"), in
/// number order, each once.
pub fn referenced_heading_numbers(text: &str) -> Vec<u16> {
    referenced(text, "heading", 4)
        .into_iter()
        .filter_map(|h| u16::try_from(h).ok())
        .collect()
}

/// Chapters named in text: "chapter 39", "chapters 50 to 55".
pub fn referenced_chapters(text: &str) -> Vec<u8> {
    referenced(text, "chapter", 2)
        .into_iter()
        .filter_map(|c| u8::try_from(c).ok())
        .filter(|c| (1..=97).contains(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# SECTION I\n\n#### LIVE ANIMALS\n\n### Notes\n\n1. Section note one.\n\n## CHAPTER 1\n\n#### LIVE ANIMALS\n\n### Note\n\n1. This chapter covers all live animals except:\n   (a) Fish (heading 0301);\n   (b) Cultures of micro-organisms (heading 3002); and\n2. Another note (chapter 39).\n\n## CHAPTER 2\n\nMeat.\n\n# SECTION XXII\n\n## CHAPTER 98\n\n## SUBCHAPTER I\n\nSub one.\n";

    #[test]
    fn parses_sections_and_chapters() {
        let n = Notes::parse(SAMPLE);
        assert!(n.section(1).unwrap().contains("Section note one"));
        assert!(!n.section(1).unwrap().contains("CHAPTER"));
        assert!(n.chapter(1).unwrap().contains("heading 0301"));
        assert_eq!(n.chapter(2).unwrap().trim(), "Meat.");
        assert!(n.chapter(98).unwrap().contains("Sub one"));
    }

    #[test]
    fn finds_references() {
        assert_eq!(referenced_headings("of heading 3002"), vec!["3002"]);
        assert_eq!(
            referenced_headings("(headings 2801 to 2803 or 2805)"),
            vec!["2801", "2802", "2803", "2805"]
        );
        assert_eq!(referenced_headings("subheading 8517.62"), vec!["8517"]);
        assert_eq!(
            referenced_headings("machines of headings 84.70 to 84.72"),
            vec!["8470", "8471", "8472"]
        );
        assert_eq!(
            referenced_headings("of heading no. 8407 or 8408"),
            vec!["8407", "8408"]
        );
        assert_eq!(
            referenced_headings("machines of headings 8456-8459; n.e.c. in heading no. 8466"),
            vec!["8456", "8457", "8458", "8459", "8466"]
        );
        assert_eq!(referenced_chapters("(chapter 39)"), vec![39]);
        assert_eq!(referenced_chapters("chapters 50 to 52"), vec![50, 51, 52]);
        assert!(referenced_chapters("this chapter does not cover").is_empty());
    }

    #[test]
    fn marks_exclusion_lists() {
        let note = "1. This chapter does not cover:\n   (a) Fish (heading 0301);\n   (b) Other things;\n2. This chapter covers horses.\n";
        let c = clauses(note);
        assert!(c[0].exclusion && c[1].exclusion && c[2].exclusion);
        assert!(!c[3].exclusion);
        assert_eq!(c[1].headings, vec!["0301"]);
    }
}
