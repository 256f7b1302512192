//! `wfctl metrics`: the output passes a Prometheus text-format parser (the prometheus-parse
//! crate), with the values the data implies; `--listen` serves the same on /metrics.

use std::io::{BufRead, BufReader, Read, Write};
use std::time::Duration;

use diesel::connection::SimpleConnection;

use crate::pg_or_skip;
use crate::support::diag::{State, case, milestone};
use crate::support::{Run, TestDb, poll_for, poll_until, wfctl};

fn parse(text: &str) -> prometheus_parse::Scrape {
    let scrape = prometheus_parse::Scrape::parse(text.lines().map(|l| Ok(l.to_string()))).unwrap();
    // The parser skips what it does not understand: every sample line must have become a sample
    // (a histogram's _bucket lines fold into one; its _sum and _count stay samples of their own).
    let sample_lines = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .count();
    let bucket_lines = text.lines().filter(|l| l.contains("_bucket{")).count();
    assert_eq!(
        scrape.samples.len(),
        sample_lines - bucket_lines + 1,
        "{text}"
    );
    for suffix in ["_sum", "_count"] {
        let name = format!("workflow_case_execution_time_seconds{suffix}");
        assert!(scrape.samples.iter().any(|s| s.metric == name), "{name}");
    }
    for line in text.lines().filter(|l| l.starts_with("# TYPE")) {
        let name = line.split_whitespace().nth(2).unwrap();
        assert!(scrape.docs.contains_key(name), "no HELP for {name}");
    }
    scrape
}

fn value(scrape: &prometheus_parse::Scrape, name: &str, label: Option<(&str, &str)>) -> f64 {
    let sample = scrape
        .samples
        .iter()
        .find(|s| s.metric == name && label.is_none_or(|(k, v)| s.labels.get(k) == Some(v)))
        .unwrap_or_else(|| panic!("no {name} {label:?}"));
    match &sample.value {
        prometheus_parse::Value::Counter(v)
        | prometheus_parse::Value::Gauge(v)
        | prometheus_parse::Value::Untyped(v) => *v,
        other => panic!("{name}: {other:?}"),
    }
}

fn seed(db: &TestDb) {
    let mut conn = db.conn();
    let old = Duration::from_secs(3600);
    case(&mut conn, "M-1", State::Completed { took_ms: 300 }, old);
    case(&mut conn, "M-2", State::Completed { took_ms: 20_000 }, old);
    case(
        &mut conn,
        "M-3",
        State::Completed { took_ms: 7_200_000 },
        old,
    );
    case(&mut conn, "M-4", State::Running, Duration::from_secs(1));
    case(&mut conn, "M-5", State::Pended("review-desk"), old);
    case(
        &mut conn,
        "M-6",
        State::Pended("review-desk"),
        Duration::from_secs(5),
    );
    case(&mut conn, "M-7", State::Pended("workflow_error"), old);
    milestone(&mut conn, "M-5", "sla", "review-desk", "enqueued", -60);
    milestone(&mut conn, "M-6", "sla", "review-desk", "enqueued", 600);
}

#[test]
fn metrics_parse_and_carry_the_data() {
    let db = pg_or_skip!(TestDb::new());
    seed(&db);
    // The table counters behind workflow_audit_rows_inserted_total come from the server's
    // statistics, which before PostgreSQL 15 arrive through the stats collector some time
    // after the seeding session ended: scraped again until they are in.
    let (scrape, stdout) = poll_for(
        "the seeded audit rows in the server's statistics",
        Duration::from_secs(20),
        || {
            let run = Run::of(wfctl().args(["--database-url", &db.url, "metrics"])).expect_code(0);
            let scrape = parse(&run.stdout);
            (value(&scrape, "workflow_audit_rows_inserted_total", None) >= 14.0)
                .then_some((scrape, run.stdout))
        },
    );
    assert_eq!(value(&scrape, "workflow_cases_started_total", None), 7.0);
    assert_eq!(value(&scrape, "workflow_cases_completed_total", None), 3.0);
    assert_eq!(value(&scrape, "workflow_cases_active", None), 4.0);
    assert_eq!(value(&scrape, "workflow_cases_running", None), 1.0);
    assert_eq!(
        value(
            &scrape,
            "workflow_cases_pended",
            Some(("workbasket", "review-desk"))
        ),
        2.0
    );
    assert_eq!(
        value(
            &scrape,
            "workflow_sla_milestones_overdue",
            Some(("workbasket", "review-desk"))
        ),
        1.0
    );
    assert_eq!(
        value(
            &scrape,
            "workflow_error_basket_cases",
            Some(("workbasket", "workflow_error"))
        ),
        1.0
    );
    assert_eq!(value(&scrape, "workflow_database_up", None), 1.0);
    assert!(value(&scrape, "workflow_audit_rows_inserted_total", None) >= 14.0);
    assert!(value(&scrape, "workflow_stats_reset_timestamp_seconds", None) > 1.6e9);
    let histogram = scrape
        .samples
        .iter()
        .find(|s| s.metric == "workflow_case_execution_time_seconds")
        .unwrap();
    let prometheus_parse::Value::Histogram(buckets) = &histogram.value else {
        panic!("{:?}", histogram.value)
    };
    let at = |le: f64| buckets.iter().find(|b| b.less_than == le).unwrap().count;
    assert_eq!(at(0.5), 1.0);
    assert_eq!(at(30.0), 2.0);
    assert_eq!(at(3600.0), 2.0);
    assert_eq!(at(14_400.0), 3.0);
    assert_eq!(at(f64::INFINITY), 3.0);
    assert!(
        stdout.contains("workflow_case_execution_time_seconds_sum 7220.3\n"),
        "{stdout}"
    );
}

/// From 10,000 cases on, the history's figures come from the statistics (and say so in their
/// HELP), while what is active is still counted exactly.
#[test]
fn history_figures_are_estimates_from_the_statistics_and_active_ones_exact() {
    let db = pg_or_skip!(TestDb::new());
    seed(&db);
    let mut conn = db.conn();
    // 20,000 completed cases of the history: half took 0.2 s, half 20 s
    conn.batch_execute(
        "INSERT INTO workflow_info (hibid, case_id, ts, is_complete, pend_exec_path, started_ts, completed_ts)
         SELECT 'workflow_process_info-H-' || n, 'H-' || n, 1000000 + n, true, '',
                1000000, 1000000 + CASE WHEN n % 2 = 0 THEN 200 ELSE 20000 END
         FROM generate_series(1, 20000) n;
         ANALYZE workflow_info;",
    )
    .unwrap();
    drop(conn);
    // the server counts the inserts once their session reports them (at most a second or so)
    poll_until(
        "the statistics to count the history",
        Duration::from_secs(30),
        || {
            #[derive(diesel::QueryableByName)]
            struct Live {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                n: i64,
            }
            use diesel::RunQueryDsl;
            diesel::sql_query(
                "SELECT n_live_tup AS n FROM pg_stat_user_tables WHERE relname = 'workflow_info'",
            )
            .get_result::<Live>(&mut db.conn())
            .is_ok_and(|l| l.n >= 20_000)
        },
    );
    let run = Run::of(wfctl().args(["--database-url", &db.url, "metrics"])).expect_code(0);
    let scrape = parse(&run.stdout);
    let near = |name: &str, want: f64| {
        let got = value(&scrape, name, None);
        assert!(
            (got - want).abs() <= want * 0.02,
            "{name}: {got}, want about {want}"
        );
    };
    near("workflow_cases_started_total", 20_007.0);
    near("workflow_cases_completed_total", 20_003.0);
    // what is active is exact
    assert_eq!(value(&scrape, "workflow_cases_active", None), 4.0);
    assert_eq!(value(&scrape, "workflow_cases_running", None), 1.0);
    assert_eq!(
        value(
            &scrape,
            "workflow_cases_pended",
            Some(("workbasket", "review-desk"))
        ),
        2.0
    );
    assert_eq!(
        value(
            &scrape,
            "workflow_error_basket_cases",
            Some(("workbasket", "workflow_error"))
        ),
        1.0
    );
    assert_eq!(
        value(
            &scrape,
            "workflow_sla_milestones_overdue",
            Some(("workbasket", "review-desk"))
        ),
        1.0
    );
    let histogram = scrape
        .samples
        .iter()
        .find(|s| s.metric == "workflow_case_execution_time_seconds")
        .unwrap();
    let prometheus_parse::Value::Histogram(buckets) = &histogram.value else {
        panic!("{:?}", histogram.value)
    };
    let at = |le: f64| buckets.iter().find(|b| b.less_than == le).unwrap().count;
    for (le, want) in [(0.5, 10_001.0), (30.0, 20_002.0), (f64::INFINITY, 20_003.0)] {
        assert!(
            (at(le) - want).abs() <= want * 0.05,
            "le={le}: {}, want about {want}",
            at(le)
        );
    }
    for name in [
        "workflow_cases_started_total",
        "workflow_cases_completed_total",
        "workflow_case_execution_time_seconds",
        "workflow_sla_actions_fired_total",
    ] {
        let help = &scrape.docs[name];
        assert!(help.contains("estimate"), "{name}: {help}");
    }
    for exact in ["workflow_cases_active", "workflow_cases_running"] {
        assert!(!scrape.docs[exact].contains("estimate"), "{exact}");
    }
}

#[test]
fn listen_serves_metrics_and_stops_after_max_requests() {
    let db = pg_or_skip!(TestDb::new());
    seed(&db);
    let mut child = wfctl()
        .args([
            "--database-url",
            &db.url,
            "metrics",
            "--listen",
            "127.0.0.1:0",
            "--max-requests",
            "2",
        ])
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let addr = line
        .trim()
        .strip_prefix("serving metrics on http://")
        .and_then(|a| a.strip_suffix("/metrics"))
        .unwrap_or_else(|| panic!("{line}"))
        .to_string();
    let get = |path: &str| {
        let mut stream = std::net::TcpStream::connect(&addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    };
    let missing = get("/other");
    assert!(
        missing.starts_with("HTTP/1.0 404") || missing.starts_with("HTTP/1.1 404"),
        "{missing}"
    );
    let response = get("/metrics");
    assert!(response.contains(" 200 "), "{response}");
    assert!(response.contains("text/plain; version=0.0.4"), "{response}");
    let body = response.split("\r\n\r\n").nth(1).unwrap();
    let scrape = parse(body);
    assert_eq!(value(&scrape, "workflow_cases_started_total", None), 7.0);
    // Bounded: it stops by itself after the second request.
    let status = poll_for("metrics --listen to stop", Duration::from_secs(10), || {
        child.try_wait().unwrap()
    });
    assert!(status.success());
}
