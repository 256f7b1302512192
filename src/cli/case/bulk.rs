//! The bulk forms of `case resume`, `change-workbasket`, `set-var`, `reopen` and `cancel`
//! (`--all` with the filters of `case list`, or `--ids-file`): one worker of a bulk run (any
//! number may run at once, on any hosts; see `wfctl::bulk`).

use std::path::Path;
use std::time::Duration;

use anyhow::Context as _;
use wfctl::bulk::select::{self, Claimed, IdSource, RunLedger};
use wfctl::bulk::{self, CaseResult, Guarded, Item, Observer, Options, Paged};
use wfctl::engine::{Engine, SystemClock};
use wfctl::store::{CaseQuery, CaseStatus};

use super::BulkArgs;
use super::bulk_select::{SelectArgs, StatusArg};
use super::render::CallReport;
use crate::cli::exit::{CONFIG, Exit, PARTIAL, USAGE};
use crate::cli::output::escape_control;
use crate::cli::runtime::{self, Opened, Recorder, open_store};
use crate::cli::{Context, Output};

pub(crate) use wfctl::bulk::Action;

/// How many cases a PostgreSQL worker claims at a time: small, so that the claim transaction
/// is short and the work spreads over the workers.
const CLAIM_BATCH: usize = 16;

struct Progress {
    bar: indicatif::ProgressBar,
}

impl Observer for Progress {
    fn case_finished(&self, item: &Item) {
        self.bar.inc(1);
        self.bar.set_message(item.case_id.clone());
    }
}

/// One worker of a bulk run; `wait`: how long to wait for a case another process holds
/// (without it, such a case is not done and the run exits 3 naming it).
pub(crate) fn run(
    ctx: &Context,
    args: &BulkArgs,
    action: Action,
    wait: Option<Duration>,
) -> anyhow::Result<()> {
    action.check().map_err(|why| Exit::new(USAGE, why))?;
    let (ids, selection) = match &args.ids_file {
        Some(path) => {
            let ids = read_ids(path)?;
            let text = format!("ids {}", ids.join("\n"));
            (Some(ids), text)
        }
        None if args.select.given().is_empty() => {
            return Err(Exit::new(
                USAGE,
                "--all needs a selection: --status, --workbasket, --journey, --step, --stuck-for or --sla-overdue (or give --ids-file)",
            )
            .into());
        }
        None => (None, args.select.describe()),
    };
    let opened = open_store(ctx)?;
    let sensitive = runtime::sensitive(ctx)?;
    let sealed = wfctl::crypto::Sealed::new(opened.store(), &sensitive, wfctl::crypto::View::Plain);
    let store: &dyn wfctl::store::Store = &sealed;
    let ledger: &dyn RunLedger = match &opened {
        Opened::Files(s) => s,
        Opened::Postgres(s) => s,
    };
    // one selection time for every worker of the run and for a re-run after a kill
    let now = chrono::Utc::now().timestamp_millis();
    let key = select::run_key(&action.describe(), &selection);
    let run_began = ledger.begin(&key, now)?;
    // ... except for a recovery: the cases a dead recoverer left running were written after
    // its selection time, so each recoverer selects as of its own start (a case another
    // worker of the run finished is no longer running, so nothing is taken twice)
    let selected_before = if recovers_stuck(&args.select, &action) {
        now
    } else {
        run_began
    };
    let config = runtime::engine_config(ctx, runtime::lock_wait(wait));
    let components = runtime::components(ctx, &config)?;
    let components = wfctl::crypto::guarded(components, sensitive.clone());
    let seen = components.seen();
    let recorder = Recorder::new().scrubbing(seen.clone());
    let guarded = Guarded::new(store);
    let engine = Engine::new(&guarded, &components)
        .with_events(&recorder)
        .with_clock(&SystemClock)
        .with_config(config);
    // `--limit 0` means no limit, as for every --limit (docs/conventions.md)
    let limit = args.limit.filter(|&n| n > 0);
    let total = ids.as_ref().map(Vec::len);
    let mut source: Box<dyn bulk::CaseSource + '_> = match ids {
        Some(ids) => {
            let source = IdSource::new(store, ids, selected_before, CLAIM_BATCH);
            match (&opened, args.dry_run) {
                (Opened::Postgres(pg), false) => {
                    Box::new(source.with_claims(Box::new(pg.id_claims()?)))
                }
                (Opened::Files(files), false) => {
                    Box::new(source.with_claims(Box::new(files.bulk_claims(&key)?)))
                }
                _ => Box::new(source),
            }
        }
        None => {
            let query = selection_query(&args.select, &action, selected_before)?;
            match (&opened, args.dry_run) {
                (Opened::Postgres(pg), false) => Box::new(pg.claims(query, batch(limit))?),
                (Opened::Files(files), false) => {
                    // pages of a claim's size, so that the workers share the selection
                    let query = CaseQuery {
                        limit: Some(CLAIM_BATCH),
                        ..query
                    };
                    Box::new(Claimed::new(
                        Paged::new(store, query),
                        Box::new(files.bulk_claims(&key)?),
                    ))
                }
                _ => Box::new(Paged::new(store, query)),
            }
        }
    };
    let bar = ctx.output.progress_bar(limit.or(total).map(|n| n as u64));
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} cases {wide_msg}")
            .expect("the template is valid"),
    );
    let options = Options {
        limit,
        dry_run: args.dry_run,
    };
    let result = bulk::run(
        &engine,
        &guarded,
        source.as_mut(),
        &action,
        options,
        &Progress { bar: bar.clone() },
    );
    bar.finish_and_clear();
    let passed_over = source.passed_over();
    drop(source);
    let mut report = match result {
        Ok(report) => report,
        Err(interrupted) => return Err(report_interrupted(&ctx.output, *interrupted, args)),
    };
    for item in &mut report.items {
        match &mut item.result {
            CaseResult::Done { outcome } => super::run::scrub_outcome(outcome, &seen),
            CaseResult::Failed { error, .. } => *error = seen.scrub(error),
            _ => {}
        }
    }
    // the end of the selection ends the run (a dry run ends only a run it began itself)
    let taken = report.done() + report.failed() + report.would_run();
    // cases passed over as another worker's may still be left: that worker ends the run
    let reached_end = limit.is_none_or(|n| taken < n) && passed_over == 0;
    if reached_end && (!args.dry_run || run_began == now) {
        ledger.finish(&key, run_began)?;
    }
    print_report(&ctx.output, &report, args.dry_run, None)?;
    let failed: Vec<&str> = report
        .items
        .iter()
        .filter(|i| matches!(i.result, CaseResult::Failed { .. }))
        .map(|i| i.case_id.as_str())
        .collect();
    // a case another process held is not done: the dry run only reports it
    let held: Vec<&str> = report
        .items
        .iter()
        .filter(|i| !args.dry_run && matches!(i.result, CaseResult::Held))
        .map(|i| i.case_id.as_str())
        .collect();
    let mut problems = Vec::new();
    if !failed.is_empty() {
        problems.push(format!(
            "{} case(s) failed: {}",
            failed.len(),
            escaped_list(&failed)
        ));
    }
    if !held.is_empty() {
        let waited = match wait {
            Some(d) => format!(
                "still held after waiting {}; retry later, or wait longer with a larger --wait",
                wfctl::conventions::duration_text(d)
            ),
            None => "retry later, or wait for them with --wait 30s".to_owned(),
        };
        problems.push(format!(
            "{} case(s) not done, locked by another process: {}; {waited}",
            held.len(),
            escaped_list(&held)
        ));
    }
    if problems.is_empty() {
        return Ok(());
    }
    // a component with no mapping is wfctl's configuration, not the cases': exit as
    // `case start` and `case resume ID` do (the cases were left as they were)
    let unmapped = report.items.iter().find_map(|i| match &i.result {
        CaseResult::Failed {
            error,
            config: true,
        } => Some(error.as_str()),
        _ => None,
    });
    if let Some(error) = unmapped {
        problems.push(format!("{error}; {}", super::run::MAP_COMPONENTS));
        return Err(Exit::new(CONFIG, problems.join("; ")).into());
    }
    Err(Exit::new(PARTIAL, problems.join("; ")).into())
}

fn escaped_list(ids: &[&str]) -> String {
    ids.iter()
        .map(|id| escape_control(id).into_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether the run is a recovery: `case resume --stuck-for` without a work basket or status,
/// which takes the cases left running.
fn recovers_stuck(select: &SelectArgs, action: &Action) -> bool {
    select.stuck_for.is_some()
        && select.workbasket.is_none()
        && matches!(select.status, None | Some(StatusArg::Running))
        && matches!(action, Action::Resume(_))
}

/// The query of a filter selection as of the run's selection time: only cases last written
/// before it. A work basket alone means the cases pended in it; `case resume --stuck-for`
/// alone means the cases left running (whether a process still runs one is the case lock's
/// to say: the engine takes it without waiting, so a live run is skipped).
fn selection_query(
    select: &SelectArgs,
    action: &Action,
    selected_before: i64,
) -> anyhow::Result<CaseQuery> {
    let mut query = select.query(selected_before)?;
    let filter = &mut query.filter;
    if recovers_stuck(select, action) {
        // `--status running` or none: the cases left mid-run (`CaseSummary::left_mid_run`)
        filter.status = None;
        filter.left_mid_run = true;
    } else if filter.status.is_none() && filter.work_basket.is_some() {
        filter.status = Some(CaseStatus::Pended);
    }
    filter.updated_before = Some(
        filter
            .updated_before
            .map_or(selected_before, |t| t.min(selected_before)),
    );
    Ok(query)
}

/// The ids of `--ids-file` (`-`: standard input), read line by line within the list's
/// limits ([`select::MAX_ID_LINE_BYTES`], [`select::MAX_IDS`]).
fn read_ids(path: &Path) -> anyhow::Result<Vec<String>> {
    if path == Path::new("-") {
        if stdin_is_closed() {
            anyhow::bail!(
                "--ids-file -: standard input is closed; pipe the ids in (wfctl -q case list ... | wfctl ... --ids-file -) or name a file"
            );
        }
        let ids = select::read_ids(std::io::stdin().lock(), "--ids-file - (standard input)");
        return ids.map_err(anyhow::Error::msg);
    }
    let name = format!("--ids-file {}", path.display());
    let file = std::fs::File::open(path).with_context(|| name.clone())?;
    select::read_ids(std::io::BufReader::new(file), &name).map_err(anyhow::Error::msg)
}

/// Whether standard input is closed. Rust's runtime opens `/dev/null` on a descriptor 0 it
/// finds closed, so that reads as closed too (nobody means to pipe ids from `/dev/null`); an
/// empty pipe is an empty list.
fn stdin_is_closed() -> bool {
    match rustix::fs::fstat(std::io::stdin()) {
        Err(_) => true,
        Ok(stat) => {
            let char_device = rustix::fs::FileType::from_raw_mode(stat.st_mode)
                == rustix::fs::FileType::CharacterDevice;
            let rdev = stat.st_rdev;
            char_device && rustix::fs::major(rdev) == 1 && rustix::fs::minor(rdev) == 3
        }
    }
}

fn batch(limit: Option<usize>) -> usize {
    limit.map_or(CLAIM_BATCH, |n| n.clamp(1, CLAIM_BATCH))
}

/// A worker stopped by its store: the report so far (also in `--json`), then an error naming
/// every case it had claimed and not finished, so an operator knows what it left.
fn report_interrupted(
    out: &Output,
    interrupted: bulk::Interrupted,
    args: &BulkArgs,
) -> anyhow::Error {
    let bulk::Interrupted {
        error,
        report,
        unfinished,
    } = interrupted;
    // stopped before any case was reached (a database without wfctl's schema): only the error
    if report.items.is_empty() && unfinished.is_empty() {
        return anyhow::Error::new(error);
    }
    let stopped = Stopped {
        error: error.to_string(),
        unfinished: &unfinished,
    };
    if let Err(e) = print_report(out, &report, args.dry_run, Some(&stopped)) {
        return e;
    }
    let left = if unfinished.is_empty() {
        "no claimed case left unfinished".to_owned()
    } else {
        format!(
            "claimed and not finished: {}",
            unfinished
                .iter()
                .map(|id| escape_control(id).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    anyhow::Error::new(error).context(format!("worker stopped ({left})"))
}

#[derive(serde::Serialize)]
struct Stopped<'a> {
    error: String,
    unfinished: &'a [String],
}

/// What `--json` prints of a bulk run: every key always present, `null` for absent.
#[derive(serde::Serialize)]
struct Summary<'a> {
    dry_run: bool,
    done: usize,
    skipped: usize,
    failed: usize,
    would_run: usize,
    cases: Vec<CaseView<'a>>,
    stopped: Option<&'a Stopped<'a>>,
}

/// One case of a bulk run: `outcome` in the shape the single-case command prints.
#[derive(serde::Serialize)]
struct CaseView<'a> {
    case_id: &'a str,
    step: &'a str,
    result: &'static str,
    outcome: Option<CallReport<'a>>,
    reason: Option<&'a str>,
    error: Option<&'a str>,
}

impl<'a> CaseView<'a> {
    fn new(item: &'a Item) -> Self {
        let mut view = Self {
            case_id: &item.case_id,
            step: &item.step,
            result: "would_run",
            outcome: None,
            reason: None,
            error: None,
        };
        match &item.result {
            CaseResult::Done { outcome } => {
                view.result = "done";
                view.outcome = Some(CallReport::new(outcome, &[]));
            }
            CaseResult::WouldRun => {}
            CaseResult::Cancelled { reason } => {
                view.result = "cancelled";
                view.reason = Some(reason);
            }
            CaseResult::Skipped { reason } => {
                view.result = "skipped";
                view.reason = Some(reason);
            }
            CaseResult::Held => {
                view.result = "skipped";
                view.reason = Some(bulk::HELD);
            }
            CaseResult::Failed { error, .. } => {
                view.result = "failed";
                view.error = Some(error);
            }
        }
        view
    }
}

fn print_report(
    out: &Output,
    report: &bulk::Report,
    dry_run: bool,
    stopped: Option<&Stopped<'_>>,
) -> anyhow::Result<()> {
    if out.json() {
        out.print_json(&Summary {
            dry_run,
            done: report.done(),
            skipped: report.skipped(),
            failed: report.failed(),
            would_run: report.would_run(),
            cases: report.items.iter().map(CaseView::new).collect(),
            stopped,
        })?;
        return Ok(());
    }
    let mut table = out.table(["case", "step", "result", "now"]);
    for item in &report.items {
        let (result, now) = match &item.result {
            CaseResult::Done { outcome } => {
                let now = match &outcome.pend {
                    Some(p) => format!("pended in {} at {}", p.workbasket, p.step),
                    None => "completed".to_owned(),
                };
                (out.paint("done", "32"), now)
            }
            CaseResult::Cancelled { reason } => (out.paint("cancelled", "32"), reason.clone()),
            CaseResult::WouldRun => ("would run".to_owned(), String::new()),
            CaseResult::Skipped { reason } => (out.paint("skipped", "33"), reason.clone()),
            CaseResult::Held => (out.paint("skipped", "33"), bulk::HELD.to_owned()),
            CaseResult::Failed { error, .. } => (out.paint("failed", "31"), error.clone()),
        };
        table.add_row([&item.case_id, &item.step, &result, &now]);
    }
    // -q: the ids of the cases acted on (or that would be, in a dry run); no totals
    let ids: Vec<&str> = report
        .items
        .iter()
        .filter(|i| {
            matches!(
                i.result,
                CaseResult::Done { .. } | CaseResult::Cancelled { .. } | CaseResult::WouldRun
            )
        })
        .map(|i| i.case_id.as_str())
        .collect();
    out.print_listing(&table, &ids, "no case matched")?;
    if report.items.is_empty() || out.quiet() {
        return Ok(());
    }
    let mut totals = out.table(["done", "skipped", "failed", "would run"]);
    totals.add_row(vec![
        report.done(),
        report.skipped(),
        report.failed(),
        report.would_run(),
    ]);
    out.print_table(&totals)?;
    Ok(())
}
