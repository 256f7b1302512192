//! `db verify`: a backup is checked by reading all of it, never by its name or size alone
//! (tools have reported corrupt files as verified, and `pg_restore --list` passes on a
//! truncated custom archive, which we confirmed on PostgreSQL 15).
//!
//! - against the manifest: size and sha256 of the file;
//! - `.sql.gz`: the whole gzip stream decompresses (CRC and length of every member) and ends
//!   with pg_dump's closing comment;
//! - custom format: `pg_restore` reads the whole archive into /dev/null.
//!
//! A `.sql.gz` without a manifest (the seed's `pg_dump | gzip`) gets the stream checks only,
//! and the report says so.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use chrono::Utc;
use flate2::read::MultiGzDecoder;
use serde::Serialize;

use super::dump::{Progress, Tail};
use super::files::{self, Format, HashingReader};
use super::manifest::Verification;
use super::{Error, Manifest, PgVersion, ToolSearch, child};

/// One check and its outcome.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// What was checked.
    pub check: &'static str,
    /// Whether it passed.
    pub ok: bool,
    /// What was found.
    pub detail: String,
}

/// The result of verifying one backup file.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    /// The file.
    pub path: PathBuf,
    /// Its format.
    pub format: Format,
    /// Whether a manifest was there to check against.
    pub has_manifest: bool,
    /// Every check, in order.
    pub checks: Vec<Check>,
    /// All passed.
    pub ok: bool,
    /// The manifest, if any.
    #[serde(skip)]
    pub manifest: Option<Manifest>,
}

impl VerifyReport {
    /// The first failed check, as one line.
    pub fn failure(&self) -> Option<String> {
        self.checks
            .iter()
            .find(|c| !c.ok)
            .map(|c| format!("{}: {}", c.check, c.detail))
    }

    fn push(&mut self, check: &'static str, ok: bool, detail: impl Into<String>) {
        self.checks.push(Check {
            check,
            ok,
            detail: detail.into(),
        });
        self.ok &= ok;
    }
}

/// The format of a backup file, from its manifest or its name.
pub fn format_of(path: &Path, manifest: Option<&Manifest>) -> Option<Format> {
    if let Some(m) = manifest {
        return Some(m.format);
    }
    let name = path.file_name()?.to_str()?;
    if name.ends_with(".gz") {
        Some(Format::SqlGz)
    } else if name.ends_with(".dump") {
        Some(Format::Custom)
    } else {
        None
    }
}

/// How much of a backup to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Everything: checksum, the whole gzip stream or archive, pg_dump's closing comment.
    Full,
    /// Size and sha256 when there is a manifest (the file is then byte for byte the stream
    /// that was complete when written; a restore checks the stream again as it reads it);
    /// everything when there is none.
    Checksum,
}

/// Verifies a dump file, reading all of it. Errors are for what prevents checking at all
/// (no such file, no pg_restore); a bad backup is a report with `ok == false`.
pub fn verify(
    path: &Path,
    tools: &ToolSearch,
    progress: &mut dyn FnMut(Progress),
) -> Result<VerifyReport, Error> {
    verify_to(path, tools, Depth::Full, progress)
}

/// [`verify`] to the given depth.
pub fn verify_to(
    path: &Path,
    tools: &ToolSearch,
    depth: Depth,
    progress: &mut dyn FnMut(Progress),
) -> Result<VerifyReport, Error> {
    let meta = std::fs::metadata(path).map_err(Error::io(path))?;
    if meta.is_dir() {
        return Err(Error::BadBackup {
            path: path.to_path_buf(),
            reason: "a directory: base backups are verified when taken (db basebackup)".into(),
        });
    }
    let (manifest, manifest_problem) = match Manifest::read_for(path) {
        Ok(m) => (m, None),
        Err(e) => (None, Some(e.to_string())),
    };
    let format = format_of(path, manifest.as_ref()).ok_or_else(|| Error::BadBackup {
        path: path.to_path_buf(),
        reason: "not a backup: neither .sql.gz nor .dump, and no manifest".into(),
    })?;
    let mut report = VerifyReport {
        path: path.to_path_buf(),
        format,
        has_manifest: manifest.is_some(),
        checks: Vec::new(),
        ok: true,
        manifest: manifest.clone(),
    };
    match (&manifest, manifest_problem) {
        (_, Some(problem)) => report.push("manifest", false, problem),
        (Some(m), None) => {
            report.push("manifest", true, files::manifest_path(path).display().to_string());
            let size_ok = m.size == meta.len();
            report.push(
                "size",
                size_ok,
                if size_ok {
                    format!("{} bytes, as in the manifest", m.size)
                } else {
                    format!(
                        "{} bytes, the manifest says {} (truncated or changed)",
                        meta.len(),
                        m.size
                    )
                },
            );
        }
        (None, None) => report.push(
            "manifest",
            true,
            "none (a plain pg_dump | gzip file): checking the gzip stream and the dump's end only, no checksum to compare",
        ),
    }
    let shallow = depth == Depth::Checksum
        && report.ok
        && manifest.as_ref().is_some_and(|m| m.sha256.is_some());
    let read = read_through(path, format, !shallow, progress)?;
    if let Some(expected) = manifest.as_ref().and_then(|m| m.sha256.as_deref()) {
        let ok = read.sha256 == expected;
        report.push(
            "sha256",
            ok,
            if ok {
                read.sha256.clone()
            } else {
                format!("{} but the manifest says {expected}", read.sha256)
            },
        );
    }
    if shallow {
        if report.ok {
            report.push(
                "contents",
                true,
                "identical to the complete dump written; read again while restoring",
            );
        }
        return Ok(report);
    }
    match format {
        Format::SqlGz => {
            match &read.stream_error {
                Some(e) => report.push("gzip stream", false, e.clone()),
                None => report.push(
                    "gzip stream",
                    true,
                    format!("{} bytes of SQL, every CRC correct", read.uncompressed),
                ),
            }
            if read.stream_error.is_none() {
                report.push(
                    "dump complete",
                    read.trailer,
                    if read.trailer {
                        "ends with pg_dump's \"dump complete\" comment"
                    } else {
                        "pg_dump's closing comment is missing: the dump stopped part way"
                    },
                );
            }
        }
        Format::Custom => {
            let server = manifest
                .as_ref()
                .and_then(|m| PgVersion::parse_tool_output(&format!("x {}", m.tool_version)))
                .unwrap_or(PgVersion {
                    major: 0,
                    text: "unknown".into(),
                });
            let pg_restore = tools.find("pg_restore", &server)?;
            let (ok, detail) = restore_to_null(&pg_restore.path, path)?;
            report.push("archive readable", ok, detail);
        }
        Format::Tar | Format::Plain => {}
    }
    Ok(report)
}

/// Writes the result into the manifest (when there is one), so `db backups` can show it.
pub fn record(report: &VerifyReport, level: &str) -> Result<(), Error> {
    let Some(mut manifest) = report.manifest.clone() else {
        return Ok(());
    };
    manifest.verification = Some(Verification {
        at: Utc::now(),
        level: level.to_string(),
        ok: report.ok,
        detail: report
            .failure()
            .unwrap_or_else(|| format!("{} checks passed", report.checks.len())),
    });
    manifest.write_for(&report.path).map(|_| ())
}

struct ReadThrough {
    sha256: String,
    uncompressed: u64,
    trailer: bool,
    stream_error: Option<String>,
}

/// One pass over the file: sha256 of its bytes and, for gzip when `decompress`, the
/// decompressed stream.
fn read_through(
    path: &Path,
    format: Format,
    decompress: bool,
    progress: &mut dyn FnMut(Progress),
) -> Result<ReadThrough, Error> {
    let file = files::open_backup(path).map_err(Error::io(path))?;
    let mut hashing = HashingReader::new(file);
    let mut tail = Tail::default();
    let mut uncompressed = 0u64;
    let mut stream_error = None;
    let mut buf = vec![0u8; 256 * 1024];
    let mut reported = 0;
    if format == Format::SqlGz && decompress {
        let mut decoder = MultiGzDecoder::new(&mut hashing);
        loop {
            match decoder.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    uncompressed += n as u64;
                    tail.update(&buf[..n]);
                    if uncompressed - reported >= 16 << 20 {
                        reported = uncompressed;
                        progress(Progress {
                            read: uncompressed,
                            written: 0,
                        });
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    stream_error = Some(match e.kind() {
                        std::io::ErrorKind::UnexpectedEof => {
                            "the gzip stream ends early (truncated file)".to_string()
                        }
                        _ => format!("corrupt gzip data after {uncompressed} bytes: {e}"),
                    });
                    break;
                }
            }
        }
    }
    // Hash the rest (all of it for custom archives, whatever the decoder left otherwise).
    std::io::copy(&mut hashing, &mut std::io::sink()).map_err(Error::io(path))?;
    let (_, sha256) = hashing.finish();
    Ok(ReadThrough {
        sha256,
        uncompressed,
        trailer: tail.has_trailer(),
        stream_error,
    })
}

/// pg_restore reads the whole archive (not just its table of contents) and writes the SQL
/// to /dev/null.
fn restore_to_null(pg_restore: &Path, archive: &Path) -> Result<(bool, String), Error> {
    let out = crate::process::command(pg_restore)
        .arg("--file=/dev/null")
        .arg(archive)
        .stdin(Stdio::null())
        .output()
        .map_err(Error::io(pg_restore))?;
    if out.status.success() {
        Ok((true, "pg_restore read every entry".into()))
    } else {
        Ok((
            false,
            format!(
                "pg_restore {}: {}",
                child::describe(out.status),
                child::error_summary(&String::from_utf8_lossy(&out.stderr))
            ),
        ))
    }
}
