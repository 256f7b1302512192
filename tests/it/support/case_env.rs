//! Shared by the case, components and journey tests: a store (file store in a temp dir, or a
//! fresh PostgreSQL database), a config file, journeys and component scripts written into a
//! temp dir, and `wfctl` pointed at all of them.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use wfctl::db::{DatabaseUrl, PoolOptions};
use wfctl::model::AuditRecord;
use wfctl::store::{FileStore, PgStore, Store};

use super::{Run, TestDb, wfctl};

/// Where the cases of a test live.
pub enum Backend {
    Files(PathBuf),
    Postgres(TestDb),
}

/// One test's world: a temp dir with `wfctl.toml`, journeys and scripts, and a store.
pub struct Env {
    pub dir: tempfile::TempDir,
    pub backend: Backend,
    /// A config file elsewhere (the example's); default: `wfctl.toml` in `dir` if written.
    pub config_file: Option<PathBuf>,
}

impl Env {
    /// A file store in a temp dir.
    pub fn files() -> Self {
        let dir = tempfile::tempdir().expect("a temp dir");
        let store = dir.path().join("workflow-data");
        Self {
            dir,
            backend: Backend::Files(store),
            config_file: None,
        }
    }

    /// A fresh PostgreSQL database (`None`: no server here and none required).
    pub fn postgres() -> Option<Self> {
        let db = TestDb::new()?;
        Some(Self {
            dir: tempfile::tempdir().expect("a temp dir"),
            backend: Backend::Postgres(db),
            config_file: None,
        })
    }

    /// Every store available: the file store, and PostgreSQL when there is a server.
    pub fn all() -> Vec<Self> {
        let mut all = vec![Self::files()];
        all.extend(Self::postgres());
        all
    }

    /// Uses the example's `wfctl.toml` (its component scripts).
    pub fn with_example_config(mut self) -> Self {
        self.config_file = Some(example_dir().join("wfctl.toml"));
        self
    }

    pub fn name(&self) -> &'static str {
        match self.backend {
            Backend::Files(_) => "file store",
            Backend::Postgres(_) => "postgres",
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file into the temp dir (executable when it starts with `#!`).
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("parent dir");
        }
        std::fs::write(&path, text).expect("write test file");
        if text.starts_with("#!") {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        }
        path
    }

    /// Writes `wfctl.toml`.
    pub fn config(&self, text: &str) -> PathBuf {
        self.write("wfctl.toml", text)
    }

    /// `wfctl` with this env's store and config (if written), run in the temp dir.
    pub fn wf(&self) -> Command {
        let mut cmd = self.wf_without_store();
        match &self.backend {
            Backend::Files(dir) => {
                cmd.arg("--store").arg(dir);
            }
            Backend::Postgres(db) => {
                cmd.env("DATABASE_URL", &db.url);
            }
        }
        cmd
    }

    /// `wfctl` with this env's config (if written), run in the temp dir, naming no store: for
    /// the commands that refuse `--store` because they use none.
    pub fn wf_without_store(&self) -> Command {
        let mut cmd = wfctl();
        cmd.current_dir(self.dir.path());
        let config = self
            .config_file
            .clone()
            .unwrap_or_else(|| self.path("wfctl.toml"));
        if config.exists() {
            cmd.arg("--config").arg(config);
        }
        cmd
    }

    /// `wfctl` for `args`: with this env's store unless the command uses none.
    fn wf_for(&self, args: &[&str]) -> Command {
        if args.starts_with(&["keys", "generate"]) {
            self.wf_without_store()
        } else {
            self.wf()
        }
    }

    /// Runs `wfctl ARGS` and returns the result.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::of(self.wf_for(args).args(args))
    }

    /// Runs `wfctl ARGS` as operator `user` (`WFCTL_USER`).
    pub fn run_with_user(&self, user: &str, args: &[&str]) -> Run {
        Run::of(self.wf().env("WFCTL_USER", user).args(args))
    }

    /// Runs `wfctl --json ARGS`, expects exit `code`, parses stdout.
    #[track_caller]
    pub fn json(&self, args: &[&str], code: i32) -> Value {
        let run = Run::of(self.wf_for(args).arg("--json").args(args)).expect_code(code);
        serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("{}: stdout is not JSON ({e}): {}", self.name(), run.stdout))
    }

    /// Starts case `id` on [`INBOX_JOURNEY`] with the SLA `sla` (written as `journey.json` and
    /// `sla.json`); expects exit 0.
    #[track_caller]
    pub fn start_inbox_case(&self, id: &str, sla: &str) -> Value {
        self.write("journey.json", INBOX_JOURNEY);
        self.write("sla.json", sla);
        self.json(
            &[
                "case",
                "start",
                "--case-id",
                id,
                "--journey",
                "journey.json",
                "--sla",
                "sla.json",
            ],
            0,
        )
    }

    /// The store, opened by the library (to read audit logs directly).
    pub fn store(&self) -> Box<dyn Store> {
        match &self.backend {
            Backend::Files(dir) => Box::new(FileStore::open(dir).expect("file store opens")),
            Backend::Postgres(db) => Box::new(
                PgStore::connect(
                    &DatabaseUrl::parse(&db.url).expect("test url"),
                    &PoolOptions::default(),
                )
                .expect("test database"),
            ),
        }
    }

    pub fn audit(&self, case_id: &str) -> Vec<AuditRecord> {
        self.store().audit_records(case_id).expect("audit records")
    }
}

/// The example's directory.
pub fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/order-approval")
}

/// A small journey: `start` pends in `inbox` (builtin pend), then `work` runs `worker`, then end.
pub const INBOX_JOURNEY: &str = r#"{"journey": {"name": "inbox_flow", "flow": [
  {"name": "start", "component": "manual", "user_data": "inbox", "next": "work"},
  {"name": "work", "component": "worker", "next": "end"}]}}"#;
