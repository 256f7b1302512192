//! `db backup`: pg_dump's output streamed through gzip (or pg_dump's own custom format) into
//! `DIR/{db}_{YYYYmmdd_HHMMSS}.sql.gz.partial`, hashed while it is written, fsynced and
//! renamed into place after its manifest; or (`--repo`) straight into the repository's
//! `backups/NAME` through [`put_object`] (encrypted there when configured), with nothing
//! written to local disk: the object is completed only once pg_dump has finished well, and
//! its manifest is stored after it.
//!
//! Row counts come from the dump's own snapshot: this connection exports it with
//! `pg_export_snapshot()` and pg_dump adopts it with `--snapshot`, so the manifest's counts
//! are exactly what the dump holds, however busy the database is.

use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::Utc;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sql_types::Text;
use diesel::{QueryableByName, RunQueryDsl};
use flate2::Compression;
use flate2::write::GzEncoder;

use super::files::{self, Format, HashingWriter};
use super::manifest::{Manifest, Origin};
use super::preflight::Preflight;
use super::{Error, child, server};
use crate::db::{DatabaseUrl, Error as DbError};
use crate::repo::pipe::pipe;
use crate::repo::stream::put_object;
use crate::repo::{Repository, Stored};

/// What pg_dump writes last in a plain dump, only when it finished.
pub const TRAILER: &str = "-- PostgreSQL database dump complete";

/// How much has been streamed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    /// Bytes read from the program.
    pub read: u64,
    /// Bytes written to the file.
    pub written: u64,
}

/// Where a dump goes.
#[derive(Clone, Copy)]
pub enum Destination<'a> {
    /// The preflight's directory.
    Dir,
    /// A repository, as `backups/NAME`.
    Repo(&'a dyn Repository),
}

/// A finished dump.
#[derive(Debug, Clone)]
pub struct DumpReport {
    /// The backup file (in a repository: its key).
    pub path: PathBuf,
    /// Its manifest.
    pub manifest: Manifest,
    /// Wall time.
    pub elapsed: Duration,
    /// pg_dump's messages on a successful run (warnings).
    pub warnings: Vec<String>,
    /// In a repository: what was stored (the ciphertext's size and sha256 when encrypted).
    pub stored: Option<Stored>,
}

/// Remembers the end of a stream, to check for pg_dump's closing comment.
#[derive(Debug, Default)]
pub struct Tail {
    last: Vec<u8>,
}

impl Tail {
    const KEEP: usize = 1024;

    /// Feeds more of the stream.
    pub fn update(&mut self, bytes: &[u8]) {
        if bytes.len() >= Self::KEEP {
            self.last.clear();
            self.last
                .extend_from_slice(&bytes[bytes.len() - Self::KEEP..]);
        } else {
            self.last.extend_from_slice(bytes);
            if self.last.len() > Self::KEEP {
                self.last.drain(..self.last.len() - Self::KEEP);
            }
        }
    }

    /// Whether the stream ended with pg_dump's "dump complete" comment (newer pg_dumps add
    /// an `\unrestrict` line after it).
    pub fn has_trailer(&self) -> bool {
        String::from_utf8_lossy(&self.last).contains(TRAILER)
    }
}

#[derive(QueryableByName)]
struct Snapshot {
    #[diesel(sql_type = Text)]
    id: String,
}

/// Takes the dump. `conn` is a connection to the database being dumped (its snapshot is
/// exported for pg_dump); the preflight's lock must be held. On any failure the `.partial`
/// file is removed (in a repository: the upload is abandoned) and nothing with a final name
/// exists. In a repository the manifest is the caller's to store
/// ([`super::repository::store_manifest`]).
pub fn run(
    pre: &Preflight,
    conn: &mut PgConnection,
    url: &DatabaseUrl,
    format: Format,
    level: u32,
    destination: Destination<'_>,
    progress: &mut dyn FnMut(Progress),
) -> Result<DumpReport, Error> {
    let clock = Instant::now();
    let label = files::safe_label(&pre.server.database);
    let (path, started_at) = match destination {
        Destination::Dir => free_name(&pre.dir, &label, format),
        Destination::Repo(repo) => free_repo_name(repo, &label, format)?,
    };
    let partial = files::with_suffix(&path, files::PARTIAL);
    let out = match destination {
        Destination::Dir => Out::File(&partial),
        Destination::Repo(repo) => Out::Repo(repo, &path),
    };

    conn.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .map_err(DbError::query("starting the snapshot transaction"))?;
    let result = (|| {
        let snapshot: Snapshot =
            diesel::sql_query("SELECT /* wfctl:backup_snapshot */ pg_export_snapshot() AS id")
                .get_result(conn)
                .map_err(DbError::query("exporting a snapshot"))?;
        dump_in_snapshot(pre, conn, url, format, level, &snapshot.id, out, progress)
    })();
    // Read-only: nothing to commit. Ends the snapshot only after pg_dump is done with it.
    let _ = conn.batch_execute("ROLLBACK");
    let (streamed, counts, warnings) = match result {
        Ok(done) => done,
        Err(e) => {
            if matches!(destination, Destination::Dir) {
                let _ = std::fs::remove_file(&partial);
            }
            return Err(e);
        }
    };

    let origin = Origin {
        database: Some(pre.server.database.clone()),
        server_version: pre.server.version_text.clone(),
        tool: pre.tool.clone(),
        migration_version: pre.server.migration_version.clone(),
        started_at,
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .expect("the name was built from UTF-8")
        .to_string();
    let mut manifest = Manifest::new(&name, format, &origin);
    manifest.location = match destination {
        Destination::Dir => super::manifest::location_of(&path),
        Destination::Repo(repo) => Some(repo.describe()),
    };
    manifest.size = streamed.size;
    manifest.sha256 = Some(streamed.sha256);
    // A custom archive is compressed by pg_dump itself: we never see the SQL's size.
    manifest.uncompressed_size = (format == Format::SqlGz).then_some(streamed.read);
    manifest.compression_level = Some(level);
    manifest.row_counts = counts;
    manifest.finished_at = Utc::now();
    if let Destination::Repo(_) = destination {
        return Ok(DumpReport {
            path: PathBuf::from(super::repository::backup_key(&name)),
            manifest,
            elapsed: clock.elapsed(),
            warnings,
            stored: streamed.stored,
        });
    }
    // The manifest first, then the backup: whatever has the final name has its manifest.
    let finish = manifest
        .write_for(&path)
        .and_then(|_| files::rename_durably(&partial, &path));
    if let Err(e) = finish {
        let _ = std::fs::remove_file(&partial);
        let _ = std::fs::remove_file(files::manifest_path(&path));
        return Err(e);
    }
    Ok(DumpReport {
        path,
        manifest,
        elapsed: clock.elapsed(),
        warnings,
        stored: None,
    })
}

/// A name no backup in `repo` has yet (its object and its manifest both absent); a second
/// backup within the same second waits for the next one.
fn free_repo_name(
    repo: &dyn Repository,
    label: &str,
    format: Format,
) -> Result<(PathBuf, chrono::DateTime<Utc>), Error> {
    loop {
        let now = Utc::now();
        let name = files::backup_name(label, now, format);
        let taken = repo.head(&super::repository::backup_key(&name))?.is_some()
            || repo
                .head(&super::repository::manifest_key(&name))?
                .is_some();
        if !taken {
            return Ok((PathBuf::from(name), now));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// [`Out`] made ready: the `.partial` file created.
enum Target<'a> {
    File(&'a Path, std::fs::File),
    Repo(&'a dyn Repository, &'a Path),
}

/// Where the streamed bytes go.
#[derive(Clone, Copy)]
enum Out<'a> {
    /// This `.partial` file, fsynced at the end.
    File(&'a Path),
    /// This repository, under `backups/` and this name.
    Repo(&'a dyn Repository, &'a Path),
}

/// A name no backup has yet. Names have one-second resolution; a second backup within the
/// same second (we hold the lock, so only ours) waits for the next one.
fn free_name(dir: &Path, label: &str, format: Format) -> (PathBuf, chrono::DateTime<Utc>) {
    loop {
        let now = Utc::now();
        let path = dir.join(files::backup_name(label, now, format));
        if !path.exists() && !files::manifest_path(&path).exists() {
            return (path, now);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

struct Streamed {
    read: u64,
    size: u64,
    sha256: String,
    trailer: bool,
    stored: Option<Stored>,
}

type Dumped = (
    Streamed,
    std::collections::BTreeMap<String, i64>,
    Vec<String>,
);

#[allow(
    clippy::too_many_arguments,
    reason = "one call site; the pieces are all different"
)]
fn dump_in_snapshot(
    pre: &Preflight,
    conn: &mut PgConnection,
    url: &DatabaseUrl,
    format: Format,
    level: u32,
    snapshot: &str,
    out: Out<'_>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Dumped, Error> {
    let mut cmd = child::connecting(pre.tool.command(), url);
    cmd.arg("--no-password")
        .arg(format!("--snapshot={snapshot}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match format {
        Format::Custom => cmd.args(["--format=custom", &format!("--compress={level}")]),
        _ => cmd.arg("--format=plain"),
    };
    let target = match out {
        Out::File(partial) => Target::File(partial, files::create_new(partial)?),
        Out::Repo(repo, name) => Target::Repo(repo, name),
    };
    let mut dumper = cmd.spawn().map_err(Error::io(&pre.tool.path))?;
    let stdout = dumper.stdout.take().expect("stdout was piped");
    let stderr = dumper.stderr.take().expect("stderr was piped");

    std::thread::scope(|scope| {
        let stderr_reader = scope.spawn(|| child::read_stderr(stderr, |_| {}));
        let counter = scope.spawn(|| server::row_counts(conn));
        let compress = (format == Format::SqlGz).then_some(level);
        let mut upload = None;
        let streamed = match target {
            Target::File(partial, file) => stream(stdout, file, compress, partial, progress)
                .and_then(|(s, file)| {
                    file.sync_all().map_err(Error::io(partial))?;
                    Ok((s, None))
                }),
            Target::Repo(repo, name) => {
                let key = super::repository::backup_key(&name.to_string_lossy());
                let (writer, mut reader) = pipe();
                upload = Some(scope.spawn(move || put_object(repo, &key, &mut reader, false)));
                stream(stdout, writer, compress, name, progress).map(|(s, w)| (s, Some(w)))
            }
        };
        // An upload that failed first explains the broken pipe the stream then saw.
        let streamed = match streamed {
            Err(Error::Io { path, source }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
                match upload.take().map(|u| u.join()) {
                    Some(Ok(Err(upload_error))) => Err(Error::Repo(upload_error)),
                    _ => Err(Error::Io { path, source }),
                }
            }
            other => other,
        };
        if streamed.is_err() {
            // Our side failed (disk full...): stop pg_dump rather than let it block.
            crate::process::kill_group(&dumper);
        }
        let status = dumper.wait().map_err(Error::io(&pre.tool.path));
        let stderr_text = stderr_reader.join().unwrap_or_default();
        let counts = counter.join();
        let (mut streamed, writer) = streamed?;
        let status = status?;
        if !status.success() {
            // A failed row count (permission denied for a table...) aborts the transaction
            // that exported the snapshot, and pg_dump then fails to import it: the count's
            // error is the cause, pg_dump's is its consequence.
            return Err(match counts {
                Ok(Err(count_error)) if !count_error.is_unavailable() => count_error.into(),
                _ => child::failure(pre.tool.name, child::describe(status), &stderr_text, ""),
            });
        }
        if format == Format::SqlGz && !streamed.trailer {
            return Err(Error::ToolFailed {
                tool: pre.tool.name,
                status: "exit code 0".into(),
                stderr: format!("the dump does not end with \"{TRAILER}\" (incomplete output)"),
            });
        }
        let counts = match counts {
            Ok(counts) => counts?,
            Err(_) => {
                return Err(Error::ToolFailed {
                    tool: "row count",
                    status: "panicked".into(),
                    stderr: String::new(),
                });
            }
        };
        let warnings = stderr_text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect();
        // Only a dump that finished well ends the upload: then, and only then, it completes.
        if let (Some(writer), Some(upload)) = (writer, upload) {
            // a failed commit means the upload ended first: its own error says why
            let _ = writer.commit();
            let stored = upload.join().map_err(|_| Error::ToolFailed {
                tool: "upload",
                status: "panicked".into(),
                stderr: String::new(),
            })??;
            streamed.stored = Some(stored);
        }
        Ok((streamed, counts, warnings))
    })
}

const CHUNK: usize = 256 * 1024;

/// Copies `input` into `sink` (through gzip at `compress` when set), hashing what is written;
/// returns `sink`, flushed, for the caller to make durable (fsync) or to commit (a pipe).
/// A reader thread keeps the pipe drained while this thread compresses, so pg_dump never
/// waits on the compressor's bursts.
fn stream<W: Write>(
    mut input: impl Read + Send,
    sink: W,
    compress: Option<u32>,
    path: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<(Streamed, W), Error> {
    let (tx, rx) = mpsc::sync_channel::<std::io::Result<Vec<u8>>>(16);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            loop {
                let mut buf = vec![0u8; CHUNK];
                match read_full(&mut input, &mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        buf.truncate(n);
                        if tx.send(Ok(buf)).is_err() {
                            break;
                        }
                    }
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        break;
                    }
                }
            }
        });
        let sink = HashingWriter::new(BufWriter::with_capacity(1 << 20, sink));
        let mut out: Box<dyn FinishWrite<W> + '_> = match compress {
            Some(level) => Box::new(GzEncoder::new(sink, Compression::new(level))),
            None => Box::new(sink),
        };
        let mut tail = Tail::default();
        let mut read = 0u64;
        let mut reported = 0u64;
        let io = Error::io(path);
        for chunk in rx {
            let chunk = chunk.map_err(Error::io(path))?;
            tail.update(&chunk);
            read += chunk.len() as u64;
            out.write_all(&chunk).map_err(Error::io(path))?;
            if read - reported >= 4 << 20 {
                reported = read;
                progress(Progress {
                    read,
                    written: out.written(),
                });
            }
        }
        let sink = out.finish().map_err(Error::io(path))?;
        let (buffered, size, sha256) = sink.finish();
        let sink = buffered.into_inner().map_err(|e| io(e.into_error()))?;
        progress(Progress {
            read,
            written: size,
        });
        Ok((
            Streamed {
                read,
                size,
                sha256,
                trailer: tail.has_trailer(),
                stored: None,
            },
            sink,
        ))
    })
}

fn read_full(input: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

type Sink<W> = HashingWriter<BufWriter<W>>;

/// The output chain with or without gzip in front.
trait FinishWrite<W: Write>: Write {
    fn written(&self) -> u64;
    fn finish(self: Box<Self>) -> std::io::Result<Sink<W>>;
}

impl<W: Write> FinishWrite<W> for Sink<W> {
    fn written(&self) -> u64 {
        self.bytes()
    }
    fn finish(self: Box<Self>) -> std::io::Result<Sink<W>> {
        Ok(*self)
    }
}

impl<W: Write> FinishWrite<W> for GzEncoder<Sink<W>> {
    fn written(&self) -> u64 {
        self.get_ref().bytes()
    }
    fn finish(self: Box<Self>) -> std::io::Result<Sink<W>> {
        GzEncoder::finish(*self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trailer_is_found_at_the_end_only() {
        let mut tail = Tail::default();
        tail.update(b"CREATE TABLE x ();\n");
        assert!(!tail.has_trailer());
        tail.update(format!("\n--\n{TRAILER}\n--\n\n\\unrestrict abc\n\n").as_bytes());
        assert!(tail.has_trailer());
        tail.update(&vec![b'x'; 5000]);
        assert!(!tail.has_trailer());
    }

    #[test]
    fn streams_gzip_with_its_checksum() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.sql.gz");
        let data: Vec<u8> = (0..3_000_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let file = files::create_new(&path).unwrap();
        let mut calls = 0;
        let (s, file) = stream(&data[..], file, Some(6), &path, &mut |_| calls += 1).unwrap();
        file.sync_all().unwrap();
        assert_eq!(s.read, data.len() as u64);
        let (size, sha) = files::sha256_file(&path).unwrap();
        assert_eq!((s.size, s.sha256), (size, sha));
        let mut back = Vec::new();
        flate2::read::MultiGzDecoder::new(std::fs::File::open(&path).unwrap())
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, data);
        assert!(calls > 1);
    }
}
