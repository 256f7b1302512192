//! The README's "Point-in-time recovery with wfctl", end to end (about 6 s, in every run): WAL
//! archived to a directory, a base backup by `wfctl db basebackup`, more cases written, then
//! the backup restored with `recovery_target_time` set between two batches of cases: exactly
//! the cases committed before that time come back.

use std::process::Command;
use std::time::Duration;

use crate::support::backup::*;
use crate::support::own_cluster::{
    OwnCluster, give_to_server_user, migrated_workflow_db, server_dir,
};
use crate::support::{Run, poll_until};

fn sh(script: &str) {
    let out = Command::new("sh").arg("-c").arg(script).output().unwrap();
    assert!(
        out.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn point_in_time_recovery_finds_exactly_the_cases_written_before() {
    // 1. Archive WAL to a directory (the README's postgresql.conf lines).
    let archive = RemoveOnDrop(server_dir("pitr-archive"));
    let arch = archive.0.display();
    let Some(cluster) = OwnCluster::start(
        "pitr",
        &[
            "wal_level = replica".into(),
            "archive_mode = on".into(),
            format!("archive_command = 'test ! -f {arch}/%f && cp %p {arch}/%f'"),
        ],
    ) else {
        return;
    };
    let url = migrated_workflow_db(&cluster);
    insert_cases(&url, "A");

    // 2. A base backup with wfctl.
    let backups = tempfile::tempdir().unwrap();
    let run = Run::of(wfctl_db(&url).args([
        "basebackup",
        "--dir",
        backups.path().to_str().unwrap(),
        "--fast-checkpoint",
    ]))
    .expect_code(0);
    // "verified" when pg_verifybackup of the server's major parsed the WAL too; a verifier of
    // another major (the matrix's one client) checks the files and says the WAL was not parsed
    let wal_parsed = run.stderr.contains("verified by pg_verifybackup")
        && run.stderr.contains("the WAL match backup_manifest");
    let files_only = run.stderr.contains("files checked by pg_verifybackup")
        && run.stderr.contains("WAL not parsed")
        && !run.stderr.contains("verified");
    assert!(wal_parsed || files_only, "{}", run.stderr);
    let base = listing(backups.path())
        .into_iter()
        .find(|n| n.starts_with("base_") && !n.ends_with(".json"))
        .map(|n| backups.path().join(n))
        .unwrap();

    // 3. More cases; the recovery target lies between B and C.
    let target = cases_b_target_c(&url);
    cluster.stop();

    // 4. Restore to the target time, as the README says.
    let restored = server_dir("pitr-restored");
    let data = restored.join("data");
    std::fs::create_dir(&data).unwrap();
    sh(&format!(
        "tar -xzf '{b}/base.tar.gz' -C '{d}' && tar -xzf '{b}/pg_wal.tar.gz' -C '{d}/pg_wal'",
        b = base.display(),
        d = data.display()
    ));
    std::fs::write(
        data.join("postgresql.auto.conf"),
        format!(
            "{}restore_command = 'cp {arch}/%f %p'\nrecovery_target_time = '{target}'\n\
             recovery_target_action = 'promote'\n",
            std::fs::read_to_string(data.join("postgresql.auto.conf")).unwrap_or_default()
        ),
    )
    .unwrap();
    std::fs::write(data.join("recovery.signal"), "").unwrap();
    give_to_server_user(&restored);
    sh(&format!("chmod 700 '{}'", data.display()));
    let recovered = OwnCluster::from_data(
        restored.clone(),
        data,
        cluster.bin.clone(),
        &["archive_mode=off".into()],
    );
    let url = recovered.admin_url("workflow_db");
    poll_until(
        "recovery to reach the target and promote",
        Duration::from_secs(120),
        || {
            diesel::Connection::establish(&url).is_ok_and(|mut c: diesel::PgConnection| {
                text(&mut c, "SELECT pg_is_in_recovery()::text AS v") == "false"
            })
        },
    );
    assert_eq!(
        case_ids(&url),
        "A,B:50",
        "recovered to {target}; server log:\n{}",
        recovered.log()
    );
    assert!(
        recovered.log().contains("recovery stopping before commit"),
        "{}",
        recovered.log()
    );
}
