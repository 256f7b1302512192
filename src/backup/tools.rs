//! Finding the PostgreSQL client programs that match the server: `pg_dump` refuses to dump a
//! newer server, and an older `pg_restore` cannot read a newer archive. The most common
//! failure of backup wrappers, so it is checked before anything starts.
//!
//! `--pg-bindir` alone when given; otherwise the newest program at least as new as the server
//! among Debian's `/usr/lib/postgresql/<major>/bin` and `PATH` (a newer pg_dump reads an older
//! server; the restore filter makes its SQL fit the older server). Among equals, Debian's
//! directory of the server's own major comes first. pg_basebackup takes the server's own major
//! when there is one: pg_verifybackup, found beside it, reads WAL of its own major only.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::Error;

/// A PostgreSQL version. `major` is the first number (15 for 15.18); 9.x releases all count
/// as 9, which is enough to tell them from supported servers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PgVersion {
    /// 15 for 15.18.
    pub major: u32,
    /// The version as printed, e.g. `15.18`.
    pub text: String,
}

impl PgVersion {
    /// From `server_version_num` (150018) and `server_version` ("15.18 (Debian ...)").
    pub fn from_server(num: i32, text: &str) -> Self {
        // 150018 is 15.18; 90624 is 9.6.24 (counted as 9).
        let major = u32::try_from(num).unwrap_or(0) / 10_000;
        let text = text.split_whitespace().next().unwrap_or(text).to_string();
        Self { major, text }
    }

    /// From a program's `--version` line: `pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)`.
    pub fn parse_tool_output(output: &str) -> Option<Self> {
        let line = output.lines().next()?;
        let text = line
            .split_whitespace()
            .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))?
            .to_string();
        let major = text
            .split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()?;
        Some(Self { major, text })
    }
}

impl std::fmt::Display for PgVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// What a program must be new enough for: a server, or an archive a pg_dump wrote. Messages
/// name it as such (an archive's version is its pg_dump's, not a server's).
#[derive(Debug, Clone, Copy)]
pub enum Need<'a> {
    /// The server it talks to.
    Server(&'a PgVersion),
    /// A custom-format archive made by this pg_dump version.
    Archive(&'a PgVersion),
}

impl Need<'_> {
    fn version(&self) -> &PgVersion {
        match self {
            Need::Server(v) | Need::Archive(v) => v,
        }
    }

    fn describe(&self) -> String {
        match self {
            Need::Server(v) => format!("the server (PostgreSQL {v})"),
            Need::Archive(v) => format!("the archive (made by pg_dump {v})"),
        }
    }
}

/// The Debian/Ubuntu package that holds `tool` of `major`: the server programs (pg_ctl,
/// postgres, initdb) are in `postgresql-NN`, the others in `postgresql-client-NN`.
pub(crate) fn debian_package(tool: &str, major: u32) -> String {
    if SERVER_PROGRAMS.contains(&tool) {
        format!("postgresql-{major}")
    } else {
        format!("postgresql-client-{major}")
    }
}

/// Programs that run a server's data directory: only their own major's will do.
const SERVER_PROGRAMS: &[&str] = &["pg_ctl", "postgres", "initdb"];

/// How long a program may take to print its `--version` line: a hanging binary on PATH must
/// not hang wfctl.
pub(crate) const PROBE_TIMEOUT: Duration = Duration::from_secs(10);

/// A client program that was found and asked for its version.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Tool {
    /// `pg_dump`, `psql`, ...
    pub name: &'static str,
    /// Its path.
    pub path: PathBuf,
    /// Its version.
    pub version: PgVersion,
}

impl Tool {
    /// A command for this program with nothing else set.
    /// It dies with wfctl ([`crate::process`]).
    /// A command for the program, with only the environment it needs (never wfctl's S3
    /// credentials, age identity or connection strings).
    pub fn command(&self) -> Command {
        let mut cmd = crate::process::command(&self.path);
        super::child::only_needed_env(&mut cmd);
        cmd
    }

    /// `-v` names every client program a command runs.
    fn log_choice(&self, need: Need<'_>) {
        let what = match need {
            Need::Server(v) => format!("server {v}"),
            Need::Archive(v) => format!("an archive made by pg_dump {v}"),
        };
        log::info!(
            "{} {} ({}) for {what}",
            self.name,
            self.version,
            self.path.display()
        );
    }
}

/// Where to look for client programs.
#[derive(Debug, Clone, Default)]
pub struct ToolSearch {
    /// `--pg-bindir`: look only here.
    pub bindir: Option<PathBuf>,
    /// The `PATH` to search last.
    pub path: Option<OsString>,
    /// Where distributions keep one directory per major (`/usr/lib/postgresql`).
    pub versions_root: Option<PathBuf>,
}

impl ToolSearch {
    /// The candidates for `tool`, the preferred of equal versions first.
    fn candidates(&self, tool: &str, server_major: u32) -> Vec<PathBuf> {
        if let Some(dir) = &self.bindir {
            return vec![dir.join(tool)];
        }
        let mut found = Vec::new();
        let root = self
            .versions_root
            .clone()
            .unwrap_or_else(|| PathBuf::from("/usr/lib/postgresql"));
        found.push(root.join(server_major.to_string()).join("bin").join(tool));
        // The other majors too: an older one is named when nothing is new enough.
        let mut others: Vec<u32> = std::fs::read_dir(&root)
            .map(|dir| {
                dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                    .filter(|m| *m != server_major)
                    .collect()
            })
            .unwrap_or_default();
        others.sort_unstable();
        found.extend(
            others
                .into_iter()
                .map(|m| root.join(m.to_string()).join("bin").join(tool)),
        );
        if let Some(path) = &self.path {
            found.extend(std::env::split_paths(path).map(|d| d.join(tool)));
        }
        found
    }

    fn searched(&self, server_major: u32) -> String {
        match &self.bindir {
            Some(dir) => dir.display().to_string(),
            None => format!(
                "{}/{server_major}/bin, other versions there, and PATH",
                self.versions_root
                    .as_deref()
                    .unwrap_or(Path::new("/usr/lib/postgresql"))
                    .display()
            ),
        }
    }

    /// Finds the newest `tool` at least as new as the server (the first of equals); when only
    /// older ones exist, the error names the newest of them and both versions.
    pub fn find(&self, tool: &'static str, server: &PgVersion) -> Result<Tool, Error> {
        self.find_for(tool, Need::Server(server))
    }

    /// As [`find`](Self::find), for what `need` names (a server or an archive).
    pub fn find_for(&self, tool: &'static str, need: Need<'_>) -> Result<Tool, Error> {
        let wanted = need.version();
        let mut best: Option<Tool> = None;
        let mut too_old: Option<Tool> = None;
        let mut unusable = Unusable::default();
        for path in self.candidates(tool, wanted.major) {
            let Some(version) = unusable.probe(&path) else {
                continue;
            };
            let found = Tool {
                name: tool,
                path,
                version,
            };
            let slot = if found.version.major >= wanted.major {
                &mut best
            } else {
                &mut too_old
            };
            if slot
                .as_ref()
                .is_none_or(|t| prefer(tool, wanted, &found, t))
            {
                *slot = Some(found);
            }
        }
        if let Some(best) = best {
            best.log_choice(need);
            return Ok(best);
        }
        match too_old {
            Some(old) => Err(Error::ToolTooOld {
                tool,
                tool_version: old.version.text,
                path: old.path,
                needed_for: need.describe(),
                major: wanted.major,
                package: debian_package(tool, wanted.major),
            }),
            None => Err(unusable.into_error(tool, self.searched(wanted.major), wanted.major)),
        }
    }

    /// Finds `tool` of exactly `major` (pg_ctl must be the data directory's own major); the
    /// error names the version needed, where wfctl looked and what it found instead.
    pub fn find_exact(&self, tool: &'static str, major: u32) -> Result<Tool, Error> {
        let mut unusable = Unusable::default();
        let mut others = Vec::new();
        for path in self.candidates(tool, major) {
            let Some(version) = unusable.probe(&path) else {
                continue;
            };
            if version.major == major {
                let found = Tool {
                    name: tool,
                    path,
                    version,
                };
                log::info!(
                    "{tool} {} ({}) for PostgreSQL {major} data",
                    found.version,
                    found.path.display()
                );
                return Ok(found);
            }
            others.push(format!("{} {}", path.display(), version));
        }
        if others.is_empty() && unusable.first.is_some() {
            return Err(unusable.into_error(tool, self.searched(major), major));
        }
        Err(Error::ToolWrongMajor {
            tool,
            major,
            searched: self.searched(major),
            others: if others.is_empty() {
                String::new()
            } else {
                format!("; found only {}", others.join(", "))
            },
            package: debian_package(tool, major),
        })
    }

    /// Finds `tool` in the directory of `beside` first (pg_verifybackup must read the manifest
    /// format its own pg_basebackup wrote), then as [`find`](Self::find) does. The one beside
    /// must be as new as the server too: the server writes backup_manifest, and an older
    /// pg_verifybackup (a directory of symlinks of mixed majors) cannot parse it.
    pub fn find_beside(
        &self,
        tool: &'static str,
        beside: &Tool,
        server: &PgVersion,
    ) -> Result<Tool, Error> {
        if let Some(dir) = beside.path.parent() {
            let path = dir.join(tool);
            if let Some(version) = Unusable::default()
                .probe(&path)
                .filter(|v| v.major >= server.major)
            {
                let found = Tool {
                    name: tool,
                    path,
                    version,
                };
                found.log_choice(Need::Server(server));
                return Ok(found);
            }
        }
        self.find(tool, server)
    }
}

/// The candidates that exist but cannot be used, for the error when nothing else is found.
#[derive(Default)]
struct Unusable {
    /// The first such candidate and why.
    first: Option<(PathBuf, Unfit)>,
}

#[derive(Debug, Clone, Copy)]
enum Unfit {
    NotExecutable,
    TimedOut,
}

impl Unusable {
    /// The version of the program at `path`; `None` (noted when it matters) when there is no
    /// file, it is not executable, it hangs or prints no version.
    fn probe(&mut self, path: &Path) -> Option<PgVersion> {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(path).ok().filter(|m| m.is_file())?;
        if meta.permissions().mode() & 0o111 == 0 {
            self.note(path, Unfit::NotExecutable);
            return None;
        }
        match remembered_version_of(path, &meta) {
            Probe::Version(v) => Some(v),
            Probe::NoVersion => None,
            Probe::TimedOut => {
                self.note(path, Unfit::TimedOut);
                None
            }
        }
    }

    fn note(&mut self, path: &Path, why: Unfit) {
        if self.first.is_none() {
            self.first = Some((path.to_path_buf(), why));
        }
    }

    fn into_error(self, tool: &'static str, searched: String, major: u32) -> Error {
        match self.first {
            Some((path, Unfit::NotExecutable)) => Error::ToolNotExecutable { tool, path },
            Some((path, Unfit::TimedOut)) => Error::ToolHangs {
                tool,
                path,
                seconds: PROBE_TIMEOUT.as_secs(),
            },
            None => Error::ToolMissing {
                tool,
                searched,
                major,
                package: debian_package(tool, major),
            },
        }
    }
}

/// Programs that read the server's WAL: pg_verifybackup parses it with pg_waldump, which
/// reads only its own major's format, and it is taken from beside pg_basebackup.
const READS_WAL: &[&str] = &["pg_basebackup", "pg_verifybackup"];

/// Whether `found` is better than `current`: the newer, except that a program reading WAL
/// takes the server's own major over any other.
fn prefer(tool: &str, server: &PgVersion, found: &Tool, current: &Tool) -> bool {
    if READS_WAL.contains(&tool) {
        let own = |t: &Tool| t.version.major == server.major;
        if own(found) != own(current) {
            return own(found);
        }
    }
    current.version.major < found.version.major
}

#[derive(Clone)]
enum Probe {
    Version(PgVersion),
    NoVersion,
    TimedOut,
}

/// Programs already asked for their version in this run, by path and file (size, mtime):
/// one command looks several tools up, and a hanging program must cost its timeout once.
type ProbeKey = (PathBuf, u64, Option<std::time::SystemTime>);
static PROBED: std::sync::Mutex<Vec<(ProbeKey, Probe)>> = std::sync::Mutex::new(Vec::new());

/// [`version_of`], remembered for the run. A program that hangs is said on stderr even
/// without -v: it cost the operator the timeout, and it is a fault of their PATH or bin_dir.
fn remembered_version_of(path: &Path, meta: &std::fs::Metadata) -> Probe {
    let key = (path.to_path_buf(), meta.len(), meta.modified().ok());
    let cached = PROBED
        .lock()
        .ok()
        .and_then(|p| p.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone()));
    if let Some(probe) = cached {
        return probe;
    }
    let probe = version_of(path, PROBE_TIMEOUT);
    if matches!(probe, Probe::TimedOut) {
        let message = format!(
            "{} did not print its version within {}s; skipped",
            path.display(),
            PROBE_TIMEOUT.as_secs()
        );
        if log::log_enabled!(log::Level::Warn) {
            log::warn!("{message}");
        } else {
            eprintln!("warning: {}", message.escape_debug());
        }
    }
    if let Ok(mut probed) = PROBED.lock() {
        probed.push((key, probe.clone()));
    }
    probe
}

/// Runs `PATH --version`, killed (with all it started) after `timeout`.
fn version_of(path: &Path, timeout: Duration) -> Probe {
    let mut cmd = crate::process::command(path);
    let Ok(mut child) = super::child::only_needed_env(&mut cmd)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    else {
        return Probe::NoVersion;
    };
    // read on a thread: a program may keep its stdout open, or fill the pipe, and hang
    let mut stdout = child.stdout.take();
    let (sender, output) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut text = Vec::new();
        if let Some(out) = stdout.as_mut() {
            let _ = std::io::Read::read_to_end(&mut std::io::Read::take(out, 64 * 1024), &mut text);
        }
        let _ = sender.send(text);
    });
    let deadline = Instant::now() + timeout;
    let text = output.recv_timeout(timeout);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
            _ => break None,
        }
    };
    let (Ok(text), Some(status)) = (text, status) else {
        crate::process::kill_group(&child);
        let _ = child.wait();
        return Probe::TimedOut;
    };
    if !status.success() {
        return Probe::NoVersion;
    }
    PgVersion::parse_tool_output(&String::from_utf8_lossy(&text))
        .map_or(Probe::NoVersion, Probe::Version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_from_programs_and_servers() {
        let v =
            PgVersion::parse_tool_output("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n")
                .unwrap();
        assert_eq!((v.major, v.text.as_str()), (15, "15.18"));
        let v = PgVersion::parse_tool_output("pg_dump (PostgreSQL) 9.6.24").unwrap();
        assert_eq!(v.major, 9);
        let v = PgVersion::parse_tool_output("psql (PostgreSQL) 18beta1").unwrap();
        assert_eq!(v.major, 18);
        assert!(PgVersion::parse_tool_output("garbage").is_none());
        let s = PgVersion::from_server(150_018, "15.18 (Debian 15.18-0+deb12u1)");
        assert_eq!((s.major, s.text.as_str()), (15, "15.18"));
        assert_eq!(PgVersion::from_server(90_624, "9.6.24").major, 9);
    }

    #[test]
    fn an_old_program_is_refused_with_both_versions() {
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join("pg_dump");
        std::fs::write(&fake, "#!/bin/sh\necho 'pg_dump (PostgreSQL) 14.2'\n").unwrap();
        std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        let search = ToolSearch {
            bindir: Some(dir.path().to_path_buf()),
            ..ToolSearch::default()
        };
        let server = PgVersion::from_server(150_018, "15.18");
        let err = search.find("pg_dump", &server).unwrap_err().to_string();
        assert!(
            err.contains("pg_dump 14.2") && err.contains("15.18"),
            "{err}"
        );
        let err = search.find("psql", &server).unwrap_err().to_string();
        assert!(err.contains("psql not found"), "{err}");
    }

    fn fake_pg_dump(dir: &Path, version: &str) {
        std::fs::create_dir_all(dir).unwrap();
        let fake = dir.join("pg_dump");
        std::fs::write(
            &fake,
            format!("#!/bin/sh\necho 'pg_dump (PostgreSQL) {version}'\n"),
        )
        .unwrap();
        std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
    }

    #[test]
    fn the_newest_program_at_least_as_new_as_the_server_wins() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("lib");
        fake_pg_dump(&root.join("15/bin"), "15.18");
        fake_pg_dump(&root.join("16/bin"), "16.4");
        fake_pg_dump(&dir.path().join("path-a"), "18.6");
        fake_pg_dump(&dir.path().join("path-b"), "17.2");
        let search = ToolSearch {
            path: Some(
                std::env::join_paths([dir.path().join("path-a"), dir.path().join("path-b")])
                    .unwrap(),
            ),
            versions_root: Some(root.clone()),
            ..ToolSearch::default()
        };
        let found = search
            .find("pg_dump", &PgVersion::from_server(150_018, "15.18"))
            .unwrap();
        assert_eq!(found.path, dir.path().join("path-a/pg_dump"));
        assert_eq!(found.version.text, "18.6");
        // Too old everywhere: refused, naming the newest that exists.
        let err = ToolSearch {
            path: None,
            ..search
        }
        .find("pg_dump", &PgVersion::from_server(170_004, "17.4"))
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("pg_dump 16.4") && err.contains("17.4"),
            "{err}"
        );
    }

    #[test]
    fn pg_basebackup_takes_the_servers_own_major_over_a_newer_one() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("lib");
        for (major, version) in [("15", "15.18"), ("18", "18.6")] {
            let bin = root.join(major).join("bin");
            std::fs::create_dir_all(&bin).unwrap();
            let fake = bin.join("pg_basebackup");
            std::fs::write(
                &fake,
                format!("#!/bin/sh\necho 'pg_basebackup (PostgreSQL) {version}'\n"),
            )
            .unwrap();
            std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755))
                .unwrap();
        }
        let search = ToolSearch {
            versions_root: Some(root.clone()),
            ..ToolSearch::default()
        };
        let own = search
            .find("pg_basebackup", &PgVersion::from_server(150_018, "15.18"))
            .unwrap();
        assert_eq!(own.version.text, "15.18");
        let newer = search
            .find("pg_basebackup", &PgVersion::from_server(160_004, "16.4"))
            .unwrap();
        assert_eq!(newer.version.text, "18.6");
    }

    fn script(path: &Path, body: &str, mode: u32) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(mode)).unwrap();
    }

    #[test]
    fn pg_ctl_is_taken_of_the_data_directorys_major_or_refused_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("lib");
        let path_dir = dir.path().join("path");
        script(
            &path_dir.join("pg_ctl"),
            "echo 'pg_ctl (PostgreSQL) 18.1'",
            0o755,
        );
        script(
            &root.join("15/bin/pg_ctl"),
            "echo 'pg_ctl (PostgreSQL) 15.18'",
            0o755,
        );
        let search = ToolSearch {
            path: Some(path_dir.clone().into_os_string()),
            versions_root: Some(root.clone()),
            ..ToolSearch::default()
        };
        let found = search.find_exact("pg_ctl", 15).unwrap();
        assert_eq!(found.path, root.join("15/bin/pg_ctl"));
        // Only the newer one on PATH: refused, naming the major, where, and what was found.
        let err = search.find_exact("pg_ctl", 14).unwrap_err().to_string();
        assert!(
            err.contains("pg_ctl of PostgreSQL 14 not found")
                && err.contains(&root.display().to_string())
                && err.contains("found only")
                && err.contains("18.1")
                && err.contains("postgresql-14"),
            "{err}"
        );
    }

    #[test]
    fn a_refusal_names_the_debian_package() {
        let dir = tempfile::tempdir().unwrap();
        let search = ToolSearch {
            bindir: Some(dir.path().to_path_buf()),
            ..ToolSearch::default()
        };
        let err = search
            .find("pg_dump", &PgVersion::from_server(170_004, "17.4"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("postgresql-client-17"), "{err}");
        fake_pg_dump(dir.path(), "16.4");
        let err = search
            .find("pg_dump", &PgVersion::from_server(170_004, "17.4"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("pg_dump 16.4") && err.contains("postgresql-client-17"),
            "{err}"
        );
        assert_eq!(debian_package("pg_ctl", 15), "postgresql-15");
    }

    #[test]
    fn a_verifier_beside_pg_basebackup_older_than_the_server_is_not_taken() {
        let dir = tempfile::tempdir().unwrap();
        let mixed = dir.path().join("mixed");
        script(
            &mixed.join("pg_basebackup"),
            "echo 'pg_basebackup (PostgreSQL) 18.6'",
            0o755,
        );
        script(
            &mixed.join("pg_verifybackup"),
            "echo 'pg_verifybackup (PostgreSQL) 15.18'",
            0o755,
        );
        let beside = Tool {
            name: "pg_basebackup",
            path: mixed.join("pg_basebackup"),
            version: PgVersion::parse_tool_output("x 18.6").unwrap(),
        };
        let server = PgVersion::from_server(180_004, "18.4");
        let only_mixed = ToolSearch {
            bindir: Some(mixed.clone()),
            ..ToolSearch::default()
        };
        let err = only_mixed
            .find_beside("pg_verifybackup", &beside, &server)
            .unwrap_err();
        assert!(matches!(err, Error::ToolTooOld { .. }), "{err}");
        let err = err.to_string();
        assert!(
            err.contains("15.18") && err.contains("postgresql-client-18"),
            "{err}"
        );
        // one of the server's major elsewhere is taken instead
        let root = dir.path().join("lib");
        script(
            &root.join("18/bin/pg_verifybackup"),
            "echo 'pg_verifybackup (PostgreSQL) 18.6'",
            0o755,
        );
        let search = ToolSearch {
            path: Some(mixed.into_os_string()),
            versions_root: Some(root.clone()),
            ..ToolSearch::default()
        };
        let found = search
            .find_beside("pg_verifybackup", &beside, &server)
            .unwrap();
        assert_eq!(found.path, root.join("18/bin/pg_verifybackup"));
    }

    #[test]
    fn a_hanging_program_costs_its_timeout_once_per_run() {
        let dir = tempfile::tempdir().unwrap();
        script(&dir.path().join("pg_restore"), "sleep 1000", 0o755);
        let search = ToolSearch {
            bindir: Some(dir.path().to_path_buf()),
            ..ToolSearch::default()
        };
        let server = PgVersion::from_server(150_018, "15.18");
        let err = search.find("pg_restore", &server).unwrap_err();
        assert!(matches!(err, Error::ToolHangs { .. }), "{err}");
        let again = Instant::now();
        let err = search.find("pg_restore", &server).unwrap_err();
        assert!(matches!(err, Error::ToolHangs { .. }), "{err}");
        assert!(again.elapsed() < Duration::from_secs(2), "probed again");
    }

    #[test]
    fn an_archive_is_named_by_the_pg_dump_that_made_it() {
        let dir = tempfile::tempdir().unwrap();
        script(
            &dir.path().join("pg_restore"),
            "echo 'pg_restore (PostgreSQL) 15.18'",
            0o755,
        );
        let search = ToolSearch {
            bindir: Some(dir.path().to_path_buf()),
            ..ToolSearch::default()
        };
        let archive = PgVersion::parse_tool_output("x 18.1").unwrap();
        let err = search
            .find_for("pg_restore", Need::Archive(&archive))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("older than the archive (made by pg_dump 18.1)")
                && !err.contains("server"),
            "{err}"
        );
    }

    #[test]
    fn a_file_that_may_not_run_is_not_executable_not_missing() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pg_dump");
        script(&file, "echo 'pg_dump (PostgreSQL) 18.1'", 0o644);
        let search = ToolSearch {
            bindir: Some(dir.path().to_path_buf()),
            ..ToolSearch::default()
        };
        let err = search
            .find("pg_dump", &PgVersion::from_server(150_018, "15.18"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("not executable") && err.contains(&file.display().to_string()),
            "{err}"
        );
        assert!(!err.contains("not found"), "{err}");
    }

    #[test]
    fn a_hanging_version_probe_is_killed_at_its_deadline() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pg_dump");
        // the program and a child that keeps stdout open both hang
        script(&file, "sleep 60 & sleep 60", 0o755);
        let started = Instant::now();
        let probe = version_of(&file, Duration::from_millis(500));
        assert!(matches!(probe, Probe::TimedOut));
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        let err = Unusable {
            first: Some((file.clone(), Unfit::TimedOut)),
        }
        .into_error("pg_dump", String::new(), 15)
        .to_string();
        assert!(
            err.contains("did not print its version within 10s")
                && err.contains(&file.display().to_string()),
            "{err}"
        );
    }
}
