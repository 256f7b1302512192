//! Finding the PostgreSQL client programs that match the server: `pg_dump` refuses to dump a
//! newer server, and an older `pg_restore` cannot read a newer archive. The most common
//! failure of backup wrappers, so it is checked before anything starts.
//!
//! Search order: `--pg-bindir` alone when given; otherwise Debian's
//! `/usr/lib/postgresql/<server major>/bin`, then newer majors there, then `PATH`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

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
    pub fn command(&self) -> Command {
        crate::process::command(&self.path)
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
    /// The candidates for `tool`, best first.
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
        let mut newer: Vec<u32> = std::fs::read_dir(&root)
            .map(|dir| {
                dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                    .filter(|m| *m > server_major)
                    .collect()
            })
            .unwrap_or_default();
        newer.sort_unstable();
        found.extend(
            newer
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
                "{}/{server_major}/bin, newer versions there, and PATH",
                self.versions_root
                    .as_deref()
                    .unwrap_or(Path::new("/usr/lib/postgresql"))
                    .display()
            ),
        }
    }

    /// Finds `tool` at least as new as the server. The first candidate that is new enough
    /// wins; when only older ones exist, the error names the newest of them and both versions.
    pub fn find(&self, tool: &'static str, server: &PgVersion) -> Result<Tool, Error> {
        let mut too_old: Option<Tool> = None;
        for path in self.candidates(tool, server.major) {
            if !path.is_file() {
                continue;
            }
            let Some(version) = version_of(&path) else {
                continue;
            };
            let found = Tool {
                name: tool,
                path,
                version,
            };
            if found.version.major >= server.major {
                return Ok(found);
            }
            if too_old
                .as_ref()
                .is_none_or(|t| t.version.major < found.version.major)
            {
                too_old = Some(found);
            }
        }
        match too_old {
            Some(old) => Err(Error::ToolTooOld {
                tool,
                tool_version: old.version.text,
                path: old.path,
                server_version: server.text.clone(),
                server_major: server.major,
            }),
            None => Err(Error::ToolMissing {
                tool,
                searched: self.searched(server.major),
                major: server.major,
            }),
        }
    }

    /// Finds `tool` in the directory of `beside` first (pg_verifybackup must read the manifest
    /// format its own pg_basebackup wrote), then as [`find`](Self::find) does.
    pub fn find_beside(
        &self,
        tool: &'static str,
        beside: &Tool,
        server: &PgVersion,
    ) -> Result<Tool, Error> {
        if let Some(dir) = beside.path.parent() {
            let path = dir.join(tool);
            if let Some(version) = path.is_file().then(|| version_of(&path)).flatten() {
                return Ok(Tool {
                    name: tool,
                    path,
                    version,
                });
            }
        }
        self.find(tool, server)
    }
}

fn version_of(path: &Path) -> Option<PgVersion> {
    let out = crate::process::command(path)
        .arg("--version")
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    PgVersion::parse_tool_output(&String::from_utf8_lossy(&out.stdout))
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
}
