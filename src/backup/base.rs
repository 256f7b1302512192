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

/// The first major whose server writes a `backup_manifest` (PostgreSQL 13).
pub(crate) const MANIFEST_SINCE: u32 = 13;

/// Whether the server and the role can stream a base backup; the error says what to change.
pub fn check_server(info: &ServerInfo) -> Result<(), Error> {
    // pg_basebackup of any version can copy a 12 server, but only a 13+ server writes the
    // backup_manifest that pg_verifybackup checks: refused before anything is written
    if info.version.major < MANIFEST_SINCE {
        return Err(Error::ServerNotReady {
            reason: format!(
                "PostgreSQL {} writes no backup_manifest (added in PostgreSQL {MANIFEST_SINCE}), so the copy could not be verified; back it up with wfctl db backup (pg_dump), or upgrade the server",
                info.version
            ),
        });
    }
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
    // a verifier of another major reads neither the server's WAL nor its pg_control: the
    // manifest then carries SHA-256 checksums, which wfctl checks for pg_control itself
    let own_verifier = verifier.version.major == pre.server.version.major;
    let result = take(pre, url, req, &partial, own_verifier, progress)
        .and_then(|()| {
            verify(
                req.format,
                &partial,
                verifier,
                own_verifier,
                Scratch::Beside,
            )
        })
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
                pre.server.wal_segment_size,
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
    own_verifier: bool,
    progress: &mut dyn FnMut(BaseProgress),
) -> Result<(), Error> {
    let mut cmd = child::connecting(pre.tool.command(), url);
    if !own_verifier {
        cmd.arg("--manifest-checksums=SHA256");
    }
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

/// The control file, which pg_verifybackup reads with its own major's layout.
const PG_CONTROL: &str = "global/pg_control";

/// Checks `relative` under `dir` against its SHA-256 entry in `backup_manifest`.
fn check_sha256_in_manifest(manifest: &Path, dir: &Path, relative: &str) -> Result<(), String> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        #[serde(rename = "Files")]
        files: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        #[serde(rename = "Path")]
        path: String,
        #[serde(rename = "Checksum-Algorithm")]
        algorithm: Option<String>,
        #[serde(rename = "Checksum")]
        checksum: Option<String>,
    }
    let text = std::fs::read(manifest).map_err(|e| format!("backup_manifest: {e}"))?;
    let parsed: Manifest =
        serde_json::from_slice(&text).map_err(|e| format!("backup_manifest: {e}"))?;
    let entry = parsed
        .files
        .iter()
        .find(|f| f.path == relative)
        .ok_or_else(|| format!("backup_manifest lists no {relative}"))?;
    let expected = match (entry.algorithm.as_deref(), entry.checksum.as_deref()) {
        (Some("SHA256"), Some(sum)) => sum.to_ascii_lowercase(),
        _ => {
            return Err(format!(
                "backup_manifest has no SHA-256 checksum of {relative}"
            ));
        }
    };
    let (_, actual) = files::sha256_file(&dir.join(relative)).map_err(|e| e.to_string())?;
    if actual != expected {
        return Err(format!(
            "{relative}: checksum {actual} does not match backup_manifest ({expected})"
        ));
    }
    Ok(())
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

/// Where a tar backup is unpacked for pg_verifybackup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scratch {
    /// `<backup>.verify.partial` beside the backup being taken: `db basebackup` holds the
    /// directory's lock, and its sweep removes what a killed run left.
    Beside,
    /// A private directory of its own under TMPDIR (`db verify DIR`): never shared with
    /// another verify or swept by a backup, and the backup's storage may be read-only.
    Private,
}

/// Runs pg_verifybackup; returns what it checked. It reads WAL and pg_control of its own major
/// only, so a verifier of another major checks every other file against the manifest, wfctl
/// checks pg_control's SHA-256 from the manifest, and the WAL stays unparsed (said so).
fn verify(
    format: Format,
    partial: &Path,
    verifier: &Tool,
    parses_wal: bool,
    scratch: Scratch,
) -> Result<String, Error> {
    let manifest = partial.join("backup_manifest");
    if !manifest.exists() {
        return Err(Error::BadBackup {
            path: partial.to_path_buf(),
            reason: "pg_basebackup wrote no backup_manifest (PostgreSQL 13 or newer needed)".into(),
        });
    }
    // Holds the private scratch directory until the end; removed when dropped.
    let private;
    let unpacked = match scratch {
        Scratch::Beside => files::with_suffix(
            &partial.with_extension(""),
            &format!(".verify{}", files::PARTIAL),
        ),
        Scratch::Private => {
            private = tempfile::Builder::new()
                .prefix("wfctl-verify-")
                .tempdir()
                .map_err(Error::io(&std::env::temp_dir()))?;
            private.path().join("data")
        }
    };
    let checked = if format == Format::Tar {
        if scratch == Scratch::Beside {
            let _ = std::fs::remove_dir_all(&unpacked);
        }
        unpack(partial, &unpacked)?;
        unpacked.clone()
    } else {
        partial.to_path_buf()
    };
    let mut command = verifier.command();
    if !parses_wal {
        command.args(["--no-parse-wal", "--ignore", PG_CONTROL]);
    }
    let out = command
        .arg("--quiet")
        .arg("--manifest-path")
        .arg(&manifest)
        .arg(&checked)
        .stdin(Stdio::null())
        .output()
        .map_err(Error::io(&verifier.path));
    let control = if parses_wal {
        Ok(())
    } else {
        check_sha256_in_manifest(&manifest, &checked, PG_CONTROL)
    };
    let _ = std::fs::remove_dir_all(&unpacked);
    let out = out?;
    if out.status.code().is_none() {
        // killed (out of memory, an operator): says nothing about the backup
        return Err(Error::io(&verifier.path)(std::io::Error::other(format!(
            "pg_verifybackup {}; the backup was not judged",
            child::describe(out.status)
        ))));
    }
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
    control.map_err(|reason| Error::BadBackup {
        path: partial.to_path_buf(),
        reason,
    })?;
    Ok(checked_text(verifier, parses_wal))
}

/// What a verification checked, as the summary and the manifest say it: "verified" only when
/// the WAL was parsed too.
pub(crate) fn checked_text(verifier: &Tool, parsed_wal: bool) -> String {
    if parsed_wal {
        format!(
            "verified by pg_verifybackup {} (every file's checksum and the WAL match backup_manifest)",
            verifier.version.text
        )
    } else {
        format!(
            "files checked by pg_verifybackup {} and wfctl (every file's checksum matches backup_manifest); WAL not parsed (pg_waldump {} reads only PostgreSQL {} WAL)",
            verifier.version.text, verifier.version.major, verifier.version.major
        )
    }
}

/// Verifies a base backup directory taken earlier (`db verify DIR`), as it was when taken:
/// the WAL is parsed only by a verifier of the server's own major.
pub(crate) fn verify_dir(
    format: Format,
    dir: &Path,
    verifier: &Tool,
    server: &super::PgVersion,
) -> Result<String, Error> {
    verify(
        format,
        dir,
        verifier,
        verifier.version.major == server.major,
        Scratch::Private,
    )
}

/// Unpacks `base.tar.gz` (and tablespace tars, and `pg_wal.tar.gz` into `pg_wal/`).
pub fn unpack(partial: &Path, into: &Path) -> Result<(), Error> {
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
    wal_segment_size: i64,
) -> Result<Manifest, Error> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .expect("the name was built from UTF-8");
    let mut manifest = Manifest::new(name, format, origin);
    manifest.location = super::manifest::location_of(path);
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
            start_segment: segment_of(first.timeline, &first.start_lsn, wal_segment_size),
        }),
        _ => None,
    };
    manifest.system_identifier = system_identifier;
    manifest.finished_at = Utc::now();
    manifest.verification = Some(Verification {
        at: manifest.finished_at,
        level: "pg_verifybackup".into(),
        ok: true,
        damaged: false,
        detail: verified,
    });
    Ok(manifest)
}

/// The name of the WAL segment holding `lsn` (`0/2000028`) on `timeline`, as
/// `pg_walfile_name` gives it.
pub(crate) fn segment_of(timeline: u32, lsn: &str, segment_size: i64) -> Option<String> {
    let (hi, lo) = lsn.split_once('/')?;
    let lsn = (u64::from_str_radix(hi, 16).ok()? << 32) | u64::from_str_radix(lo, 16).ok()?;
    let size = u64::try_from(segment_size).ok().filter(|s| *s > 0)?;
    let per_id = 0x1_0000_0000 / size;
    let segno = lsn / size;
    Some(format!(
        "{timeline:08X}{:08X}{:08X}",
        segno / per_id,
        segno % per_id
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pg_control_is_checked_against_the_manifest_sha256() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("global")).unwrap();
        std::fs::write(dir.path().join(PG_CONTROL), b"control").unwrap();
        let (_, sum) = files::sha256_file(&dir.path().join(PG_CONTROL)).unwrap();
        let manifest = dir.path().join("backup_manifest");
        let write = |algorithm: &str, checksum: &str| {
            let text = serde_json::json!({"Files": [{"Path": PG_CONTROL,
                "Checksum-Algorithm": algorithm, "Checksum": checksum}]});
            std::fs::write(&manifest, text.to_string()).unwrap();
        };
        write("SHA256", &sum);
        check_sha256_in_manifest(&manifest, dir.path(), PG_CONTROL).unwrap();
        std::fs::write(dir.path().join(PG_CONTROL), b"tampered").unwrap();
        let err = check_sha256_in_manifest(&manifest, dir.path(), PG_CONTROL).unwrap_err();
        assert!(err.contains("does not match"), "{err}");
        write("CRC32C", "0badc0de");
        let err = check_sha256_in_manifest(&manifest, dir.path(), PG_CONTROL).unwrap_err();
        assert!(err.contains("no SHA-256"), "{err}");
    }

    #[test]
    fn names_the_segment_of_an_lsn() {
        let mb16 = 16 * 1024 * 1024;
        assert_eq!(
            segment_of(1, "0/2000028", mb16).as_deref(),
            Some("000000010000000000000002")
        );
        assert_eq!(
            segment_of(3, "1A/FF000000", mb16).as_deref(),
            Some("000000030000001A000000FF")
        );
        assert_eq!(
            segment_of(1, "0/40000000", 1 << 30).as_deref(),
            Some("000000010000000000000001")
        );
        assert_eq!(segment_of(1, "junk", mb16), None);
    }

    #[test]
    fn reads_pg_basebackup_progress_lines() {
        let p =
            parse_progress("  22893/30510 kB (75%), 0/1 tablespace (...data/base/1/1259)").unwrap();
        assert_eq!((p.done_kb, p.total_kb), (22893, 30510));
        assert!(parse_progress("pg_basebackup: error: could not connect").is_none());
    }
}
