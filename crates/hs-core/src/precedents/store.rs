//! The store of named precedent sets: a folder (`$HS_PRECEDENTS_DIR`, else
//! `hs/precedents` in the user's data folder) holding one folder per set:
//! its checked rows (`rows.jsonl`), its tantivy index (`index/`) and a
//! marker (`hs-precedent-set.json`) recording the source file, its content
//! fingerprint and the versions it was built with. A set is built in a
//! temporary folder and renamed into place; re-adding an unchanged file
//! does nothing, a changed one rebuilds that set only. A folder without
//! hs's marker is never modified or deleted.

use std::fs;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::{Loaded, Precedent, PrecedentError, PrecedentIndex};

/// The marker of a set folder.
pub const SET_MARKER: &str = "hs-precedent-set.json";
/// The marker of the store folder.
pub const STORE_MARKER: &str = "hs-precedents-store.json";
const ROWS: &str = "rows.jsonl";
/// Each row's analysed terms, a line per row (see [`super::index::row_terms`]).
const TERMS: &str = "terms.txt";
const INDEX: &str = "index";
/// Longest set name.
pub const MAX_NAME: usize = 64;

/// What a set's marker records.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SetMeta {
    pub name: String,
    /// The file's name, as explanations show it.
    pub file: String,
    /// Where the file was read from when added.
    pub source: String,
    /// FNV-1a 64 of the file's bytes, hex.
    pub fingerprint: String,
    pub schema_version: u32,
    pub analyzer_version: u32,
    pub hs_version: String,
    /// Rows taken.
    pub rows: usize,
    /// Rows reported when added (skipped or repaired).
    pub reported: usize,
    /// Seconds since the Unix epoch.
    pub added_at: u64,
}

impl SetMeta {
    fn current(&self) -> bool {
        self.schema_version == super::index::SCHEMA_VERSION
            && self.analyzer_version == crate::index::ANALYZER_VERSION
    }
}

/// What `add` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Added {
    /// A new set.
    Added,
    /// The file changed: the set was rebuilt.
    Updated,
    /// The same content was already there: nothing done.
    Unchanged,
}

/// The store folder: `$HS_PRECEDENTS_DIR`, else the user's data folder.
pub fn resolve_dir() -> PathBuf {
    if let Some(p) = std::env::var_os("HS_PRECEDENTS_DIR").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    dirs::data_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("hs")
        .join("precedents")
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> PrecedentError + '_ {
    move |source| PrecedentError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// FNV-1a 64 over a file's bytes, fed as they are read.
#[derive(Debug, Clone, Copy)]
pub struct Fingerprint(u64);

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint(0xcbf2_9ce4_8422_2325)
    }
}

impl Fingerprint {
    pub fn update(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// 16 hex digits.
    pub fn hex(&self) -> String {
        format!("{:016x}", self.0)
    }
}

/// The default set name of a file: its name without the extension.
pub fn default_name(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Checks a set name: letters, digits, `.`, `_`, `-`; not starting with `.`.
pub fn check_name(name: &str) -> Result<(), PrecedentError> {
    let ok = !name.is_empty()
        && name.len() <= MAX_NAME
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(PrecedentError::Store(format!(
            "'{name}' is not a set name: use up to {MAX_NAME} letters, digits, '.', '_' or '-', not starting with '.' (choose one with --name)"
        )))
    }
}

/// One store folder.
pub struct Store {
    pub dir: PathBuf,
}

impl Store {
    pub fn new(dir: impl Into<PathBuf>) -> Store {
        Store { dir: dir.into() }
    }

    /// The store at [`resolve_dir`].
    pub fn default_store() -> Store {
        Store::new(resolve_dir())
    }

    fn set_dir(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The marker of a set, if the folder is one of hs's sets.
    pub fn meta(&self, name: &str) -> Option<SetMeta> {
        let bytes = fs::read(self.set_dir(name).join(SET_MARKER)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// The sets, by name. A missing store has none.
    pub fn list(&self) -> Result<Vec<SetMeta>, PrecedentError> {
        if !self.dir.exists() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for entry in fs::read_dir(&self.dir).map_err(io(&self.dir))? {
            let entry = entry.map_err(io(&self.dir))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || !entry.path().is_dir() {
                continue;
            }
            if let Some(m) = self.meta(&name) {
                out.push(m);
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    fn ensure_root(&self) -> Result<(), PrecedentError> {
        if self.dir.exists() && !self.dir.join(STORE_MARKER).exists() {
            let empty = fs::read_dir(&self.dir)
                .map_err(io(&self.dir))?
                .next()
                .is_none();
            if !empty {
                return Err(PrecedentError::Store(format!(
                    "{} exists and was not made by hs (no {STORE_MARKER}); choose another folder with HS_PRECEDENTS_DIR",
                    self.dir.display()
                )));
            }
        }
        fs::create_dir_all(&self.dir).map_err(io(&self.dir))?;
        let marker = self.dir.join(STORE_MARKER);
        if !marker.exists() {
            fs::write(&marker, b"{\"created_by\": \"hs\"}\n").map_err(io(&marker))?;
        }
        Ok(())
    }

    /// True when the set `name` holds exactly the content of this
    /// fingerprint (see [`Fingerprint`]), built by this version.
    pub fn unchanged(&self, name: &str, fingerprint: &str) -> bool {
        self.meta(name)
            .is_some_and(|m| m.current() && m.fingerprint == fingerprint)
    }

    /// Adds (or rebuilds) the set `name` from checked rows of a file whose
    /// content had this `fingerprint`.
    pub fn add(
        &self,
        name: &str,
        source: &Path,
        fingerprint: &str,
        loaded: Loaded,
    ) -> Result<(Added, SetMeta), PrecedentError> {
        check_name(name)?;
        self.ensure_root()?;
        let target = self.set_dir(name);
        let existed = target.exists();
        if existed && self.meta(name).is_none() {
            return Err(PrecedentError::Store(format!(
                "{} exists and is not a precedent set made by hs; it is left alone (choose another --name)",
                target.display()
            )));
        }
        if self.unchanged(name, fingerprint)
            && let Some(m) = self.meta(name)
        {
            return Ok((Added::Unchanged, m));
        }
        let pid = std::process::id();
        let tmp = self.dir.join(format!(".building-{name}-{pid}"));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
        }
        fs::create_dir_all(&tmp).map_err(io(&tmp))?;
        let meta = SetMeta {
            name: name.to_string(),
            file: loaded.file.clone(),
            source: fs::canonicalize(source)
                .unwrap_or_else(|_| source.to_path_buf())
                .display()
                .to_string(),
            fingerprint: fingerprint.to_string(),
            schema_version: super::index::SCHEMA_VERSION,
            analyzer_version: crate::index::ANALYZER_VERSION,
            hs_version: env!("CARGO_PKG_VERSION").to_string(),
            rows: loaded.rows.len(),
            reported: loaded.problems.len(),
            added_at: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        };
        let built = write_rows(&tmp.join(ROWS), &loaded.rows).and_then(|()| {
            let set =
                PrecedentIndex::build_into(&tmp.join(INDEX), name, &loaded.file, loaded.rows)?;
            write_terms(&tmp.join(TERMS), &set)
        });
        if let Err(e) = built {
            let _ = fs::remove_dir_all(&tmp);
            return Err(e);
        }
        let json = serde_json::to_vec_pretty(&meta)
            .map_err(|e| PrecedentError::Store(format!("cannot record the set: {e}")))?;
        // Written last: a folder without it is an unfinished build.
        fs::write(tmp.join(SET_MARKER), json).map_err(io(&tmp))?;
        if existed {
            let old = self.dir.join(format!(".old-{name}-{pid}"));
            fs::rename(&target, &old).map_err(io(&target))?;
            fs::rename(&tmp, &target).map_err(io(&target))?;
            fs::remove_dir_all(&old).map_err(io(&old))?;
            Ok((Added::Updated, meta))
        } else {
            fs::rename(&tmp, &target).map_err(io(&target))?;
            Ok((Added::Added, meta))
        }
    }

    /// Removes a set made by hs; anything else is left alone.
    pub fn remove(&self, name: &str) -> Result<SetMeta, PrecedentError> {
        check_name(name)?;
        let Some(meta) = self.meta(name) else {
            return Err(PrecedentError::Store(format!(
                "no precedent set '{name}' in {}",
                self.dir.display()
            )));
        };
        let dir = self.set_dir(name);
        fs::remove_dir_all(&dir).map_err(io(&dir))?;
        Ok(meta)
    }

    /// Opens every set. A set whose index is missing, damaged or built by
    /// another version is rebuilt from its rows (the returned notes say so).
    pub fn open_all(&self) -> Result<(Vec<PrecedentIndex>, Vec<String>), PrecedentError> {
        let mut sets = Vec::new();
        let mut notes = Vec::new();
        for meta in self.list()? {
            let dir = self.set_dir(&meta.name);
            let rows = read_rows(&dir.join(ROWS), meta.rows)?;
            if rows.len() != meta.rows {
                return Err(PrecedentError::Store(format!(
                    "precedent set '{}' is damaged ({} rows where {} were added); add its file again",
                    meta.name,
                    rows.len(),
                    meta.rows
                )));
            }
            let opened = if meta.current() {
                PrecedentIndex::open_index(&dir.join(INDEX), rows.len())
            } else {
                Err(PrecedentError::Store("built by another version".into()))
            };
            match opened {
                Ok(index) => {
                    let set = index.with_rows(&meta.name, &meta.file, rows);
                    // Terms kept by this analyzer version spare the run
                    // analysing every precedent it meets.
                    if let Some(terms) = read_terms(&dir.join(TERMS))? {
                        set.preload_terms(terms);
                    }
                    sets.push(set);
                }
                Err(e) => {
                    notes.push(format!(
                        "precedent set '{}': index rebuilt ({e})",
                        meta.name
                    ));
                    sets.push(self.rebuild_index(&meta, rows)?);
                }
            }
        }
        Ok((sets, notes))
    }

    fn rebuild_index(
        &self,
        meta: &SetMeta,
        rows: Vec<Precedent>,
    ) -> Result<PrecedentIndex, PrecedentError> {
        let dir = self.set_dir(&meta.name);
        let tmp = dir.join(format!(".{INDEX}-{}", std::process::id()));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
        }
        PrecedentIndex::build_into(&tmp, &meta.name, &meta.file, rows.clone())?;
        let index = dir.join(INDEX);
        if index.exists() {
            fs::remove_dir_all(&index).map_err(io(&index))?;
        }
        fs::rename(&tmp, &index).map_err(io(&index))?;
        let mut m = meta.clone();
        m.schema_version = super::index::SCHEMA_VERSION;
        m.analyzer_version = crate::index::ANALYZER_VERSION;
        let json = serde_json::to_vec_pretty(&m)
            .map_err(|e| PrecedentError::Store(format!("cannot record the set: {e}")))?;
        let set = PrecedentIndex::open(&index, &meta.name, &meta.file, rows)?;
        write_terms(&dir.join(TERMS), &set)?;
        fs::write(dir.join(SET_MARKER), json).map_err(io(&dir))?;
        Ok(set)
    }
}

/// Fewest bytes a kept row takes in `rows.jsonl` (`{"description":"",`
/// and so on), so a damaged record of the count cannot make a run reserve
/// more rows than the file holds.
const MIN_ROW_BYTES: u64 = 40;

fn write_rows(path: &Path, rows: &[Precedent]) -> Result<(), PrecedentError> {
    let f = fs::File::create(path).map_err(io(path))?;
    let mut w = BufWriter::new(f);
    for r in rows {
        serde_json::to_writer(&mut w, r)
            .map_err(|e| PrecedentError::Store(format!("{}: {e}", path.display())))?;
        w.write_all(b"\n").map_err(io(path))?;
    }
    w.flush().map_err(io(path))
}

fn write_terms(path: &Path, set: &PrecedentIndex) -> Result<(), PrecedentError> {
    let f = fs::File::create(path).map_err(io(path))?;
    let mut w = BufWriter::new(f);
    for t in set.all_terms() {
        w.write_all(t.as_bytes()).map_err(io(path))?;
        w.write_all(b"\n").map_err(io(path))?;
    }
    w.flush().map_err(io(path))
}

/// The kept terms, or `None` when the set has none (made by an earlier
/// version: the run works them out as it meets the rows).
fn read_terms(path: &Path) -> Result<Option<Vec<Box<str>>>, PrecedentError> {
    let f = match fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(path)(e)),
    };
    let mut out = Vec::new();
    for line in BufReader::new(f).lines() {
        out.push(line.map_err(io(path))?.into_boxed_str());
    }
    Ok(Some(out))
}

/// The rows kept for a set; `expected` (what the set records) sizes the
/// list up front, never beyond what the file's size could hold (a kept row
/// takes at least [`MIN_ROW_BYTES`]).
fn read_rows(path: &Path, expected: usize) -> Result<Vec<Precedent>, PrecedentError> {
    let f = fs::File::open(path).map_err(io(path))?;
    let bytes = f.metadata().map_err(io(path))?.len();
    let fits = usize::try_from(bytes / MIN_ROW_BYTES).unwrap_or(usize::MAX);
    let mut out = Vec::with_capacity(expected.min(fits));
    for (i, line) in BufReader::new(f).lines().enumerate() {
        let line = line.map_err(io(path))?;
        let p: Precedent = serde_json::from_str(&line).map_err(|e| {
            PrecedentError::Store(format!(
                "{} line {}: {e}; add the set's file again",
                path.display(),
                i + 1
            ))
        })?;
        out.push(p);
    }
    Ok(out)
}
