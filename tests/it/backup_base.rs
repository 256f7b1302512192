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
