//! A backup directory someone else can write: what a doctored dump must not get a restore
//! to do (run psql meta-commands, end the restore's own transaction early).

use diesel::connection::SimpleConnection;

use crate::backup_safety::gzip_file;
use crate::pg_or_skip;
use crate::support::backup::*;
use crate::support::{Run, TestDb};

const TRAILER: &str = "--\n-- PostgreSQL database dump complete\n--\n";

#[test]
fn a_doctored_dump_is_refused_and_a_genuine_one_restores() {
    let db = pg_or_skip!(TestDb::new());
    let dir = tempfile::tempdir().unwrap();
    let target = TestDb::new().unwrap();
    target
        .conn()
        .batch_execute("CREATE TABLE keep_me (x int); INSERT INTO keep_me VALUES (42)")
        .unwrap();
    let restore = |name: &str, sql: &str| {
        let file = dir.path().join(name);
        gzip_file(&file, &format!("{sql}{TRAILER}"));
        Run::of(wfctl_db(&db.url).args([
            "restore",
            file.to_str().unwrap(),
            "--target-db",
            &target.name,
            "--force",
        ]))
    };
    let pwned = dir.path().join("pwned");
    let kept = |what: &str| {
        assert_eq!(
            text(&mut target.conn(), "SELECT x::text AS v FROM keep_me"),
            "42",
            "{what}"
        );
    };
    for (i, command) in [
        format!("\\! id > {}", pwned.display()),
        format!("\\o {}", pwned.display()),
        format!("\\copy (select 1) to '{}'", pwned.display()),
        format!("\\i {}", pwned.display()),
        "\\set ON_ERROR_STOP 0".to_string(),
        format!(
            "select 'copy (select 1) to ''{}''' \\gexec",
            pwned.display()
        ),
    ]
    .iter()
    .enumerate()
    {
        let run = restore(
            &format!("meta{i}.sql.gz"),
            &format!("CREATE TABLE evil (x int);\n{command}\n"),
        )
        .expect_code(1);
        assert!(
            run.stderr.contains("line 2: a psql meta-command"),
            "{command}: {}",
            run.stderr
        );
        assert!(!pwned.exists(), "{command}");
        kept(command);
    }

    // The dump's own COMMIT would commit the --force drops: pg_dump's bare line is left out
    // (the error after it rolls everything back), any other form is refused.
    let run = restore(
        "commit.sql.gz",
        "CREATE TABLE half (x int);\nCOMMIT;\nselect 1/0;\n",
    )
    .expect_code(1);
    assert!(run.stderr.contains("division by zero"), "{}", run.stderr);
    kept("COMMIT");
    let run = restore(
        "end.sql.gz",
        "CREATE TABLE half (x int);\nEND;\nselect 1/0;\n",
    )
    .expect_code(1);
    assert!(
        run.stderr
            .contains("line 2: a transaction-control statement (END)"),
        "{}",
        run.stderr
    );
    kept("END");
    // Wherever the statement starts on its line: refused before psql commits anything.
    for (i, (sql, line)) in [
        (
            "CREATE TABLE half (x int);\n/* x */ COMMIT;\nselect 1/0;\n",
            2,
        ),
        (
            "CREATE TABLE half (x int); SELECT 1; COMMIT;\nselect 1/0;\n",
            1,
        ),
        ("CREATE TABLE half (x int); COMMIT/**/;\nselect 1/0;\n", 1),
        (
            "CREATE TABLE half (x int);\nSELECT 1\n;COMMIT;\nselect 1/0;\n",
            3,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let run = restore(&format!("commit{i}.sql.gz"), sql).expect_code(1);
        assert!(
            run.stderr
                .contains(&format!("line {line}: a transaction-control statement")),
            "{sql}: {}",
            run.stderr
        );
        kept(sql);
    }

    // pg_dump's BEGIN/COMMIT around large objects, a COMMIT in a procedure body, a backslash
    // in COPY data: all restore.
    let genuine = "\\restrict k2\n\
        SET standard_conforming_strings = on;\n\
        CREATE TABLE t (a text);\n\
        CREATE PROCEDURE p() LANGUAGE plpgsql AS $_$\nBEGIN\nCOMMIT;\nEND;\n$_$;\n\
        COPY public.t (a) FROM stdin;\nback\\\\slash\n\\.\n\
        SELECT pg_catalog.lo_create('424242');\n\
        BEGIN;\n\
        SELECT pg_catalog.lo_open('424242', 131072);\n\
        SELECT pg_catalog.lowrite(0, '\\x6869');\n\
        SELECT pg_catalog.lo_close(0);\n\
        COMMIT;\n\
        \\unrestrict k2\n";
    let run = restore("genuine.sql.gz", genuine).expect_code(0);
    let mut t = target.conn();
    assert_eq!(
        text(&mut t, "SELECT a AS v FROM t"),
        "back\\slash",
        "{}",
        run.stderr
    );
    assert_eq!(
        text(&mut t, "SELECT encode(lo_get(424242), 'escape') AS v"),
        "hi"
    );
    assert_eq!(
        text(
            &mut t,
            "SELECT (to_regprocedure('p()') IS NOT NULL)::text AS v"
        ),
        "true"
    );
}
