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
use crate::fsio::{Digest, Digesting};

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
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
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
    /// CRC-32 of `rows.jsonl` and of `terms.txt` as written (absent in sets
    /// made before they were kept): a changed file is found when read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows_crc: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms_crc: Option<u32>,
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
    /// The set was made from another file: it was rebuilt from this one.
    Replaced,
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

impl Digest for Fingerprint {
    fn update(&mut self, bytes: &[u8]) {
        Fingerprint::update(self, bytes);
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

    /// The marker of a set: `None` when the folder holds no marker (it is
    /// not one of hs's sets); an error when the marker is there but cannot
    /// be read or parsed (the set is hs's, and damaged: never skipped as if
    /// it were not there). A set is named by its folder (one renamed by
    /// hand keeps the old name in its marker).
    pub fn meta(&self, name: &str) -> Result<Option<SetMeta>, PrecedentError> {
        let path = self.set_dir(name).join(SET_MARKER);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(damaged_marker(name, &path, &e.to_string())),
        };
        let mut meta: SetMeta = serde_json::from_slice(&bytes)
            .map_err(|e| damaged_marker(name, &path, &e.to_string()))?;
        meta.name = name.to_string();
        Ok(Some(meta))
    }

    /// True when the folder of `name` is one of hs's sets: it holds hs's
    /// marker (readable or not), or, the marker lost, hs's rows and index
    /// and nothing else.
    fn is_set(&self, name: &str) -> bool {
        let dir = self.set_dir(name);
        dir.join(SET_MARKER).exists()
            || (dir.join(ROWS).is_file()
                && dir.join(INDEX).is_dir()
                && self.foreign_entries(name).is_ok_and(|f| f.is_empty()))
    }

    /// Entries of a set folder that hs did not make (hs makes the marker,
    /// the rows, the terms, the index and `.index-PID` while rebuilding it).
    fn foreign_entries(&self, name: &str) -> Result<Vec<String>, PrecedentError> {
        foreign_in(&self.set_dir(name))
    }

    /// Refuses to replace or delete a set folder holding files hs did not
    /// make.
    fn refuse_foreign(&self, name: &str, doing: &str) -> Result<(), PrecedentError> {
        let foreign = self.foreign_entries(name)?;
        if foreign.is_empty() {
            return Ok(());
        }
        let shown: Vec<&str> = foreign.iter().take(5).map(String::as_str).collect();
        Err(PrecedentError::Store(format!(
            "{} holds files hs did not make ({}{}); they are left alone and the set is not {doing}: move them out first",
            self.set_dir(name).display(),
            shown.join(", "),
            if foreign.len() > 5 { ", ..." } else { "" }
        )))
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
            match self.meta(&name)? {
                Some(m) => out.push(m),
                None if self.is_set(&name) => {
                    return Err(damaged_marker(
                        &name,
                        &self.set_dir(&name).join(SET_MARKER),
                        "it is missing",
                    ));
                }
                None => {}
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
    /// Its rows must also be whole (their CRC-32 as recorded), so adding
    /// the file again mends a set whose rows were damaged.
    pub fn unchanged(&self, name: &str, fingerprint: &str) -> bool {
        let Ok(Some(m)) = self.meta(name) else {
            return false;
        };
        let rows_whole = match m.rows_crc {
            Some(c) => file_crc(&self.set_dir(name).join(ROWS)).is_ok_and(|f| f == c),
            None => self.set_dir(name).join(ROWS).is_file(),
        };
        m.current() && m.fingerprint == fingerprint && rows_whole
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
        self.recover()?;
        let target = self.set_dir(name);
        let existed = target.exists();
        if existed && !self.is_set(name) {
            return Err(PrecedentError::Store(format!(
                "{} exists and is not a precedent set made by hs; it is left alone (choose another --name)",
                target.display()
            )));
        }
        // A set whose marker is damaged is still hs's: adding rebuilds it.
        if self.unchanged(name, fingerprint)
            && let Ok(Some(m)) = self.meta(name)
        {
            return Ok((Added::Unchanged, m));
        }
        if existed {
            self.refuse_foreign(name, "replaced")?;
        }
        let old_source = self.meta(name).ok().flatten().map(|m| m.source);
        let pid = std::process::id();
        let tmp = self.dir.join(format!(".building-{name}-{pid}"));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
        }
        fs::create_dir_all(&tmp).map_err(io(&tmp))?;
        let mut meta = SetMeta {
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
            rows_crc: None,
            terms_crc: None,
        };
        let built = write_rows(&tmp.join(ROWS), &loaded.rows).and_then(|rows_crc| {
            let set =
                PrecedentIndex::build_into(&tmp.join(INDEX), name, &loaded.file, loaded.rows)?;
            Ok((rows_crc, write_terms(&tmp.join(TERMS), &set)?))
        });
        match built {
            Ok((rows_crc, terms_crc)) => {
                meta.rows_crc = Some(rows_crc);
                meta.terms_crc = Some(terms_crc);
            }
            Err(e) => {
                // The folder is this run's own, half built.
                let _ = fs::remove_dir_all(&tmp);
                return Err(e);
            }
        }
        // Written last: a folder without it is an unfinished build.
        write_marker(&tmp, &meta)?;
        if existed {
            // Killed between the two renames, the set is `.old-NAME-PID`:
            // the next run puts it back ([`Store::recover`]).
            let old = self.dir.join(format!(".old-{name}-{pid}"));
            fs::rename(&target, &old).map_err(io(&target))?;
            fs::rename(&tmp, &target).map_err(io(&target))?;
            fs::remove_dir_all(&old).map_err(io(&old))?;
            let status = match old_source {
                Some(s) if s != meta.source => Added::Replaced,
                _ => Added::Updated,
            };
            Ok((status, meta))
        } else {
            if let Err(e) = fs::rename(&tmp, &target) {
                // This run's own folder, never renamed into place.
                let _ = fs::remove_dir_all(&tmp);
                if target.exists() {
                    return Err(PrecedentError::Store(format!(
                        "another hs process added the set '{name}' at the same time ({e}); run the command again"
                    )));
                }
                return Err(io(&target)(e));
            }
            Ok((Added::Added, meta))
        }
    }

    /// Puts back what an `add` killed half-way left: a set renamed aside
    /// (`.old-NAME-PID`) while its new build was not yet in place is
    /// renamed back; the leftovers of finished or unfinished builds
    /// (`.old-` beside a set in place, `.building-`) are removed. Only
    /// folders of processes no longer running are touched (on systems
    /// without `/proc`, none is), and only in a store hs made. Returns what
    /// was done.
    pub fn recover(&self) -> Result<Vec<String>, PrecedentError> {
        let mut notes = Vec::new();
        // Only in a store hs made: nothing in another folder is touched.
        if !self.dir.join(STORE_MARKER).exists() {
            return Ok(notes);
        }
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return Ok(notes);
        };
        for entry in entries {
            let entry = entry.map_err(io(&self.dir))?;
            let file = entry.file_name().to_string_lossy().into_owned();
            let Some((kind, name, pid)) = leftover(&file) else {
                continue;
            };
            if process_alive(pid) || check_name(name).is_err() {
                continue;
            }
            let path = entry.path();
            if !path.is_dir() {
                continue;
            }
            // Only folders holding hs's files alone: a folder named like a
            // leftover that holds anything else is not hs's to remove.
            match foreign_in(&path) {
                Ok(foreign) if foreign.is_empty() => {}
                Ok(foreign) => {
                    notes.push(format!(
                        "{} is named like an interrupted update's leftover but holds files hs did not make ({}): left alone",
                        path.display(),
                        foreign.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
                    ));
                    continue;
                }
                Err(e) => {
                    notes.push(format!("{} left in place ({e})", path.display()));
                    continue;
                }
            }
            let target = self.set_dir(name);
            if kind == "old" && !target.exists() && path.join(SET_MARKER).exists() {
                match fs::rename(&path, &target) {
                    Ok(()) => notes.push(format!(
                        "precedent set '{name}': put back (an update was interrupted)"
                    )),
                    // A read-only store: said, and left for a run that can.
                    Err(e) => notes.push(format!(
                        "precedent set '{name}': an interrupted update left it at {}; it cannot be put back here ({e}) and is not used",
                        path.display()
                    )),
                }
            } else if let Err(e) = fs::remove_dir_all(&path) {
                // A leftover that cannot be removed (a read-only store)
                // harms nothing: said, and left for a run that can.
                notes.push(format!("{} left in place ({e})", path.display()));
            }
        }
        Ok(notes)
    }

    /// Removes a set made by hs; anything else is left alone.
    pub fn remove(&self, name: &str) -> Result<SetMeta, PrecedentError> {
        check_name(name)?;
        if !self.is_set(name) {
            return Err(PrecedentError::Store(format!(
                "no precedent set '{name}' in {}",
                self.dir.display()
            )));
        }
        // A damaged marker does not stop its removal.
        let meta = self.meta(name).ok().flatten().unwrap_or_else(|| SetMeta {
            name: name.to_string(),
            ..SetMeta::default()
        });
        self.refuse_foreign(name, "removed")?;
        let dir = self.set_dir(name);
        fs::remove_dir_all(&dir).map_err(io(&dir))?;
        Ok(meta)
    }

    /// Opens every set. A set whose index is missing, damaged or built by
    /// another version is rebuilt from its rows (the returned notes say so).
    pub fn open_all(&self) -> Result<(Vec<PrecedentIndex>, Vec<String>), PrecedentError> {
        let mut sets = Vec::new();
        let mut notes = self.recover()?;
        for listed in self.list()? {
            if let Some(set) = self.open_set(listed, &mut notes)? {
                sets.push(set);
            }
        }
        Ok((sets, notes))
    }

    /// Opens the set `listed` describes. Another process may replace it
    /// while it is read (`add` renames the new build into place): what was
    /// read is used only if the set's marker is the same after, else it is
    /// read again; damage is reported only when it stays. `None` when the
    /// set was removed meanwhile.
    fn open_set(
        &self,
        listed: SetMeta,
        notes: &mut Vec<String>,
    ) -> Result<Option<PrecedentIndex>, PrecedentError> {
        let mut meta = listed;
        let mut tries = 0;
        loop {
            // The notes of a reading that is thrown away are not told.
            let mut said = Vec::new();
            let opened = self.open_one(&meta, &mut said);
            let now = self.meta(&meta.name);
            let same = matches!(&now, Ok(Some(m)) if same_build(m, &meta));
            match opened {
                Ok(set) if same => {
                    notes.append(&mut said);
                    return Ok(Some(set));
                }
                Err(e) if same || tries >= REREADS => return Err(e),
                Ok(_) if tries >= REREADS => {
                    return Err(PrecedentError::Store(format!(
                        "precedent set '{}' kept changing while it was read (another hs is adding it); run the command again",
                        meta.name
                    )));
                }
                _ => {}
            }
            tries += 1;
            std::thread::sleep(std::time::Duration::from_millis(20 * tries as u64));
            match self.meta(&meta.name)? {
                Some(m) => meta = m,
                // Gone: removed, or between an update's two renames
                // (looked at again).
                None if tries < REREADS => {}
                None => return Ok(None),
            }
        }
    }

    /// Opens one set as its marker `meta` describes it.
    fn open_one(
        &self,
        meta: &SetMeta,
        notes: &mut Vec<String>,
    ) -> Result<PrecedentIndex, PrecedentError> {
        let dir = self.set_dir(&meta.name);
        let (rows, crc) = read_rows(&dir.join(ROWS), meta.rows)?;
        if meta.rows_crc.is_some_and(|c| c != crc) {
            return Err(PrecedentError::Store(format!(
                "precedent set '{}' is damaged ({ROWS} changed since it was added); add its file again",
                meta.name
            )));
        }
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
                // analysing every precedent it meets; changed ones are
                // worked out again and kept anew.
                let lost = match read_terms(&dir.join(TERMS))? {
                    Some((terms, crc)) if meta.terms_crc.is_none_or(|c| c == crc) => {
                        set.preload_terms(terms);
                        None
                    }
                    Some(_) => Some("damaged"),
                    // Recorded but gone: deleted since.
                    None if meta.terms_crc.is_some() => Some("missing"),
                    None => None,
                };
                if let Some(what) = lost {
                    // Kept anew when the store can be written; a
                    // read-only store works them out for each run.
                    let kept = write_terms(&dir.join(TERMS), &set).and_then(|crc| {
                        let mut m = meta.clone();
                        m.terms_crc = Some(crc);
                        write_marker(&dir, &m)
                    });
                    notes.push(match kept {
                        Ok(()) => format!(
                            "precedent set '{}': {TERMS} {what}, worked out again",
                            meta.name
                        ),
                        Err(e) => format!(
                            "precedent set '{}': {TERMS} {what}, worked out for this run only (not kept: {e})",
                            meta.name
                        ),
                    });
                }
                Ok(set)
            }
            Err(e) => {
                notes.push(format!(
                    "precedent set '{}': index rebuilt ({e})",
                    meta.name
                ));
                self.rebuild_index(meta, rows)
            }
        }
    }

    fn rebuild_index(
        &self,
        meta: &SetMeta,
        rows: Vec<Precedent>,
    ) -> Result<PrecedentIndex, PrecedentError> {
        self.refuse_foreign(&meta.name, "rebuilt")?;
        let dir = self.set_dir(&meta.name);
        // Builds of runs no longer running are left-overs.
        for entry in fs::read_dir(&dir).map_err(io(&dir))? {
            let entry = entry.map_err(io(&dir))?;
            let file = entry.file_name().to_string_lossy().into_owned();
            let pid = file
                .strip_prefix(&format!(".{INDEX}-"))
                .or_else(|| file.strip_prefix(&format!(".old-{INDEX}-")))
                .and_then(|p| p.parse::<u32>().ok());
            if pid.is_some_and(|p| !process_alive(p)) {
                let path = entry.path();
                fs::remove_dir_all(&path).map_err(io(&path))?;
            }
        }
        let tmp = dir.join(format!(".{INDEX}-{}", std::process::id()));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
        }
        PrecedentIndex::build_into(&tmp, &meta.name, &meta.file, rows.clone())?;
        // Another run may have rebuilt it meanwhile (its marker then
        // records this version): then that index is used.
        let index = dir.join(INDEX);
        if matches!(self.meta(&meta.name), Ok(Some(m)) if m.current())
            && let Ok(theirs) = PrecedentIndex::open_index(&index, rows.len())
        {
            fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
            return Ok(theirs.with_rows(&meta.name, &meta.file, rows));
        }
        // The damaged index is renamed aside, not deleted in place: runs
        // rebuilding at the same moment never delete what another renamed
        // there.
        let aside = dir.join(format!(".old-{INDEX}-{}", std::process::id()));
        match fs::rename(&index, &aside) {
            Ok(()) => {}
            // Another run moved it first.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(&index)(e)),
        }
        if let Err(e) = fs::rename(&tmp, &index) {
            // This run's own build, never renamed into place.
            let _ = fs::remove_dir_all(&tmp);
            // Another run rebuilt the index at the same moment: theirs is
            // as good (it is opened, and so checked, below).
            if !index.join("meta.json").exists() {
                return Err(io(&index)(e));
            }
        }
        if aside.exists() {
            fs::remove_dir_all(&aside).map_err(io(&aside))?;
        }
        let mut m = meta.clone();
        m.schema_version = super::index::SCHEMA_VERSION;
        m.analyzer_version = crate::index::ANALYZER_VERSION;
        // Another run's rebuild may replace this one between the rename and
        // the open; its index is as good: opened on a second try.
        let set = match PrecedentIndex::open(&index, &meta.name, &meta.file, rows.clone()) {
            Ok(set) => set,
            Err(_) => {
                std::thread::sleep(std::time::Duration::from_millis(200));
                PrecedentIndex::open(&index, &meta.name, &meta.file, rows)?
            }
        };
        m.terms_crc = Some(write_terms(&dir.join(TERMS), &set)?);
        write_marker(&dir, &m)?;
        Ok(set)
    }
}

/// Entries of a set folder `dir` that hs did not make (hs makes the
/// marker, the rows, the terms, the index and `.index-PID` while
/// rebuilding it; inside the index, tantivy's files).
fn foreign_in(dir: &Path) -> Result<Vec<String>, PrecedentError> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let n = entry.file_name().to_string_lossy().into_owned();
        let ours = [SET_MARKER, ROWS, TERMS, INDEX].contains(&n.as_str())
            || n.starts_with(&format!(".{INDEX}-"))
            || n.starts_with(&format!(".old-{INDEX}-"))
            || n.starts_with(&format!(".{SET_MARKER}-"));
        if !ours {
            out.push(n);
        }
    }
    // Inside the index folder: tantivy's files only.
    let index = dir.join(INDEX);
    if index.is_dir() {
        for entry in fs::read_dir(&index).map_err(io(&index))? {
            let entry = entry.map_err(io(&index))?;
            let n = entry.file_name().to_string_lossy().into_owned();
            if !tantivy_file(&n) {
                out.push(format!("{INDEX}/{n}"));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Writes a set's marker beside its files, through a temporary file
/// renamed over it: a run killed while writing leaves the old marker or
/// the new, never half of one.
fn write_marker(dir: &Path, meta: &SetMeta) -> Result<(), PrecedentError> {
    let json = serde_json::to_vec_pretty(meta)
        .map_err(|e| PrecedentError::Store(format!("cannot record the set: {e}")))?;
    let tmp = dir.join(format!(".{SET_MARKER}-{}", std::process::id()));
    let marker = dir.join(SET_MARKER);
    crate::fsio::write_whole(&marker, &tmp, false, |f| f.write_all(&json)).map_err(io(&marker))
}

fn damaged_marker(name: &str, path: &Path, why: &str) -> PrecedentError {
    PrecedentError::Store(format!(
        "precedent set '{name}' is damaged: {} cannot be read ({why}); add its file again with `hs precedents add FILE --name {name}`, or remove the set with `hs precedents remove {name}`",
        path.display()
    ))
}

/// True for a file name tantivy writes in an index folder: its metadata,
/// its locks, and segment files (32 hex digits, an extension).
fn tantivy_file(name: &str) -> bool {
    if matches!(name, "meta.json" | ".managed.json") || name.ends_with(".lock") {
        return true;
    }
    let (stem, _ext) = name.split_once('.').unwrap_or((name, ""));
    stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit())
}

/// CRC-32 of a file's bytes.
fn file_crc(path: &Path) -> std::io::Result<u32> {
    let mut r = Crc::new(fs::File::open(path)?);
    std::io::copy(&mut r, &mut std::io::sink())?;
    Ok(r.digest.finalize())
}

/// How many times [`Store::open_all`] reads a set again that changed while
/// it was read.
const REREADS: usize = 5;

/// True when two markers describe the same build of a set.
fn same_build(a: &SetMeta, b: &SetMeta) -> bool {
    a.fingerprint == b.fingerprint
        && a.added_at == b.added_at
        && a.rows == b.rows
        && a.rows_crc == b.rows_crc
}

/// `.old-NAME-PID` or `.building-NAME-PID`: (kind, name, pid).
fn leftover(file: &str) -> Option<(&str, &str, u32)> {
    let rest = file.strip_prefix('.')?;
    let (kind, rest) = rest.split_once('-')?;
    if kind != "old" && kind != "building" {
        return None;
    }
    let (name, pid) = rest.rsplit_once('-')?;
    Some((kind, name, pid.parse().ok()?))
}

/// True unless the process is known to be gone (`/proc` says so).
fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

/// Fewest bytes a kept row takes in `rows.jsonl` (`{"description":"",`
/// and so on), so a damaged record of the count cannot make a run reserve
/// more rows than the file holds.
const MIN_ROW_BYTES: u64 = 40;

/// A reader or writer keeping the CRC-32 of the bytes through it.
type Crc<T> = Digesting<T, crc32fast::Hasher>;

/// Writes the rows; returns the file's CRC-32.
fn write_rows(path: &Path, rows: &[Precedent]) -> Result<u32, PrecedentError> {
    let f = fs::File::create(path).map_err(io(path))?;
    let mut w = BufWriter::new(Crc::new(f));
    for r in rows {
        serde_json::to_writer(&mut w, r)
            .map_err(|e| PrecedentError::Store(format!("{}: {e}", path.display())))?;
        w.write_all(b"\n").map_err(io(path))?;
    }
    let crc = w.into_inner().map_err(|e| io(path)(e.into_error()))?;
    Ok(crc.digest.finalize())
}

/// Writes every row's terms; returns the file's CRC-32.
fn write_terms(path: &Path, set: &PrecedentIndex) -> Result<u32, PrecedentError> {
    let f = fs::File::create(path).map_err(io(path))?;
    let mut w = BufWriter::new(Crc::new(f));
    for t in set.all_terms() {
        w.write_all(t.as_bytes()).map_err(io(path))?;
        w.write_all(b"\n").map_err(io(path))?;
    }
    let crc = w.into_inner().map_err(|e| io(path)(e.into_error()))?;
    Ok(crc.digest.finalize())
}

/// A set's kept terms, a line per row, and the file's CRC-32.
type KeptTerms = (Vec<Box<str>>, u32);

/// The kept terms and the file's CRC-32, or `None` when the set has none
/// (made by an earlier version: the run works them out as it meets the
/// rows).
fn read_terms(path: &Path) -> Result<Option<KeptTerms>, PrecedentError> {
    let f = match fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(path)(e)),
    };
    let mut out = Vec::new();
    let mut r = BufReader::new(Crc::new(f));
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line).map_err(io(path))? == 0 {
            break;
        }
        out.push(line.trim_end_matches('\n').into());
    }
    Ok(Some((out, r.into_inner().digest.finalize())))
}

/// The rows kept for a set; `expected` (what the set records) sizes the
/// list up front, never beyond what the file's size could hold (a kept row
/// takes at least [`MIN_ROW_BYTES`]).
fn read_rows(path: &Path, expected: usize) -> Result<(Vec<Precedent>, u32), PrecedentError> {
    let f = fs::File::open(path).map_err(io(path))?;
    let bytes = f.metadata().map_err(io(path))?.len();
    let fits = usize::try_from(bytes / MIN_ROW_BYTES).unwrap_or(usize::MAX);
    let mut out = Vec::with_capacity(expected.min(fits));
    let mut r = BufReader::new(Crc::new(f));
    let mut line = String::new();
    let mut i = 0usize;
    loop {
        line.clear();
        if r.read_line(&mut line).map_err(io(path))? == 0 {
            break;
        }
        let p: Precedent = serde_json::from_str(line.trim_end_matches('\n')).map_err(|e| {
            PrecedentError::Store(format!(
                "{} line {}: {e}; add the set's file again",
                path.display(),
                i + 1
            ))
        })?;
        out.push(p);
        i += 1;
    }
    Ok((out, r.into_inner().digest.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded(code: &str) -> Loaded {
        let rows = (0..50)
            .map(|i| {
                Precedent::labelled(
                    &format!("cotton knitted shirt style {i}"),
                    code.to_string(),
                    code,
                    i + 2,
                )
            })
            .collect();
        Loaded {
            file: "entries.csv".into(),
            rows,
            problems: Vec::new(),
            records: 50,
        }
    }

    #[test]
    fn a_set_replaced_after_it_was_listed_is_read_as_replaced_not_damaged() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let store = Store::new(dir.path().join("store"));
        let file = dir.path().join("entries.csv");
        store
            .add("entries", &file, "one", loaded("610910"))
            .expect("added");
        // Listed by a reader, then replaced by another process's `add`.
        let listed = store.list().expect("listed").remove(0);
        store
            .add("entries", &file, "two", loaded("610510"))
            .expect("replaced");
        // What was listed no longer matches the rows: read as it was
        // listed, the set looks damaged ...
        assert!(store.open_one(&listed, &mut Vec::new()).is_err());
        // ... and is read again as it is now.
        let set = store
            .open_set(listed, &mut Vec::new())
            .expect("opened")
            .expect("still there");
        assert_eq!(set.rows[0].code, "610510");
        // Removed meanwhile: skipped, not an error.
        let listed = store.list().expect("listed").remove(0);
        store.remove("entries").expect("removed");
        assert!(
            store
                .open_set(listed, &mut Vec::new())
                .expect("no error")
                .is_none()
        );
    }
}
