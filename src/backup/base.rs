//! `db basebackup`: the seed guide's `pg_basebackup -Ft -z -P` (or `-Fp`) for point-in-time
//! recovery, with the dump's guarantees: same preflight and lock, a `.partial` directory
//! renamed only when complete and verified, a wfctl manifest beside it, and retention.
//!
//! pg_basebackup writes its own `backup_manifest` (CRC32C of every file, the WAL range);
//! `pg_verifybackup` checks the backup against it before the directory gets its final name.
//! pg_verifybackup before PostgreSQL 18 reads only plain backups, so a tar backup is unpacked
//! next to it for the check, then the copy is removed.

use std::fs::File;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::Utc;
use flate2::read::MultiGzDecoder;
use serde::Deserialize;

use super::files::{self, Format};
use super::manifest::{FileSum, Manifest, Origin, Verification, WalRange};
use super::preflight::Preflight;
use super::server::ServerInfo;
use super::{Error, Tool, child};
use crate::db::DatabaseUrl;

/// How to take the base backup.
#[derive(Debug, Clone)]
pub struct BaseRequest {
    /// `Tar` (`-Ft -z`) or `Plain` (`-Fp`).
    pub format: Format,
    /// `--checkpoint=fast` instead of waiting for a spread checkpoint.
    pub fast_checkpoint: bool,
    /// `--max-rate`, e.g. `50M`, to spare the server's disks.
    pub max_rate: Option<String>,
}

/// pg_basebackup's own progress.
#[derive(Debug, Clone, Copy, Default)]
pub struct BaseProgress {
    /// kB sent so far.
    pub done_kb: u64,
    /// kB estimated in total.
    pub total_kb: u64,
}

/// A finished base backup.
#[derive(Debug, Clone)]
pub struct BaseReport {
    /// The backup directory.
    pub path: PathBuf,
    /// Its manifest.
    pub manifest: Manifest,
    /// Wall time.
    pub elapsed: Duration,
}

/// Whether the server and the role can stream a base backup; the error says what to change.
pub fn check_server(info: &ServerInfo) -> Result<(), Error> {
    if info.wal_level == "minimal" {
        return Err(Error::ServerNotReady {
            reason: "wal_level is minimal; run ALTER SYSTEM SET wal_level = replica; and restart the server".into(),
        });
    }
    // -X stream uses a second connection for the WAL.
    if info.max_wal_senders < 2 {
        return Err(Error::ServerNotReady {
            reason: format!(
                "max_wal_senders is {} (a base backup with its WAL needs 2); run ALTER SYSTEM SET max_wal_senders = 10; and restart the server",
                info.max_wal_senders
            ),
        });
    }
    if !info.replication && !info.superuser {
        return Err(Error::NoReplication {
            role: info.user.clone(),
        });
    }
    Ok(())
}

/// Takes the base backup into `DIR/base_{YYYYmmdd_HHMMSS}` (under the preflight's lock),
/// verifies it with `verifier` (pg_verifybackup) and writes its manifest.
pub fn run(
    pre: &Preflight,
    url: &DatabaseUrl,
    req: &BaseRequest,
    verifier: &Tool,
    system_identifier: Option<String>,
    progress: &mut dyn FnMut(BaseProgress),
) -> Result<BaseReport, Error> {
    let clock = Instant::now();
    let (path, started_at) = free_name(&pre.dir);
    let partial = files::with_suffix(&path, files::PARTIAL);
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(&partial)
        .map_err(Error::io(&partial))?;
    let result = take(pre, url, req, &partial, progress)
        .and_then(|()| verify(req.format, &partial, verifier))
        .and_then(|detail| {
            let origin = Origin {
                database: None,
                server_version: pre.server.version_text.clone(),
                tool: pre.tool.clone(),
                migration_version: pre.server.migration_version.clone(),
                started_at,
            };
            describe(
                &path,
                &partial,
                req.format,
                &origin,
                system_identifier,
                detail,
            )
        });
    let manifest = match result {
        Ok(m) => m,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&partial);
            return Err(e);
        }
    };
    // The manifest first, then the directory's final name.
    let finish = manifest
        .write_for(&path)
        .and_then(|_| files::rename_durably(&partial, &path));
    if let Err(e) = finish {
        let _ = std::fs::remove_dir_all(&partial);
        let _ = std::fs::remove_file(files::manifest_path(&path));
        return Err(e);
    }
    Ok(BaseReport {
        path,
        manifest,
        elapsed: clock.elapsed(),
    })
}

fn free_name(dir: &Path) -> (PathBuf, chrono::DateTime<Utc>) {
    loop {
        let now = Utc::now();
        let path = dir.join(files::backup_name(files::BASE_PREFIX, now, Format::Tar));
        let partial = files::with_suffix(&path, files::PARTIAL);
        if !path.exists() && !partial.exists() && !files::manifest_path(&path).exists() {
            return (path, now);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn take(
    pre: &Preflight,
    url: &DatabaseUrl,
    req: &BaseRequest,
    partial: &Path,
    progress: &mut dyn FnMut(BaseProgress),
) -> Result<(), Error> {
    let mut cmd = child::connecting(pre.tool.command(), url);
    let label = format!(
        "wfctl {}",
        partial.file_name().unwrap_or_default().to_string_lossy()
    );
    cmd.arg("-D")
        .arg(partial)
        .args(["-X", "stream", "-P", "--no-password", "-l", &label])
        .arg(if req.fast_checkpoint {
            "--checkpoint=fast"
        } else {
            "--checkpoint=spread"
        })
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    match req.format {
        Format::Plain => cmd.arg("-Fp"),
        _ => cmd.args(["-Ft", "-z"]),
    };
    if let Some(rate) = &req.max_rate {
        cmd.arg(format!("--max-rate={rate}"));
    }
    let mut child_proc = cmd.spawn().map_err(Error::io(&pre.tool.path))?;
    let stderr = child_proc.stderr.take().expect("stderr was piped");
    // stderr is read on a thread of its own that may be left behind: pg_basebackup's WAL
    // streamer inherits the pipe and can outlive a failed pg_basebackup until its group is
    // killed, so this thread must never be what the run waits for.
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        child::read_stderr(stderr, |line| {
            let _ = tx.send(line.to_string());
        });
    });
    let mut messages = Vec::new();
    let mut status = None;
    let mut grace = None;
    loop {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => match parse_progress(&line) {
                Some(p) => progress(p),
                None => messages.push(line),
            },
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        match status {
            None => {
                if let Some(s) = child_proc.try_wait().map_err(Error::io(&pre.tool.path))? {
                    // the WAL streamer it forked can outlive a failed pg_basebackup: its
                    // process group goes with it
                    crate::process::kill_group(&child_proc);
                    status = Some(s);
                    grace = Some(Instant::now() + Duration::from_secs(5));
                }
            }
            Some(_) if grace.is_some_and(|g| Instant::now() > g) => break,
            Some(_) => {}
        }
    }
    let status = match status {
        Some(s) => s,
        None => child_proc.wait().map_err(Error::io(&pre.tool.path))?,
    };
    if status.success() {
        return Ok(());
    }
    let text = messages.join("\n");
    let summary = child::error_summary(&text);
    let note = if summary.contains("replication connection") && summary.contains("pg_hba.conf") {
        format!(
            "(add `host replication {} <client address> scram-sha-256` to pg_hba.conf and reload)",
            pre.server.user
        )
    } else {
        String::new()
    };
    Err(child::failure(
        "pg_basebackup",
        child::describe(status),
        &text,
        &note,
    ))
}

/// `12345/67890 kB (18%), 0/1 tablespace ...`
fn parse_progress(line: &str) -> Option<BaseProgress> {
    let (head, _) = line.trim().split_once(" kB")?;
    let (done, total) = head.split_once('/')?;
    Some(BaseProgress {
        done_kb: done.trim().parse().ok()?,
        total_kb: total.trim().parse().ok()?,
    })
}

/// Runs pg_verifybackup; returns what it checked.
fn verify(format: Format, partial: &Path, verifier: &Tool) -> Result<String, Error> {
    let manifest = partial.join("backup_manifest");
    if !manifest.exists() {
        return Err(Error::BadBackup {
            path: partial.to_path_buf(),
            reason: "pg_basebackup wrote no backup_manifest (PostgreSQL 13 or newer needed)".into(),
        });
    }
    let unpacked = files::with_suffix(
        &partial.with_extension(""),
        &format!(".verify{}", files::PARTIAL),
    );
    let checked = if format == Format::Tar {
        let _ = std::fs::remove_dir_all(&unpacked);
        unpack(partial, &unpacked)?;
        unpacked.clone()
    } else {
        partial.to_path_buf()
    };
    let out = verifier
        .command()
        .arg("--quiet")
        .arg("--manifest-path")
        .arg(&manifest)
        .arg(&checked)
        .stdin(Stdio::null())
        .output()
        .map_err(Error::io(&verifier.path));
    let _ = std::fs::remove_dir_all(&unpacked);
    let out = out?;
    if !out.status.success() {
        return Err(Error::BadBackup {
            path: partial.to_path_buf(),
            reason: format!(
                "pg_verifybackup {}: {}",
                child::describe(out.status),
                child::error_summary(&String::from_utf8_lossy(&out.stderr))
            ),
        });
    }
    Ok(format!(
        "pg_verifybackup {}: every file's checksum and the WAL match backup_manifest",
        verifier.version
    ))
}

/// Unpacks `base.tar.gz` (and tablespace tars, and `pg_wal.tar.gz` into `pg_wal/`).
fn unpack(partial: &Path, into: &Path) -> Result<(), Error> {
    let extract = |tar: &Path, dest: &Path| -> Result<(), Error> {
        let file = File::open(tar).map_err(Error::io(tar))?;
        let mut archive = tar::Archive::new(MultiGzDecoder::new(file));
        archive.set_preserve_permissions(false);
        std::fs::create_dir_all(dest).map_err(Error::io(dest))?;
        archive.unpack(dest).map_err(Error::io(tar))
    };
    extract(&partial.join("base.tar.gz"), into)?;
    for entry in std::fs::read_dir(partial).map_err(Error::io(partial))? {
        let entry = entry.map_err(Error::io(partial))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".tar.gz") else {
            continue;
        };
        if stem == "pg_wal" {
            extract(&entry.path(), &into.join("pg_wal"))?;
        } else if stem.chars().all(|c| c.is_ascii_digit()) {
            // A tablespace: its symlink in pg_tblspc becomes the unpacked directory.
            let dest = into.join("pg_tblspc").join(stem);
            let _ = std::fs::remove_file(&dest);
            extract(&entry.path(), &dest)?;
        }
    }
    Ok(())
}

#[derive(Deserialize)]
struct PgManifest {
    #[serde(rename = "WAL-Ranges", default)]
    wal_ranges: Vec<PgWalRange>,
}

#[derive(Deserialize)]
struct PgWalRange {
    #[serde(rename = "Timeline")]
    timeline: u32,
    #[serde(rename = "Start-LSN")]
    start_lsn: String,
    #[serde(rename = "End-LSN")]
    end_lsn: String,
}

fn describe(
    path: &Path,
    partial: &Path,
    format: Format,
    origin: &Origin,
    system_identifier: Option<String>,
    verified: String,
) -> Result<Manifest, Error> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .expect("the name was built from UTF-8");
    let mut manifest = Manifest::new(name, format, origin);
    manifest.size = files::size_of(partial).map_err(Error::io(partial))?;
    // Checksums of the top-level files (a plain backup's data files are covered by
    // backup_manifest's own checksums).
    let mut names: Vec<String> = std::fs::read_dir(partial)
        .map_err(Error::io(partial))?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| format == Format::Tar || n == "backup_manifest")
        .collect();
    names.sort();
    for file in names {
        let (size, sha256) = files::sha256_file(&partial.join(&file))?;
        manifest.files.push(FileSum {
            name: file,
            size,
            sha256,
        });
    }
    let pg_manifest_path = partial.join("backup_manifest");
    let text = std::fs::read_to_string(&pg_manifest_path).map_err(Error::io(&pg_manifest_path))?;
    let pg: PgManifest = serde_json::from_str(&text).map_err(|e| Error::BadManifest {
        path: pg_manifest_path.clone(),
        reason: e.to_string(),
    })?;
    manifest.wal = match (pg.wal_ranges.first(), pg.wal_ranges.last()) {
        (Some(first), Some(last)) => Some(WalRange {
            timeline: last.timeline,
            start_lsn: first.start_lsn.clone(),
            end_lsn: last.end_lsn.clone(),
        }),
        _ => None,
    };
    manifest.system_identifier = system_identifier;
    manifest.finished_at = Utc::now();
    manifest.verification = Some(Verification {
        at: manifest.finished_at,
        level: "pg_verifybackup".into(),
        ok: true,
        detail: verified,
    });
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pg_basebackup_progress_lines() {
        let p =
            parse_progress("  22893/30510 kB (75%), 0/1 tablespace (...data/base/1/1259)").unwrap();
        assert_eq!((p.done_kb, p.total_kb), (22893, 30510));
        assert!(parse_progress("pg_basebackup: error: could not connect").is_none());
    }
}
