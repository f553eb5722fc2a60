//! File input and output shared by the stores `hs` keeps: writing a file
//! whole or not at all (a temporary file renamed over it), and readers and
//! writers that digest the bytes passing through them (a CRC-32, a
//! precedent file's fingerprint).

use std::fs;
use std::io::{self, Read, Write};
use std::path::Path;

/// Writes `path` through `tmp` (a name of the caller's, unique to the
/// process): `write` fills the temporary file, which is then renamed over
/// `path`, so a run killed while writing leaves the old file or the new,
/// never half of one. With `sync` the bytes reach the disk before the
/// rename. On any failure the temporary file is removed and the error
/// returned.
pub fn write_whole(
    path: &Path,
    tmp: &Path,
    sync: bool,
    write: impl FnOnce(&mut fs::File) -> io::Result<()>,
) -> io::Result<()> {
    let written = (|| {
        let mut out = fs::File::create(tmp)?;
        write(&mut out)?;
        if sync {
            out.sync_all()?;
        }
        drop(out);
        fs::rename(tmp, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(tmp);
    }
    written
}

/// What digests bytes: CRC-32, a fingerprint.
pub trait Digest {
    fn update(&mut self, bytes: &[u8]);
}

impl Digest for crc32fast::Hasher {
    fn update(&mut self, bytes: &[u8]) {
        crc32fast::Hasher::update(self, bytes);
    }
}

/// A reader or writer that digests the bytes through it.
pub struct Digesting<T, D> {
    pub inner: T,
    pub digest: D,
}

impl<T, D: Default> Digesting<T, D> {
    pub fn new(inner: T) -> Self {
        Digesting {
            inner,
            digest: D::default(),
        }
    }
}

impl<W: Write, D: Digest> Write for Digesting<W, D> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.digest.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<R: Read, D: Digest> Read for Digesting<R, D> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.digest.update(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary_one() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("f");
        let tmp = dir.path().join(".f-tmp");
        fs::write(&path, "old").unwrap_or_else(|e| panic!("{e}"));
        let r = write_whole(&path, &tmp, false, |f| {
            f.write_all(b"half")?;
            Err(io::Error::other("stopped"))
        });
        assert!(r.is_err());
        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("old"));
        assert!(!tmp.exists());
        write_whole(&path, &tmp, true, |f| f.write_all(b"new")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("new"));
        assert!(!tmp.exists());
    }

    #[test]
    fn digests_what_passes_in_either_direction() {
        let mut w: Digesting<Vec<u8>, crc32fast::Hasher> = Digesting::new(Vec::new());
        w.write_all(b"hello").unwrap_or_else(|e| panic!("{e}"));
        let written = w.digest.finalize();
        let mut r: Digesting<&[u8], crc32fast::Hasher> = Digesting::new(&b"hello"[..]);
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.digest.finalize(), written);
        assert_eq!(written, crc32fast::hash(b"hello"));
    }
}
