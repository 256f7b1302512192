//! Nothing lost, nothing written outside the store: case ids that could collide or forge
//! output are refused on every store, the file store never writes through a link, one
//! unreadable case does not hide the others, and tables show stored text escaped.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use crate::support::case_env::{Backend, Env, INBOX_JOURNEY};

/// `start` proceeds to the unit `a_00002_b`, which pends in `inbox`.
const TRICKY_UNITS: &str = r#"{"journey": {"name": "tricky", "flow": [
  {"name": "start", "component": "worker", "next": "a_00002_b"},
  {"name": "a_00002_b", "component": "manual", "user_data": "inbox", "next": "end"}]}}"#;

fn setup(env: &Env) -> String {
    env.config(
        "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nbuiltin = \"proceed\"\n",
    );
    env.write("tricky.json", TRICKY_UNITS);
    env.write("inbox.json", INBOX_JOURNEY).display().to_string()
}

fn store_dir(env: &Env) -> PathBuf {
    match &env.backend {
        Backend::Files(dir) => dir.clone(),
        Backend::Postgres(_) => panic!("a file store test"),
    }
}

#[track_caller]
fn one_line(stderr: &str) {
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
}

fn start(env: &Env, journey: &str, case: &str) {
    env.run(&["case", "start", "--journey", journey, "--case-id", case])
        .expect_code(0);
}

#[test]
fn case_ids_whose_audit_names_could_collide_are_refused_on_every_store() {
    for env in Env::all() {
        setup(&env);
        let who = env.name();
        let tricky = env.path("tricky.json").display().to_string();
        start(&env, &tricky, "c");
        let before = env.audit("c");
        assert_eq!(before.len(), 2, "{who}");
        // `c_00002_a` at seq 2 with a unit `b` would be audit_log-c_00002_a_00002_b.json, the
        // name of c's second record
        let run = env
            .run(&[
                "case",
                "start",
                "--journey",
                &tricky,
                "--case-id",
                "c_00002_a",
            ])
            .expect_code(2);
        assert!(
            run.stderr.contains("c_00002_a") && run.stderr.contains("audit sequence"),
            "{who}: {}",
            run.stderr
        );
        one_line(&run.stderr);
        assert_eq!(env.audit("c").len(), before.len(), "{who}");
        assert!(env.store().journey("c_00002_a").unwrap().is_none(), "{who}");
    }
}

#[test]
fn case_ids_with_control_characters_are_refused_on_every_store() {
    for env in Env::all() {
        let journey = setup(&env);
        let who = env.name();
        // a store with one good case, so the listing below reads a store that exists
        env.run(&["case", "start", "--journey", &journey, "--case-id", "fine"])
            .expect_code(0);
        for id in ["evil\n| forged | row |", "red\x1b[31mcase", "rtl\u{202e}di"] {
            let run = env
                .run(&["case", "start", "--journey", &journey, "--case-id", id])
                .expect_code(2);
            one_line(&run.stderr);
            assert!(!run.stderr.contains('\x1b'), "{who}: {:?}", run.stderr);
            assert!(
                run.stderr.contains("control character"),
                "{who}: {}",
                run.stderr
            );
        }
        let list = env.run(&["case", "list"]).expect_code(0);
        assert!(!list.stdout.contains("forged"), "{who}: {}", list.stdout);
        // the library refuses them too, whatever the caller
        let record = wfctl::model::JourneyRecord::parse(INBOX_JOURNEY).unwrap();
        let err = env
            .store()
            .create_case("lib\x1bcase", &record, None)
            .unwrap_err();
        assert!(
            err.to_string().contains("control character"),
            "{who}: {err}"
        );
    }
}

#[test]
fn tables_escape_control_characters_in_stored_text() {
    for env in Env::all() {
        let journey = setup(&env);
        let who = env.name();
        start(&env, &journey, "v1");
        env.run(&[
            "case",
            "set-var",
            "v1",
            "--var",
            "note=string:x\n| forged | row |\x1b[2J",
        ])
        .expect_code(0);
        let show = env.run(&["case", "show", "v1"]).expect_code(0);
        assert!(!show.stdout.contains('\x1b'), "{who}: {:?}", show.stdout);
        assert!(
            !show.stdout.lines().any(|l| l.starts_with("| forged")),
            "{who}: {}",
            show.stdout
        );
        assert!(
            // in a pipe (Markdown) a `|` of stored text is `\|`: it cannot add a column
            show.stdout.contains(r"x\n\| forged \| row \|\u{1b}[2J"),
            "{who}: {}",
            show.stdout
        );
        // JSON keeps the value as stored
        let json = env.json(&["case", "show", "v1"], 0);
        assert!(json.to_string().contains(r"\u001b[2J"), "{who}: {json}");
    }
}

/// A file outside the store that a link in the store points to.
struct Outside {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

const OUTSIDE_TEXT: &str = "not the store's\n";

fn outside() -> Outside {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("victim.txt");
    fs::write(&path, OUTSIDE_TEXT).unwrap();
    Outside { _dir: dir, path }
}

#[track_caller]
fn untouched(outside: &Outside) {
    assert_eq!(fs::read_to_string(&outside.path).unwrap(), OUTSIDE_TEXT);
}

fn replace_with_link(link: &Path, target: &Path) {
    let _ = fs::remove_file(link);
    symlink(target, link).unwrap();
}

#[track_caller]
fn refused_naming(run: &crate::support::Run, name: &str) {
    assert_ne!(
        run.code, 0,
        "a write through a link must fail: {}",
        run.stdout
    );
    assert_ne!(run.code, 101, "{}", run.stderr);
    one_line(&run.stderr);
    assert!(run.stderr.contains(name), "names {name}: {}", run.stderr);
}

#[test]
fn no_write_follows_a_link_in_the_file_store() {
    let env = Env::files();
    let journey = setup(&env);
    let dir = store_dir(&env);
    // process info, spare, lock: a pended case that set-var rewrites
    for (case, name) in [
        ("p1", "workflow_process_info-p1.json".to_owned()),
        ("p2", ".spare-workflow_process_info-p2.json".to_owned()),
        ("p3", ".locks/p3.lock".to_owned()),
    ] {
        start(&env, &journey, case);
        let victim = outside();
        replace_with_link(&dir.join(&name), &victim.path);
        for _ in 0..2 {
            let run = env.run(&["case", "set-var", case, "--var", "a=long:1"]);
            refused_naming(&run, &name);
        }
        untouched(&victim);
    }
    // journey: a link waiting under the name a new case's journey gets
    let victim = outside();
    replace_with_link(&dir.join("journey-j1.json"), &victim.path);
    let run = env.run(&["case", "start", "--journey", &journey, "--case-id", "j1"]);
    assert_ne!(run.code, 0, "{}", run.stdout);
    assert_ne!(run.code, 101, "{}", run.stderr);
    untouched(&victim);
    // audit: a link waiting under the name of the next record of a pended case
    start(&env, &journey, "a1");
    let victim = outside();
    let next = "audit_log-a1_00002_work.json";
    replace_with_link(&dir.join(next), &victim.path);
    let run = env.run(&["case", "resume", "a1"]);
    refused_naming(&run, next);
    untouched(&victim);
    // reading through a link is refused as well (case show would print the outside file)
    start(&env, &journey, "r1");
    let victim = outside();
    replace_with_link(&dir.join("workflow_process_info-r1.json"), &victim.path);
    let run = env.run(&["case", "show", "r1"]);
    refused_naming(&run, "workflow_process_info-r1.json");
}

#[test]
fn a_hard_linked_store_file_is_never_written_in_place() {
    let env = Env::files();
    let journey = setup(&env);
    let dir = store_dir(&env);
    start(&env, &journey, "h1");
    let victim = outside();
    let name = "workflow_process_info-h1.json";
    fs::remove_file(dir.join(name)).unwrap();
    fs::hard_link(&victim.path, dir.join(name)).unwrap();
    for _ in 0..3 {
        let run = env.run(&["case", "set-var", "h1", "--var", "a=long:1"]);
        refused_naming(&run, name);
    }
    untouched(&victim);
}

#[test]
fn one_corrupt_case_does_not_hide_the_others() {
    let env = Env::files();
    let journey = setup(&env);
    let dir = store_dir(&env);
    for case in ["k1", "k2", "k3"] {
        start(&env, &journey, case);
    }
    let bad = "workflow_process_info-k2.json";
    fs::write(dir.join(bad), "{ not json").unwrap();

    let list = env.run(&["case", "list"]).expect_code(3);
    assert!(
        list.stdout.contains("k1") && list.stdout.contains("k3"),
        "{}",
        list.stdout
    );
    assert!(!list.stdout.contains("k2"), "{}", list.stdout);
    assert!(
        list.stderr.contains(bad),
        "warning names the file: {}",
        list.stderr
    );
    // a reader that closed stdout (`| head -1`) does not turn the partial result into success
    for json in [false, true] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let mut cmd = env.wf();
        if json {
            cmd.arg("--json");
        }
        let out = cmd
            .args(["case", "list"])
            .stdout(writer)
            .output()
            .expect("wfctl runs");
        assert_eq!(
            out.status.code(),
            Some(3),
            "json {json}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    let json = env.json(&["case", "list"], 3);
    assert_eq!(json["cases"].as_array().unwrap().len(), 2, "{json}");
    assert_eq!(json["unreadable"][0]["case_id"], "k2", "{json}");

    let bulk = env
        .run(&["case", "resume", "--all", "--workbasket", "inbox"])
        .expect_code(3);
    assert!(bulk.stderr.contains("k2"), "{}", bulk.stderr);
    let store = env.store();
    for case in ["k1", "k3"] {
        let info = store.process_info(case).unwrap().unwrap();
        assert!(info.is_complete, "{case} was resumed: {}", bulk.stdout);
    }
}

#[test]
fn migrate_files_reads_a_link_out_of_its_directory_only_when_asked() {
    let env = Env::files();
    let journey = setup(&env);
    let dir = store_dir(&env);
    for case in ["m1", "m2", "m3"] {
        start(&env, &journey, case);
    }
    // m1's process info is a link to a copy outside the directory
    let elsewhere = tempfile::tempdir().unwrap();
    let out_name = "workflow_process_info-m1.json";
    let moved = elsewhere.path().join(out_name);
    fs::rename(dir.join(out_name), &moved).unwrap();
    symlink(&moved, dir.join(out_name)).unwrap();
    // m3's is a link to a (hidden, so not itself listed) file inside the directory
    let in_name = "workflow_process_info-m3.json";
    fs::rename(dir.join(in_name), dir.join(".kept-m3.json")).unwrap();
    symlink(".kept-m3.json", dir.join(in_name)).unwrap();

    let migrate = |extra: &[&str]| {
        crate::support::Run::of(
            crate::support::wfctl()
                .arg("migrate-files")
                .arg(&dir)
                .args(["--dry-run", "--json"])
                .args(extra),
        )
    };
    let run = migrate(&[]).expect_code(3);
    let summary: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(summary["imported"], 2, "{summary}");
    assert_eq!(summary["rejects_by_class"]["outside_link"], 1, "{summary}");
    let line = run
        .stderr
        .lines()
        .find(|l| l.contains("[outside_link]"))
        .unwrap_or_else(|| panic!("a reject line: {}", run.stderr));
    assert!(line.contains(out_name), "{line}");

    let run = migrate(&["--follow-symlinks"]).expect_code(0);
    let summary: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(summary["imported"], 3, "{summary}");
}

#[test]
fn diag_locks_shows_session_text_escaped() {
    use diesel::connection::SimpleConnection;
    let db = crate::pg_or_skip!(crate::support::TestDb::new());
    // anyone who can connect chooses the text of their query; no session waits here, so
    // other lock tests on the server see nothing of this one
    let mut holder = db.conn();
    let pid = crate::support::diag::pid(&mut holder);
    holder
        .batch_execute("BEGIN; SELECT 1 /* \u{1b}[2J */")
        .unwrap();
    let run = crate::support::Run::of(crate::support::wfctl().args([
        "--database-url",
        &db.url,
        "diag",
        "locks",
        "--terminate",
        &pid.to_string(),
    ]))
    .expect_code(2);
    holder.batch_execute("ROLLBACK").unwrap();
    assert!(run.stderr.contains(r"\u{1b}[2J"), "{}", run.stderr);
    assert!(!run.stderr.contains("\u{1b}[2J"), "{}", run.stderr);
}

/// The error line names `name` once: a refusal's reason is not repeated by its source.
#[track_caller]
fn reason_once(stderr: &str, name: &str) {
    assert_eq!(stderr.matches(name).count(), 1, "{stderr}");
    let line = stderr.trim_end();
    if let Some((head, tail)) = line.rsplit_once(": ") {
        assert!(!head.ends_with(tail), "the reason is repeated: {stderr}");
    }
}

#[test]
fn a_linked_or_garbled_counters_file_is_refused_before_anything_is_written() {
    let env = Env::files();
    let journey = setup(&env);
    let dir = store_dir(&env);
    let counters = dir.join("counters.json");
    for (case, how) in [("g1", "garbage"), ("l1", "link")] {
        start(&env, &journey, case);
        let before = env.audit(case).len();
        let victim = outside();
        match how {
            "garbage" => fs::write(&counters, "{oops").unwrap(),
            _ => replace_with_link(&counters, &victim.path),
        }
        let run = env.run(&["case", "resume", case]);
        assert_eq!(run.code, 1, "{how}: {}{}", run.stdout, run.stderr);
        one_line(&run.stderr);
        reason_once(&run.stderr, "counters.json");
        assert_eq!(env.audit(case).len(), before, "{how}: nothing written");
        untouched(&victim);
        match how {
            "garbage" => assert_eq!(fs::read_to_string(&counters).unwrap(), "{oops"),
            _ => assert!(fs::symlink_metadata(&counters).unwrap().is_symlink()),
        }
        fs::remove_file(&counters).unwrap();
    }
}

#[test]
fn no_audit_sequence_goes_below_the_counters_file() {
    let env = Env::files();
    let journey = setup(&env);
    let dir = store_dir(&env);
    start(&env, &journey, "k1");
    // migrate-files imports this entry as the case's counter: a record numbered below it
    // would take the number of one already imported
    let counters = dir.join("counters.json");
    fs::write(&counters, r#"{"workflow_audit_log_counter-k1": 50}"#).unwrap();
    env.run(&["case", "resume", "k1"]).expect_code(0);
    let seqs: Vec<u64> = env.audit("k1").iter().map(|r| r.seq).collect();
    assert!(seqs.last().is_some_and(|&s| s > 50), "{seqs:?}");
    let text = fs::read_to_string(&counters).unwrap();
    let map: std::collections::BTreeMap<String, u64> = serde_json::from_str(&text).unwrap();
    assert!(map["workflow_audit_log_counter-k1"] > 50, "{text}");
}

#[test]
fn a_journal_naming_anything_but_its_case_records_is_refused_and_never_applied() {
    let env = Env::files();
    let journey = setup(&env);
    let dir = store_dir(&env);
    start(&env, &journey, "j1");
    start(&env, &journey, "j2");
    let other_info = dir.join("workflow_process_info-j2.json");
    let other_before = fs::read_to_string(&other_info).unwrap();
    let beside = dir.parent().unwrap().join("beside.txt");
    let victim = outside();
    let created = dir.parent().unwrap().join("created.txt");
    fs::create_dir_all(dir.join(".journal")).unwrap();
    for (i, files) in [
        serde_json::json!([["../beside.txt", null], ["../created.txt", "hi"]]),
        serde_json::json!([[victim.path.to_str().unwrap(), null]]),
        serde_json::json!([["workflow_process_info-j2.json", null]]),
        serde_json::json!([
            ["workflow_process_info-j1.json", "{}"],
            ["sub/x.json", "{}"]
        ]),
    ]
    .into_iter()
    .enumerate()
    {
        fs::write(&beside, "beside").unwrap();
        fs::write(
            dir.join(".journal/j1.json"),
            serde_json::json!({ "files": files }).to_string(),
        )
        .unwrap();
        for args in [
            &["case", "set-var", "j1", "--var", "a=string:b"][..],
            &["case", "resume", "j1"],
            &["case", "show", "j1"],
        ] {
            let run = env.run(args);
            assert_eq!(run.code, 1, "{i} {args:?}: {}{}", run.stdout, run.stderr);
            one_line(&run.stderr);
            assert!(
                run.stderr.contains(".journal/j1.json"),
                "{i}: {}",
                run.stderr
            );
        }
        assert!(beside.exists(), "{i}");
        assert!(!created.exists(), "{i}");
        untouched(&victim);
        assert_eq!(
            fs::read_to_string(&other_info).unwrap(),
            other_before,
            "{i}"
        );
        assert!(!dir.join("sub").exists(), "{i}");
    }
}

/// The `.tmp-PID-N` files a writer killed mid-write leaves are removed by the next run when
/// their PID is gone, and never listed; a live writer's, and any other name, stay.
#[test]
fn stale_temporaries_of_a_dead_writer_are_removed_by_the_next_run() {
    let env = Env::files();
    env.config(
        "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nbuiltin = \"proceed\"\n",
    );
    let journey = env.write("inbox.json", INBOX_JOURNEY);
    env.run(&[
        "case",
        "start",
        "--journey",
        journey.to_str().unwrap(),
        "--case-id",
        "c1",
    ])
    .expect_code(0);
    let store = env.path("workflow-data");
    // a PID that ran and is gone
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    gone.wait().unwrap();
    let dead = gone.id();
    let alive = std::process::id();
    let journal = store.join(".journal");
    fs::create_dir_all(&journal).unwrap();
    let stale = [
        store.join(format!(".tmp-{dead}-0")),
        journal.join(format!(".tmp-{dead}-7")),
    ];
    let kept = [
        store.join(format!(".tmp-{alive}-1")),
        store.join(".tmp-abc-1"),
        store.join(format!(".tmp-{dead}-x")),
        store.join(format!(".tmp-{dead}")),
    ];
    for path in stale.iter().chain(&kept) {
        fs::write(path, "{\"half\": ").unwrap();
    }
    let run = env.run(&["case", "list"]).expect_code(0);
    assert!(!run.stdout.contains("tmp"), "{}", run.stdout);
    for path in &stale {
        assert!(!path.exists(), "{} is left", path.display());
    }
    for path in &kept {
        assert!(path.exists(), "{} was removed", path.display());
    }
}

/// Runs `cmd` with a deadline: a reader blocked on a FIFO fails the test instead of hanging it.
fn run_within(cmd: &mut std::process::Command, what: &str) -> crate::support::Run {
    let out = tempfile::tempdir().unwrap();
    let (o, e) = (out.path().join("out"), out.path().join("err"));
    let mut child = cmd
        .stdin(std::process::Stdio::null())
        .stdout(fs::File::create(&o).unwrap())
        .stderr(fs::File::create(&e).unwrap())
        .spawn()
        .unwrap();
    let mut status = None;
    let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::support::poll_until(what, std::time::Duration::from_secs(20), || {
            status = child.try_wait().unwrap();
            status.is_some()
        })
    }));
    if done.is_err() {
        let _ = child.kill();
        let _ = child.wait();
        panic!("{what} hung (blocked on a file that is not a regular file)");
    }
    crate::support::Run {
        code: status.unwrap().code().unwrap_or(-1),
        stdout: fs::read_to_string(o).unwrap(),
        stderr: fs::read_to_string(e).unwrap(),
    }
}

fn make_fifo(path: &Path) {
    let _ = fs::remove_file(path);
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn a_fifo_or_directory_named_like_a_store_file_is_refused_not_waited_on() {
    let env = Env::files();
    let journey = setup(&env);
    let dir = store_dir(&env);
    let sla = r#"{"milestones": [{"name": "due_at_once", "setup_on": "case_start",
        "type": "case_level", "applied_at_age": "0m", "clock_starts": "immediately",
        "action": "CORR"}]}"#;
    for case in ["ok", "pi", "jn", "au", "sl", "sp"] {
        env.write("sla.json", sla);
        env.run(&[
            "case",
            "start",
            "--journey",
            &journey,
            "--case-id",
            case,
            "--sla",
            "sla.json",
        ])
        .expect_code(0);
    }
    let history = env.audit("au");
    let audit_name = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n.starts_with("audit_log-au_"))
        .unwrap();
    assert!(!history.is_empty());
    make_fifo(&dir.join("journey_sla-sl.json"));
    make_fifo(&dir.join("milestones-sl.json"));
    // the SLA commands leave out the case they cannot read, naming its file, and exit 3
    for args in [vec!["sla", "due"], vec!["sla", "run", "--dry-run"]] {
        let run = run_within(env.wf().args(&args), &args.join(" "));
        assert_eq!(run.code, 3, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("milestones-sl.json") && run.stderr.contains("FIFO"),
            "{args:?}: {}",
            run.stderr
        );
    }
    make_fifo(&dir.join("workflow_process_info-pi.json"));
    fs::remove_file(dir.join("journey-jn.json")).unwrap();
    fs::create_dir(dir.join("journey-jn.json")).unwrap();
    make_fifo(&dir.join(&audit_name));
    make_fifo(&dir.join(".spare-workflow_process_info-sp.json"));

    let list = run_within(env.wf().args(["case", "list"]), "case list");
    assert_eq!(list.code, 3, "{}\n{}", list.stdout, list.stderr);
    assert!(list.stdout.contains("ok"), "{}", list.stdout);
    assert!(
        list.stderr.contains("workflow_process_info-pi.json") && list.stderr.contains("FIFO"),
        "{}",
        list.stderr
    );
    for (args, name) in [
        (vec!["case", "show", "pi"], "workflow_process_info-pi.json"),
        (vec!["case", "history", "au"], audit_name.as_str()),
        (
            vec!["case", "set-var", "pi", "--var", "a=long:1"],
            "workflow_process_info-pi.json",
        ),
        (
            vec!["case", "set-var", "sp", "--var", "a=long:1"],
            ".spare-workflow_process_info-sp.json",
        ),
    ] {
        let run = run_within(env.wf().args(&args), &args.join(" "));
        assert!(run.code != 0 && run.code != 101, "{args:?}: {}", run.stderr);
        one_line(&run.stderr);
        assert!(
            run.stderr.contains(name) && run.stderr.contains("not a regular file"),
            "{args:?} names {name}: {}",
            run.stderr
        );
    }
    // the case lock was not kept by a blocked reader: the good case still changes
    env.run(&["case", "set-var", "ok", "--var", "a=long:1"])
        .expect_code(0);

    let migrate = run_within(
        crate::support::wfctl()
            .arg("migrate-files")
            .arg(&dir)
            .args(["--dry-run", "--json"]),
        "migrate-files",
    );
    assert_eq!(migrate.code, 3, "{}", migrate.stderr);
    assert!(
        migrate.stderr.contains("workflow_process_info-pi.json") && migrate.stderr.contains("FIFO"),
        "{}",
        migrate.stderr
    );
}

#[test]
fn a_store_file_larger_than_the_limit_is_refused_without_reading_it() {
    let env = Env::files();
    let journey = setup(&env);
    let dir = store_dir(&env);
    for case in ["small", "huge"] {
        start(&env, &journey, case);
    }
    // a sparse file: 3 GiB on paper, nothing on disk
    let name = "workflow_process_info-huge.json";
    let file = fs::OpenOptions::new()
        .write(true)
        .open(dir.join(name))
        .unwrap();
    file.set_len(3 << 30).unwrap();
    drop(file);
    let list = env.run(&["case", "list"]).expect_code(3);
    assert!(list.stdout.contains("small"), "{}", list.stdout);
    let line = list
        .stderr
        .lines()
        .find(|l| l.contains(name))
        .unwrap_or_else(|| panic!("names {name}: {}", list.stderr));
    assert!(
        line.contains("3.00 GiB") && line.contains("64.00 MiB"),
        "{line}"
    );
    let show = env.run(&["case", "show", "huge"]);
    assert!(show.code != 0 && show.code != 101, "{}", show.stderr);
    one_line(&show.stderr);
    assert!(show.stderr.contains("3.00 GiB"), "{}", show.stderr);
}

#[test]
fn case_ids_and_names_with_invisible_characters_are_refused_on_every_store() {
    let invisible = [
        "\u{2028}",
        "\u{2029}",
        "\u{FE0F}",
        "\u{E0101}",
        "\u{200B}",
        "\u{2066}",
        "\u{0600}",
        "\u{180B}",
        "\u{3164}",
        "\u{FEFF}",
    ];
    for env in Env::all() {
        let journey = setup(&env);
        let who = env.name();
        for c in invisible {
            let id = format!("a{c}b");
            let run = env
                .run(&["case", "start", "--journey", &journey, "--case-id", &id])
                .expect_code(2);
            one_line(&run.stderr);
            assert!(
                !run.stderr.contains(c),
                "{who}: {c:?} echoed: {:?}",
                run.stderr
            );
            assert!(
                run.stderr.contains("invisible control character"),
                "{who}: {c:?}: {}",
                run.stderr
            );
            // (the file store refuses even to look the id up)
            assert!(env.store().journey(&id).ok().flatten().is_none(), "{who}");
            // a journey or unit name that does not print as itself is refused before a start
            let named = serde_json::json!({"journey": {"name": format!("j{c}"), "flow": [
                {"name": "start", "component": "manual", "user_data": "inbox", "next": "end"}]}});
            let path = env.write("invisible.json", &named.to_string());
            let run = env.run(&[
                "case",
                "start",
                "--journey",
                path.to_str().unwrap(),
                "--case-id",
                "v1",
            ]);
            assert!(
                run.code == 1 || run.code == 2,
                "{who}: {c:?}: {}",
                run.stderr
            );
            assert!(
                run.stderr.contains("$.journey.name") && run.stderr.contains("invisible"),
                "{who}: {c:?}: {}",
                run.stderr
            );
            assert!(env.store().journey("v1").unwrap().is_none(), "{who}");
        }
        // a work basket set by hand follows the same rule
        start(&env, &journey, "w1");
        let run = env.run(&["case", "change-workbasket", "w1", "in\u{2028}box"]);
        assert!(run.code != 0 && run.code != 101, "{who}: {}", run.stdout);
        assert!(run.stderr.contains("invisible"), "{who}: {}", run.stderr);
    }
}

/// `counters.json` is read through the store's reader with its own cap: a huge (sparse) one is
/// refused in one line naming it, without being read into memory.
#[test]
fn a_counters_file_past_its_cap_is_refused_unread() {
    let env = Env::files();
    let journey = setup(&env);
    start(&env, &journey, "t1");
    let counters = store_dir(&env).join("counters.json");
    fs::File::options()
        .write(true)
        .open(&counters)
        .unwrap()
        .set_len(300 * 1024 * 1024)
        .unwrap();
    let run = env.run(&["case", "set-var", "t1", "--var", "x=string:y"]);
    assert_ne!(run.code, 0, "{}", run.stdout);
    one_line(&run.stderr);
    assert!(
        run.stderr.contains("counters.json") && run.stderr.contains("larger than the 256.00 MiB"),
        "{}",
        run.stderr
    );
}
