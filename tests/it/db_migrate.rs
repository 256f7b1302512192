//! `db migrate`, `db status`, `--adopt`, down migrations and schema drift, on a real server.

use std::collections::BTreeSet;

use diesel::connection::SimpleConnection;
use diesel::sql_types::Text;
use diesel::{PgConnection, QueryableByName, RunQueryDsl};

use crate::pg_or_skip;
use crate::support::{Run, TestDb, wfctl};

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

fn names(conn: &mut PgConnection, sql: &str) -> BTreeSet<String> {
    diesel::sql_query(sql)
        .load::<Name>(conn)
        .unwrap()
        .into_iter()
        .map(|n| n.name)
        .collect()
}

fn columns(conn: &mut PgConnection) -> BTreeSet<String> {
    names(
        conn,
        "SELECT table_name || '.' || column_name AS name FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
    )
}

fn indexes(conn: &mut PgConnection) -> BTreeSet<String> {
    names(
        conn,
        "SELECT indexname::text AS name FROM pg_indexes \
         WHERE schemaname = 'public' AND tablename <> '__diesel_schema_migrations'",
    )
}

/// Everything about the public tables a migration can change: each column with its type,
/// length, nullability and default; each index's definition; each constraint's definition.
fn schema(conn: &mut PgConnection) -> BTreeSet<String> {
    names(
        conn,
        "SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || \
                coalesce('(' || character_maximum_length || ')', '') || \
                CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END || \
                coalesce(' default ' || column_default, '') AS name \
         FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations' \
         UNION ALL \
         SELECT 'index ' || indexdef FROM pg_indexes \
         WHERE schemaname = 'public' AND tablename <> '__diesel_schema_migrations' \
         UNION ALL \
         SELECT 'constraint ' || c.conrelid::regclass || ' ' || c.conname || ' ' || \
                pg_get_constraintdef(c.oid) \
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace \
         WHERE n.nspname = 'public' AND c.conrelid <> 0 \
           AND c.conrelid::regclass::text <> '__diesel_schema_migrations'",
    )
}

/// The seed schema as the PostgreSQL setup guide publishes it for manual creation (kept verbatim
/// in tests/fixtures so `--adopt` is tested against what operators really ran, not against our
/// own migration 1).
fn guide_ddl() -> String {
    include_str!("../fixtures/seed_schema.sql").to_string()
}

/// (table.column, index names) as the guide's DDL text declares them.
fn guide_declares() -> (BTreeSet<String>, BTreeSet<String>) {
    let ddl = guide_ddl();
    let mut cols = BTreeSet::new();
    let mut idx = BTreeSet::new();
    let mut table = None;
    for line in ddl.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("CREATE TABLE ") {
            table = rest.split_whitespace().next().map(str::to_string);
        } else if line.starts_with(')') {
            table = None;
        } else if let Some(rest) = line.strip_prefix("CREATE INDEX ") {
            idx.insert(rest.split_whitespace().next().unwrap().to_string());
        } else if let Some(t) = &table {
            let word = line.split_whitespace().next().unwrap_or("");
            if !word.is_empty() && !word.starts_with("UNIQUE") && !word.starts_with("--") {
                cols.insert(format!("{t}.{word}"));
            }
        }
    }
    (cols, idx)
}

#[test]
fn migrate_on_empty_database_applies_all_and_status_shows_them() {
    let db = pg_or_skip!(TestDb::empty());
    let run = Run::of(wfctl().args(["--database-url", &db.url, "db", "migrate"])).expect_code(0);
    assert!(
        run.stdout.contains("applied 00000000000001_seed_schema"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("applied 00000000000002_wfctl_additions"),
        "{}",
        run.stdout
    );

    let status =
        Run::of(wfctl().args(["--database-url", &db.url, "--json", "db", "status"])).expect_code(0);
    let states: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    let states = states["migrations"].as_array().unwrap();
    assert_eq!(states.len(), wfctl::db::migrate::embedded().len());
    assert!(
        states
            .iter()
            .all(|s| s["run_on"].as_str().is_some_and(|t| t.ends_with('Z'))),
        "{states:?}"
    );
    assert!(states.iter().all(|s| s["applied"] == true), "{states:?}");

    // Twice is a no-op: nothing applied, nothing on stdout.
    let again = Run::of(wfctl().args(["--database-url", &db.url, "db", "migrate"])).expect_code(0);
    assert_eq!(again.stdout, "");
    assert!(again.stderr.contains("up to date"), "{}", again.stderr);
}

#[test]
fn dry_run_lists_pending_and_changes_nothing() {
    let db = pg_or_skip!(TestDb::empty());
    let run = Run::of(wfctl().args(["--database-url", &db.url, "db", "migrate", "--dry-run"]))
        .expect_code(0);
    assert!(
        run.stdout.contains("pending 00000000000001_seed_schema"),
        "{}",
        run.stdout
    );
    assert!(columns(&mut db.conn()).is_empty(), "dry run created tables");
}

#[test]
fn every_guide_table_column_and_index_exists_after_migrate() {
    let db = pg_or_skip!(TestDb::empty());
    Run::of(wfctl().args(["--database-url", &db.url, "db", "migrate"])).expect_code(0);
    let mut conn = db.conn();
    let (want_cols, want_idx) = guide_declares();
    assert!(
        want_cols.len() > 50 && want_idx.len() >= 9,
        "parsed the guide: {want_idx:?}"
    );
    let have_cols = columns(&mut conn);
    let missing: Vec<_> = want_cols.difference(&have_cols).collect();
    assert!(missing.is_empty(), "columns missing: {missing:?}");
    let have_idx = indexes(&mut conn);
    let recommended = [
        "idx_wf_info_ts_incomplete",
        "idx_exec_path_workbasket",
        "idx_wf_info_active",
    ];
    for name in want_idx.iter().map(String::as_str).chain(recommended) {
        assert!(
            have_idx.contains(name),
            "index {name} missing: {have_idx:?}"
        );
    }
    // The partial indexes really are partial, as the guide recommends.
    let partial = names(
        &mut conn,
        "SELECT indexname::text AS name FROM pg_indexes WHERE indexdef LIKE '%WHERE%'",
    );
    for name in recommended {
        assert!(partial.contains(name), "{name} is not partial");
    }
}

#[test]
fn adopt_takes_over_a_database_built_from_the_guide() {
    let db = pg_or_skip!(TestDb::empty());
    let mut conn = db.conn();
    conn.batch_execute(&guide_ddl()).unwrap();
    // The guide also recommends these; adopt must cope with them already being there.
    conn.batch_execute(
        "CREATE INDEX idx_wf_info_active ON workflow_info(case_id, ts) WHERE is_complete = FALSE",
    )
    .unwrap();
    conn.batch_execute("INSERT INTO workflow_counters VALUES ('kept', 7)")
        .unwrap();

    // Plain migrate refuses (the tables exist); --adopt takes over.
    Run::of(wfctl().args(["--database-url", &db.url, "db", "migrate"])).expect_code(78);
    let run = Run::of(wfctl().args(["--database-url", &db.url, "db", "migrate", "--adopt"]))
        .expect_code(0);
    assert!(
        run.stdout.contains("00000000000001_seed_schema"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("00000000000002_wfctl_additions"),
        "{}",
        run.stdout
    );
    let status =
        Run::of(wfctl().args(["--database-url", &db.url, "--json", "db", "status"])).expect_code(0);
    assert!(
        !status.stdout.contains("\"applied\":false"),
        "{}",
        status.stdout
    );
    assert!(columns(&mut conn).contains("workflow_info.journey_name"));
    #[derive(QueryableByName)]
    struct V {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        value: i64,
    }
    let kept: V = diesel::sql_query("SELECT value FROM workflow_counters WHERE name = 'kept'")
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(kept.value, 7, "adopt must keep the data");
}

#[test]
fn adopt_refuses_a_mismatching_database_with_the_differences() {
    let db = pg_or_skip!(TestDb::empty());
    let mut conn = db.conn();
    conn.batch_execute(&guide_ddl()).unwrap();
    conn.batch_execute(
        "ALTER TABLE exec_path DROP COLUMN error_desc; \
         ALTER TABLE workflow_info ALTER COLUMN ts TYPE integer; \
         DROP INDEX idx_milestone_status; DROP TABLE route_branch; \
         ALTER TABLE milestone ADD COLUMN colour text",
    )
    .unwrap();
    let run = Run::of(wfctl().args(["--database-url", &db.url, "db", "migrate", "--adopt"]))
        .expect_code(1);
    for expected in [
        "exec_path: column error_desc missing",
        "workflow_info: column ts is `integer",
        "table route_branch: missing",
        "missing index `CREATE INDEX ON milestone USING btree (status)`",
        "extra column colour",
    ] {
        assert!(
            run.stderr.contains(expected),
            "want {expected:?} in:\n{}",
            run.stderr
        );
    }
    let status =
        Run::of(wfctl().args(["--database-url", &db.url, "--json", "db", "status"])).expect_code(0);
    assert!(
        !status.stdout.contains("\"applied\":true"),
        "nothing recorded: {}",
        status.stdout
    );
}

#[test]
fn every_down_migration_reverses_its_up() {
    use diesel_migrations::MigrationHarness;
    let db = pg_or_skip!(TestDb::empty());
    let mut conn = db.conn();
    // The schema before each migration, applying them one at a time.
    let mut before = Vec::new();
    let total = wfctl::db::migrate::embedded().len();
    for _ in 0..total {
        before.push(schema(&mut conn));
        conn.run_next_migration(wfctl::db::migrate::MIGRATIONS)
            .unwrap();
    }
    let full = schema(&mut conn);
    // Each down.sql restores exactly the schema its up.sql started from: columns with their
    // types and defaults, index definitions, constraints.
    for expected in before.iter().rev() {
        let name = wfctl::db::migrate::revert_last(&mut conn).unwrap();
        assert_eq!(&schema(&mut conn), expected, "after reverting {name}");
    }
    // And up again gives exactly the full schema.
    wfctl::db::migrate::run_pending(&mut conn).unwrap();
    assert_eq!(schema(&mut conn), full);
}

#[test]
fn schema_rs_matches_the_migrations() {
    let db = pg_or_skip!(TestDb::new());
    let diesel = std::process::Command::new("diesel")
        .args(["print-schema", "--database-url", &db.url])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output();
    let out = match diesel {
        Ok(out) if out.status.success() => out.stdout,
        Ok(out) => panic!(
            "diesel print-schema failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(_) if std::env::var_os("WFCTL_REQUIRE_PG").is_some() => {
            panic!(
                "diesel_cli is required in CI (cargo install diesel_cli --no-default-features --features postgres)"
            )
        }
        Err(_) => {
            eprintln!("skipping: diesel_cli not installed");
            return;
        }
    };
    let committed = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/db/schema.rs"),
    )
    .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out),
        committed,
        "src/db/schema.rs drifted: run `diesel print-schema > src/db/schema.rs` against a migrated database"
    );
}

#[test]
fn a_database_without_the_case_lock_key_migration_says_what_is_missing() {
    use crate::support::case_env::{Backend, Env, INBOX_JOURNEY};
    let env = pg_or_skip!(Env::postgres());
    let Backend::Postgres(db) = &env.backend else {
        unreachable!("a PostgreSQL environment")
    };
    // back to before the migration that adds the case lock key function
    let mut conn = db.conn();
    while !wfctl::db::migrate::revert_last(&mut conn)
        .unwrap()
        .ends_with("_case_lock_key")
    {}
    drop(conn);
    env.config(
        "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nbuiltin = \"proceed\"\n",
    );
    let journey = env.write("inbox.json", INBOX_JOURNEY);
    let run = env.run(&[
        "case",
        "start",
        "--journey",
        journey.to_str().unwrap(),
        "--case-id",
        "c1",
    ]);
    assert_ne!(run.code, 0, "{}", run.stdout);
    assert!(run.stderr.contains("wfctl_case_lock_key"), "{}", run.stderr);
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
}
