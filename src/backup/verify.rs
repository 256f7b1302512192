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
use super::{Error, Manifest, Need, PgVersion, ToolSearch, child};
use crate::conventions::size_text;

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
pub(crate) fn format_of(path: &Path, manifest: Option<&Manifest>) -> Option<Format> {
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
pub(crate) fn verify_to(
    path: &Path,
    tools: &ToolSearch,
    depth: Depth,
    progress: &mut dyn FnMut(Progress),
) -> Result<VerifyReport, Error> {
    let meta = std::fs::metadata(path).map_err(Error::io(path))?;
    if meta.is_dir() {
        return verify_base(path, tools);
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
                    format!("{}, as in the manifest", size_text(m.size))
                } else {
                    format!(
                        "{}, {} {} than the manifest's {} (truncated or changed)",
                        size_text(meta.len()),
                        size_text(meta.len().abs_diff(m.size)),
                        if meta.len() < m.size { "less" } else { "more" },
                        size_text(m.size)
                    )
                },
            );
        }
        (None, None) => report.push(
            "manifest",
            true,
            if format == Format::Custom {
                "none (a pg_dump custom archive made without wfctl): read through by pg_restore, no checksum to compare"
            } else {
                "none (a plain pg_dump | gzip file): checking the gzip stream and the dump's end only, no checksum to compare"
            },
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
                    format!("{} of SQL, every CRC correct", size_text(read.uncompressed)),
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
            // the archive's own header first: it is there without a manifest, and right
            // when a manifest was edited
            let archive = super::archive_header::pg_dump_version(path)
                .or_else(|| {
                    manifest.as_ref().and_then(|m| {
                        PgVersion::parse_tool_output(&format!("x {}", m.tool_version))
                    })
                })
                .unwrap_or(PgVersion {
                    major: 0,
                    text: "unknown".into(),
                });
            let pg_restore = tools.find_for("pg_restore", Need::Archive(&archive))?;
            let (ok, detail) = restore_to_null(&pg_restore.path, path)?;
            report.push("archive readable", ok, detail);
        }
        Format::Tar | Format::Plain => {}
    }
    Ok(report)
}

/// Verifies a base backup directory again, by the rules `db basebackup` used when it took it:
/// the wfctl manifest's checksums of the top-level files, then pg_verifybackup against
/// pg_basebackup's `backup_manifest` (WAL parsed only by a verifier of the server's major).
fn verify_base(path: &Path, tools: &ToolSearch) -> Result<VerifyReport, Error> {
    // Shared with other verifies; keeps a backup's retention from deleting this one meanwhile.
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let _lock = super::DirLock::acquire_shared(parent)?;
    let manifest = Manifest::read_for(path)?.ok_or_else(|| Error::BadBackup {
        path: path.to_path_buf(),
        reason: format!(
            "a directory without a wfctl manifest ({}): not a base backup wfctl took",
            files::manifest_path(path).display()
        ),
    })?;
    if !manifest.format.is_base() {
        return Err(Error::BadBackup {
            path: path.to_path_buf(),
            reason: format!(
                "a directory, but its manifest describes a {} backup",
                manifest.format.label()
            ),
        });
    }
    let mut report = VerifyReport {
        path: path.to_path_buf(),
        format: manifest.format,
        has_manifest: true,
        checks: Vec::new(),
        ok: true,
        manifest: Some(manifest.clone()),
    };
    report.push(
        "manifest",
        true,
        files::manifest_path(path).display().to_string(),
    );
    let mut bad = Vec::new();
    for file in &manifest.files {
        let sum = files::sha256_file(&path.join(&file.name));
        match sum {
            Ok((size, sha256)) if size == file.size && sha256 == file.sha256 => {}
            Ok(_) => bad.push(format!("{} differs from the manifest", file.name)),
            Err(e) => bad.push(format!("{}: {e}", file.name)),
        }
    }
    report.push(
        "files",
        bad.is_empty(),
        if bad.is_empty() {
            format!(
                "{} file(s), sizes and sha256 as in the manifest",
                manifest.files.len()
            )
        } else {
            bad.join("; ")
        },
    );
    if !report.ok {
        return Ok(report);
    }
    let server = PgVersion::parse_tool_output(&format!("x {}", manifest.server_version)).unwrap_or(
        PgVersion {
            major: 0,
            text: manifest.server_version.clone(),
        },
    );
    let verifier = tools.find("pg_verifybackup", &server)?;
    match super::base::verify_dir(manifest.format, path, &verifier, &server) {
        Ok(detail) => report.push("pg_verifybackup", true, detail),
        Err(Error::BadBackup { reason, .. }) => report.push("pg_verifybackup", false, reason),
        Err(e) => return Err(e),
    }
    Ok(report)
}

/// Writes the result into the manifest (when there is one), so `db backups` can show it.
pub fn record(report: &VerifyReport, level: &str) -> Result<(), Error> {
    let Some(mut manifest) = report.manifest.clone() else {
        return Ok(());
    };
    manifest.verification = Some(verification(report, level));
    manifest.write_for(&report.path).map(|_| ())
}

/// What [`record`] writes into the manifest: when, how deep, and the outcome.
pub fn verification(report: &VerifyReport, level: &str) -> Verification {
    Verification {
        at: Utc::now(),
        level: level.to_string(),
        ok: report.ok,
        // every failed check is a difference in the content; a run that could not check
        // (tool, lock, disk, scratch) ends in an error and records nothing
        damaged: !report.ok,
        detail: report
            .failure()
            .unwrap_or_else(|| match report.checks.last() {
                // a base backup's record says what was checked, as when it was taken
                Some(last) if report.format.is_base() => last.detail.clone(),
                _ => format!("{} checks passed", report.checks.len()),
            }),
    }
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
    let mut cmd = crate::process::command(pg_restore);
    let out = child::only_needed_env(&mut cmd)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A custom archive by a newer pg_dump, no manifest beside it, only an older pg_restore:
    /// pg_restore is too old (78, naming the package), never "the backup is corrupt" (3).
    #[test]
    fn a_custom_archive_without_manifest_asks_for_a_pg_restore_as_new_as_its_pg_dump() {
        let dir = tempfile::tempdir().unwrap();
        let dump = dir.path().join("wf_20261207_120000.dump");
        std::fs::write(
            &dump,
            super::super::archive_header::tests::header((1, 16), "18.6"),
        )
        .unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        let old = bin.join("pg_restore");
        // prints its version; as a restore it fails as pg_restore 15 does on a 1.16 archive
        std::fs::write(
            &old,
            "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'pg_restore (PostgreSQL) 15.18'; exit 0; fi\necho 'pg_restore: error: unsupported version (1.16) in file header' >&2; exit 1\n",
        )
        .unwrap();
        std::fs::set_permissions(&old, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        let search = ToolSearch {
            bindir: Some(bin),
            ..ToolSearch::default()
        };
        let err = verify(&dump, &search, &mut |_| {}).unwrap_err();
        assert!(matches!(err, Error::ToolTooOld { .. }), "{err}");
        let err = err.to_string();
        assert!(
            err.contains("18.6") && err.contains("postgresql-client-18"),
            "{err}"
        );
    }
}
