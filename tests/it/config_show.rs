//! `config show` names every setting's value and source; the configuration file is found in
//! the documented places; `-v` and `WFCTL_LOG` give levelled logs on stderr.

use std::path::Path;

use crate::support::{Run, wfctl};

/// The `source` of setting `name` in `config show --json`.
fn setting<'a>(shown: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    shown["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no setting {name}: {shown}"))
}

fn write_config(dir: &Path, text: &str) -> std::path::PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join("wfctl.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn config_show_names_each_value_and_its_source() {
    let home = tempfile::tempdir().unwrap();
    let cwd = tempfile::tempdir().unwrap();
    let user = write_config(
        &home.path().join("wfctl"),
        "[database]\npool_size = 3\n[backup]\nkeep_days = 30\n[components.approve]\nbuiltin = \"pend\"\nenv = { TOKEN = \"tok-s3cret\" }\n",
    );
    let run = Run::of(
        wfctl()
            .current_dir(cwd.path())
            .env("XDG_CONFIG_HOME", home.path())
            .env("DATABASE_URL", "postgres://bob:pw-s3cret@db.example/orders")
            .args(["--json", "config", "show"]),
    )
    .expect_code(0);
    assert!(!run.stdout.contains("s3cret"), "{}", run.stdout);
    let shown: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let file = setting(&shown, "config file");
    assert_eq!(file["value"], user.display().to_string());
    assert_eq!(file["source"], "user config");
    let url = setting(&shown, "database url");
    assert_eq!(url["value"], "postgres://bob:***@db.example/orders");
    assert_eq!(url["source"], "DATABASE_URL");
    let pool = setting(&shown, "[database] pool_size");
    assert_eq!(pool["value"], "3");
    assert_eq!(
        pool["source"],
        format!("{} [database] pool_size", user.display())
    );
    let timeout = setting(&shown, "[database] connect_timeout");
    assert_eq!(timeout["value"], "5s");
    assert_eq!(timeout["source"], "default");
    let store = setting(&shown, "store");
    assert_eq!(store["source"], "DATABASE_URL");
    // db backup uses the file's [backup] when its flags are not given, and says where from
    // a retention age shows its unit, as --keep takes it
    let keep = setting(&shown, "[backup] keep_days");
    assert_eq!(keep["value"], "30d");
    assert_eq!(
        keep["source"],
        format!("{} [backup] keep_days", user.display())
    );
    assert_eq!(setting(&shown, "[backup] keep_min")["source"], "default");

    // a flag beats the environment, and says so
    let run = Run::of(
        wfctl()
            .current_dir(cwd.path())
            .env("XDG_CONFIG_HOME", home.path())
            .args(["--store", "cases", "config", "show"]),
    )
    .expect_code(0);
    let store_row = run
        .stdout
        .lines()
        .find(|l| l.starts_with("| store "))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(
        store_row.contains("files in cases") && store_row.contains("--store"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_current_directory_beats_the_user_config_and_none_lists_where_it_looked() {
    let home = tempfile::tempdir().unwrap();
    let cwd = tempfile::tempdir().unwrap();
    write_config(&home.path().join("wfctl"), "[database]\npool_size = 3\n");
    write_config(cwd.path(), "[database]\npool_size = 4\n");
    let shown = |cwd: &Path| {
        let run = Run::of(
            wfctl()
                .current_dir(cwd)
                .env("XDG_CONFIG_HOME", home.path())
                .args(["--json", "config", "show"]),
        )
        .expect_code(0);
        serde_json::from_str::<serde_json::Value>(&run.stdout).unwrap()
    };
    let here = shown(cwd.path());
    assert_eq!(setting(&here, "config file")["source"], "current directory");
    assert_eq!(setting(&here, "[database] pool_size")["value"], "4");

    std::fs::remove_dir_all(home.path().join("wfctl")).unwrap();
    let empty = tempfile::tempdir().unwrap();
    let none = shown(empty.path());
    let file = setting(&none, "config file");
    assert_eq!(file["value"], serde_json::Value::Null);
    let looked = file["source"].as_str().unwrap();
    assert!(
        looked.contains(&home.path().join("wfctl/wfctl.toml").display().to_string())
            && looked.contains("/etc/wfctl/wfctl.toml"),
        "{looked}"
    );
}

#[test]
fn verbose_names_the_config_store_and_redacted_url_as_log_lines() {
    let cwd = tempfile::tempdir().unwrap();
    let config = write_config(
        cwd.path(),
        "[database]\nurl = \"postgres://bob:pw-s3cret@127.0.0.1:1/orders\"\n",
    );
    // nothing listens on port 1: the command fails after the choices are logged
    let run = Run::of(wfctl().current_dir(cwd.path()).args(["-v", "case", "list"]));
    assert!(!run.stderr.contains("s3cret"), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "info: config file {} (current directory)",
            Path::new("wfctl.toml").display()
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("info: store: PostgreSQL postgres://bob:***@127.0.0.1:1/orders"),
        "{}",
        run.stderr
    );
    let _ = config;
    // without -v: no log lines; WFCTL_LOG turns them on without -v
    let quiet = Run::of(wfctl().current_dir(cwd.path()).args(["case", "list"]));
    assert!(!quiet.stderr.contains("info:"), "{}", quiet.stderr);
    let filtered = Run::of(
        wfctl()
            .current_dir(cwd.path())
            .env("WFCTL_LOG", "info")
            .args(["case", "list"]),
    );
    assert!(
        filtered.stderr.contains("info: store: PostgreSQL"),
        "{}",
        filtered.stderr
    );
}

#[test]
fn verbose_logs_the_engine_events_through_the_logger() {
    let env = crate::support::case_env::Env::files();
    env.config(
        "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nbuiltin = \"proceed\"\n",
    );
    let journey = env
        .write("inbox.json", crate::support::case_env::INBOX_JOURNEY)
        .display()
        .to_string();
    let run = env
        .run(&[
            "-v",
            "case",
            "start",
            "--journey",
            &journey,
            "--case-id",
            "e1",
        ])
        .expect_code(0);
    assert!(run.stderr.contains("info: event "), "{}", run.stderr);
    let run = env
        .run(&["case", "start", "--journey", &journey, "--case-id", "e2"])
        .expect_code(0);
    assert!(!run.stderr.contains("event "), "{}", run.stderr);
}

#[test]
fn double_verbose_adds_debug_lines_without_secrets() {
    let cwd = tempfile::tempdir().unwrap();
    write_config(
        cwd.path(),
        "[database]\nurl = \"postgres://bob:pw-s3cret@127.0.0.1:1/orders\"\n",
    );
    // nothing listens on port 1: the connection attempt is logged, then fails
    let debug = Run::of(
        wfctl()
            .current_dir(cwd.path())
            .args(["-vv", "case", "list"]),
    );
    assert!(
        debug
            .stderr
            .contains("debug: connecting to postgres://bob:***@127.0.0.1:1/orders"),
        "{}",
        debug.stderr
    );
    assert!(!debug.stderr.contains("s3cret"), "{}", debug.stderr);
    let info = Run::of(wfctl().current_dir(cwd.path()).args(["-v", "case", "list"]));
    assert!(!info.stderr.contains("debug:"), "{}", info.stderr);
}

#[test]
fn relative_directories_in_a_config_file_are_relative_to_that_file() {
    let cwd = tempfile::tempdir().unwrap();
    let config = write_config(
        &cwd.path().join("etc"),
        "[store]\ndir = \"data\"\n[backup]\ndir = \"../backups\"\n",
    );
    let store = cwd.path().join("etc").join("data");
    std::fs::create_dir_all(&store).unwrap();
    // run from elsewhere, as cron runs in `/`
    let elsewhere = tempfile::tempdir().unwrap();
    let shown: serde_json::Value = serde_json::from_str(
        &Run::of(
            wfctl()
                .current_dir(elsewhere.path())
                .arg("--config")
                .arg(&config)
                .args(["--json", "config", "show"]),
        )
        .expect_code(0)
        .stdout,
    )
    .unwrap();
    let store_shown = setting(&shown, "store")["value"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        store_shown.ends_with(&store.display().to_string()),
        "{store_shown}"
    );
    let backup_shown = setting(&shown, "[backup] dir")["value"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        Path::new(&backup_shown),
        cwd.path().join("etc").join("../backups"),
        "{shown}"
    );
    // and the store used is that one: nothing is created in the working directory
    Run::of(
        wfctl()
            .current_dir(elsewhere.path())
            .arg("--config")
            .arg(&config)
            .args(["case", "list"]),
    )
    .expect_code(0);
    assert!(!elsewhere.path().join("data").exists());
}

#[test]
fn tools_bin_dir_is_shown_resolved_from_the_file_and_overridden_by_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(dir.path(), "[tools]\nbin_dir = \"pgbin\"\n");
    let shown = |env: Option<&str>| {
        let mut cmd = wfctl();
        cmd.env_remove("WFCTL_PG_BINDIR")
            .arg("--config")
            .arg(&cfg)
            .args(["--json", "config", "show"]);
        if let Some(value) = env {
            cmd.env("WFCTL_PG_BINDIR", value);
        }
        let run = Run::of(&mut cmd).expect_code(0);
        let shown: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        setting(&shown, "[tools] bin_dir").clone()
    };
    let from_file = shown(None);
    assert_eq!(
        from_file["value"],
        dir.path().join("pgbin").display().to_string()
    );
    assert_eq!(
        from_file["source"],
        format!("{} [tools] bin_dir", cfg.display())
    );
    let from_env = shown(Some("/opt/pg/bin"));
    assert_eq!(from_env["value"], "/opt/pg/bin");
    assert_eq!(from_env["source"], "WFCTL_PG_BINDIR");
}

/// `config show` prints `[repository]` too (what `wal`, `repo`, `diag wal` and `db restore-pitr`
/// act on), its URL redacted, with its source (before: the whole section was missing).
#[test]
fn config_show_prints_the_repository_settings() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        "[repository]\nurl = \"file:///srv/wfctl-repo\"\nread_only = true\n",
    );
    let run = Run::of(
        wfctl()
            .current_dir(dir.path())
            .arg("--config")
            .arg(&config)
            .args(["--store", "st", "--json", "config", "show"]),
    )
    .expect_code(0);
    let shown: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let url = setting(&shown, "[repository] url");
    assert_eq!(url["value"], "file:///srv/wfctl-repo", "{shown}");
    assert!(
        url["source"].as_str().unwrap().contains("wfctl.toml"),
        "{url}"
    );
    assert_eq!(setting(&shown, "[repository] read_only")["value"], "true");
    for name in [
        "[repository] wal_archive",
        "[repository] encrypt",
        "[repository] recipients",
        "[repository] identity_file",
    ] {
        setting(&shown, name);
    }
}

/// A component whose program is empty (`exec = []`, `exec = [""]`) can run nothing: refused
/// with exit 78 naming the key and the file, as for an SLA action.
#[test]
fn an_empty_component_program_is_refused_naming_the_key_and_the_file() {
    let dir = tempfile::tempdir().unwrap();
    for exec in ["[]", "[\"\"]"] {
        let path = write_config(dir.path(), &format!("[components.score]\nexec = {exec}\n"));
        let run =
            Run::of(wfctl().arg("--config").arg(&path).args(["config", "show"])).expect_code(78);
        assert_eq!(run.stderr.trim_end().lines().count(), 1, "{}", run.stderr);
        assert!(
            run.stderr.contains("components.score.exec")
                && run.stderr.contains(path.to_str().unwrap()),
            "{exec}: {}",
            run.stderr
        );
    }
}

/// The repository shown is the one the repository commands open: `WFCTL_REPOSITORY` beats the
/// file, and says so.
#[test]
fn config_show_names_the_repository_the_commands_use() {
    let cwd = tempfile::tempdir().unwrap();
    let repo = cwd.path().join("r");
    std::fs::create_dir(&repo).unwrap();
    std::fs::write(
        cwd.path().join("wfctl.toml"),
        "[repository]\nurl = \"s3://bucket/p\"\n[components.x]\nexec = [\"/bin/true\"]\ntimeout = \"10s\"\n[components.y]\nexec = [\"/bin/true\"]\n",
    )
    .unwrap();
    let url = format!("file://{}", repo.display());
    let run = Run::of(
        wfctl()
            .current_dir(cwd.path())
            .env("WFCTL_REPOSITORY", &url)
            .args(["--json", "config", "show"]),
    )
    .expect_code(0);
    let shown: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let repository = setting(&shown, "[repository] url");
    assert_eq!(repository["value"], url.as_str());
    assert_eq!(repository["source"], "WFCTL_REPOSITORY");
    // and repo ls lists that one
    let run = Run::of(
        wfctl()
            .current_dir(cwd.path())
            .env("WFCTL_REPOSITORY", &url)
            .args(["repo", "ls"]),
    )
    .expect_code(0);
    assert!(run.stderr.contains(&url), "{}", run.stderr);
    // a component shows its time limit, set or the default
    let x = setting(&shown, "[components.x]");
    assert!(x["value"].as_str().unwrap().contains("timeout 10s"), "{x}");
    let y = setting(&shown, "[components.y]");
    assert!(
        y["value"]
            .as_str()
            .unwrap()
            .contains("timeout 30s (default)"),
        "{y}"
    );
}
