//! `diag slow-queries`: a real slow statement, tagged by operation; other schema and the
//! pre-PG13 column names; reset; and a role without pg_stat_statements.

use diesel::connection::SimpleConnection;

use crate::pg_or_skip;
use crate::support::diag::{Role, diag_json};
use crate::support::{Run, TestDb, wfctl};

fn server_major() -> u32 {
    crate::support::cluster::server().map_or(0, |s| s.major)
}

fn run_slow_statement(db: &TestDb) {
    let mut conn = db.conn();
    for _ in 0..2 {
        conn.batch_execute(
            "SELECT /* wfctl:case_list */ count(*) FROM workflow_info, pg_sleep(0.2)",
        )
        .unwrap();
    }
}

fn find_op<'a>(report: &'a serde_json::Value, op: &str) -> Option<&'a serde_json::Value> {
    report["statements"]
        .as_array()?
        .iter()
        .find(|s| s["operation"] == op)
}

#[test]
fn finds_a_slow_statement_and_tags_its_operation() {
    let db = pg_or_skip!(TestDb::new());
    run_slow_statement(&db);
    let report = diag_json(
        &db.url,
        &["slow-queries", "--order", "mean", "--limit", "5"],
        0,
    );
    let s = find_op(&report, "case_list").unwrap_or_else(|| panic!("{report:#}"));
    assert_eq!(s["calls"], 2);
    assert!(s["mean_seconds"].as_f64().unwrap() >= 0.2, "{s}");
    assert_eq!(s["workflow_tables"][0], "workflow_info");
    // Slowest first by mean.
    assert_eq!(
        report["statements"][0]["operation"], "case_list",
        "{report:#}"
    );
    // The reset time is known from pg_stat_statements 1.9 (PostgreSQL 14).
    if server_major() >= 14 {
        assert!(
            report["since"]["text"]
                .as_str()
                .unwrap()
                .contains("stats since"),
            "{report}"
        );
    }
    assert!(
        report["extension"]
            .as_str()
            .unwrap()
            .contains("schema public")
    );

    // The human table says since when, too.
    let table =
        Run::of(wfctl().args(["--database-url", &db.url, "diag", "slow-queries"])).expect_code(0);
    let since = if server_major() >= 14 {
        "stats since"
    } else {
        "counted at least since the server started"
    };
    assert!(table.stdout.contains(since), "{}", table.stdout);
    assert!(table.stdout.contains("wfctl:case_list"), "{}", table.stdout);

    // --reset empties this database's statistics only.
    let reset = diag_json(&db.url, &["slow-queries", "--reset"], 0);
    assert_eq!(reset["reset"], format!("database {}", db.name));
    let after = diag_json(&db.url, &["slow-queries"], 0);
    assert!(find_op(&after, "case_list").is_none(), "{after:#}");
}

#[test]
fn old_extension_in_another_schema_is_found_by_its_columns() {
    let db = pg_or_skip!(TestDb::new());
    // 1.7 has the pre-PostgreSQL-13 names (total_time, mean_time); the server is newer.
    db.conn()
        .batch_execute(
            "DROP EXTENSION pg_stat_statements; CREATE SCHEMA monitoring; \
             CREATE EXTENSION pg_stat_statements WITH SCHEMA monitoring VERSION '1.7'",
        )
        .unwrap();
    run_slow_statement(&db);
    let report = diag_json(&db.url, &["slow-queries", "--order", "mean"], 0);
    let s = find_op(&report, "case_list").unwrap_or_else(|| panic!("{report:#}"));
    assert!(s["mean_seconds"].as_f64().unwrap() >= 0.2, "{s}");
    assert!(
        report["extension"]
            .as_str()
            .unwrap()
            .contains("1.7 in schema monitoring"),
        "{report}"
    );
    // On PostgreSQL 12, 1.7 is the server's own version: nothing to update.
    let advice = report["limitations"].to_string();
    assert_eq!(
        advice.contains("ALTER EXTENSION pg_stat_statements UPDATE"),
        server_major() >= 13,
        "{advice}"
    );
    // 1.7's reset takes (userid, dbid, queryid): this database only.
    let reset = diag_json(&db.url, &["slow-queries", "--reset"], 0);
    assert_eq!(reset["reset"], format!("database {}", db.name));
}

#[test]
fn without_the_extension_or_the_privilege_it_says_why() {
    let db = pg_or_skip!(TestDb::new());
    run_slow_statement(&db);
    let role = Role::read_only(&db);
    // A read-only role sees the statements but may not reset them.
    let denied = Run::of(wfctl().args([
        "--database-url",
        &role.url,
        "diag",
        "slow-queries",
        "--reset",
    ]));
    assert_eq!(denied.code, 1, "{}", denied.stderr);
    assert!(
        denied
            .stderr
            .contains("GRANT EXECUTE ON FUNCTION \"public\".pg_stat_statements_reset"),
        "{}",
        denied.stderr
    );

    db.conn()
        .batch_execute("DROP EXTENSION pg_stat_statements")
        .unwrap();
    let run =
        Run::of(wfctl().args(["--database-url", &role.url, "diag", "slow-queries"])).expect_code(0);
    assert!(
        run.stderr.contains("not visible: slow queries"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("CREATE EXTENSION pg_stat_statements"),
        "{}",
        run.stderr
    );
    let json = diag_json(&role.url, &["slow-queries"], 0);
    assert_eq!(json["statements"].as_array().unwrap().len(), 0);
    assert!(
        json["limitations"][0]["why"]
            .as_str()
            .unwrap()
            .contains("not installed"),
        "{json}"
    );
}

/// The statements wfctl itself sends are tagged with the operation that issued them, and the
/// listing follows `--order calls` and `--order total`.
#[test]
fn wfctl_traffic_is_tagged_by_operation_and_ordered_as_asked() {
    use crate::support::case_env::{Backend, Env, example_dir};
    let Some(env) = Env::postgres() else {
        return;
    };
    let env = env.with_example_config();
    let Backend::Postgres(db) = &env.backend else {
        unreachable!("a PostgreSQL env")
    };
    diag_json(&db.url, &["slow-queries", "--reset"], 0);
    let journey = example_dir().join("journey.json");
    for id in ["t1", "t2", "t3"] {
        env.json(
            &[
                "case",
                "start",
                "--journey",
                journey.to_str().unwrap(),
                "--case-id",
                id,
                "--var",
                "amount=long:1500",
            ],
            0,
        );
    }
    env.json(&["case", "list"], 0);

    let by_calls = diag_json(
        &db.url,
        &["slow-queries", "--order", "calls", "--limit", "100"],
        0,
    );
    let statements = by_calls["statements"].as_array().unwrap();
    for op in ["create_case", "save_point", "case_lock", "case_page"] {
        assert!(
            statements.iter().any(|s| s["operation"] == op),
            "no statement tagged {op}: {by_calls:#}"
        );
    }
    let calls: Vec<i64> = statements
        .iter()
        .map(|s| s["calls"].as_i64().unwrap())
        .collect();
    assert!(calls.windows(2).all(|w| w[0] >= w[1]), "{calls:?}");

    let by_total = diag_json(
        &db.url,
        &["slow-queries", "--order", "total", "--limit", "100"],
        0,
    );
    let totals: Vec<f64> = by_total["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["total_seconds"].as_f64().unwrap())
        .collect();
    assert!(totals.len() > 3, "{by_total:#}");
    assert!(totals.windows(2).all(|w| w[0] >= w[1]), "{totals:?}");
    let shares: f64 = by_total["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["share_percent"].as_f64().unwrap())
        .sum();
    assert!(shares > 0.0 && shares <= 100.01, "{shares}");
}

/// A slow statement's finding says its mean in the one printed form of durations (`12ms`, not
/// `12.3 ms`), as every message does.
#[test]
fn a_slow_query_finding_says_its_mean_in_the_one_duration_form() {
    let db = pg_or_skip!(TestDb::new());
    let mut conn = db.conn();
    for _ in 0..12 {
        conn.batch_execute(
            "SELECT /* wfctl:case_list */ count(*) FROM workflow_info, pg_sleep(0.012)",
        )
        .unwrap();
    }
    let all = diag_json(
        &db.url,
        &["all", "--skip", "explain", "--warn", "slow_query_ms=5"],
        0,
    );
    let message = all["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check"] == "slow-queries")
        .filter_map(|f| f["message"].as_str())
        .find(|m| m.contains("wfctl:case_list"))
        .unwrap_or_else(|| panic!("no slow-queries finding: {all:#}"));
    let mean = message
        .split("mean ")
        .nth(1)
        .and_then(|rest| rest.split(" over ").next())
        .unwrap_or_else(|| panic!("{message}"));
    assert!(
        !mean.contains([' ', '.']) && mean.ends_with("ms"),
        "{mean:?} in {message}"
    );
}
