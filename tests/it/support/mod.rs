//! Test support: a real PostgreSQL for every test that needs one, and the built binary.
//!
//! With `WFCTL_TEST_PG_URL` set (scripts/test.sh), tests use that server. Otherwise the first
//! test in the process starts a private throwaway cluster (initdb under /dev/shm, socket in its
//! directory, free port, as the `postgres` OS user when root). A reaper process removes it when
//! this process ends, however it ends (it sees EOF on a pipe only we hold).
//!
//! Every test gets its own database, cloned from a template that has all migrations.
//!
//! One module per kind of help, all here so a maintainer finds them in one place:
//! - `case_env`: a store (files or PostgreSQL), config, journeys and scripts, `wfctl` aimed at them
//! - `engine_doubles`: scripted components and an event recorder for driving the engine directly
//! - `import`: running migrate-files and snapshots of what it wrote; `file_store_gen` its data
//! - `backup`: sample data, processes seen through /proc, backup directories
//! - `diag`: workflow rows written with SQL, read-only roles, waiting for locks and statistics
//! - `cluster`, `own_cluster`: the shared server and clusters a test starts for itself
//! - `skip`: a test without its PostgreSQL fails (`WFCTL_REQUIRE_PG`) or is named at the end

#![allow(
    dead_code,
    reason = "each test module uses a different part of the support code"
)]

pub mod backup;
pub mod case_env;
pub mod cluster;
pub mod diag;
pub mod engine_doubles;
pub mod file_store_gen;
pub mod import;
pub mod own_cluster;
pub mod s3;
pub mod skip;

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

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

/// Polls `found` until it returns a value and returns that; panics naming `what` once `timeout`
/// has passed. The one way a test waits for another thread, process or server: never a fixed
/// sleep, which is too short on a loaded machine and wasted time on an idle one. The pause
/// between polls grows from 5 ms to 200 ms, so quick conditions are seen quickly and slow ones
/// (a `wfctl` run per poll) do not flood the machine.
#[track_caller]
pub fn poll_for<T>(what: &str, timeout: Duration, mut found: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_millis(5);
    loop {
        if let Some(value) = found() {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {timeout:?} waiting for {what}"
        );
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(200));
    }
}

/// [`poll_for`] a condition: returns once `done` holds.
#[track_caller]
pub fn poll_until(what: &str, timeout: Duration, mut done: impl FnMut() -> bool) {
    poll_for(what, timeout, || done().then_some(()));
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
        // no developer's cloud credentials: a repository test names its own server
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_S3",
        "WFCTL_REPOSITORY",
        "WFCTL_AGE_IDENTITY",
    ] {
        cmd.env_remove(var);
    }
    cmd.env(
        "AWS_SHARED_CREDENTIALS_FILE",
        "/nonexistent/wfctl-tests/credentials",
    );
    // no wfctl.toml from the developer's ~/.config/wfctl
    cmd.env("XDG_CONFIG_HOME", "/nonexistent/wfctl-tests");
    // The client programs for a server of another major (scripts/pg-cluster.sh), found on
    // PATH as an operator's would be.
    if let Some(dir) = std::env::var_os("WFCTL_TEST_PG_CLIENT_BIN") {
        let path = std::env::var_os("PATH").unwrap_or_default();
        let dirs =
            std::iter::once(std::path::PathBuf::from(dir)).chain(std::env::split_paths(&path));
        cmd.env("PATH", std::env::join_paths(dirs).expect("PATH entries"));
    }
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
        // FILE_COPY (PostgreSQL 15+) is the faster copy of a small template; before 15 the
        // only way.
        let strategy = if server.major >= 15 {
            " STRATEGY FILE_COPY"
        } else {
            ""
        };
        Some(Self::create(
            server,
            &format!("TEMPLATE {template}{strategy}"),
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
            let _ = wfctl::backup::server::drop_database(&mut server.admin(), &self.name);
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
