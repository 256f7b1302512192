//! `case purge` on every store: killed (SIGKILL) at growing points and run again, every purged
//! case is in the archive exactly once and complete; the archive read as a file store, and
//! moved into an empty database by `migrate-files`, shows each case as it was; pended cases
//! stay; a case held by another process or changed between its archive and its deletion stays;
//! a dry run writes nothing.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use wfctl::store::LockWait;

use crate::support::case_env::{Env, INBOX_JOURNEY};
use crate::support::{poll_until, wfctl};

/// Completes at once: `start` runs `worker`, then end.
const QUICK: &str = r#"{"journey": {"name": "quick", "flow": [
  {"name": "start", "component": "worker", "next": "work"},
  {"name": "work", "component": "worker", "next": "end"}]}}"#;

const OK: &str = "#!/bin/sh\ncat >/dev/null\necho '{\"response\":\"ok_proceed\"}'\n";

/// `done` completed cases, `pended` pended ones and `cancelled` cancelled ones.
fn cases(env: &Env, done: usize, pended: usize, cancelled: usize) -> (Vec<String>, Vec<String>) {
    env.config(
        "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nexec = [\"./worker.sh\"]\n",
    );
    env.write("worker.sh", OK);
    let quick = env.write("quick.json", QUICK).display().to_string();
    let inbox = env.write("inbox.json", INBOX_JOURNEY).display().to_string();
    let mut finished = Vec::new();
    let mut live = Vec::new();
    for i in 0..done {
        let id = format!("done-{i:03}");
        let var = format!("n=long:{i}");
        env.run(&[
            "case",
            "start",
            "--journey",
            &quick,
            "--case-id",
            &id,
            "--var",
            &var,
        ])
        .expect_code(0);
        finished.push(id);
    }
    for i in 0..pended + cancelled {
        let id = format!("live-{i:03}");
        env.run(&["case", "start", "--journey", &inbox, "--case-id", &id])
            .expect_code(0);
        if i < cancelled {
            env.run(&["case", "cancel", &id, "--reason", "withdrawn"])
                .expect_code(0);
            finished.push(id);
        } else {
            live.push(id);
        }
    }
    (finished, live)
}

fn shows(env: &Env, ids: &[String]) -> BTreeMap<String, Value> {
    ids.iter()
        .map(|id| (id.clone(), env.json(&["case", "show", id], 0)))
        .collect()
}

/// The manifests of an archive: case id → complete.
fn manifests(archive: &Path) -> BTreeMap<String, bool> {
    let Ok(entries) = std::fs::read_dir(archive.join(".archive")) else {
        return BTreeMap::new();
    };
    entries
        .filter_map(|e| {
            let e = e.ok()?;
            let name = e.file_name().into_string().ok()?;
            let id = name.strip_suffix(".json")?.to_owned();
            let text = std::fs::read_to_string(e.path()).ok()?;
            let doc: Value = serde_json::from_str(&text).ok()?;
            Some((id, doc["complete"].as_bool()?))
        })
        .collect()
}

fn purge(env: &Env, extra: &[&str]) -> Value {
    let mut args = vec!["case", "purge", "--completed-before", "0"];
    args.extend(extra);
    env.json(&args, 0)
}

#[test]
fn a_purge_killed_midway_and_run_again_archives_every_case_once_and_restores_identically() {
    for env in Env::all() {
        let who = env.name();
        let (finished, live) = cases(&env, 14, 2, 2);
        let before = shows(&env, &finished);
        let archive = env.path("archive");
        let archive_arg = archive.display().to_string();

        // killed after 1, 2, 4, ... archived cases, until a run ends by itself
        let mut kills = 0;
        let mut wanted = 1;
        loop {
            let mut child = env
                .wf()
                .args(["case", "purge", "--completed-before", "0", "--batch", "1"])
                .args(["--archive", &archive_arg])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("purge starts");
            let start = manifests(&archive).len();
            let mut ended = None;
            poll_until(
                &format!("{who}: purge progresses"),
                Duration::from_secs(60),
                || {
                    ended = child.try_wait().expect("wait");
                    ended.is_some() || manifests(&archive).len() >= start + wanted
                },
            );
            if let Some(status) = ended {
                assert_eq!(status.code(), Some(0), "{who}");
                break;
            }
            child.kill().expect("SIGKILL");
            child.wait().expect("reaped");
            kills += 1;
            wanted *= 2;
        }
        assert!(kills > 0, "{who}: no run was killed while it worked");
        let last = purge(&env, &["--archive", &archive_arg]);
        assert_eq!(last["purged"], 0, "{who}: {last}");

        // every finished case is gone from the store, the live ones stay
        for id in &finished {
            env.run(&["case", "show", id]).expect_code(1);
        }
        for id in &live {
            env.run(&["case", "show", id]).expect_code(0);
        }
        // in the archive exactly once: one complete manifest, one journey, no temporaries
        let found = manifests(&archive);
        let mut want: Vec<String> = finished.clone();
        want.sort();
        assert_eq!(found.keys().cloned().collect::<Vec<_>>(), want, "{who}");
        assert!(found.values().all(|c| *c), "{who}: {found:?}");
        let names: Vec<String> = std::fs::read_dir(&archive)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        let journeys = names.iter().filter(|n| n.starts_with("journey-")).count();
        assert_eq!(journeys, finished.len(), "{who}: {names:?}");
        assert!(
            !names.iter().any(|n| n.starts_with(".tmp-")),
            "{who}: {names:?}"
        );

        // the archive is a file store: it shows each case as it was
        for id in &finished {
            let run = crate::support::Run::of(wfctl().current_dir(env.dir.path()).args([
                "--json",
                "--store",
                &archive_arg,
                "case",
                "show",
                id,
            ]))
            .expect_code(0);
            let shown: Value = serde_json::from_str(&run.stdout).unwrap();
            assert_eq!(shown, before[id], "{who}: {id} read from the archive");
        }

        // migrate-files brings them back into an empty database identically, cancel included
        if let Some(restored) = Env::postgres() {
            crate::support::Run::of(restored.wf().args(["migrate-files", &archive_arg]))
                .expect_code(0);
            for id in &finished {
                let shown = restored.json(&["case", "show", id], 0);
                assert_eq!(shown, before[id], "{who}: {id} restored by migrate-files");
            }
        }
    }
}

#[test]
fn pended_running_and_held_cases_are_never_purged() {
    for env in Env::all() {
        let who = env.name();
        let (finished, live) = cases(&env, 3, 2, 0);
        let store = env.store();
        let held = store
            .lock_case(&finished[0], LockWait::Try)
            .expect("the test holds a case");
        // a case left is a purge not done: exit 3
        let report = env.json(
            &["case", "purge", "--completed-before", "0", "--no-archive"],
            3,
        );
        assert_eq!(report["purged"], 2, "{who}: {report}");
        assert_eq!(report["busy"], 1, "{who}: {report}");
        drop(held);
        env.run(&["case", "show", &finished[0]]).expect_code(0);
        for id in &live {
            env.run(&["case", "show", id]).expect_code(0);
        }
        let report = purge(&env, &["--no-archive"]);
        assert_eq!(report["purged"], 1, "{who}: {report}");
        for id in &live {
            env.run(&["case", "show", id]).expect_code(0);
        }
    }
}

#[test]
fn a_dry_run_writes_nothing_and_a_recent_age_takes_nothing() {
    for env in Env::all() {
        let who = env.name();
        let (finished, _) = cases(&env, 3, 1, 1);
        let archive = env.path("archive");
        let archive_arg = archive.display().to_string();
        let dry = purge(&env, &["--archive", &archive_arg, "--dry-run"]);
        assert_eq!(dry["selected"], 4, "{who}: {dry}");
        assert_eq!(dry["purged"], 0, "{who}: {dry}");
        assert!(dry["case_bytes"].as_u64().unwrap() > 0, "{who}: {dry}");
        assert!(!archive.exists(), "{who}: a dry run created the archive");
        let young = env.json(
            &["case", "purge", "--completed-before", "1d", "--no-archive"],
            0,
        );
        assert_eq!(young["selected"], 0, "{who}: {young}");
        for id in &finished {
            env.run(&["case", "show", id]).expect_code(0);
        }
        // deleting without a copy is said explicitly
        let run = env
            .run(&["case", "purge", "--completed-before", "0"])
            .expect_code(2);
        assert!(run.stderr.contains("--archive"), "{}", run.stderr);
    }
}

#[test]
fn a_case_changed_between_its_archive_and_its_deletion_is_not_deleted() {
    use wfctl::purge::{Archive, PgTarget, Target, case_image};
    let Some(env) = Env::postgres() else { return };
    let (finished, _) = cases(&env, 2, 0, 0);
    let crate::support::case_env::Backend::Postgres(db) = &env.backend else {
        unreachable!()
    };
    let store = wfctl::store::PgStore::connect(
        &wfctl::db::DatabaseUrl::parse(&db.url).unwrap(),
        &wfctl::db::PoolOptions::default(),
    )
    .unwrap();
    let mut target = PgTarget::new(&store);
    let (held, busy) = target.hold(&finished).unwrap();
    assert!(busy.is_empty());
    let images: Vec<_> = finished
        .iter()
        .map(|id| case_image(&store, id).unwrap().unwrap())
        .collect();
    let archive = Archive::open(&env.path("archive")).unwrap();
    archive.write_batch(&images).unwrap();
    // another process changes the first case after it was archived
    env.run(&["case", "set-var", &finished[0], "--var", "late=long:1"])
        .expect_code(0);
    let deleted = target.delete(&held).unwrap();
    assert_eq!(deleted.changed, [finished[0].clone()]);
    assert_eq!(deleted.deleted, [finished[1].clone()]);
    let shown = env.json(&["case", "show", &finished[0]], 0);
    assert_eq!(shown["status"], "completed", "{shown}");
    env.run(&["case", "show", &finished[1]]).expect_code(1);
}

#[test]
fn a_cancelled_case_moved_by_migrate_files_stays_cancelled() {
    let files = Env::files();
    let Some(db) = Env::postgres() else { return };
    let (finished, live) = cases(&files, 0, 1, 1);
    let cancelled = &finished[0];
    let before = files.json(&["case", "show", cancelled], 0);
    assert_eq!(before["status"], "cancelled", "{before}");
    let crate::support::case_env::Backend::Files(store) = &files.backend else {
        unreachable!()
    };
    let store = store.display().to_string();
    crate::support::Run::of(db.wf().args(["migrate-files", &store, "--verify"])).expect_code(0);
    let after = db.json(&["case", "show", cancelled], 0);
    assert_eq!(after, before, "{cancelled} moved by migrate-files");
    let refused = db.run(&["case", "resume", cancelled]).expect_code(1);
    assert!(
        refused.stderr.contains("was cancelled"),
        "{}",
        refused.stderr
    );
    let pended = db.json(&["case", "show", &live[0]], 0);
    assert_eq!(pended["status"], "pended", "{pended}");
}

fn store_dir(env: &Env) -> std::path::PathBuf {
    let crate::support::case_env::Backend::Files(store) = &env.backend else {
        unreachable!()
    };
    store.clone()
}

#[test]
fn a_limit_or_batch_of_zero_is_refused_and_takes_nothing() {
    let env = Env::files();
    let (finished, _) = cases(&env, 2, 0, 0);
    for extra in [
        &["--limit", "0"][..],
        &["--limit", "0", "--dry-run"],
        &["--batch", "0"],
    ] {
        let mut args = vec!["case", "purge", "--completed-before", "0", "--no-archive"];
        args.extend(extra);
        let run = env.run(&args).expect_code(2);
        assert!(run.stderr.contains(extra[0]), "{}", run.stderr);
        assert!(
            run.stderr.contains("must be between 1 and"),
            "{}",
            run.stderr
        );
        assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    }
    for id in &finished {
        env.run(&["case", "show", id]).expect_code(0);
    }
    let one = purge(&env, &["--no-archive", "--limit", "1"]);
    assert_eq!(one["purged"], 1, "{one}");
}

#[test]
fn a_leftover_removal_record_never_deletes_a_case_changed_or_made_since() {
    let env = Env::files();
    let (_, live) = cases(&env, 0, 1, 0);
    let store = store_dir(&env);
    // a killed purge of an earlier case of this id left its removal record naming the files
    let id = &live[0];
    let names: Vec<String> = std::fs::read_dir(&store)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains(&format!("-{id}_")) || n.contains(&format!("-{id}.")))
        .collect();
    assert!(!names.is_empty());
    std::fs::create_dir_all(store.join(".purge")).unwrap();
    std::fs::write(
        store.join(".purge").join(format!("{id}.json")),
        serde_json::to_string(&names).unwrap(),
    )
    .unwrap();
    let report = env.json(
        &["case", "purge", "--completed-before", "30d", "--no-archive"],
        0,
    );
    assert_eq!(report["resumed"], 0, "{report}");
    let shown = env.json(&["case", "show", id], 0);
    assert_eq!(shown["status"], "pended", "{shown}");
    assert!(!store.join(".purge").join(format!("{id}.json")).exists());
}

#[test]
fn an_archive_that_is_in_or_around_the_store_is_refused() {
    let env = Env::files();
    let (finished, _) = cases(&env, 1, 0, 0);
    let store = store_dir(&env);
    let link = env.path("store-link");
    std::os::unix::fs::symlink(&store, &link).unwrap();
    let file = env.write("plain-file", "x");
    for dir in [
        store.clone(),
        store.join("."),
        store.join("sub"),
        store.parent().unwrap().to_path_buf(),
        link,
        file,
    ] {
        let dir = dir.display().to_string();
        let run = env
            .run(&[
                "case",
                "purge",
                "--completed-before",
                "0",
                "--archive",
                &dir,
            ])
            .expect_code(2);
        assert!(run.stderr.contains("--archive"), "{dir}: {}", run.stderr);
        assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
        env.run(&["case", "show", &finished[0]]).expect_code(0);
    }
}

#[test]
fn a_same_id_case_in_the_archive_not_from_an_archive_is_left_alone() {
    let env = Env::files();
    let (finished, _) = cases(&env, 2, 0, 0);
    let archive = env.path("archive");
    std::fs::create_dir_all(&archive).unwrap();
    let foreign = archive.join(format!("journey-{}.json", finished[0]));
    std::fs::write(&foreign, "foreign").unwrap();
    let archive_arg = archive.display().to_string();
    let report = env.json(
        &[
            "case",
            "purge",
            "--completed-before",
            "0",
            "--archive",
            &archive_arg,
        ],
        3,
    );
    assert_eq!(report["purged"], 1, "{report}");
    assert_eq!(report["failed"], 1, "{report}");
    assert!(
        report["failures"][0]
            .as_str()
            .unwrap()
            .contains(&finished[0]),
        "{report}"
    );
    assert_eq!(std::fs::read_to_string(&foreign).unwrap(), "foreign");
    env.run(&["case", "show", &finished[0]]).expect_code(0);
    env.run(&["case", "show", &finished[1]]).expect_code(1);
}

#[test]
fn names_in_a_manifest_outside_the_case_are_never_touched() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::files();
    let (finished, _) = cases(&env, 1, 0, 0);
    let victim = env.write("victim", "keep");
    let archive = env.path("archive");
    std::fs::create_dir_all(archive.join(".archive")).unwrap();
    let manifest = serde_json::json!({"case_id": finished[0], "complete": true,
        "files": [{"name": victim.display().to_string(), "bytes": 4, "sha256": "x"}]});
    std::fs::write(
        archive
            .join(".archive")
            .join(format!("{}.json", finished[0])),
        manifest.to_string(),
    )
    .unwrap();
    let archive_arg = archive.display().to_string();
    let report = env.json(
        &[
            "case",
            "purge",
            "--completed-before",
            "0",
            "--archive",
            &archive_arg,
        ],
        3,
    );
    assert_eq!(report["failed"], 1, "{report}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    env.run(&["case", "show", &finished[0]]).expect_code(0);
    let mode = std::fs::metadata(archive.join(".archive"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o700);
}

#[test]
fn an_unreadable_file_fails_its_case_and_the_rest_is_purged() {
    let env = Env::files();
    let (finished, _) = cases(&env, 3, 0, 0);
    let store = store_dir(&env);
    let audit = std::fs::read_dir(&store)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            n.starts_with(&format!("audit_log-{}_", finished[1]))
        })
        .unwrap();
    std::fs::remove_file(&audit).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(&audit)
        .status()
        .unwrap();
    assert!(status.success());
    let archive = env.path("archive");
    let archive_arg = archive.display().to_string();
    let report = env.json(
        &[
            "case",
            "purge",
            "--completed-before",
            "0",
            "--archive",
            &archive_arg,
        ],
        3,
    );
    assert_eq!(report["purged"], 2, "{report}");
    assert_eq!(report["failed"], 1, "{report}");
    assert!(
        report["failures"][0]
            .as_str()
            .unwrap()
            .contains(&finished[1]),
        "{report}"
    );
    assert!(audit.exists());

    // a FIFO in the archive where a complete manifest names a file is replaced, never read
    std::fs::remove_file(&audit).unwrap();
    let journey = format!("journey-{}.json", finished[0]);
    for e in std::fs::read_dir(&archive).unwrap() {
        let e = e.unwrap();
        let n = e.file_name().into_string().unwrap();
        if n.contains(&format!("-{}", finished[0])) && !n.starts_with('.') {
            std::fs::copy(e.path(), store.join(&n)).unwrap();
        }
    }
    std::fs::remove_file(archive.join(&journey)).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(archive.join(&journey))
        .status()
        .unwrap();
    assert!(status.success());
    let mut child = env
        .wf()
        .args([
            "case",
            "purge",
            "--completed-before",
            "0",
            "--archive",
            &archive_arg,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut ended = None;
    poll_until("purge ends beside a FIFO", Duration::from_secs(60), || {
        ended = child.try_wait().expect("wait");
        ended.is_some()
    });
    if ended.is_none() {
        let _ = child.kill();
    }
    assert!(
        std::fs::symlink_metadata(archive.join(&journey))
            .unwrap()
            .is_file()
    );
}

#[test]
fn a_case_finished_again_after_the_cutoff_during_the_run_is_left() {
    use wfctl::purge::{FileTarget, PurgeOptions};
    let env = Env::files();
    let (finished, _) = cases(&env, 2, 0, 0);
    let dir = store_dir(&env);
    let store = wfctl::store::FileStore::open(&dir).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let opts = PurgeOptions {
        finished_before_ms: now + 60_000,
        archive: None,
        dry_run: false,
        limit: None,
        batch: 1,
    };
    let info = dir.join(format!("workflow_process_info-{}.json", finished[1]));
    let mut target = FileTarget::new(&store);
    let mut batches = 0;
    let report = wfctl::purge::purge(&mut target, &opts, &mut |_, _| {
        batches += 1;
        if batches == 1 {
            // the second case finishes again after the cutoff, once the listing was made
            let mut doc: Value =
                serde_json::from_str(&std::fs::read_to_string(&info).unwrap()).unwrap();
            doc["process_info"]["ts"] = Value::from(now + 120_000);
            std::fs::write(&info, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
        }
    })
    .unwrap();
    assert_eq!(report.selected, 2, "{report:?}");
    assert_eq!(report.purged, 1, "{report:?}");
    assert_eq!(report.changed, 1, "{report:?}");
    env.run(&["case", "show", &finished[1]]).expect_code(0);
}
