//! `diag all`: the registry of checks, which of them run, and how their outcomes add up to one
//! status. Every check has the one [`Check`] shape; the caller only renders the [`Report`].

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use diesel::PgConnection;
use serde::Serialize;

use super::{Error, Facts, Finding, Limitation, Measure, Outcome, Severity, Thresholds};
use crate::db::pool::Pool;

/// What every check gets besides the connection and the facts.
pub struct Options {
    /// The warning and critical levels.
    pub thresholds: Thresholds,
    /// Index statistics younger than this do not make an unused index a warning.
    pub min_stats_age: Duration,
    /// The case check's options (stuck after, error basket, how many ids to name).
    pub cases: super::cases::Options,
    /// wfctl's configured pool size, for the settings check's pool formula.
    pub pool_size: u32,
    /// Connections the case check runs its statements on side by side (none: one at a time).
    pub pool: Option<Pool>,
    /// How many of them at once.
    pub threads: usize,
    /// Whether the explain check runs the statements or only plans them.
    pub explain: super::explain::How,
}

/// Most case statements run side by side: more than the server's cores only queue.
const MAX_CASE_THREADS: u32 = 4;

/// How many connections the case check uses side by side for a client pool of `pool_size`.
pub fn case_threads(pool_size: u32) -> usize {
    pool_size.clamp(1, MAX_CASE_THREADS) as usize
}

/// One check of `diag all`: its findings, what it could not see, and the figures it compared
/// with thresholds. Adding a check is one entry in [`CHECKS`].
pub struct Check {
    /// The name `--skip` and `--include` take, and findings carry.
    pub name: &'static str,
    /// Runs only when asked for (`--include`): an untuned or non-archiving server is a choice,
    /// not an incident.
    pub opt_in: bool,
    run: fn(&mut PgConnection, &Facts, &Options) -> Result<Outcome, Error>,
}

impl Check {
    /// Runs the check.
    pub fn run(
        &self,
        conn: &mut PgConnection,
        facts: &Facts,
        options: &Options,
    ) -> Result<Outcome, Error> {
        (self.run)(conn, facts, options)
    }
}

/// Which findings fail a `--check` (exit 3): the one rule every check command follows, so
/// the command line only asks it. `docs/diag.md` ("What fails `--check`") says the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckRule {
    /// `diag all`, the monitoring sweep: any problem fails it, a warning, a critical finding or
    /// a check that could not run (`unknown`).
    Sweep,
    /// `diag settings` and `diag wal`, one subject each: a critical finding only. Their
    /// warnings are advice (shown, exit 0), and an `unknown` row is a setting the role may not
    /// read (stderr names the grant), not a fault of the server.
    Subject,
}

impl CheckRule {
    /// Whether a finding (or a run's worst level) at `severity` fails the check.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            Self::Sweep => severity > Severity::Ok,
            Self::Subject => severity == Severity::Critical,
        }
    }

    /// The findings that fail the check, in their order (none: it passes).
    pub fn failures(self, findings: &[Finding]) -> Vec<&Finding> {
        findings.iter().filter(|f| self.fails(f.severity)).collect()
    }
}

const fn check(
    name: &'static str,
    run: fn(&mut PgConnection, &Facts, &Options) -> Result<Outcome, Error>,
) -> Check {
    Check {
        name,
        opt_in: false,
        run,
    }
}

const fn opt_in(
    name: &'static str,
    run: fn(&mut PgConnection, &Facts, &Options) -> Result<Outcome, Error>,
) -> Check {
    Check {
        name,
        opt_in: true,
        run,
    }
}

/// The checks, in the order they run and print.
pub const CHECKS: &[Check] = &[
    check("health", |c, f, o| {
        super::health::evaluate(c, f, &o.thresholds)
    }),
    check("long-running", |c, f, o| {
        super::long_running::evaluate(c, f, &o.thresholds)
    }),
    check("locks", |c, f, o| {
        super::locks::evaluate(c, f, &o.thresholds)
    }),
    check("vacuum", |c, f, o| {
        super::vacuum::evaluate(c, f, &o.thresholds)
    }),
    check("indexes", |c, f, o| {
        super::indexes::evaluate(c, f, &o.thresholds, o.min_stats_age)
    }),
    check("slow-queries", |c, f, o| {
        super::slow_queries::evaluate(c, f, &o.thresholds)
    }),
    check("bloat", |c, f, o| {
        super::bloat::evaluate(c, f, &o.thresholds)
    }),
    check("sizes", |c, _, _| super::sizes::evaluate(c)),
    check("cases", |c, f, o| match &o.pool {
        Some(pool) => {
            super::cases::evaluate_parallel(c, pool, o.threads, f, &o.thresholds, &o.cases)
        }
        None => super::cases::evaluate(c, f, &o.thresholds, &o.cases),
    }),
    opt_in("settings", |c, _, o| {
        super::settings::evaluate(c, &super::settings::SettingsOptions::for_pool(o.pool_size))
    }),
    opt_in("wal", |c, _, _| {
        super::wal::evaluate(c, &super::wal::WalOptions::default())
    }),
    check("explain", |c, _, o| {
        let stuck_ms = i64::try_from(o.cases.stuck_for.as_millis()).unwrap_or(i64::MAX);
        super::explain::evaluate(c, &o.thresholds, stuck_ms, o.explain)
    }),
];

/// Which checks run: all but the opt-in ones and those left out, plus the opt-in ones asked for.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Checks left out.
    pub skip: Vec<String>,
    /// Opt-in checks asked for.
    pub include: Vec<String>,
}

impl Selection {
    /// The first name that is no check, if any: `Error::Invalid` naming it.
    pub fn validate(&self) -> Result<(), Error> {
        let unknown = |flag: &str, names: &[String], opt_in_only: bool| {
            names
                .iter()
                .find(|n| {
                    !CHECKS
                        .iter()
                        .any(|c| c.name == n.as_str() && (!opt_in_only || c.opt_in))
                })
                .map(|n| Error::Invalid(format!("{flag} {n}: no such check")))
        };
        match unknown("--skip", &self.skip, false)
            .or_else(|| unknown("--include", &self.include, true))
        {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Whether `name` runs.
    pub fn runs(&self, name: &str) -> bool {
        let named = |list: &[String]| list.iter().any(|n| n == name);
        let Some(check) = CHECKS.iter().find(|c| c.name == name) else {
            return false;
        };
        !named(&self.skip) && (!check.opt_in || named(&self.include))
    }
}

/// How long one check took.
#[derive(Debug, Clone, Serialize)]
pub struct Timing {
    /// The check.
    pub check: &'static str,
    /// Its wall time.
    pub seconds: f64,
}

/// Everything `diag all` found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The worst severity of any finding or measure (`ok` when none is past a level).
    pub status: Severity,
    /// The database checked.
    pub database: String,
    /// The checks that ran, in order.
    pub checks: Vec<&'static str>,
    /// What they found.
    pub findings: Vec<Finding>,
    /// What the role could not see, each once.
    pub limitations: Vec<Limitation>,
    /// Figures compared with thresholds (the Nagios performance data).
    pub measures: Vec<Measure>,
    /// How long each check took.
    pub timings: Vec<Timing>,
    /// The whole run, connecting included when the caller passes its start.
    pub elapsed_seconds: f64,
}

impl Report {
    /// The findings that name a problem, worst first.
    pub fn problems(&self) -> Vec<&Finding> {
        let mut problems: Vec<&Finding> = self
            .findings
            .iter()
            .filter(|f| f.severity > Severity::Ok)
            .collect();
        problems.sort_by_key(|f| std::cmp::Reverse(f.severity));
        problems
    }
}

/// Runs the selected checks in order. A check that fails is an `unknown` finding and the run
/// goes on; a lost connection ends the run (the database is unreachable, not a check broken).
pub fn run(
    conn: &mut PgConnection,
    facts: &Facts,
    options: &Options,
    selection: &Selection,
    started: Instant,
) -> Result<Report, Error> {
    let mut outcome = Outcome {
        limitations: facts.managed_limitation().into_iter().collect(),
        ..Outcome::default()
    };
    let mut checks = Vec::new();
    let mut timings = Vec::new();
    std::thread::scope(|scope| {
        // The case check reads the workflow tables, the others the catalogue: with a pool big
        // enough for its leader and its workers it runs beside them, from the start, and its
        // outcome is taken in its place in the order.
        let mut beside = options
            .pool
            .as_ref()
            .filter(|pool| pool.max_size() as usize > options.threads)
            .and_then(|pool| {
                let check = CHECKS
                    .iter()
                    .find(|c| c.name == CASES && selection.runs(c.name))?;
                Some(scope.spawn(move || {
                    let check_started = Instant::now();
                    let result = crate::db::pool::checkout(pool)
                        .map_err(|e| Error::Invalid(e.to_string()))
                        .and_then(|mut leader| check.run(&mut leader, facts, options));
                    (result, check_started.elapsed())
                }))
            });
        run_in_order(
            conn,
            facts,
            options,
            selection,
            &mut beside,
            &mut checks,
            &mut timings,
            &mut outcome,
        )
    })?;
    // The same limitation reported by two checks is one thing the role cannot see.
    let mut seen = BTreeSet::new();
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

/// The name of the case check, which may run beside the others.
const CASES: &str = "cases";

/// The case check running beside the others: its outcome and wall time.
type Beside<'s> = std::thread::ScopedJoinHandle<'s, (Result<Outcome, Error>, Duration)>;

/// Runs the selected checks in order on `conn`, taking the case check's outcome from `beside`
/// when it runs there.
#[allow(clippy::too_many_arguments)]
fn run_in_order(
    conn: &mut PgConnection,
    facts: &Facts,
    options: &Options,
    selection: &Selection,
    beside: &mut Option<Beside<'_>>,
    checks: &mut Vec<&'static str>,
    timings: &mut Vec<Timing>,
    outcome: &mut Outcome,
) -> Result<(), Error> {
    for check in CHECKS.iter().filter(|c| selection.runs(c.name)) {
        checks.push(check.name);
        let check_started = Instant::now();
        let running_beside = if check.name == CASES {
            beside.take()
        } else {
            None
        };
        let (result, seconds) = match running_beside {
            Some(handle) => match handle.join() {
                Ok((result, took)) => (result, took.as_secs_f64()),
                Err(_) => (
                    Err(Error::Invalid("the case check stopped unexpectedly".into())),
                    check_started.elapsed().as_secs_f64(),
                ),
            },
            None => {
                let result = check.run(conn, facts, options);
                (result, check_started.elapsed().as_secs_f64())
            }
        };
        timings.push(Timing {
            check: check.name,
            seconds,
        });
        match result {
            Ok(o) => {
                outcome.findings.extend(o.findings);
                outcome.limitations.extend(o.limitations);
                outcome.measures.extend(o.measures);
            }
            Err(e) if e.is_connection_lost() => return Err(e),
            Err(e) => outcome.findings.push(Finding::new(
                check.name,
                Severity::Unknown,
                format!("check failed: {e}"),
            )),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_sweep_fails_on_any_problem_a_subject_on_critical_only() {
        use Severity::{Critical, Ok, Unknown, Warning};
        let sweep: Vec<bool> = [Ok, Warning, Critical, Unknown]
            .map(|s| CheckRule::Sweep.fails(s))
            .to_vec();
        assert_eq!(sweep, [false, true, true, true]);
        let subject: Vec<bool> = [Ok, Warning, Critical, Unknown]
            .map(|s| CheckRule::Subject.fails(s))
            .to_vec();
        assert_eq!(subject, [false, false, true, false]);
        let findings = [
            Finding::new("settings", Warning, "a"),
            Finding::new("settings", Critical, "b"),
            Finding::new("settings", Unknown, "c"),
        ];
        let messages = |rule: CheckRule| {
            rule.failures(&findings)
                .iter()
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(messages(CheckRule::Subject), ["b"]);
        assert_eq!(messages(CheckRule::Sweep), ["a", "b", "c"]);
    }

    #[test]
    fn opt_in_checks_run_only_when_included() {
        let plain = Selection::default();
        assert!(plain.runs("health") && !plain.runs("settings") && !plain.runs("wal"));
        let with = Selection {
            skip: names(&["health"]),
            include: names(&["wal"]),
        };
        assert!(!with.runs("health") && with.runs("wal") && !with.runs("settings"));
        assert!(!plain.runs("nonsense"));
    }

    #[test]
    fn unknown_names_are_refused_naming_the_flag() {
        let bad = |skip: &[&str], include: &[&str]| {
            Selection {
                skip: names(skip),
                include: names(include),
            }
            .validate()
            .map_err(|e| e.to_string())
        };
        assert_eq!(bad(&["wal", "cases"], &[]), Ok(()));
        assert_eq!(
            bad(&["bogus"], &[]),
            Err("--skip bogus: no such check".into())
        );
        assert_eq!(
            bad(&[], &["health"]),
            Err("--include health: no such check".into())
        );
    }

    #[test]
    fn case_threads_stay_between_one_and_the_cap() {
        assert_eq!(case_threads(0), 1);
        assert_eq!(case_threads(2), 2);
        assert_eq!(case_threads(50), MAX_CASE_THREADS as usize);
    }
}
