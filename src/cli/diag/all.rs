//! `diag all`: every check with thresholds; `--check` exits 3 on a problem, `--nagios` prints
//! one status line and exits 0/1/2/3 like check_postgres.

use std::time::{Duration, Instant};

use clap::Args;
use diesel::PgConnection;
use wfctl::diag::{self, Facts, Finding, Outcome, Severity, Thresholds};

use super::{Context, error_basket, open, thresholds_from, warn_limitations};
use crate::cli::Exit;
use crate::cli::exit::PARTIAL;

/// What every check gets besides the connection.
pub(crate) struct Settings {
    pub(crate) thresholds: Thresholds,
    pub(crate) min_stats_age: Duration,
    pub(crate) cases: diag::cases::Options,
    /// wfctl's configured pool size, for the settings check's pool formula.
    pub(crate) pool_size: u32,
}

/// A check of `diag all`: its findings, what it could not see, and the figures it compared with
/// thresholds. Adding a check is one line in [`CHECKS`]; a check that returns only findings and
/// limitations fills `Outcome { findings, limitations, ..Outcome::default() }`.
pub(crate) type CheckFn = fn(&mut PgConnection, &Facts, &Settings) -> anyhow::Result<Outcome>;

/// Checks that run only when named with `--include`.
const OPT_IN: &[&str] = &["settings", "wal"];

/// The checks, in the order they run and print.
pub(crate) const CHECKS: &[(&str, CheckFn)] = &[
    ("health", |c, f, s| {
        Ok(diag::health::evaluate(c, f, &s.thresholds)?)
    }),
    ("long-running", |c, f, s| {
        Ok(diag::long_running::evaluate(c, f, &s.thresholds)?)
    }),
    ("locks", |c, f, s| {
        Ok(diag::locks::evaluate(c, f, &s.thresholds)?)
    }),
    ("vacuum", |c, f, s| {
        Ok(diag::vacuum::evaluate(c, f, &s.thresholds)?)
    }),
    ("indexes", |c, f, s| {
        Ok(diag::indexes::evaluate(
            c,
            f,
            &s.thresholds,
            s.min_stats_age,
        )?)
    }),
    ("slow-queries", |c, f, s| {
        Ok(diag::slow_queries::evaluate(c, f, &s.thresholds)?)
    }),
    ("bloat", |c, f, s| {
        Ok(diag::bloat::evaluate(c, f, &s.thresholds)?)
    }),
    ("sizes", |c, _, _| Ok(diag::sizes::evaluate(c)?)),
    ("cases", |c, f, s| {
        Ok(diag::cases::evaluate(c, f, &s.thresholds, &s.cases)?)
    }),
    ("settings", |c, _, s| {
        let report =
            diag::settings::check(c, &diag::settings::SettingsOptions::for_pool(s.pool_size))?;
        Ok(Outcome {
            findings: report.findings,
            limitations: report.limitations,
            ..Outcome::default()
        })
    }),
    ("wal", |c, _, _| {
        let report = diag::wal::check(c, &diag::wal::WalOptions::default())?;
        Ok(Outcome {
            findings: report.findings,
            limitations: report.limitations,
            ..Outcome::default()
        })
    }),
    ("explain", |c, _, s| {
        let stuck_ms = i64::try_from(s.cases.stuck_for.as_millis()).unwrap_or(i64::MAX);
        Ok(diag::explain::evaluate(c, &s.thresholds, stuck_ms)?)
    }),
];

#[derive(Debug, Args)]
#[command(after_help = super::thresholds_help())]
pub(crate) struct AllArgs {
    /// Exit 3 when any check finds a warning or a critical problem (0 otherwise)
    #[arg(long)]
    check: bool,
    /// Nagios plugin output: one status line with performance data; exit 0 OK, 1 WARNING,
    /// 2 CRITICAL, 3 UNKNOWN (also when the database is unreachable)
    #[arg(long)]
    nagios: bool,
    /// Warning level, e.g. `long_running=2m` (repeatable; keys below)
    #[arg(long, value_name = "KEY=VALUE")]
    warn: Vec<String>,
    /// Critical level, e.g. `connections=98%` (repeatable)
    #[arg(long, value_name = "KEY=VALUE")]
    crit: Vec<String>,
    /// Leave a check out (repeatable): health, long-running, locks, vacuum, indexes,
    /// slow-queries, bloat, sizes, cases, explain
    #[arg(long, value_name = "CHECK")]
    skip: Vec<String>,
    /// Also run an opt-in check (repeatable): settings (server tuning against the guide),
    /// wal (WAL archiving for point-in-time recovery). Opt-in because an untuned or
    /// non-archiving server is a choice, not an incident
    #[arg(long, value_name = "CHECK", value_parser = ["settings", "wal"])]
    include: Vec<String>,
    /// A running case idle this long without its case lock is stuck
    #[arg(long, default_value = "10m", value_parser = super::duration, value_name = "DURATION")]
    stuck_for: Duration,
    /// The error work basket (default: [engine] error_workbasket, else workflow_error)
    #[arg(long, value_name = "NAME")]
    error_basket: Option<String>,
    /// Index statistics younger than this do not make an unused index a warning
    #[arg(long, default_value = "7d", value_parser = super::duration, value_name = "DURATION")]
    min_stats_age: Duration,
}

/// How long one check took.
#[derive(Debug, serde::Serialize)]
struct Timing {
    check: &'static str,
    seconds: f64,
}

/// Everything `diag all` found.
#[derive(Debug, serde::Serialize)]
struct Report {
    status: Severity,
    database: String,
    checks: Vec<&'static str>,
    findings: Vec<Finding>,
    limitations: Vec<diag::Limitation>,
    measures: Vec<diag::Measure>,
    /// How long each check took.
    timings: Vec<Timing>,
    elapsed_seconds: f64,
}

pub(crate) fn run(args: &AllArgs, ctx: &Context) -> anyhow::Result<()> {
    for name in &args.skip {
        if !CHECKS.iter().any(|(n, _)| n == name) {
            return Err(Exit::new(
                crate::cli::exit::USAGE,
                format!("--skip {name}: no such check"),
            )
            .into());
        }
    }
    let settings = Settings {
        pool_size: ctx.pool_options().max_size,
        thresholds: thresholds_from(&args.warn, &args.crit)?,
        min_stats_age: args.min_stats_age,
        cases: diag::cases::Options {
            stuck_for: args.stuck_for,
            error_basket: error_basket(ctx, args.error_basket.as_deref()),
            limit: 20,
        },
    };
    let report = match collect(args, ctx, &settings) {
        Ok(r) => r,
        Err(e) if args.nagios => {
            ctx.output.print(&format!(
                "WFCTL DIAG UNKNOWN: {}",
                format!("{e:#}").replace(['\n', '|'], " ")
            ))?;
            return Err(Exit::new(Severity::Unknown.nagios_code(), "").into());
        }
        Err(e) => return Err(e),
    };
    let out = &ctx.output;
    if args.nagios {
        out.print(&nagios_line(&report))?;
        let code = report.status.nagios_code();
        return if code == 0 {
            Ok(())
        } else {
            Err(Exit::new(code, "").into())
        };
    }
    if out.json() {
        out.print_json(&report)?;
    } else {
        let mut table = out.table(["severity", "check", "finding", "fix"]);
        let mut findings: Vec<&Finding> = report.findings.iter().collect();
        findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
        for f in findings {
            if f.severity == Severity::Ok && out.quiet() {
                continue;
            }
            table.add_row([
                paint(out, f.severity),
                f.check.clone(),
                f.message.clone(),
                f.fix.clone().unwrap_or_default(),
            ]);
        }
        out.print_table(&table)?;
        warn_limitations(out, &report.limitations);
        out.status(&format!(
            "{}: {} checks in {:.1} s",
            label(report.status),
            report.checks.len(),
            report.elapsed_seconds
        ));
    }
    if args.check && report.status > Severity::Ok {
        return Err(Exit::new(PARTIAL, "").into());
    }
    Ok(())
}

fn collect(args: &AllArgs, ctx: &Context, settings: &Settings) -> anyhow::Result<Report> {
    let started = Instant::now();
    let (mut conn, facts) = open(ctx)?;
    let mut outcome = Outcome {
        limitations: facts.managed_limitation().into_iter().collect(),
        ..Outcome::default()
    };
    let mut checks = Vec::new();
    let mut timings = Vec::new();
    for (name, check) in CHECKS
        .iter()
        .filter(|(n, _)| !args.skip.iter().any(|s| s == n))
        .filter(|(n, _)| !OPT_IN.contains(n) || args.include.iter().any(|i| i == n))
    {
        checks.push(*name);
        let check_started = Instant::now();
        let result = check(&mut conn, &facts, settings);
        timings.push(Timing {
            check: name,
            seconds: check_started.elapsed().as_secs_f64(),
        });
        match result {
            Ok(o) => {
                outcome.findings.extend(o.findings);
                outcome.limitations.extend(o.limitations);
                outcome.measures.extend(o.measures);
            }
            Err(e) if crate::cli::exit::classify(&e) == crate::cli::exit::UNAVAILABLE => {
                return Err(e);
            }
            Err(e) => outcome.findings.push(Finding::new(
                name,
                Severity::Unknown,
                format!("check failed: {e:#}"),
            )),
        }
    }
    // The same limitation reported by two checks is one thing the role cannot see.
    let mut seen = std::collections::BTreeSet::new();
    outcome
        .limitations
        .retain(|l| seen.insert((l.what.clone(), l.why.clone())));
    let status = outcome
        .findings
        .iter()
        .map(|f| f.severity)
        .chain(outcome.measures.iter().map(|m| m.severity))
        .max()
        .unwrap_or(Severity::Ok);
    Ok(Report {
        status,
        database: facts.server.database.clone(),
        checks,
        findings: outcome.findings,
        limitations: outcome.limitations,
        measures: outcome.measures,
        timings,
        elapsed_seconds: started.elapsed().as_secs_f64(),
    })
}

fn label(s: Severity) -> &'static str {
    match s {
        Severity::Ok => "OK",
        Severity::Warning => "WARNING",
        Severity::Critical => "CRITICAL",
        Severity::Unknown => "UNKNOWN",
    }
}

fn paint(out: &crate::cli::Output, s: Severity) -> String {
    let colour = match s {
        Severity::Ok => "32",
        Severity::Warning => "33",
        Severity::Critical => "31;1",
        Severity::Unknown => "35",
    };
    out.paint(label(s), colour)
}

/// `WFCTL DIAG WARNING: 2 warnings: ...; ... | connections=3%;90;95 ...`, like check_postgres.
fn nagios_line(report: &Report) -> String {
    let mut problems: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.severity > Severity::Ok)
        .collect();
    problems.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let count = |s: Severity| problems.iter().filter(|f| f.severity == s).count();
    let summary = if problems.is_empty() {
        format!(
            "{} checks OK on database {}",
            report.checks.len(),
            report.database
        )
    } else {
        let shown: Vec<String> = problems
            .iter()
            .take(3)
            .map(|f| format!("{}: {}", f.check, f.message.replace('|', "/")))
            .collect();
        let more = problems.len().saturating_sub(3);
        format!(
            "{} critical, {} warning, {} unknown: {}{}",
            count(Severity::Critical),
            count(Severity::Warning),
            count(Severity::Unknown),
            shown.join("; "),
            if more > 0 {
                format!("; +{more} more")
            } else {
                String::new()
            }
        )
    };
    let hidden = if report.limitations.is_empty() {
        String::new()
    } else {
        format!(
            " ({} things not visible to this role)",
            report.limitations.len()
        )
    };
    let perf: Vec<String> = report
        .measures
        .iter()
        .map(diag::Measure::perfdata)
        .collect();
    format!(
        "WFCTL DIAG {}: {summary}{hidden} | {} time={:.2}s",
        label(report.status),
        perf.join(" "),
        report.elapsed_seconds
    )
}
