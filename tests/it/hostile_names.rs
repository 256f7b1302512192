//! User-supplied text (case ids, basket, file and database names) reaches the terminal as
//! text: no command prints ESC, BEL, a carriage return, a C1 control or DEL from it, on stdout
//! or stderr, in tables or in messages.

use crate::pg_or_skip;
use crate::support::backup::*;
use crate::support::case_env::Env;
use crate::support::{Run, TestDb, wfctl};

/// ESC with a colour, an OSC title ended by BEL, a carriage return, CSI as one C1 character.
const HOSTILE: &str = "x\u{1b}[31m\u{1b}]0;pwn\u{7}\r\u{9b}2J\u{7f}";

#[track_caller]
fn no_raw_controls(what: &str, run: &Run) {
    for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        let raw: Vec<char> = text
            .chars()
            .filter(|&c| c.is_control() && c != '\n')
            .collect();
        assert!(raw.is_empty(), "{what}: raw {raw:?} on {stream}: {text:?}");
    }
}

fn hostile_journey(env: &Env) -> String {
    env.config("[components.manual]\nbuiltin = \"pend\"\n");
    let journey = serde_json::json!({"journey": {"name": "hostile", "flow": [
        {"name": "start", "component": "manual", "user_data": format!("inbox{HOSTILE}"),
         "next": "end"}]}});
    env.write("hostile.json", &journey.to_string())
        .display()
        .to_string()
}

#[test]
fn case_commands_print_hostile_text_escaped() {
    let env = Env::files();
    let journey = hostile_journey(&env);
    let run = env.run(&["case", "start", "--journey", &journey, "--case-id", "c1"]);
    no_raw_controls("case start", &run);
    run.expect_code(0);
    let shown = env.run(&["case", "show", "c1"]).expect_code(0);
    assert!(
        shown.stdout.contains("inboxx\\u{1b}[31m"),
        "escaped, not dropped: {}",
        shown.stdout
    );
    for args in [
        vec!["case", "show", "c1"],
        vec!["case", "list"],
        vec!["case", "list", "--workbasket", HOSTILE],
        vec!["case", "history", "c1"],
        vec!["case", "show", HOSTILE],
        vec!["case", "history", HOSTILE],
        vec!["case", "resume", HOSTILE],
        vec!["case", "start", "--journey", &journey, "--case-id", HOSTILE],
    ] {
        let mut cmd = env.wf();
        cmd.env("NO_COLOR", "1").args(&args);
        let run = Run::of(&mut cmd);
        assert_ne!(run.code, 101, "{args:?}: {}", run.stderr);
        no_raw_controls(&format!("{args:?}"), &run);
    }
    // a file name
    let missing = format!("{}/{HOSTILE}.json", env.path("").display());
    let run = env.run(&["case", "start", "--journey", &missing, "--case-id", "c2"]);
    assert_ne!(run.code, 0);
    no_raw_controls("a hostile journey file name", &run);
    assert!(
        run.stderr.contains("\\u{1b}"),
        "escaped, not dropped: {}",
        run.stderr
    );
}

#[test]
fn migrate_files_prints_hostile_file_names_escaped() {
    let db = pg_or_skip!(TestDb::new());
    let store = tempfile::tempdir().unwrap();
    std::fs::write(
        store
            .path()
            .join(format!("workflow_process_info-{HOSTILE}.json")),
        "{oops",
    )
    .unwrap();
    std::fs::write(store.path().join(format!("{HOSTILE}.json")), "{}").unwrap();
    let run = Run::of(
        wfctl()
            .env("DATABASE_URL", &db.url)
            .arg("migrate-files")
            .arg(store.path()),
    );
    assert_ne!(run.code, 101, "{}", run.stderr);
    no_raw_controls("migrate-files", &run);
}

#[test]
fn restore_messages_print_a_hostile_target_name_escaped() {
    let db = pg_or_skip!(db_with_cases(2));
    let dir = tempfile::tempdir().unwrap();
    Run::of(wfctl_db(&db.url).args(["backup", "--dir"]).arg(dir.path())).expect_code(0);
    let backup = only_backup(dir.path(), ".sql.gz");
    let target = format!("t{HOSTILE}");
    let restore = |extra: &[&str]| {
        Run::of(
            wfctl_db(&db.url)
                .arg("restore")
                .arg(&backup)
                .args(["--target-db", &target])
                .args(extra),
        )
    };
    // missing, then created, then refused as existing
    for extra in [&[][..], &["--create"][..], &["--create"][..]] {
        let run = restore(extra);
        assert_ne!(run.code, 101, "{}", run.stderr);
        no_raw_controls(&format!("restore {extra:?}"), &run);
    }
    drop_database(&db, &target);
}

/// A table cell of stored text shows it escaped and nothing more: an open colour gains no
/// stray reset, a `|` cannot add a column in a pipe, and invisible characters (zero-width
/// space, bidi override, byte-order mark) are written as escapes.
#[test]
fn table_cells_escape_pipes_invisible_characters_and_open_colours() {
    let env = Env::files();
    env.config("[components.manual]\nbuiltin = \"pend\"\n");
    let journey = serde_json::json!({"journey": {"name": "cells", "flow": [
        {"name": "start", "component": "manual", "user_data": "in|box", "next": "end"}]}});
    let journey = env.write("cells.json", &journey.to_string());
    let value = "a|b\u{1b}[1mc\u{200b}d\u{202e}e\u{feff}";
    let start = env.run(&[
        "case",
        "start",
        "--journey",
        journey.to_str().unwrap(),
        "--case-id",
        "c|1",
        "--var",
        &format!("v=string:{value}"),
    ]);
    start.expect_code(0);
    for args in [&["case", "show", "c|1"][..], &["case", "list"][..]] {
        let run = env.run(args).expect_code(0);
        no_raw_controls(&format!("{args:?}"), &run);
        for c in ['\u{200b}', '\u{202e}', '\u{feff}'] {
            assert!(
                !run.stdout.contains(c),
                "{args:?}: raw {c:?}: {}",
                run.stdout
            );
        }
        assert!(
            !run.stdout.contains("\\u{1b}[0m"),
            "{args:?}: {}",
            run.stdout
        );
        assert!(run.stdout.contains("c\\|1"), "{args:?}: {}", run.stdout);
        // every row of a table has as many column separators as its header
        for table in run.stdout.split("\n\n") {
            let seps = |line: &str| line.replace("\\|", "").matches('|').count();
            let rows: Vec<&str> = table.lines().filter(|l| l.starts_with('|')).collect();
            if let Some(first) = rows.first() {
                for row in &rows {
                    assert_eq!(seps(row), seps(first), "{args:?}: {row}");
                }
            }
        }
    }
    let show = env.run(&["case", "show", "c|1"]).expect_code(0);
    assert!(
        show.stdout
            .contains("a\\|b\\u{1b}[1mc\\u{200b}d\\u{202e}e\\u{feff}"),
        "{}",
        show.stdout
    );
    assert!(show.stdout.contains("in\\|box"), "{}", show.stdout);
    // --json keeps the value as stored
    let json = env.json(&["case", "show", "c|1"], 0);
    assert_eq!(json["variables"][0]["value"], value, "{json}");
}

/// A file name with a line break (and other controls) is named in one line: no message of
/// migrate-files or of the file store breaks its line or forges another.
#[test]
fn file_names_with_line_breaks_never_break_a_message_line() {
    let db = pg_or_skip!(TestDb::new());
    let store = tempfile::tempdir().unwrap();
    for name in [
        "workflow_process_info-a\nforged: imported 1.json",
        "notes\nforged: ok.txt",
        "journey-b\u{2028}forged.json",
    ] {
        std::fs::write(store.path().join(name), "{oops").unwrap();
    }
    let run = Run::of(
        wfctl()
            .env("DATABASE_URL", &db.url)
            .arg("migrate-files")
            .arg(store.path()),
    );
    assert_ne!(run.code, 101, "{}", run.stderr);
    for line in run.stderr.lines() {
        assert!(
            !line.starts_with("forged"),
            "a forged line: {:?}",
            run.stderr
        );
        assert!(
            !line.contains('\u{2028}'),
            "raw separator: {:?}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("a\\nforged"), "{}", run.stderr);

    // the file store names an unreadable file in one line too
    let env = Env::files();
    env.config("[components.manual]\nbuiltin = \"pend\"\n");
    let journey = hostile_journey(&env);
    env.run(&["case", "start", "--journey", &journey, "--case-id", "ok"])
        .expect_code(0);
    let dir = env.path("workflow-data");
    std::fs::write(dir.join("journey-c\nforged.json"), "{oops").unwrap();
    let list = env.run(&["case", "list"]);
    for line in list.stderr.lines() {
        assert!(
            !line.starts_with("forged"),
            "a forged line: {:?}",
            list.stderr
        );
    }
}
