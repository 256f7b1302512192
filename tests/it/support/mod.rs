//! Test support: a real PostgreSQL for every test that needs one, and the built binary.
//!
//! With `WFCTL_TEST_PG_URL` set (scripts/test.sh), tests use that server. Otherwise the first
//! test in the process starts a private throwaway cluster (initdb under /dev/shm, socket in its
//! directory, free port, as the `postgres` OS user when root). A reaper process removes it when
//! this process ends, however it ends (it sees EOF on a pipe only we hold).
//!
//! Every test gets its own database, cloned from a template that has all migrations.

#![allow(
    dead_code,
    reason = "each test module uses a different part of the support code"
)]

pub mod cluster;
pub mod own_cluster;

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

pub use cluster::server;

/// An example binary of this package, built (once per name and test run) on first use:
/// `cargo test` does not build examples when a single test target is asked for.
pub fn example_bin(name: &'static str) -> PathBuf {
    static BUILT: std::sync::Mutex<Vec<&str>> = std::sync::Mutex::new(Vec::new());
    let mut built = BUILT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !built.contains(&name) {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--example", name])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building examples/{name} failed");
        built.push(name);
    }
    let deps = std::env::current_exe().unwrap();
    deps.parent()
        .and_then(std::path::Path::parent)
        .unwrap()
        .join("examples")
        .join(name)
}

/// The `wfctl` binary built for this test run.
pub fn wfctl_path() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_wfctl"))
}

/// A `wfctl` command with a clean environment: no database, no colours, no config from the
/// developer's machine, run in `dir` if given.
pub fn wfctl() -> Command {
    let mut cmd = Command::new(wfctl_path());
    for var in [
        "DATABASE_URL",
        "WFCTL_STORE",
        "WFCTL_CONFIG",
        "PGHOST",
        "PGPORT",
        "PGUSER",
        "PGDATABASE",
        "PGPASSWORD",
        "PGSERVICE",
        "WFCTL_ADMIN_URL",
        "WFCTL_LOG",
    ] {
        cmd.env_remove(var);
    }
    // no wfctl.toml from the developer's ~/.config/wfctl
    cmd.env("XDG_CONFIG_HOME", "/nonexistent/wfctl-tests");
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Runs a command and returns its output, with stdout/stderr as strings for assertions.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn of(cmd: &mut Command) -> Self {
        let Output {
            status,
            stdout,
            stderr,
        } = cmd.output().expect("the wfctl binary runs");
        Self {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }

    /// Panics with both streams unless the exit code is `code`.
    #[track_caller]
    pub fn expect_code(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// A database of its own for one test; dropped (with FORCE) when the value is dropped, unless
/// `WFCTL_TEST_KEEP_DB` is set.
pub struct TestDb {
    pub name: String,
    pub url: String,
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

impl TestDb {
    /// A fresh database with every migration applied. Returns `None` (and prints why) when no
    /// PostgreSQL is available and `WFCTL_REQUIRE_PG` is unset.
    pub fn new() -> Option<Self> {
        let server = server()?;
        let template = server.template();
        Some(Self::create(
            server,
            &format!("TEMPLATE {template} STRATEGY FILE_COPY"),
        ))
    }

    /// A fresh empty database (from template0), for migration tests.
    pub fn empty() -> Option<Self> {
        let server = server()?;
        Some(Self::create(server, "TEMPLATE template0"))
    }

    fn create(server: &cluster::Server, how: &str) -> Self {
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let name = format!("t_{}_{n}", std::process::id());
        server
            .admin()
            .batch_execute(&format!("CREATE DATABASE {name} {how}"))
            .expect("the test server creates a database");
        let url = server.url_for(&name);
        Self { name, url }
    }

    /// A new connection to this database.
    pub fn conn(&self) -> PgConnection {
        PgConnection::establish(&self.url).expect("the test database accepts connections")
    }

    /// The superuser URL of the server's maintenance database.
    pub fn admin_url(&self) -> String {
        server()
            .expect("a server exists while a TestDb does")
            .url_for("postgres")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if std::env::var_os("WFCTL_TEST_KEEP_DB").is_some() {
            eprintln!("kept test database {}", self.url);
            return;
        }
        if let Some(server) = server() {
            let _ = server.admin().batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// Skips the calling test (returns from it) when no PostgreSQL is available.
#[macro_export]
macro_rules! pg_or_skip {
    ($e:expr) => {
        match $e {
            Some(v) => v,
            None => return,
        }
    };
}
