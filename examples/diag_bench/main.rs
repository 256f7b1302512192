//! Benchmark: `wfctl diag all` (and `metrics`, `diag cases`) on a database of 1,000,000 cases
//! with a realistic shape (see generate.sql), against the bound measured in the same run:
//! reading every workflow table once (`SELECT count(*)` of each, sequentially).
//!
//! Run with `scripts/bench-diag.sh` (a throwaway cluster and a release build). Environment:
//! `WFCTL_BENCH_ADMIN_URL` superuser URL of the `postgres` database, `WFCTL_BIN` the wfctl binary,
//! `WFCTL_BENCH_CASES` (default 1000000).

use std::error::Error;
use std::process::Command;
use std::time::Instant;

use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Text};
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl};

const TABLES: &[&str] = &[
    "workflow_definition",
    "workflow_info",
    "exec_path",
    "audit_log",
    "workflow_counters",
    "milestone",
    "workflow_variables",
    "process_variable_value",
];

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Size {
    #[diesel(sql_type = Text)]
    size: String,
}

fn main() -> Result<(), Box<dyn Error>> {
    let admin_url = std::env::var("WFCTL_BENCH_ADMIN_URL")
        .map_err(|_| "set WFCTL_BENCH_ADMIN_URL (scripts/bench-diag.sh does)")?;
    let bin = std::env::var("WFCTL_BIN").unwrap_or_else(|_| "target/release/wfctl".into());
    let cases: u64 = std::env::var("WFCTL_BENCH_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let (head, _) = admin_url
        .rsplit_once('/')
        .ok_or("admin URL without a database")?;
    let url = format!("{head}/wfctl_bench");

    let mut admin = PgConnection::establish(&admin_url)?;
    admin.batch_execute("DROP DATABASE IF EXISTS wfctl_bench WITH (FORCE)")?;
    admin.batch_execute("CREATE DATABASE wfctl_bench")?;
    let mut conn = PgConnection::establish(&url)?;
    conn.batch_execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")?;
    wfctl::db::migrate::run_pending(&mut conn)?;

    eprintln!("generating {cases} cases ...");
    let started = Instant::now();
    conn.batch_execute(&include_str!("generate.sql").replace(":cases", &cases.to_string()))?;
    let generate = started.elapsed().as_secs_f64();
    let started = Instant::now();
    conn.batch_execute("VACUUM ANALYZE")?;
    let vacuum = started.elapsed().as_secs_f64();

    // The bound: read every workflow table once.
    let mut rows = 0;
    let started = Instant::now();
    for table in TABLES {
        let c: Count = diesel::sql_query(format!("SELECT count(*) AS n FROM {table}"))
            .get_result(&mut conn)?;
        rows += c.n;
    }
    let bound = started.elapsed().as_secs_f64();
    let size: Size =
        diesel::sql_query("SELECT pg_size_pretty(pg_database_size(current_database())) AS size")
            .get_result(&mut conn)?;

    let run = |args: &[&str]| -> Result<(f64, String), Box<dyn Error>> {
        let started = Instant::now();
        let out = Command::new(&bin)
            .args(["--database-url", &url])
            .args(args)
            .output()?;
        let secs = started.elapsed().as_secs_f64();
        // diag all exits 3 when it finds problems (the data has stuck and overdue cases).
        if !matches!(out.status.code(), Some(0 | 3)) {
            return Err(format!("wfctl {args:?}: {}", String::from_utf8_lossy(&out.stderr)).into());
        }
        Ok((secs, String::from_utf8_lossy(&out.stdout).into_owned()))
    };
    let (all_first, json) = run(&["--json", "diag", "all"])?;
    let (all_second, _) = run(&["--json", "diag", "all"])?;
    let (cases_secs, _) = run(&["--json", "diag", "cases"])?;
    let (metrics_secs, _) = run(&["metrics"])?;
    let report: serde_json::Value = serde_json::from_str(&json)?;

    println!(
        "wfctl diag benchmark: {cases} cases, {rows} rows in the workflow tables, database {}",
        size.size
    );
    println!("(generated in {generate:.1} s, VACUUM ANALYZE {vacuum:.1} s)");
    println!();
    println!("{:<44} {:>9} {:>14}", "figure", "seconds", "ratio to bound");
    println!(
        "{:<44} {:>9.2} {:>14}",
        "bound: read every workflow table once", bound, "1.00"
    );
    for (name, secs) in [
        ("wfctl diag all (first run)", all_first),
        ("wfctl diag all (second run)", all_second),
        ("wfctl diag cases", cases_secs),
        ("wfctl metrics", metrics_secs),
    ] {
        println!("{name:<44} {secs:>9.2} {:>14.2}", secs / bound);
    }
    println!();
    println!("diag all, per check (first run):");
    for timing in report["timings"].as_array().into_iter().flatten() {
        println!(
            "  {:<20} {:>7.2} s",
            timing[0].as_str().unwrap_or("?"),
            timing[1].as_f64().unwrap_or(0.0)
        );
    }
    println!(
        "status {}; {} findings",
        report["status"],
        report["findings"].as_array().map_or(0, Vec::len)
    );
    for f in report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["severity"] != "ok")
    {
        println!("  {} {}: {}", f["severity"], f["check"], f["message"]);
    }
    Ok(())
}
