//! `wfctl metrics`: the output passes a Prometheus text-format parser (the prometheus-parse
//! crate), with the values the data implies; `--listen` serves the same on /metrics.

use std::io::{BufRead, BufReader, Read, Write};
use std::time::Duration;

use crate::pg_or_skip;
use crate::support::diag::{State, case, milestone};
use crate::support::{Run, TestDb, poll_for, wfctl};

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
    let run = Run::of(wfctl().args(["--database-url", &db.url, "metrics"])).expect_code(0);
    let scrape = parse(&run.stdout);
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
        run.stdout
            .contains("workflow_case_execution_time_seconds_sum 7220.3\n"),
        "{}",
        run.stdout
    );
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
