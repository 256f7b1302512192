//! Benchmark: `wfctl metrics` and `wfctl diag all` as history grows, on generated databases of
//! 30,000, 300,000 and 1,000,000 cases with a realistic shape (see generate.sql), each against
//! the bound measured in the same run on the same database: reading every workflow table once
//! (`SELECT count(*)` of each, sequentially).
//!
//! Run with `scripts/bench-diag.sh` (a throwaway cluster and a release build). Environment:
//! `WFCTL_BENCH_ADMIN_URL` superuser URL of the `postgres` database, `WFCTL_BIN` the wfctl binary,
//! `WFCTL_BENCH_CASES` the sizes, comma-separated (default `30000,300000,1000000`).

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

/// Scrapes timed per size: the median is reported (one scrape is a few milliseconds of noise).
const METRICS_RUNS: usize = 7;

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

/// The figures of one database size.
struct Figures {
    cases: u64,
    rows: i64,
    size: String,
    bound: f64,
    all_first: f64,
    all_second: f64,
    cases_secs: f64,
    metrics: f64,
    report: serde_json::Value,
}

fn main() -> Result<(), Box<dyn Error>> {
    let admin_url = std::env::var("WFCTL_BENCH_ADMIN_URL")
        .map_err(|_| "set WFCTL_BENCH_ADMIN_URL (scripts/bench-diag.sh does)")?;
    let bin = std::env::var("WFCTL_BIN").unwrap_or_else(|_| "target/release/wfctl".into());
    let sizes: Vec<u64> = std::env::var("WFCTL_BENCH_CASES")
        .unwrap_or_else(|_| "30000,300000,1000000".into())
        .split(',')
        .map(|s| s.trim().parse::<u64>())
        .collect::<Result<_, _>>()
        .map_err(|e| format!("WFCTL_BENCH_CASES: {e}"))?;
    let mut all = Vec::new();
    for cases in sizes {
        let figures = measure(&admin_url, &bin, cases)?;
        print_size(&figures);
        all.push(figures);
    }
    print_summary(&all);
    Ok(())
}

fn measure(admin_url: &str, bin: &str, cases: u64) -> Result<Figures, Box<dyn Error>> {
    let (head, _) = admin_url
        .rsplit_once('/')
        .ok_or("admin URL without a database")?;
    let url = format!("{head}/wfctl_bench");

    let mut admin = PgConnection::establish(admin_url)?;
    admin.batch_execute("DROP DATABASE IF EXISTS wfctl_bench WITH (FORCE)")?;
    admin.batch_execute("CREATE DATABASE wfctl_bench")?;
    let mut conn = PgConnection::establish(&url)?;
    conn.batch_execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")?;
    // The schema of the wfctl under test (its own migrations), not of this program.
    let out = Command::new(bin)
        .args(["--database-url", &url, "db", "migrate"])
        .output()?;
    if !out.status.success() {
        return Err(format!("wfctl db migrate: {}", String::from_utf8_lossy(&out.stderr)).into());
    }

    eprintln!("generating {cases} cases ...");
    let started = Instant::now();
    conn.batch_execute(&include_str!("generate.sql").replace(":cases", &cases.to_string()))?;
    let generate = started.elapsed().as_secs_f64();
    let started = Instant::now();
    conn.batch_execute("VACUUM ANALYZE")?;
    let vacuum = started.elapsed().as_secs_f64();
    eprintln!("generated in {generate:.1} s, VACUUM ANALYZE {vacuum:.1} s");

    // The bound: read every workflow table once (the better of two passes, as the cache is
    // then as warm for it as for the commands timed after it).
    let mut rows = 0;
    let mut bound = f64::MAX;
    for _ in 0..2 {
        rows = 0;
        let started = Instant::now();
        for table in TABLES {
            let c: Count = diesel::sql_query(format!("SELECT count(*) AS n FROM {table}"))
                .get_result(&mut conn)?;
            rows += c.n;
        }
        bound = bound.min(started.elapsed().as_secs_f64());
    }
    let size: Size =
        diesel::sql_query("SELECT pg_size_pretty(pg_database_size(current_database())) AS size")
            .get_result(&mut conn)?;

    let run = |args: &[&str]| -> Result<(f64, String), Box<dyn Error>> {
        let started = Instant::now();
        let out = Command::new(bin)
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
    let mut scrapes = Vec::with_capacity(METRICS_RUNS);
    for _ in 0..METRICS_RUNS {
        scrapes.push(run(&["metrics"])?.0);
    }
    scrapes.sort_by(f64::total_cmp);
    let report: serde_json::Value = serde_json::from_str(&json)?;
    drop(conn);
    admin.batch_execute("DROP DATABASE IF EXISTS wfctl_bench WITH (FORCE)")?;
    Ok(Figures {
        cases,
        rows,
        size: size.size,
        bound,
        all_first,
        all_second,
        cases_secs,
        metrics: scrapes[METRICS_RUNS / 2],
        report,
    })
}

fn print_size(f: &Figures) {
    println!(
        "wfctl diag benchmark: {} cases, {} rows in the workflow tables, database {}",
        f.cases, f.rows, f.size
    );
    println!();
    println!("{:<44} {:>9} {:>14}", "figure", "seconds", "ratio to bound");
    println!(
        "{:<44} {:>9.3} {:>14}",
        "bound: read every workflow table once", f.bound, "1.00"
    );
    for (name, secs) in [
        ("wfctl diag all (first run)", f.all_first),
        ("wfctl diag all (second run)", f.all_second),
        ("wfctl diag cases", f.cases_secs),
        ("wfctl metrics (median of 7)", f.metrics),
    ] {
        println!("{name:<44} {secs:>9.3} {:>14.2}", secs / f.bound);
    }
    println!();
    println!("diag all, per check (first run):");
    for timing in f.report["timings"].as_array().into_iter().flatten() {
        println!(
            "  {:<20} {:>7.3} s",
            timing[0].as_str().unwrap_or("?"),
            timing[1].as_f64().unwrap_or(0.0)
        );
    }
    println!(
        "status {}; {} findings",
        f.report["status"],
        f.report["findings"].as_array().map_or(0, Vec::len)
    );
    for finding in f.report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|finding| finding["severity"] != "ok")
    {
        println!(
            "  {} {}: {}",
            finding["severity"], finding["check"], finding["message"]
        );
    }
    println!();
}

/// One table of every size; the goals: diag all <= 1.5x of the bound, metrics flat in history
/// (<= 1.5x from the smallest size to the next) and under 0.1 s.
fn print_summary(all: &[Figures]) {
    println!("summary (seconds; ratios to the bound of the same size, metrics to the first size)");
    println!(
        "{:>9} {:>9} {:>11} {:>7} {:>11} {:>7} {:>9} {:>11}",
        "cases", "bound", "all, 1st", "ratio", "all, 2nd", "ratio", "metrics", "metrics/1st"
    );
    let first_metrics = all.first().map_or(1.0, |f| f.metrics);
    for f in all {
        println!(
            "{:>9} {:>9.3} {:>11.3} {:>7.2} {:>11.3} {:>7.2} {:>9.3} {:>11.2}",
            f.cases,
            f.bound,
            f.all_first,
            f.all_first / f.bound,
            f.all_second,
            f.all_second / f.bound,
            f.metrics,
            f.metrics / first_metrics
        );
    }
}
