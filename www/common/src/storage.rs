//! Files under the data directory: atomic writes, safe names, whole-dossier removal.
//!
//! Every write goes to a temporary file in `<root>/tmp/` first, is flushed,
//! and is then renamed over its target, so a reader (or a restart) sees the
//! old content or the new one, never half of it. Names that come from
//! requests are only ever used after `is_safe_name` said yes.

use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The data directory of one running instance.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

/// True for names that can be one path segment: 1–128 of `[A-Za-z0-9._-]`, not starting with a dot.
pub fn is_safe_name(name: &str) -> bool {
    crate::ids::is_valid_id(name) && !name.starts_with('.')
}

impl DataDir {
    /// Opens (creating it when needed) the data directory at `root`; temporary files
    /// left by a crash over an hour ago are removed (younger ones may belong to another
    /// instance that is writing right now).
    pub fn open(root: PathBuf) -> io::Result<DataDir> {
        fs::create_dir_all(&root)?;
        let dir = DataDir { root };
        let tmp = dir.tmp_dir();
        fs::create_dir_all(&tmp)?;
        let stale = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        for entry in fs::read_dir(&tmp)?.flatten() {
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t < stale);
            if old {
                let _ = fs::remove_file(entry.path());
            }
        }
        Ok(dir)
    }

    /// The directory itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn tmp_dir(&self) -> PathBuf {
        self.root.join("tmp")
    }

    /// `root/a/b/c` for safe segments; `None` when any segment is not a safe name.
    pub fn path(&self, segments: &[&str]) -> Option<PathBuf> {
        let mut path = self.root.clone();
        for segment in segments {
            if !is_safe_name(segment) {
                return None;
            }
            path.push(segment);
        }
        Some(path)
    }

    /// Writes `bytes` to a fresh temporary file and flushes it; `commit` later moves it into place.
    pub fn stage(&self, bytes: &[u8]) -> io::Result<Staged> {
        let name = crate::ids::try_uuid().map_err(io::Error::other)?;
        let path = self.tmp_dir().join(format!(".tmp-{name}"));
        let mut file = fs::File::create(&path)?;
        let written = file.write_all(bytes).and_then(|()| file.sync_data());
        if let Err(e) = written {
            let _ = fs::remove_file(&path);
            return Err(e);
        }
        Ok(Staged { path: Some(path) })
    }

    /// Atomically replaces `target` with `bytes`.
    pub fn write(&self, target: &Path, bytes: &[u8]) -> io::Result<()> {
        self.stage(bytes)?.commit(target)
    }

    /// Atomically replaces `target` with `value` as JSON.
    pub fn write_json<T: Serialize>(&self, target: &Path, value: &T) -> io::Result<()> {
        let bytes = serde_json::to_vec_pretty(value).map_err(io::Error::other)?;
        self.write(target, &bytes)
    }

    /// Removes a directory and everything in it; a missing one is fine.
    pub fn remove_tree(&self, dir: &Path) -> io::Result<()> {
        match fs::remove_dir_all(dir) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Removes a file; a missing one is fine.
    pub fn remove_file(&self, file: &Path) -> io::Result<()> {
        match fs::remove_file(file) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// A flushed temporary file waiting to be renamed into place (removed if dropped first).
#[derive(Debug)]
pub struct Staged {
    path: Option<PathBuf>,
}

impl Staged {
    /// Renames the file over `target`, creating the parent directory when needed.
    pub fn commit(mut self, target: &Path) -> io::Result<()> {
        let Some(path) = self.path.take() else {
            return Err(io::Error::other("already committed"));
        };
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        let renamed = fs::rename(&path, target);
        if renamed.is_err() {
            let _ = fs::remove_file(&path);
        }
        renamed
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            let _ = fs::remove_file(path);
        }
    }
}

/// Reads a JSON file; `None` when it is missing or unreadable (reported on stderr).
pub fn read_json<T: DeserializeOwned>(file: &Path) -> Option<T> {
    let bytes = fs::read(file).ok()?;
    match serde_json::from_slice(&bytes) {
        Ok(value) => Some(value),
        Err(e) => {
            eprintln!("videoid-www: skipping unreadable {}: {e}", file.display());
            None
        }
    }
}

/// The names of the subdirectories (or files, with `files`) of `dir` that are safe names.
pub fn entries(dir: &Path, files: bool) -> Vec<String> {
    let Ok(read) = fs::read_dir(dir) else {
        return Vec::new();
    };
    read.filter_map(Result::ok)
        .filter(|e| {
            e.file_type()
                .is_ok_and(|t| if files { t.is_file() } else { t.is_dir() })
        })
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| is_safe_name(name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("videoid-storage-{}", crate::ids::uuid()));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn names_never_leave_the_root() {
        let dir = DataDir::open(temp()).unwrap();
        assert!(dir.path(&["a", "b.json"]).is_some());
        for bad in ["..", ".", "", "a/b", "..%2f", ".hidden", "a\\b"] {
            assert!(dir.path(&["x", bad]).is_none(), "{bad}");
        }
        fs::remove_dir_all(dir.root()).unwrap();
    }

    #[test]
    fn writes_replace_atomically_and_leave_no_temporary_file() {
        let dir = DataDir::open(temp()).unwrap();
        let target = dir.path(&["d", "x.json"]).unwrap();
        dir.write_json(&target, &serde_json::json!({ "a": 1 }))
            .unwrap();
        dir.write_json(&target, &serde_json::json!({ "a": 2 }))
            .unwrap();
        let back: serde_json::Value = read_json(&target).unwrap();
        assert_eq!(back["a"], 2);
        assert_eq!(fs::read_dir(dir.root().join("tmp")).unwrap().count(), 0);
        drop(dir.stage(b"dropped").unwrap());
        assert_eq!(fs::read_dir(dir.root().join("tmp")).unwrap().count(), 0);
        fs::remove_dir_all(dir.root()).unwrap();
    }
}
