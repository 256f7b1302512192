//! `db basebackup` against a cluster of its own (replication connections, SCRAM passwords):
//! a verified backup with both manifests, listed by `db backups`, kept by count; the
//! REPLICATION error; a killed pg_basebackup that leaves nothing behind.

use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use sha2::{Digest, Sha256};

use crate::support::backup::*;
use crate::support::own_cluster::OwnCluster;
use crate::support::{Run, poll_until};

static CLUSTER: OnceLock<Option<OwnCluster>> = OnceLock::new();

/// The cluster shared by the base backup and password tests of this process.
pub fn repl_cluster() -> Option<&'static OwnCluster> {
    CLUSTER
        .get_or_init(|| {
            let cluster = OwnCluster::start(
                "repl",
                &[
                    "wal_level = replica".into(),
                    "max_wal_senders = 10".into(),
                    // Parallel tests take fast checkpoints: without kept WAL, one backup's
                    // checkpoint can recycle a segment another's WAL streamer still needs.
                    "wal_keep_size = '256MB'".into(),
                ],
            );
            if cluster.is_none() && std::env::var_os("WFCTL_REQUIRE_PG").is_some() {
                panic!("PostgreSQL required (WFCTL_REQUIRE_PG) but no server binaries");
            }
            cluster
        })
        .as_ref()
}

fn basebackup(url: &str, dir: &Path, extra: &[&str]) -> Run {
    Run::of(
        wfctl_db(url)
            .args(["basebackup", "--dir", dir.to_str().unwrap()])
            .args(extra),
    )
}

fn backup_dirs(dir: &Path) -> Vec<String> {
    listing(dir)
        .into_iter()
        .filter(|n| n.starts_with("base_") && !n.ends_with(".manifest.json"))
        .collect()
}

fn manifest_of(dir: &Path, name: &str) -> serde_json::Value {
    serde_json::from_str(
        &std::fs::read_to_string(dir.join(format!("{name}.manifest.json"))).unwrap(),
    )
    .unwrap()
}

#[test]
fn basebackup_tar_is_verified_listed_and_kept_by_count() {
    let Some(cluster) = repl_cluster() else {
        return;
    };
    let url = cluster.admin_url("postgres");
    let dir = tempfile::tempdir().unwrap();
    let run = basebackup(&url, dir.path(), &["--fast-checkpoint"]).expect_code(0);
    assert!(
        run.stderr.contains("verified by pg_verifybackup"),
        "{}",
        run.stderr
    );
    let first = backup_dirs(dir.path());
    assert_eq!(first.len(), 1, "{:?}", listing(dir.path()));
    let backup = dir.path().join(&first[0]);
    let mut inside = listing(&backup);
    inside.sort();
    assert_eq!(inside, ["backup_manifest", "base.tar.gz", "pg_wal.tar.gz"]);

    let manifest = manifest_of(dir.path(), &first[0]);
    assert_eq!(manifest["format"], "tar");
    assert_eq!(manifest["tool"], "pg_basebackup");
    assert_eq!(manifest["verification"]["ok"], true);
    assert_eq!(manifest["verification"]["level"], "pg_verifybackup");
    assert!(manifest["wal"]["start_lsn"].as_str().unwrap().contains('/'));
    assert!(!manifest["system_identifier"].as_str().unwrap().is_empty());
    for file in manifest["files"].as_array().unwrap() {
        let bytes = std::fs::read(backup.join(file["name"].as_str().unwrap())).unwrap();
        let sum: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(file["sha256"], sum.as_str(), "{file}");
    }

    let run = Run::of(wfctl_db(&url).args([
        "--json",
        "backups",
        "--dir",
        dir.path().to_str().unwrap(),
        "--check-fresh",
        "1h",
    ]))
    .expect_code(0);
    let listed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(listed["backups"][0]["format"], "tar");
    assert_eq!(listed["backups"][0]["good"], true);

    // --keep 1: the second backup replaces the first, and says so.
    let run =
        basebackup(&url, dir.path(), &["--fast-checkpoint", "--keep-min", "1"]).expect_code(0);
    let deleted: Vec<serde_json::Value> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(deleted.len(), 1, "{}", run.stderr);
    assert!(deleted[0]["path"].as_str().unwrap().ends_with(&first[0]));
    let now = backup_dirs(dir.path());
    assert_eq!(now.len(), 1);
    assert_ne!(now, first);
    assert!(
        !dir.path()
            .join(format!("{}.manifest.json", first[0]))
            .exists()
    );
    // --keep 0 would delete the last one: refused.
    basebackup(&url, dir.path(), &["--keep-min", "0"]).expect_code(2);
}

#[test]
fn basebackup_plain_format_is_verified() {
    let Some(cluster) = repl_cluster() else {
        return;
    };
    let url = cluster.admin_url("postgres");
    let dir = tempfile::tempdir().unwrap();
    basebackup(
        &url,
        dir.path(),
        &["--fast-checkpoint", "--format", "plain"],
    )
    .expect_code(0);
    let name = &backup_dirs(dir.path())[0];
    assert!(dir.path().join(name).join("PG_VERSION").exists());
    let manifest = manifest_of(dir.path(), name);
    assert_eq!(manifest["format"], "plain");
    assert_eq!(manifest["verification"]["ok"], true);
    assert_eq!(manifest["files"][0]["name"], "backup_manifest");
}

#[test]
fn basebackup_without_replication_prints_the_alter_role_line() {
    let Some(cluster) = repl_cluster() else {
        return;
    };
    cluster
        .admin("postgres")
        .batch_execute(
            "DROP ROLE IF EXISTS wf_norepl; CREATE ROLE wf_norepl LOGIN PASSWORD 'NoRepl-pw-1'",
        )
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("base");
    let run = basebackup(
        &cluster.url("wf_norepl", "NoRepl-pw-1", "postgres"),
        &target,
        &[],
    )
    .expect_code(78);
    assert!(
        run.stderr
            .contains("role wf_norepl lacks the REPLICATION attribute"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("ALTER ROLE wf_norepl REPLICATION;"),
        "{}",
        run.stderr
    );
    assert!(!target.exists());
}

/// Killing pg_basebackup itself fails the run, stops the WAL streamer it forked and removes
/// its directory. (Killing wfctl: see `child_death`.)
#[test]
fn killing_pg_basebackup_fails_the_run_and_removes_its_directory() {
    let Some(cluster) = repl_cluster() else {
        return;
    };
    let url = cluster.admin_url("postgres");
    let dir = tempfile::tempdir().unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    // 32 kB/s: the transfer takes minutes, so it is certainly running when killed.
    let slow = [
        "basebackup",
        "--dir",
        dir_arg,
        "--fast-checkpoint",
        "--max-rate",
        "32k",
    ];
    let wfctl = spawn(wfctl_db(&url).args(slow));
    let pg_basebackup = child_named(wfctl.id(), "pg_basebackup", "-D");
    // Data flows, so its WAL streamer runs too.
    poll_until(
        "data in the partial directory",
        Duration::from_secs(60),
        || {
            listing(dir.path())
                .iter()
                .filter(|n| n.ends_with(".partial"))
                .any(|n| {
                    listing(&dir.path().join(n))
                        .iter()
                        .any(|f| f == "base.tar.gz")
                })
        },
    );
    poll_until(
        "pg_basebackup's WAL streamer",
        Duration::from_secs(30),
        || processes_with_arg("pg_basebackup", dir_arg).len() == 2,
    );
    signal(pg_basebackup, "KILL");
    let (code, stderr) = finish(wfctl);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("pg_basebackup failed (killed by signal 9)"),
        "{stderr}"
    );
    // wfctl stopped the WAL streamer its killed pg_basebackup left behind.
    poll_until("no pg_basebackup left", Duration::from_secs(10), || {
        processes_with_arg("pg_basebackup", dir_arg).is_empty()
    });
    assert!(!listing(dir.path()).iter().any(|n| n.ends_with(".partial")));
    assert!(backup_dirs(dir.path()).is_empty());
}

/// The server's major version.
fn major_of(url: &str) -> u32 {
    let mut conn: diesel::PgConnection = diesel::Connection::establish(url).unwrap();
    text(
        &mut conn,
        "SELECT (current_setting('server_version_num')::int / 10000)::text AS v",
    )
    .parse()
    .unwrap()
}

/// A program that answers `--version` as PostgreSQL `version` and otherwise runs `real`.
fn program_claiming(path: &Path, name: &str, version: &str, real: Option<&Path>) {
    let run = real.map_or_else(
        || "exit 1".to_owned(),
        |r| format!("exec '{}' \"$@\"", r.display()),
    );
    std::fs::write(
        path,
        format!(
            "#!/bin/sh\nif [ \"$1\" = --version ]; then echo '{name} (PostgreSQL {version})'; exit 0; fi\n{run}\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
}

#[test]
fn basebackup_plain_is_checked_again_by_db_verify_and_restored_only_by_its_own_pg_ctl() {
    let Some(cluster) = repl_cluster() else {
        return;
    };
    let url = cluster.admin_url("postgres");
    let major = major_of(&url);
    let dir = tempfile::tempdir().unwrap();
    basebackup(
        &url,
        dir.path(),
        &["--fast-checkpoint", "--format", "plain"],
    )
    .expect_code(0);
    let name = &backup_dirs(dir.path())[0];
    let backup = dir.path().join(name);

    // Checked again later, by the rules it was taken with, and the result recorded.
    let run =
        Run::of(wfctl_db(&url).args(["--json", "verify", backup.to_str().unwrap()])).expect_code(0);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["ok"], true, "{report}");
    let checks: Vec<&str> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    assert_eq!(checks, ["manifest", "files", "pg_verifybackup"], "{report}");
    let detail = report["checks"][2]["detail"].as_str().unwrap();
    assert!(
        detail.contains("every file's checksum") && detail.contains("backup_manifest"),
        "{detail}"
    );
    let manifest = manifest_of(dir.path(), name);
    assert_eq!(manifest["verification"]["level"], "pg_verifybackup");
    assert_eq!(manifest["verification"]["detail"], detail);
    let run = Run::of(wfctl_db(&url).args(["verify", "--restore-test", backup.to_str().unwrap()]))
        .expect_code(2);
    assert!(run.stderr.contains("db restore-pitr"), "{}", run.stderr);

    // restore-pitr with only a pg_ctl of another major: refused before anything is unpacked.
    let bin = tempfile::tempdir().unwrap();
    program_claiming(&bin.path().join("pg_ctl"), "pg_ctl", "99.1", None);
    let work = tempfile::tempdir().unwrap();
    let repo = work.path().join("repo");
    let cfg = work.path().join("wfctl.toml");
    std::fs::write(
        &cfg,
        format!("[repository]\nurl = \"file://{}\"\n", repo.display()),
    )
    .unwrap();
    let data = work.path().join("data");
    let target = (chrono::Utc::now() + chrono::Duration::minutes(1)).to_rfc3339();
    let run = Run::of(
        crate::support::wfctl()
            .arg("--config")
            .arg(&cfg)
            .args(["db", "restore-pitr", "--target-time", &target])
            .arg("--data-dir")
            .arg(&data)
            .arg("--dir")
            .arg(dir.path())
            .arg("--pg-bindir")
            .arg(bin.path()),
    )
    .expect_code(78);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(
        lines[0].contains(&format!("pg_ctl of PostgreSQL {major} not found"))
            && lines[0].contains(&bin.path().display().to_string())
            && lines[0].contains("99.1")
            && lines[0].contains(&format!("postgresql-{major}")),
        "{}",
        run.stderr
    );
    assert!(!data.exists(), "nothing unpacked");

    // A changed file: exit 3, one line naming the check.
    std::fs::write(backup.join("PG_VERSION"), "99\n").unwrap();
    let run = Run::of(wfctl_db(&url).args(["verify", backup.to_str().unwrap()])).expect_code(3);
    assert!(
        run.stderr.contains("pg_verifybackup") && run.stderr.contains(name.as_str()),
        "{}",
        run.stderr
    );
}

#[test]
fn basebackup_with_a_verifier_of_another_major_says_the_wal_was_not_parsed() {
    let Some(cluster) = repl_cluster() else {
        return;
    };
    let url = cluster.admin_url("postgres");
    let real = std::path::PathBuf::from(format!("/usr/lib/postgresql/{}/bin", major_of(&url)));
    if !real.join("pg_verifybackup").exists() {
        eprintln!("skipped: no {}/pg_verifybackup", real.display());
        return;
    }
    let bin = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(real.join("pg_basebackup"), bin.path().join("pg_basebackup"))
        .unwrap();
    program_claiming(
        &bin.path().join("pg_verifybackup"),
        "pg_verifybackup",
        "99.1",
        Some(&real.join("pg_verifybackup")),
    );
    let dir = tempfile::tempdir().unwrap();
    let run = basebackup(
        &url,
        dir.path(),
        &[
            "--fast-checkpoint",
            "--pg-bindir",
            bin.path().to_str().unwrap(),
        ],
    )
    .expect_code(0);
    assert!(
        run.stderr.contains("files checked by pg_verifybackup 99.1")
            && run.stderr.contains("WAL not parsed")
            && !run.stderr.contains("verified"),
        "{}",
        run.stderr
    );
}

/// `db verify` of a tar base backup: unpacked into a private directory under TMPDIR (never
/// `<backup>.verify.partial`, which another verify or a backup's sweep may own), refused
/// while a backup holds the directory, and a verifier that dies says nothing about the backup:
/// exit 1, no failed verification written into a good backup's manifest (break16 3/3b, 14).
#[test]
fn db_verify_of_a_tar_backup_is_private_locked_and_records_only_its_content() {
    let Some(cluster) = repl_cluster() else {
        return;
    };
    let url = cluster.admin_url("postgres");
    let dir = tempfile::tempdir().unwrap();
    basebackup(&url, dir.path(), &["--fast-checkpoint"]).expect_code(0);
    let name = &backup_dirs(dir.path())[0];
    let backup = dir.path().join(name);
    let recorded = || manifest_of(dir.path(), name)["verification"].clone();
    let before = recorded();
    assert_eq!(before["ok"], true, "{before}");

    // Another verify's scratch under the old shared name is left alone.
    let theirs = dir.path().join(format!("{name}.verify.partial"));
    std::fs::write(&theirs, "another verify's").unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let verify = || {
        let mut c = wfctl_db(&url);
        c.env("TMPDIR", tmp.path())
            .args(["verify", backup.to_str().unwrap()]);
        c
    };
    Run::of(&mut verify()).expect_code(0);
    assert_eq!(
        std::fs::read_to_string(&theirs).unwrap(),
        "another verify's"
    );
    assert_eq!(listing(tmp.path()), Vec::<String>::new(), "scratch left");
    std::fs::remove_file(&theirs).unwrap();

    // A backup running in the directory: refused (75), nothing recorded.
    let lock = dir.path().join(".wfctl-backup.lock");
    // one process (sh, then sleep in its place) holds the lock: killing it frees the lock
    let mut holder = std::process::Command::new("sh")
        .arg("-c")
        .arg("exec 9>\"$0\"; flock -x 9; exec sleep 30")
        .arg(&lock)
        .spawn()
        .unwrap();
    poll_until("the lock held", Duration::from_secs(10), || {
        std::process::Command::new("flock")
            .args(["-n", "-s"])
            .arg(&lock)
            .arg("true")
            .status()
            .is_ok_and(|s| !s.success())
    });
    let run = Run::of(&mut verify()).expect_code(75);
    assert!(run.stderr.contains("lock"), "{}", run.stderr);
    holder.kill().unwrap();
    holder.wait().unwrap();

    // A verifier killed midway: an error of the run, not a verdict on the backup.
    let bin = tempfile::tempdir().unwrap();
    let killed = bin.path().join("pg_verifybackup");
    std::fs::write(
        &killed,
        format!(
            "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'pg_verifybackup (PostgreSQL {}.0)'; exit 0; fi\nkill -KILL $$\n",
            major_of(&url)
        ),
    )
    .unwrap();
    std::fs::set_permissions(&killed, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let run = Run::of(verify().arg("--pg-bindir").arg(bin.path())).expect_code(1);
    assert!(run.stderr.contains("not judged"), "{}", run.stderr);
    assert_eq!(recorded()["ok"], true, "{}", recorded());
    assert_eq!(listing(tmp.path()), Vec::<String>::new(), "scratch left");
}
