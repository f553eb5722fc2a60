//! The USITC JSON export of the US schedule (`hts_YYYY_revision_N.json`,
//! the format `hts.usitc.gov` exports): one object per line with `htsno`,
//! `indent`, `description`, `units`, `general`, `special`, `other` and
//! `footnotes`. Only those fields are read; any others (and their order) may
//! change in a newer export without breaking the loader.

use std::borrow::Cow;
use std::path::Path;

use serde::Deserialize;

use crate::load::LoadError;
use crate::tree::Footnote;

/// One line of the export, borrowing from the file's text where it can.
#[derive(Debug, Deserialize)]
pub struct JsonLine<'a> {
    /// The code as printed (`6109.10.00.12`), empty for grouping lines.
    #[serde(borrow)]
    pub htsno: Cow<'a, str>,
    pub indent: Indent,
    #[serde(borrow)]
    pub description: Cow<'a, str>,
    #[serde(default)]
    pub units: Vec<String>,
    #[serde(borrow, default)]
    pub general: Cow<'a, str>,
    #[serde(borrow, default)]
    pub special: Cow<'a, str>,
    /// Column 2.
    #[serde(borrow, default)]
    pub other: Cow<'a, str>,
    #[serde(default)]
    pub footnotes: Vec<JsonFootnote>,
}

/// The indent, a number (or a string holding one, as the CSV export writes it).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Indent {
    Number(u32),
    Text(String),
}

impl Indent {
    /// The indent as a number, or the text that is not one.
    pub fn value(&self) -> Result<u32, String> {
        match self {
            Indent::Number(n) => Ok(*n),
            Indent::Text(t) => t.trim().parse().map_err(|_| t.clone()),
        }
    }
}

/// A footnote as the export writes it.
#[derive(Debug, Clone, Deserialize)]
pub struct JsonFootnote {
    #[serde(default)]
    pub columns: String,
    #[serde(default)]
    pub marker: String,
    #[serde(default)]
    pub value: String,
    #[serde(rename = "type", default)]
    pub kind: String,
}

impl JsonFootnote {
    /// The footnote as the tree holds it (text trimmed; empty ones are None).
    pub fn to_footnote(&self) -> Option<Footnote> {
        let text = self.value.trim();
        (!text.is_empty()).then(|| Footnote {
            text: text.to_string(),
            columns: self.columns.trim().to_string(),
            marker: self.marker.trim().to_string(),
            kind: self.kind.trim().to_string(),
        })
    }
}

/// Parses the whole export: an array of lines. A file that does not parse
/// to its end (truncated, garbage) is an error naming the file and where.
pub fn parse<'a>(text: &'a str, path: &Path) -> Result<Vec<JsonLine<'a>>, LoadError> {
    let lines: Vec<JsonLine<'a>> = serde_json::from_str(text).map_err(|e| LoadError::Format {
        path: path.to_path_buf(),
        msg: format!("not a complete USITC JSON export (an array of lines): {e}"),
    })?;
    if lines.is_empty() {
        return Err(LoadError::Format {
            path: path.to_path_buf(),
            msg: "holds no lines".to_string(),
        });
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lines_with_numeric_or_text_indents_and_footnotes() {
        let text = r#"[{"htsno":"6109.10.00","indent":1,"description":"Of cotton","superior":false,"units":[],"general":"16.5%","special":"Free (AU)","other":"90%","footnotes":[{"columns":"general","marker":"","value":"See 9903.88.15.","type":"endnote"}],"status":""},
        {"htsno":"","indent":"02","description":"Men's:","units":["doz.","kg"]}]"#;
        let lines = parse(text, Path::new("x.json")).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].indent.value(), Ok(1));
        assert_eq!(lines[1].indent.value(), Ok(2));
        assert_eq!(lines[0].other, "90%");
        let f = lines[0].footnotes[0].to_footnote().unwrap();
        assert_eq!(f.text, "See 9903.88.15.");
        assert_eq!(f.columns, "general");
        assert_eq!(lines[1].units, vec!["doz.", "kg"]);
    }

    #[test]
    fn truncated_or_garbage_is_an_error_naming_the_file() {
        let full = r#"[{"htsno":"0101","indent":0,"description":"Live horses:"},{"htsno":"","indent":1,"description":"Horses:"}]"#;
        for bad in [&full[..full.len() / 2], "garbage", "[]", "{}"] {
            let err = parse(bad, Path::new("hts.json")).unwrap_err().to_string();
            assert!(err.contains("hts.json"), "{err}");
        }
    }
}
