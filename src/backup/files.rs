//! Files in the backup directory: names, atomic writes, checksums while streaming, free space.
//!
//! Every backup is written under a `.partial` name, fsynced, and renamed into place (then the
//! directory is fsynced), so a crash never leaves something that looks like a backup
//! (a failed dump must not become a 20-byte gzip file renamed into place as a "backup").

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};
use sha2::{Digest, Sha256};

use super::Error;

/// Suffix of anything still being written.
pub const PARTIAL: &str = ".partial";
/// Suffix of the manifest beside each backup.
pub(crate) const MANIFEST: &str = ".manifest.json";
/// The file `flock`ed while a backup runs.
pub(crate) const LOCK_FILE: &str = ".wfctl-backup.lock";
/// Prefix of base backup directories.
pub(crate) const BASE_PREFIX: &str = "base";

/// What a name in the backup directory says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Plain SQL through gzip (`.sql.gz`), the seed guide's format.
    SqlGz,
    /// pg_dump's custom format (`.dump`).
    Custom,
    /// pg_basebackup `-Ft -z` (a directory of `.tar.gz`).
    Tar,
    /// pg_basebackup `-Fp` (a directory with the data directory's layout).
    Plain,
}

impl Format {
    /// The file name extension of a dump in this format (base backups are directories).
    pub fn extension(self) -> &'static str {
        match self {
            Self::SqlGz => ".sql.gz",
            Self::Custom => ".dump",
            Self::Tar | Self::Plain => "",
        }
    }

    /// Whether this is a base backup (a directory).
    pub fn is_base(self) -> bool {
        matches!(self, Self::Tar | Self::Plain)
    }

    /// The name used on the command line and in listings.
    pub fn label(self) -> &'static str {
        match self {
            Self::SqlGz => "sql-gz",
            Self::Custom => "custom",
            Self::Tar => "base-tar",
            Self::Plain => "base-plain",
        }
    }
}

/// `20240101_020000` (UTC), as the seed's script names its files.
pub(crate) fn stamp(time: DateTime<Utc>) -> String {
    time.format("%Y%m%d_%H%M%S").to_string()
}

/// A database name made safe for a file name.
pub(crate) fn safe_label(database: &str) -> String {
    database
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// `{db}_{YYYYmmdd_HHMMSS}.sql.gz` / `.dump`, or `base_{YYYYmmdd_HHMMSS}`.
pub(crate) fn backup_name(label: &str, time: DateTime<Utc>, format: Format) -> String {
    format!("{label}_{}{}", stamp(time), format.extension())
}

/// A name this tool would have made: its label (database or `base`), time and format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedName {
    /// The database label, or `base`.
    pub label: String,
    /// The time in the name.
    pub time: DateTime<Utc>,
    /// What kind of backup the name says.
    pub format: Option<Format>,
}

/// Parses `{label}_{YYYYmmdd}_{HHMMSS}{ext}`; `format` is None for a base backup directory
/// name (tar or plain is only known from its manifest).
pub(crate) fn parse_name(name: &str) -> Option<ParsedName> {
    let (stem, format) = if let Some(stem) = name.strip_suffix(".sql.gz") {
        (stem, Some(Format::SqlGz))
    } else if let Some(stem) = name.strip_suffix(".dump") {
        (stem, Some(Format::Custom))
    } else {
        (name, None)
    };
    // "20240101_020000" is 15 bytes, after at least one byte of label and a '_'.
    if stem.len() < 17 || !stem.is_char_boundary(stem.len() - 15) {
        return None;
    }
    let (label, time) = stem.split_at(stem.len() - 15);
    let label = label.strip_suffix('_')?;
    if label.is_empty() || (format.is_none() && label != BASE_PREFIX) {
        return None;
    }
    let time = NaiveDateTime::parse_from_str(time, "%Y%m%d_%H%M%S").ok()?;
    Some(ParsedName {
        label: label.to_string(),
        time: time.and_utc(),
        format,
    })
}

/// Creates the backup directory (and parents) readable by the owner only, if missing.
pub(crate) fn ensure_dir(dir: &Path) -> Result<(), Error> {
    if refuse_non_dir(dir)? {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(Error::io(dir))
}

/// True when `dir` is a directory (or a symlink to one), false when nothing is there; an
/// error naming it when something else is (a file, a dangling symlink).
pub(crate) fn refuse_non_dir(dir: &Path) -> Result<bool, Error> {
    if dir.is_dir() {
        return Ok(true);
    }
    if std::fs::symlink_metadata(dir).is_ok() {
        return Err(Error::io(dir)(io::Error::other(
            "exists and is not a directory (nor a symlink to one)",
        )));
    }
    Ok(false)
}

/// A new file, mode 0600, failing if it exists.
pub(crate) fn create_new(path: &Path) -> Result<File, Error> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(Error::io(path))
}

/// fsync of a directory, so that a rename in it survives a crash.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), Error> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(Error::io(dir))
}

/// Renames `from` to `to` and fsyncs the directory.
pub(crate) fn rename_durably(from: &Path, to: &Path) -> Result<(), Error> {
    std::fs::rename(from, to).map_err(Error::io(to))?;
    sync_dir(to.parent().unwrap_or(Path::new(".")))
}

/// Writes `bytes` to `path` atomically: `path.partial`, fsync, rename, directory fsync.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let partial = with_suffix(path, PARTIAL);
    let _ = std::fs::remove_file(&partial);
    let mut file = create_new(&partial)?;
    let result = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(Error::io(&partial));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    rename_durably(&partial, path)
}

/// `path` with `suffix` appended to its file name.
pub(crate) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// The manifest path of a backup file or directory.
pub fn manifest_path(backup: &Path) -> PathBuf {
    with_suffix(backup, MANIFEST)
}

/// Bytes available to this user in the file system holding `dir`.
pub(crate) fn available_space(dir: &Path) -> Result<u64, Error> {
    let st = rustix::fs::statvfs(dir).map_err(|e| Error::Io {
        path: dir.to_path_buf(),
        source: e.into(),
    })?;
    Ok(st.f_bavail.saturating_mul(st.f_frsize))
}

/// Total size of a file, or of every file under a directory.
pub(crate) fn size_of(path: &Path) -> io::Result<u64> {
    let meta = std::fs::symlink_metadata(path)?;
    if !meta.is_dir() {
        return Ok(meta.len());
    }
    let mut total = 0;
    for entry in std::fs::read_dir(path)? {
        total += size_of(&entry?.path())?;
    }
    Ok(total)
}

/// A writer that counts and hashes what passes through it (the manifest's size and sha256,
/// computed while streaming instead of reading the file again).
#[derive(Debug)]
pub struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> HashingWriter<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// Bytes written so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The inner writer, the byte count and the hex sha256.
    pub fn finish(self) -> (W, u64, String) {
        (self.inner, self.bytes, hex(&self.hasher.finalize()))
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A reader that counts and hashes what is read through it.
#[derive(Debug)]
pub struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read> HashingReader<R> {
    /// Wraps `inner`.
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// Bytes read so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The byte count and the hex sha256 of everything read.
    pub fn finish(self) -> (u64, String) {
        (self.bytes, hex(&self.hasher.finalize()))
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

/// sha256 of a whole file, hex.
pub(crate) fn sha256_file(path: &Path) -> Result<(u64, String), Error> {
    let file = File::open(path).map_err(Error::io(path))?;
    let mut reader = HashingReader::new(file);
    io::copy(&mut reader, &mut io::sink()).map_err(Error::io(path))?;
    Ok(reader.finish())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Opens a backup file for reading; anything but a regular file (a FIFO would block the open
/// forever, a device never ends) is refused with its path.
pub(crate) fn open_backup(path: &Path) -> std::io::Result<std::fs::File> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other("is not a regular file"));
    }
    std::fs::File::open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_or_directory_is_refused_as_a_backup_file_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("wf1_20200101_000000.sql.gz");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        for path in [fifo.as_path(), dir.path()] {
            let err = open_backup(path).unwrap_err();
            assert!(err.to_string().contains("not a regular file"), "{err}");
        }
    }

    #[test]
    fn names_round_trip() {
        let t = DateTime::parse_from_rfc3339("2024-01-01T02:00:00Z")
            .unwrap()
            .to_utc();
        let name = backup_name("workflow_db", t, Format::SqlGz);
        assert_eq!(name, "workflow_db_20240101_020000.sql.gz");
        let parsed = parse_name(&name).unwrap();
        assert_eq!(parsed.label, "workflow_db");
        assert_eq!(parsed.time, t);
        assert_eq!(parsed.format, Some(Format::SqlGz));
        let base = parse_name(&backup_name(BASE_PREFIX, t, Format::Tar)).unwrap();
        assert_eq!((base.label.as_str(), base.format), ("base", None));
        for other in [
            "notes.txt",
            "workflow_db_2024_020000.sql.gz",
            "workflow_db_20240101_020000.sql.gz.partial",
            "x_20240101_020000",
            "_20240101_020000.sql.gz",
            "20240101_020000.sql.gz",
        ] {
            assert_eq!(parse_name(other), None, "{other}");
        }
        assert_eq!(safe_label("my db/1"), "my_db_1");
    }

    #[test]
    fn atomic_writes_leave_no_partial_and_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        write_atomic(&path, b"{}").unwrap();
        write_atomic(&path, b"{\"a\":1}").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"{\"a\":1}");
        assert!(!with_suffix(&path, PARTIAL).exists());
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(available_space(dir.path()).unwrap() > 0);
    }
}
