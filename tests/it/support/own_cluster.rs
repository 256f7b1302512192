//! A PostgreSQL cluster of a test's own, for what the shared server must not be used for:
//! password authentication, replication connections, WAL archiving, stops and restarts.
//!
//! Like the shared one: initdb under /dev/shm, socket in its directory, a free port, run as
//! the `postgres` OS user when root, and a reaper that removes it however the test process
//! ends. Dropping the value stops and removes it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};

use diesel::{Connection, PgConnection};

use super::cluster::{as_owner, find_bin};

/// The superuser's password in every own cluster (host connections use SCRAM).
pub const SUPERUSER_PASSWORD: &str = "own-cluster-Superuser-1";

/// A running cluster of one test (or one group of tests).
pub struct OwnCluster {
    /// Its directory (data, socket, logs).
    pub dir: PathBuf,
    /// The data directory.
    pub data: PathBuf,
    /// The server binaries.
    pub bin: PathBuf,
    /// Its port.
    pub port: u16,
    _reaper: Option<(Child, ChildStdin)>,
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A directory the server user can use.
pub fn server_dir(name: &str) -> PathBuf {
    let base = if Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let dir = base.join(format!("wfctl-own-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("creating the cluster directory");
    give_to_server_user(&dir);
    dir
}

/// chown -R to the server's OS user when we are root.
pub fn give_to_server_user(path: &Path) {
    if is_root() {
        let user = std::env::var("WFCTL_TEST_PG_USER").unwrap_or_else(|_| "postgres".into());
        let ok = Command::new("chown")
            .arg("-R")
            .arg(&user)
            .arg(path)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "chown {user} {}", path.display());
    }
}

impl OwnCluster {
    /// initdb (host connections by SCRAM password, local socket by trust) and start, with
    /// `conf` lines appended to postgresql.conf. None (the test skips) when no server binaries
    /// are installed, unless the run requires PostgreSQL (`WFCTL_REQUIRE_PG`): then it fails.
    pub fn start(name: &str, conf: &[String]) -> Option<Self> {
        let bin = match find_bin() {
            Ok(bin) => bin,
            Err(why) => {
                super::skip::unavailable(&why);
                return None;
            }
        };
        let dir = server_dir(name);
        let data = dir.join("data");
        let pwfile = dir.join("pwfile");
        std::fs::write(&pwfile, SUPERUSER_PASSWORD).unwrap();
        give_to_server_user(&pwfile);
        let init = as_owner(&bin.join("initdb"))
            .current_dir(&dir)
            .arg("-D")
            .arg(&data)
            .arg(format!("--pwfile={}", pwfile.display()))
            .args([
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ])
            .output()
            .expect("initdb runs");
        assert!(
            init.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&init.stderr)
        );
        let mut lines = vec![
            "listen_addresses = '127.0.0.1'".to_string(),
            format!("unix_socket_directories = '{}'", dir.display()),
            "fsync = off".into(),
            "synchronous_commit = off".into(),
            "max_connections = 50".into(),
        ];
        lines.extend(conf.iter().cloned());
        append_conf(&data, &lines);
        let mut cluster = Self {
            _reaper: Some(reaper(&bin, &data, &dir)),
            dir,
            data,
            bin,
            port: 0,
        };
        cluster.start_server();
        Some(cluster)
    }

    /// Starts a cluster from an existing data directory in `dir` (a restored base backup),
    /// with `overrides` as server options (`-c name=value`).
    pub fn from_data(dir: PathBuf, data: PathBuf, bin: PathBuf, overrides: &[String]) -> Self {
        let mut cluster = Self {
            _reaper: Some(reaper(&bin, &data, &dir)),
            dir,
            data,
            bin,
            port: 0,
        };
        cluster.start_with(overrides);
        cluster
    }

    /// A cluster in `dir` that something else started on `port` (`db restore-pitr --start`):
    /// stopped and removed like the others.
    pub fn adopt(dir: PathBuf, data: PathBuf, bin: PathBuf, port: u16) -> Self {
        Self {
            _reaper: Some(reaper(&bin, &data, &dir)),
            dir,
            data,
            bin,
            port,
        }
    }

    /// A free TCP port.
    pub fn free_port() -> u16 {
        free_port()
    }

    /// (Re)starts the server on a new free port.
    pub fn start_server(&mut self) {
        self.start_with(&[]);
    }

    fn start_with(&mut self, overrides: &[String]) {
        let mut options = format!("-p {{port}} -k {}", self.dir.display());
        for o in overrides {
            options.push_str(&format!(" -c {o}"));
        }
        let mut last = String::new();
        for _ in 0..5 {
            let port = free_port();
            let out = as_owner(&self.bin.join("pg_ctl"))
                .current_dir(&self.dir)
                .arg("-D")
                .arg(&self.data)
                .arg("-l")
                .arg(self.dir.join("server.log"))
                .args([
                    "-w",
                    "-t",
                    "120",
                    "-o",
                    &options.replace("{port}", &port.to_string()),
                    "start",
                ])
                .stdout(Stdio::null())
                .output()
                .expect("pg_ctl runs");
            if out.status.success() {
                self.port = port;
                return;
            }
            last = std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
        }
        panic!("pg_ctl start failed: {last}");
    }

    /// Stops the server (fast shutdown: a clean checkpoint).
    pub fn stop(&self) {
        let _ = self
            .pg_ctl(&["-m", "fast", "-w", "stop"])
            .stderr(Stdio::null())
            .status();
    }

    /// Restarts the server in place (fast shutdown, same port): its clients lose their
    /// connections as in a real restart.
    pub fn restart(&self) {
        let log = self.dir.join("server.log");
        let log = log.to_str().expect("a UTF-8 cluster directory");
        let out = self
            .pg_ctl(&["-l", log, "-m", "fast", "-w", "-t", "60", "restart"])
            .output()
            .expect("pg_ctl runs");
        assert!(
            out.status.success(),
            "pg_ctl restart: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// `pg_ctl -D DATA ARGS` as the server's owner, output discarded.
    fn pg_ctl(&self, args: &[&str]) -> Command {
        let mut cmd = as_owner(&self.bin.join("pg_ctl"));
        cmd.current_dir(&self.dir)
            .arg("-D")
            .arg(&self.data)
            .args(args)
            .stdout(Stdio::null());
        cmd
    }

    /// A TCP URL (password authentication) for `user` on `database`.
    pub fn url(&self, user: &str, password: &str, database: &str) -> String {
        format!(
            "postgres://{user}:{password}@127.0.0.1:{}/{database}",
            self.port
        )
    }

    /// The superuser's URL for `database`.
    pub fn admin_url(&self, database: &str) -> String {
        self.url("postgres", SUPERUSER_PASSWORD, database)
    }

    /// A superuser connection to `database`.
    pub fn admin(&self, database: &str) -> PgConnection {
        PgConnection::establish(&self.admin_url(database))
            .expect("the own cluster accepts connections")
    }

    /// The server log so far (for assertion messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
    }
}

impl Drop for OwnCluster {
    fn drop(&mut self) {
        let _ = as_owner(&self.bin.join("pg_ctl"))
            .current_dir("/")
            .arg("-D")
            .arg(&self.data)
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn append_conf(data: &Path, lines: &[String]) {
    let mut text = lines.join("\n");
    text.push('\n');
    std::fs::OpenOptions::new()
        .append(true)
        .open(data.join("postgresql.conf"))
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .expect("postgresql.conf is writable");
}

/// Stops and removes the cluster when this test process ends, however it ends (EOF on a pipe
/// only we hold), as the shared cluster's reaper does.
fn reaper(bin: &Path, data: &Path, dir: &Path) -> (Child, ChildStdin) {
    let stop = as_owner(&bin.join("pg_ctl"));
    let words: Vec<String> = std::iter::once(stop.get_program())
        .chain(stop.get_args())
        .map(|a| format!("'{}'", a.to_string_lossy()))
        .collect();
    let mut child = Command::new("setsid")
        .args([
            "sh",
            "-c",
            &format!(
                "cat >/dev/null; cd /; {} -D '{}' -m immediate -w stop >/dev/null 2>&1; rm -rf '{}'",
                words.join(" "),
                data.display(),
                dir.display()
            ),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting the cleanup process");
    let stdin = child.stdin.take().expect("piped");
    (child, stdin)
}

/// Creates `workflow_db` on `cluster`, applies wfctl's migrations with `wfctl db migrate` and
/// returns its superuser URL.
pub fn migrated_workflow_db(cluster: &OwnCluster) -> String {
    use diesel::connection::SimpleConnection;
    cluster
        .admin("postgres")
        .batch_execute("CREATE DATABASE workflow_db")
        .unwrap();
    let url = cluster.admin_url("workflow_db");
    super::Run::of(super::backup::wfctl_db(&url).arg("migrate")).expect_code(0);
    url
}
