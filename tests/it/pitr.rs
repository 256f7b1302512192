//! Point-in-time recovery with wfctl's own commands, end to end on a cluster of the test's own:
//! WAL archived by `archive_command = 'wfctl wal push %p'` into a file repository, base
//! backups by `db basebackup`, then `db restore-pitr --start` as the server's OS user replays
//! the archive through `wal fetch` to a time between two batches of cases: exactly the cases
//! committed before it come back. Then retention: a base backup with `--keep-min 1` deletes
//! exactly the older base backups and the WAL only they needed.

use std::path::Path;

use crate::support::backup::*;
use crate::support::cluster::as_owner;
use crate::support::own_cluster::{
    OwnCluster, give_to_server_user, migrated_workflow_db, server_dir,
};
use crate::support::{Run, wfctl_path};

/// Archived WAL file names in the repository.
fn archived(repo: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo.join("wal"))
        .map(|d| {
            d.filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn basebackup(url: &str, cfg: &Path, dir: &Path, keep_min: &str) -> Run {
    Run::of(wfctl_db(url).arg("--config").arg(cfg).args([
        "basebackup",
        "--dir",
        dir.to_str().unwrap(),
        "--fast-checkpoint",
        "--keep-min",
        keep_min,
    ]))
    .expect_code(0)
}

fn base_backups(dir: &Path) -> Vec<String> {
    listing(dir)
        .into_iter()
        .filter(|n| n.starts_with("base_") && !n.ends_with(".json") && !n.ends_with(".partial"))
        .collect()
}

#[test]
fn restore_pitr_replays_the_archive_pushed_by_wal_push_to_exactly_the_target() {
    let work = RemoveOnDrop(server_dir("pitr-cmd-work"));
    let repo = work.0.join("repo");
    let cfg = work.0.join("wfctl.toml");
    std::fs::write(
        &cfg,
        format!("[repository]\nurl = \"file://{}\"\n", repo.display()),
    )
    .unwrap();
    let Some(mut cluster) = OwnCluster::start(
        "pitr-cmd",
        &[
            "wal_level = replica".into(),
            "archive_mode = on".into(),
            format!(
                "archive_command = '{} --config {} wal push %p'",
                wfctl_path().display(),
                cfg.display()
            ),
        ],
    ) else {
        return;
    };
    let url = migrated_workflow_db(&cluster);
    let backups = work.0.join("base");

    // A base backup, cases A, a second base backup, cases B; the target; cases C.
    basebackup(&url, &cfg, &backups, "2");
    insert_cases(&url, "A");
    basebackup(&url, &cfg, &backups, "2");
    let target = cases_b_target_c(&url);
    let pushed = archived(&repo);
    assert!(
        pushed.iter().any(|n| n.ends_with(".gz")) && pushed.iter().all(|n| n.ends_with(".gz")),
        "{pushed:?}"
    );
    cluster.stop();

    // Restore as the server's OS user; PGPORT gives the restored server a port of its own.
    give_to_server_user(&work.0);
    let restored = server_dir("pitr-cmd-restored");
    let data = restored.join("data");
    let port = OwnCluster::free_port();
    let mut restore = as_owner(&wfctl_path());
    restore
        .env_remove("DATABASE_URL")
        .env("PGPORT", port.to_string())
        .env("NO_COLOR", "1")
        .current_dir(&restored)
        .arg("--config")
        .arg(&cfg)
        .args(["db", "restore-pitr", "--target-time", &target, "--start"])
        .arg("--data-dir")
        .arg(&data)
        .arg("--dir")
        .arg(&backups)
        .arg("--pg-bindir")
        .arg(&cluster.bin);
    let run = Run::of(&mut restore);
    let recovered = OwnCluster::adopt(restored.clone(), data.clone(), cluster.bin.clone(), port);
    let run = run.expect_code(0);
    assert!(
        run.stdout
            .contains("the last replayed transaction committed at"),
        "{}",
        run.stdout
    );
    let auto = std::fs::read_to_string(data.join("postgresql.auto.conf")).unwrap();
    assert!(auto.contains("wal fetch %f %p"), "{auto}");
    let url = recovered.admin_url("workflow_db");
    assert_eq!(
        case_ids(&url),
        "A,B:50",
        "recovered to {target}; server log:\n{}",
        std::fs::read_to_string(data.join("wfctl-restore-pitr.log")).unwrap_or_default()
    );
    let log = std::fs::read_to_string(data.join("wfctl-restore-pitr.log")).unwrap();
    assert!(
        log.contains("restored log file") && log.contains("recovery stopping before commit"),
        "{log}"
    );
    drop(recovered);

    // Retention: a third base backup keeping only itself deletes the two older ones and the
    // WAL that only they needed, and nothing else.
    cluster.start_server();
    let url = cluster.admin_url("workflow_db");
    switch_and_wait_for_archive(&url);
    let before_backups = base_backups(&backups);
    assert_eq!(before_backups.len(), 2, "{before_backups:?}");
    let before_wal = archived(&repo);
    let run = basebackup(&url, &cfg, &backups, "1");
    let after_backups = base_backups(&backups);
    assert_eq!(after_backups.len(), 1);
    assert!(!before_backups.contains(&after_backups[0]));
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(backups.join(format!("{}.manifest.json", after_backups[0])))
            .unwrap(),
    )
    .unwrap();
    let start = manifest["wal"]["start_segment"]
        .as_str()
        .unwrap()
        .to_owned();
    let after_wal = archived(&repo);
    let deleted: Vec<&String> = before_wal
        .iter()
        .filter(|n| !after_wal.contains(n))
        .collect();
    assert!(!deleted.is_empty(), "{before_wal:?}");
    for name in &before_wal {
        let needed = name.ends_with(".history.gz") || name[8..24] >= start[8..24];
        assert_eq!(
            after_wal.contains(name),
            needed,
            "{name} (the kept base backup starts at {start})"
        );
        assert_eq!(
            run.stderr.contains(&format!("wal/{name}\"")),
            !needed,
            "{name}: {}",
            run.stderr
        );
    }
    // the kept backup's own WAL is all there: it still restores
    assert!(
        after_wal.iter().any(|n| n.starts_with(&start)),
        "{after_wal:?}"
    );
    // the repository records the kept base backup, and only it, for retention run from any
    // other backup directory: its record names the first segment it needs
    let records: Vec<String> = std::fs::read_dir(repo.join("bases"))
        .unwrap()
        .flat_map(|system| std::fs::read_dir(system.unwrap().path()).unwrap())
        .map(|r| std::fs::read_to_string(r.unwrap().path()).unwrap())
        .collect();
    assert_eq!(records.len(), 1, "{records:?}");
    assert!(records[0].starts_with(&start), "{records:?}");
}
