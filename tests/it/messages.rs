//! Error messages that say what to do next: the command or flag that helps, the limit that ran
//! out, and a connection failure that names the (redacted) URL once with the server's reason.

use diesel::connection::SimpleConnection;

use crate::case_support::{Env, INBOX_JOURNEY};
use crate::pg_or_skip;
use crate::support::{Run, TestDb, wfctl};

fn inbox_env() -> (Env, String) {
    let env = Env::files();
    env.config(
        "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nbuiltin = \"proceed\"\n",
    );
    let journey = env.write("inbox.json", INBOX_JOURNEY).display().to_string();
    (env, journey)
}

#[track_caller]
fn one_line(stderr: &str) {
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
}

#[test]
fn resuming_a_completed_case_points_to_reopen() {
    let (env, journey) = inbox_env();
    env.run(&[
        "case",
        "start",
        "--journey",
        &journey,
        "--case-id",
        "done-1",
    ])
    .expect_code(0);
    env.run(&["case", "resume", "done-1"]).expect_code(0);
    let run = env.run(&["case", "resume", "done-1"]).expect_code(1);
    assert!(
        run.stderr
            .contains("wfctl case reopen done-1 --ticket TICKET"),
        "{}",
        run.stderr
    );
    one_line(&run.stderr);
}

#[test]
fn a_wait_that_runs_out_says_so() {
    let (env, journey) = inbox_env();
    env.run(&["case", "start", "--journey", &journey, "--case-id", "busy"])
        .expect_code(0);
    let crate::case_support::Backend::Files(store) = &env.backend else {
        unreachable!("inbox_env uses the file store")
    };
    // held the way another wfctl process holds it
    let locks = store.join(".locks");
    std::fs::create_dir_all(&locks).unwrap();
    let held = std::fs::File::create(locks.join("busy.lock")).unwrap();
    held.lock().unwrap();
    let run = env
        .run(&["case", "resume", "busy", "--wait", "1s"])
        .expect_code(75);
    assert!(
        run.stderr.contains("still held after waiting 1s"),
        "{}",
        run.stderr
    );
    one_line(&run.stderr);
    drop(held);
}

#[test]
fn a_bare_duration_for_at_suggests_a_signed_offset() {
    let run = Run::of(wfctl().args(["sla", "due", "--at", "5h"])).expect_code(2);
    assert!(run.stderr.contains("+5h"), "{}", run.stderr);
    assert!(run.stderr.contains("-5h"), "{}", run.stderr);
    one_line(&run.stderr);
}

#[test]
fn a_bulk_option_without_all_says_all_is_missing() {
    for args in [
        &["case", "resume", "--workbasket", "inbox"][..],
        &["case", "resume", "c1", "--workbasket", "inbox"],
        &[
            "case",
            "change-workbasket",
            "--workbasket",
            "inbox",
            "later",
        ],
    ] {
        let run = Run::of(wfctl().args(args)).expect_code(2);
        assert!(
            run.stderr
                .contains("--workbasket works on a whole work basket and needs --all"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("<ID>"), "{args:?}: {}", run.stderr);
        one_line(&run.stderr);
    }
    // and a resume with neither an id nor --all asks for one of them
    let run = Run::of(wfctl().args(["case", "resume"])).expect_code(2);
    assert!(
        run.stderr.contains("--all --workbasket W"),
        "{}",
        run.stderr
    );
}

#[test]
fn migrating_a_database_built_from_the_guide_points_to_adopt() {
    let db = pg_or_skip!(TestDb::empty());
    let guide = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations/00000000000001_seed_schema/up.sql"),
    )
    .unwrap();
    db.conn().batch_execute(&guide).unwrap();
    let run = Run::of(wfctl().args(["--database-url", &db.url, "db", "migrate"])).expect_code(1);
    assert!(
        run.stderr.contains("wfctl db migrate --adopt"),
        "{}",
        run.stderr
    );
    one_line(&run.stderr);
}

#[test]
fn a_connection_error_names_the_redacted_url_once_with_the_reason_intact() {
    // nothing listens on port 1
    let url = "postgres://bob:s3cret-pw@127.0.0.1:1/orders";
    for args in [
        &["case", "list"][..],
        &["db", "status"],
        &["diag", "health"],
    ] {
        let run = Run::of(wfctl().args(["--database-url", url]).args(args)).expect_code(69);
        assert!(
            !run.stderr.contains("s3cret-pw"),
            "{args:?}: {}",
            run.stderr
        );
        assert_eq!(
            run.stderr
                .matches("postgres://bob:***@127.0.0.1:1/orders")
                .count(),
            1,
            "{args:?}: {}",
            run.stderr
        );
        // libpq's two lines stay two sentences, not run together
        assert!(
            run.stderr
                .contains("Connection refused; Is the server running"),
            "{args:?}: {}",
            run.stderr
        );
        one_line(&run.stderr);
    }
}
