//! The index folder on disk: what proves a folder is one `hs` made (a marker
//! file written first), which folders `hs` may replace or clean up, the
//! content checksums that reveal a damaged index or changed reference data,
//! and a read-only tantivy directory so that an up-to-date index is opened
//! without writing anything.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};

/// Written first into every folder `hs` creates for an index: the proof that
/// `hs` made the folder and may replace or delete it.
pub const MARKER_FILE: &str = "hs-index.marker";
/// Written last: an index folder without it is incomplete.
pub const FINGERPRINT_FILE: &str = "hs-fingerprint.json";
/// A fingerprint being replaced: written beside it as
/// `hs-fingerprint.json.new-PID`, then renamed over it.
pub const FINGERPRINT_NEW_FILE: &str = "hs-fingerprint.json.new";
/// The indexed words with their document counts.
pub const VOCAB_FILE: &str = "hs-vocab.txt";

/// Files tantivy keeps beside its segments (segments are named by a
/// 32-digit hexadecimal id).
const TANTIVY_FILES: &[&str] = &[
    "meta.json",
    ".managed.json",
    ".tantivy-meta.lock",
    ".tantivy-writer.lock",
];

/// Lock files: created and emptied by tantivy, never part of the content.
const LOCK_FILES: &[&str] = &[".tantivy-meta.lock", ".tantivy-writer.lock"];

/// A folder that builds in progress put beside the index: `.NAME.tmp-PID-N`
/// (a build) and `.NAME.old-PID-N` (an index being replaced).
const TMP_TAG: &str = "tmp";
const OLD_TAG: &str = "old";

/// A leftover of a build whose process cannot be checked (no `/proc`) is
/// removed once it is this old.
const LEFTOVER_AGE: Duration = Duration::from_secs(3600);

/// What is at the index path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Folder {
    /// Nothing: `hs` may create it.
    Absent,
    /// An empty folder: `hs` may put an index in it.
    Empty,
    /// A folder `hs` made (it holds the marker, or an index of an earlier
    /// version, and nothing else).
    Ours,
    /// Not a folder (a regular file, a device): never touched.
    NotFolder,
    /// A folder holding things `hs` did not make: never touched.
    Foreign { why: String },
}

/// True for a name `hs` or tantivy writes into an index folder.
pub fn is_index_file(name: &str) -> bool {
    if [MARKER_FILE, FINGERPRINT_FILE, VOCAB_FILE].contains(&name)
        || TANTIVY_FILES.contains(&name)
        || name.starts_with(FINGERPRINT_NEW_FILE)
    {
        return true;
    }
    // Segment files: `<32 hex digits>.<ext>` or `<32 hex>.<opstamp>.del`,
    // with the extensions tantivy writes (a photo named by its hash is not
    // one).
    let (stem, ext) = name.split_once('.').unwrap_or((name, ""));
    let segment_ext = matches!(
        ext,
        "idx" | "pos" | "term" | "store" | "fast" | "fieldnorm" | "del"
    ) || ext
        .strip_suffix(".del")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()) && segment_ext
}

/// Looks at the index path without changing anything.
pub fn classify(dir: &Path) -> io::Result<Folder> {
    let meta = match fs::metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // A dangling symbolic link is not ours to replace.
            return Ok(if fs::symlink_metadata(dir).is_ok() {
                Folder::NotFolder
            } else {
                Folder::Absent
            });
        }
        Err(e) => return Err(e),
    };
    if !meta.is_dir() {
        return Ok(Folder::NotFolder);
    }
    let mut names = Vec::new();
    // Folders inside: hs makes none, so each is someone else's.
    let mut folders = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type()?.is_dir() {
            folders.push(name.clone());
        }
        names.push(name);
    }
    if names.is_empty() {
        return Ok(Folder::Empty);
    }
    names.sort();
    let proven = names
        .iter()
        .any(|n| n == MARKER_FILE || n == FINGERPRINT_FILE);
    if !proven {
        return Ok(Folder::Foreign {
            why: format!(
                "it is not empty and has no {MARKER_FILE} (it holds {})",
                sample(&names)
            ),
        });
    }
    let foreign: Vec<String> = names
        .into_iter()
        .filter(|n| !is_index_file(n) || folders.contains(n))
        .collect();
    if foreign.is_empty() {
        Ok(Folder::Ours)
    } else {
        Ok(Folder::Foreign {
            why: format!("it holds {}, which hs did not make", sample(&foreign)),
        })
    }
}

/// A few names, quoted, for a message.
fn sample(names: &[String]) -> String {
    let mut out: Vec<String> = names.iter().take(3).map(|n| format!("'{n}'")).collect();
    if names.len() > 3 {
        out.push(format!("and {} more", names.len() - 3));
    }
    out.join(", ")
}

/// Creates a new folder for a build (it must not exist, or be empty) and
/// writes the marker into it before anything else.
pub fn create_marked(dir: &Path) -> io::Result<()> {
    match fs::create_dir(dir) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && classify(dir)? == Folder::Empty => {}
        r => r?,
    }
    fs::write(
        dir.join(MARKER_FILE),
        format!(
            "This folder is an index made by hs {}. hs may replace or delete it; nothing else belongs here.\n",
            env!("CARGO_PKG_VERSION")
        ),
    )
}

/// The name of a build's temporary folder (`TMP_TAG`) or of an index moved
/// aside (`OLD_TAG`), beside `dir`.
fn sibling(dir: &Path, tag: &str) -> PathBuf {
    let parent = parent_of(dir);
    let nonce = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    parent.join(format!(
        ".{}.{tag}-{}-{nonce}",
        base_name(dir),
        std::process::id()
    ))
}

pub fn tmp_sibling(dir: &Path) -> PathBuf {
    sibling(dir, TMP_TAG)
}

pub fn old_sibling(dir: &Path) -> PathBuf {
    sibling(dir, OLD_TAG)
}

/// The folder holding the index folder.
pub fn parent_of(dir: &Path) -> PathBuf {
    match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn base_name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "index".into())
}

/// Removes the `.tmp-`/`.old-` folders that killed builds left beside
/// `dir`: only folders that hold the marker (or are a complete earlier
/// index), and only when the process that made them is gone. Returns the
/// folders removed; a folder that cannot be removed is an error.
pub fn clean_leftovers(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let parent = parent_of(dir);
    let name = base_name(dir);
    let mut removed = Vec::new();
    let entries = match fs::read_dir(&parent) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(removed),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = leftover_pid(&file_name, &name) else {
            continue;
        };
        let path = entry.path();
        // Not a folder (or a link to one): not something hs made.
        if !entry.file_type()?.is_dir() {
            continue;
        }
        let ours = path.join(MARKER_FILE).is_file() || classify(&path)? == Folder::Ours;
        if !ours || !builder_gone(pid, &path) {
            continue;
        }
        match fs::remove_dir_all(&path) {
            Ok(()) => removed.push(path),
            // Another process cleaned it first.
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(io::Error::new(
                    e.kind(),
                    format!("cannot remove the leftover {}: {e}", path.display()),
                ));
            }
        }
    }
    Ok(removed)
}

/// The process id in a leftover's name `.NAME.tmp-PID-N` / `.NAME.old-PID-N`.
fn leftover_pid(file_name: &str, name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?.strip_prefix(name)?;
    let rest = rest
        .strip_prefix(&format!(".{TMP_TAG}-"))
        .or_else(|| rest.strip_prefix(&format!(".{OLD_TAG}-")))?;
    let (pid, nonce) = rest.split_once('-')?;
    if nonce.is_empty() || !nonce.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// True when the process that made a leftover is gone (checked in `/proc`
/// where there is one; elsewhere, when the folder is an hour old).
fn builder_gone(pid: u32, path: &Path) -> bool {
    if pid == std::process::id() {
        return false;
    }
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return !proc.join(pid.to_string()).exists();
    }
    fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age > LEFTOVER_AGE)
}

/// A file's size, modification time and content checksum.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileStamp {
    /// The file name (index files) or the path within the data folder.
    pub name: String,
    pub len: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: u64,
    /// SHA-256 of the content, in hexadecimal.
    pub sha256: String,
}

/// Size and modification time (nanoseconds) of a file.
pub fn size_and_mtime(path: &Path) -> io::Result<(u64, u64)> {
    let meta = fs::metadata(path)?;
    let mtime = meta
        .modified()?
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
    Ok((meta.len(), mtime))
}

/// SHA-256 of a file's content, in hexadecimal.
pub fn hash_file(path: &Path) -> io::Result<String> {
    let mut file = fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Stamps a file, reusing the checksum of `known` when the size and the
/// modification time are unchanged (so an unchanged file is not read).
pub fn stamp(path: &Path, name: &str, known: Option<&FileStamp>) -> io::Result<FileStamp> {
    let (len, mtime_ns) = size_and_mtime(path)?;
    let sha256 = match known {
        Some(k) if k.len == len && k.mtime_ns == mtime_ns => k.sha256.clone(),
        _ => hash_file(path)?,
    };
    Ok(FileStamp {
        name: name.to_string(),
        len,
        mtime_ns,
        sha256,
    })
}

/// Stamps every content file of a finished index folder (all but the
/// marker, the fingerprint and the lock files), sorted by name.
pub fn stamp_index_files(dir: &Path) -> io::Result<Vec<FileStamp>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == MARKER_FILE
            || name == FINGERPRINT_FILE
            || name.starts_with(FINGERPRINT_NEW_FILE)
            || LOCK_FILES.contains(&name.as_str())
        {
            continue;
        }
        out.push(stamp(&entry.path(), &name, None)?);
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Checks the files of an index folder against the stamps recorded when it
/// was built: a missing file, another size or another checksum is damage,
/// described in the error.
pub fn verify_index_files(dir: &Path, stamps: &[FileStamp]) -> Result<(), String> {
    if stamps.is_empty() {
        return Err("no file checksums recorded".into());
    }
    for s in stamps {
        let path = dir.join(&s.name);
        let (len, _) = match size_and_mtime(&path) {
            Ok(x) => x,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(format!("{} is missing", s.name));
            }
            Err(e) => return Err(format!("{} cannot be read: {e}", s.name)),
        };
        if len != s.len {
            return Err(format!(
                "{} has {len} bytes, {} when it was built",
                s.name, s.len
            ));
        }
        // Every file is hashed (1-2 MB in all, a few milliseconds): damage
        // that keeps a file's size and time (a bad copy made with its time
        // kept, bit rot) is caught too; tantivy would read it unnoticed or
        // panic on it.
        match hash_file(&path) {
            Ok(h) if h == s.sha256 => {}
            Ok(_) => return Err(format!("{} changed since it was built", s.name)),
            Err(e) => return Err(format!("{} cannot be read: {e}", s.name)),
        }
    }
    Ok(())
}

/// A tantivy directory over an index folder that never writes: locks are
/// no-ops (the folder is never changed in place: a rebuild makes a new
/// folder and renames it over this one) and every write is refused.
#[derive(Debug, Clone)]
pub struct ReadOnlyDir(MmapDirectory);

impl ReadOnlyDir {
    pub fn open(dir: &Path) -> tantivy::Result<ReadOnlyDir> {
        Ok(ReadOnlyDir(MmapDirectory::open(dir)?))
    }
}

fn refused() -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        "hs opens an index read-only",
    )
}

impl Directory for ReadOnlyDir {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(refused()),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: Arc::new(refused()),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }

    fn atomic_write(&self, _path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(refused())
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, _watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_file_names() {
        assert!(is_index_file("meta.json"));
        assert!(is_index_file("477eaf71a9fc4496a7cc9dfb90a3f950.pos"));
        assert!(is_index_file("477eaf71a9fc4496a7cc9dfb90a3f950.12.del"));
        assert!(!is_index_file("a.txt"));
        assert!(!is_index_file("sub"));
        assert!(!is_index_file("477eaf71a9fc4496a7cc9dfb90a3f950"));
        // Named by a hash, but no segment file of tantivy's.
        assert!(!is_index_file("0123456789abcdef0123456789abcdef.photos"));
        assert!(!is_index_file("0123456789abcdef0123456789abcdef.jpg"));
        assert!(is_index_file("477eaf71a9fc4496a7cc9dfb90a3f950.fieldnorm"));
    }

    #[test]
    fn a_folder_inside_an_index_folder_is_someone_elses() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        fs::write(dir.path().join(MARKER_FILE), b"hs").expect("marker");
        fs::write(dir.path().join("meta.json"), b"{}").expect("meta");
        assert_eq!(classify(dir.path()).expect("read"), Folder::Ours);
        fs::create_dir(dir.path().join("477eaf71a9fc4496a7cc9dfb90a3f950.pos")).expect("dir");
        assert!(matches!(
            classify(dir.path()).expect("read"),
            Folder::Foreign { .. }
        ));
    }

    #[test]
    fn classifies_folders() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path().join("idx");
        assert_eq!(classify(&d).unwrap(), Folder::Absent);
        fs::create_dir(&d).unwrap();
        assert_eq!(classify(&d).unwrap(), Folder::Empty);
        fs::write(d.join("a.txt"), "keep").unwrap();
        assert!(matches!(classify(&d).unwrap(), Folder::Foreign { .. }));
        fs::remove_file(d.join("a.txt")).unwrap();
        fs::remove_dir(&d).unwrap();
        create_marked(&d).unwrap();
        assert_eq!(classify(&d).unwrap(), Folder::Ours);
        fs::write(d.join("notes.txt"), "mine").unwrap();
        assert!(matches!(classify(&d).unwrap(), Folder::Foreign { .. }));
        let f = t.path().join("file");
        fs::write(&f, "x").unwrap();
        assert_eq!(classify(&f).unwrap(), Folder::NotFolder);
        assert_eq!(classify(Path::new("/dev/null")).unwrap(), Folder::NotFolder);
    }

    #[test]
    fn leftover_names() {
        assert_eq!(leftover_pid(".index.tmp-123-456", "index"), Some(123));
        assert_eq!(leftover_pid(".index.old-9-1", "index"), Some(9));
        assert_eq!(leftover_pid(".index.tmp-123-", "index"), None);
        assert_eq!(leftover_pid(".other.tmp-123-4", "index"), None);
        assert_eq!(leftover_pid("index.tmp-123-4", "index"), None);
    }

    #[test]
    fn stamps_find_changed_content() {
        let t = tempfile::tempdir().unwrap();
        fs::write(t.path().join("a"), "hello").unwrap();
        let stamps = vec![stamp(&t.path().join("a"), "a", None).unwrap()];
        assert!(verify_index_files(t.path(), &stamps).is_ok());
        // Same size, other content, other modification time.
        std::thread::sleep(Duration::from_millis(20));
        fs::write(t.path().join("a"), "jello").unwrap();
        let err = verify_index_files(t.path(), &stamps).unwrap_err();
        assert!(err.contains("changed"), "{err}");
        fs::remove_file(t.path().join("a")).unwrap();
        let err = verify_index_files(t.path(), &stamps).unwrap_err();
        assert!(err.contains("missing"), "{err}");
    }
}
