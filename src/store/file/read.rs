//! Opening a file of a store (or of a directory migrate-files imports) for reading: the one
//! place that decides what may be read.
//!
//! A reader opens without following a link and without blocking (a FIFO or a device named like
//! a record would otherwise hang every reader, some of them holding a case lock), then checks
//! with `fstat` on the open file that it is a regular file no larger than
//! [`MAX_RECORD_BYTES`]. Anything else is refused with the file named, never read.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

use rustix::fs::OFlags;

/// The largest file a store reads (a record, a journey, an SLA, an audit record, a journal) and
/// migrate-files accepts: 64 MiB. Real records are kilobytes; a larger file is damage or an
/// attack, and reading it whole would take that much memory.
pub const MAX_RECORD_BYTES: u64 = 64 * 1024 * 1024;

/// The largest `counters.json` a store reads: 256 MiB. It holds one entry per case (at most
/// about 260 bytes with the longest case id), so a million cases of the longest ids fit; a
/// larger file is damage or an attack, and every start, set-var and resume reads it whole.
pub const MAX_COUNTERS_BYTES: u64 = 256 * 1024 * 1024;

/// Why a file cannot be read as a record.
#[derive(Debug)]
pub enum Refused {
    /// The open or read failed (`NotFound` included: callers decide what absence means).
    Io(io::Error),
    /// A symbolic link where a file was expected (the open does not follow links).
    Link,
    /// Not a regular file: a directory, a FIFO, a socket, a device.
    NotRegular(&'static str),
    /// Larger than the limit: its size and the limit.
    TooLarge(u64, u64),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Io(e) => write!(f, "{e}"),
            Self::Link => f.write_str("is a symbolic link; the store never follows links"),
            Self::NotRegular(kind) => write!(f, "is {kind}, not a regular file; not read"),
            Self::TooLarge(size, max) => write!(
                f,
                "is {}, larger than the {} a store file may be; not read",
                crate::conventions::size_text(*size),
                crate::conventions::size_text(*max)
            ),
        }
    }
}

/// What a file that is not a regular file is, for a message.
fn kind_of(file_type: std::fs::FileType) -> &'static str {
    if file_type.is_dir() {
        "a directory"
    } else if file_type.is_fifo() {
        "a FIFO"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_block_device() || file_type.is_char_device() {
        "a device"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else {
        "a special file"
    }
}

/// Opens `path` for reading: without following a link unless `follow`, without blocking, and
/// only when it is a regular file. Returns the file and its size.
pub fn open_regular(path: &Path, follow: bool) -> Result<(File, u64), Refused> {
    let mut flags = OFlags::NONBLOCK | OFlags::NOCTTY;
    if !follow {
        flags |= OFlags::NOFOLLOW;
    }
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(flags.bits() as i32)
        .open(path)
        .map_err(|e| {
            if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) {
                Refused::Link
            } else {
                Refused::Io(e)
            }
        })?;
    let meta = file.metadata().map_err(Refused::Io)?;
    if !meta.is_file() {
        return Err(Refused::NotRegular(kind_of(meta.file_type())));
    }
    // a regular file never blocks; clear the flag anyway so later reads behave as usual
    let _ = rustix::fs::fcntl_setfl(
        &file,
        rustix::fs::fcntl_getfl(&file).unwrap_or(OFlags::empty()) - OFlags::NONBLOCK,
    );
    Ok((file, meta.len()))
}

/// Reads the regular file `path` whole when it is at most `max` bytes (see [`open_regular`]).
/// A file that grows past `max` while it is read is refused too.
pub fn read_regular(path: &Path, follow: bool, max: u64) -> Result<Vec<u8>, Refused> {
    let (file, size) = open_regular(path, follow)?;
    if size > max {
        return Err(Refused::TooLarge(size, max));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(Refused::Io)?;
    if bytes.len() as u64 > max {
        return Err(Refused::TooLarge(bytes.len() as u64, max));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_within_the_limit_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .unwrap();
        assert!(matches!(
            read_regular(&fifo, false, 10),
            Err(Refused::NotRegular("a FIFO"))
        ));
        assert!(matches!(
            read_regular(dir.path(), false, 10),
            Err(Refused::NotRegular("a directory"))
        ));
        let big = dir.path().join("big");
        std::fs::write(&big, b"12345678901").unwrap();
        assert!(matches!(
            read_regular(&big, false, 10),
            Err(Refused::TooLarge(11, 10))
        ));
        std::os::unix::fs::symlink(&big, dir.path().join("link")).unwrap();
        assert!(matches!(
            read_regular(&dir.path().join("link"), false, 100),
            Err(Refused::Link)
        ));
        assert_eq!(read_regular(&big, true, 100).unwrap(), b"12345678901");
    }
}
