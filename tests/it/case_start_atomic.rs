//! A case's creation on PostgreSQL is atomic: its journey row, its case row and its first state
//! commit together, so a `case start` killed at any moment leaves nothing or a case that
//! `case resume --all --stuck-for` recovers, never a journey without its case; and `diag all`
//! beside a starter never reports one.

use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::sql_types::BigInt;
use diesel::{QueryableByName, RunQueryDsl};
use serde_json::Value;

use crate::support::case_env::{Backend, Env};
use crate::support::{Run, TestDb, poll_until};

const CONFIG: &str = "[components.worker]\nbuiltin = \"proceed\"\n";

const JOURNEY: &str = r#"{"journey": {"name": "quick", "flow": [
  {"name": "start", "component": "worker", "next": "end"}]}}"#;

const PATIENCE: Duration = Duration::from_secs(60);

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count(db: &TestDb, sql: &str) -> i64 {
    diesel::sql_query(sql)
        .get_result::<Count>(&mut db.conn())
        .expect("the count runs")
        .n
}

/// Journey rows without their case row: what a start that died between the two leaves.
fn orphan_journeys(db: &TestDb) -> i64 {
    count(
        db,
        "SELECT count(*) AS n FROM workflow_definition d \
         WHERE NOT EXISTS (SELECT 1 FROM workflow_info w WHERE w.case_id = d.case_id)",
    )
}

/// Sessions of the test database other than the test's own (a killed wfctl's backends end
/// when the server notices; a backend in a statement finishes it first).
fn other_sessions(db: &TestDb) -> i64 {
    count(
        db,
        "SELECT count(*) AS n FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid() \
           AND backend_type = 'client backend'",
    )
}

fn pg_env() -> Option<Env> {
    let env = Env::postgres()?;
    env.config(CONFIG);
    env.write("quick.json", JOURNEY);
    Some(env)
}

fn db(env: &Env) -> &TestDb {
    match &env.backend {
        Backend::Postgres(db) => db,
        Backend::Files(_) => unreachable!("a PostgreSQL env"),
    }
}

fn start(env: &Env, case: &str) -> std::process::Child {
    env.wf()
        .args([
            "case",
            "start",
            "--journey",
            "quick.json",
            "--case-id",
            case,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("wfctl starts")
}

/// kill -9 of `case start` while its journey row is being written (the statement is held in
/// the server by a trigger, so the kill lands there every time), and at increasing delays:
/// no journey is left without its case, and every case left is one that `case resume --all
/// --stuck-for` takes to its end.
#[test]
fn a_start_killed_at_any_moment_leaves_no_journey_without_its_case() {
    let Some(env) = pg_env() else { return };
    let db = db(&env);
    db.conn()
        .batch_execute(
            "CREATE FUNCTION test_slow_journey() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN PERFORM pg_sleep(0.5); RETURN NULL; END $$;
             CREATE TRIGGER test_slow_journey AFTER INSERT ON workflow_definition
             FOR EACH ROW WHEN (NEW.case_id LIKE 'slow%') EXECUTE FUNCTION test_slow_journey();",
        )
        .unwrap();

    // killed while the journey row is written
    for case in ["slow1", "slow2"] {
        let mut child = start(&env, case);
        poll_until(&format!("{case}'s journey write"), PATIENCE, || {
            count(
                db,
                "SELECT count(*) AS n FROM pg_stat_activity \
                 WHERE datname = current_database() AND wait_event = 'PgSleep' \
                   AND query LIKE '%wfctl:create_case%'",
            ) == 1
        });
        child.kill().unwrap();
        child.wait().unwrap();
        poll_until("the killed start's sessions to end", PATIENCE, || {
            other_sessions(db) == 0
        });
        assert_eq!(orphan_journeys(db), 0, "{case}: a journey without its case");
    }

    // killed at increasing delays after it began
    for (i, delay_ms) in [0_u64, 10, 25, 50, 80, 120, 180, 260, 400]
        .iter()
        .enumerate()
    {
        let case = format!("k{i}");
        let mut child = start(&env, &case);
        std::thread::sleep(Duration::from_millis(*delay_ms));
        let _ = child.kill();
        child.wait().unwrap();
        poll_until("the killed start's sessions to end", PATIENCE, || {
            other_sessions(db) == 0
        });
        assert_eq!(orphan_journeys(db), 0, "{case}: a journey without its case");
    }

    let recovered = Run::of(env.wf().args([
        "--json",
        "case",
        "resume",
        "--all",
        "--stuck-for",
        "0s",
        "--limit",
        "0",
    ]));
    assert_eq!(recovered.code, 0, "{}", recovered.stderr);
    let list = env.json(&["case", "list", "--limit", "0"], 0);
    for case in list["cases"].as_array().unwrap() {
        assert_eq!(
            case["status"], "completed",
            "every case left recovers: {list}"
        );
    }
}

/// Orphan rows `diag all` reports, from its JSON (any measure named `orphans`).
fn orphans_reported(report: &Value) -> f64 {
    match report {
        Value::Object(map) => {
            let own = if map.get("name").and_then(Value::as_str) == Some("orphans") {
                map.get("value").and_then(Value::as_f64).unwrap_or(0.0)
            } else {
                0.0
            };
            own + map.values().map(orphans_reported).sum::<f64>()
        }
        Value::Array(items) => items.iter().map(orphans_reported).sum(),
        _ => 0.0,
    }
}

/// `diag all` in a loop beside a starter: no run reports an orphan row. The first state's write
/// is held a little in the server (a trigger), so that many of diag's snapshots fall between
/// the journey's write and the case's.
#[test]
fn diag_all_beside_a_starter_reports_no_orphan() {
    let Some(env) = pg_env() else { return };
    let db = db(&env);
    db.conn()
        .batch_execute(
            "CREATE FUNCTION test_slow_case() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN PERFORM pg_sleep(0.05); RETURN NEW; END $$;
             CREATE TRIGGER test_slow_case BEFORE INSERT ON workflow_info
             FOR EACH ROW EXECUTE FUNCTION test_slow_case();",
        )
        .unwrap();
    let done = AtomicBool::new(false);
    let reports = std::thread::scope(|scope| {
        scope.spawn(|| {
            for i in 0..40 {
                let run = Run::of(env.wf().args([
                    "case",
                    "start",
                    "--journey",
                    "quick.json",
                    "--case-id",
                    &format!("s{i}"),
                ]));
                assert_eq!(run.code, 0, "{}", run.stderr);
            }
            done.store(true, Ordering::SeqCst);
        });
        let mut reports = Vec::new();
        while !done.load(Ordering::SeqCst) || reports.len() < 3 {
            let run = Run::of(env.wf().args(["--json", "diag", "all"]));
            let report: Value = serde_json::from_str(&run.stdout)
                .unwrap_or_else(|e| panic!("diag all JSON ({e}): {}{}", run.stdout, run.stderr));
            reports.push(report);
        }
        reports
    });
    for report in &reports {
        assert!(
            report.to_string().contains("\"orphans\""),
            "diag all measures orphans: {report}"
        );
        assert_eq!(orphans_reported(report), 0.0, "{report}");
    }
    assert_eq!(orphan_journeys(db), 0);
}
