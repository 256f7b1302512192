//! Client programs against servers of other majors (scripts/pg-matrix.sh runs these on every
//! version from 12 to 18): wfctl backs a server up with a pg_dump at least as new as it, or
//! refuses in one line naming the server's version; a plain dump written by a newer pg_dump
//! restores into the server it came from.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::pg_or_skip;
use crate::support::Run;
use crate::support::backup::*;

fn server_major(url: &str) -> u32 {
    let mut conn: diesel::PgConnection = diesel::Connection::establish(url).unwrap();
    text(
        &mut conn,
        "SELECT (current_setting('server_version_num')::int / 10000)::text AS v",
    )
    .parse()
    .unwrap()
}

/// The `-v` line naming the pg_dump a backup ran: its major version.
fn chosen_major(stderr: &str, tool: &str) -> u32 {
    let line = stderr
        .lines()
        .find(|l| l.contains(&format!("{tool} ")) && l.contains(" for server "))
        .unwrap_or_else(|| panic!("-v names no {tool}:\n{stderr}"));
    let version = line
        .split(&format!("{tool} "))
        .nth(1)
        .and_then(|rest| rest.split(['.', ' ']).next())
        .unwrap_or_default();
    version
        .parse()
        .unwrap_or_else(|_| panic!("no version in {line:?}"))
}

/// Debian's client directories older than `major`, newest first.
fn older_client_dirs(major: u32) -> Vec<PathBuf> {
    let mut dirs: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let e = e.ok()?;
            let m: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            (m < major && bin.join("pg_dump").exists()).then_some((m, bin))
        })
        .collect();
    dirs.sort_by_key(|d| std::cmp::Reverse(d.0));
    dirs.into_iter().map(|(_, d)| d).collect()
}

fn gunzip(path: &Path) -> String {
    let mut sql = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_string(&mut sql)
        .unwrap();
    sql
}

#[test]
fn a_server_is_backed_up_with_a_new_enough_pg_dump_or_refused_in_one_line() {
    let db = pg_or_skip!(db_with_cases(3));
    let major = server_major(&db.url);
    let dir = tempfile::tempdir().unwrap();
    let dir_arg = dir.path().to_str().unwrap();

    let run = Run::of(wfctl_db(&db.url).args(["-v", "backup", "--dir", dir_arg])).expect_code(0);
    let used = chosen_major(&run.stderr, "pg_dump");
    assert!(
        used >= major,
        "pg_dump {used} for server {major}:\n{}",
        run.stderr
    );
    let file = only_backup(dir.path(), ".sql.gz");
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{}.manifest.json", file.display())).unwrap(),
    )
    .unwrap();
    assert!(
        manifest["tool_version"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{used}.")),
        "{manifest}"
    );

    // Only older client programs: one line naming the server's version and the fix, exit 78.
    for old in older_client_dirs(major) {
        let refused = tempfile::tempdir().unwrap();
        let run = Run::of(wfctl_db(&db.url).args([
            "backup",
            "--dir",
            refused.path().to_str().unwrap(),
            "--pg-bindir",
            old.to_str().unwrap(),
        ]))
        .expect_code(78);
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{}", run.stderr);
        assert!(
            lines[0].contains(&format!("PostgreSQL {major}."))
                && lines[0].contains(&format!("install the PostgreSQL {major} client programs"))
                && lines[0].contains(&format!("postgresql-client-{major}")),
            "{}",
            run.stderr
        );
        assert!(listing(refused.path()).is_empty(), "nothing written");
    }
}

#[test]
fn a_plain_dump_by_a_newer_pg_dump_restores_into_its_server() {
    let db = pg_or_skip!(db_with_cases(20));
    let major = server_major(&db.url);
    let dir = tempfile::tempdir().unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    let run = Run::of(wfctl_db(&db.url).args(["-v", "backup", "--dir", dir_arg])).expect_code(0);
    let used = chosen_major(&run.stderr, "pg_dump");
    let file = only_backup(dir.path(), ".sql.gz");
    let sql = gunzip(&file);
    // What an older server or psql rejects, when pg_dump writes it.
    if used >= 17 {
        assert!(
            sql.contains("\nSET transaction_timeout = 0;\n"),
            "{sql:.600}"
        );
    }

    let target = format!("{}_from_pg_dump_{used}", db.name).replace('-', "_");
    let run = Run::of(wfctl_db(&db.url).args([
        "-v",
        "--json",
        "restore",
        file.to_str().unwrap(),
        "--target-db",
        &target,
        "--create",
    ]))
    .expect_code(0);
    assert!(chosen_major(&run.stderr, "psql") >= major, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["counts_match"], true, "{report}");
    let mut source = db.conn();
    let mut restored: diesel::PgConnection =
        diesel::Connection::establish(&url_of(&db, &target)).unwrap();
    assert_eq!(counts(&mut source), counts(&mut restored));
    drop(restored);
    drop_database(&db, &target);
}

#[test]
fn diag_wal_reads_this_versions_views_and_says_what_it_lacks() {
    let db = pg_or_skip!(crate::support::TestDb::new());
    let major = server_major(&db.url);
    let report = crate::support::diag::diag_json(&db.url, &["wal"], 0);
    // Checkpoint counters: pg_stat_checkpointer from 17, pg_stat_bgwriter before.
    let checkpoints = &report["volume"]["checkpoints"];
    assert!(checkpoints["timed"].as_i64().is_some(), "{report:#}");
    assert!(checkpoints["requested"].as_i64().is_some(), "{report:#}");
    // pg_stat_wal from 14; before, a limitation names the version instead of a failure.
    let lacks = report["limitations"].as_array().unwrap().iter().any(|l| {
        l["why"].as_str().unwrap_or_default().contains(&format!(
            "pg_stat_wal is not available on PostgreSQL {major}"
        ))
    });
    if major >= 14 {
        assert!(
            report["volume"]["stat"]["wal_bytes"].as_i64().is_some(),
            "{report:#}"
        );
        assert!(!lacks, "{report:#}");
    } else {
        assert!(report["volume"]["stat"].is_null(), "{report:#}");
        assert!(lacks, "{report:#}");
    }
}

#[test]
fn basebackup_of_a_server_without_backup_manifest_is_refused_before_anything_is_written() {
    let db = pg_or_skip!(crate::support::TestDb::new());
    let major = server_major(&db.url);
    if major >= 13 {
        // 13 and newer write backup_manifest: backup_base:: takes and verifies their backups
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("base");
    let run = Run::of(wfctl_db(&db.url).args([
        "basebackup",
        "--dir",
        target.to_str().unwrap(),
        "--fast-checkpoint",
    ]))
    .expect_code(78);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(
        lines[0].contains(&format!("PostgreSQL {major}."))
            && lines[0].contains("writes no backup_manifest (added in PostgreSQL 13)")
            && lines[0].contains("wfctl db backup"),
        "{}",
        run.stderr
    );
    assert!(!target.exists(), "nothing written");
}

#[test]
fn tools_bin_dir_of_the_config_file_is_the_one_place_looked_in() {
    let db = pg_or_skip!(crate::support::TestDb::new());
    let work = tempfile::tempdir().unwrap();
    let bin = work.path().join("pgbin");
    std::fs::create_dir(&bin).unwrap();
    let fake = bin.join("pg_dump");
    std::fs::write(&fake, "#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n").unwrap();
    std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let cfg = work.path().join("wfctl.toml");
    std::fs::write(&cfg, "[tools]\nbin_dir = \"pgbin\"\n").unwrap();
    let out = work.path().join("out");
    let run = Run::of(
        crate::support::wfctl()
            .env_remove("WFCTL_PG_BINDIR")
            .env("DATABASE_URL", &db.url)
            .arg("--config")
            .arg(&cfg)
            .args(["db", "backup", "--dir"])
            .arg(&out),
    )
    .expect_code(78);
    assert!(
        run.stderr.contains("pg_dump 9.6.24") && run.stderr.contains(&fake.display().to_string()),
        "{}",
        run.stderr
    );
    assert!(!out.exists(), "nothing written");
}
