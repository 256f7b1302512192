//! `case resume --all` and `case change-workbasket --all`: one worker of a bulk run (any
//! number may run at once, on any hosts; see `wfctl::bulk`).

use comfy_table::Cell;
use wfctl::bulk::{self, CaseResult, Guarded, Item, Observer, Options, Paged};
use wfctl::engine::Engine;
use wfctl::store::{CaseFilter, LockWait};

use super::BulkArgs;
use crate::cli::exit::{Exit, PARTIAL, USAGE};
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

pub(crate) fn run(ctx: &Context, args: &BulkArgs, action: Action) -> anyhow::Result<()> {
    let started = chrono::Utc::now().timestamp_millis();
    let query = match (&args.workbasket, args.stuck_for, &action) {
        (Some(basket), None, _) => bulk::worker_query(basket, args.journey.as_deref(), started),
        (None, Some(stuck_for), Action::Resume(_)) => {
            let filter = CaseFilter {
                journey_name: args.journey.clone(),
                step: args.step.clone(),
                ..CaseFilter::default()
            };
            let age = i64::try_from(stuck_for.as_millis()).unwrap_or(i64::MAX);
            bulk::stuck_query(filter, started.saturating_sub(age))
        }
        (None, Some(_), _) => {
            return Err(Exit::new(USAGE, "--stuck-for works with case resume only").into());
        }
        _ => return Err(Exit::new(USAGE, "--all needs --workbasket or --stuck-for").into()),
    };
    let opened = open_store(ctx)?;
    let store = opened.store();
    let config = runtime::engine_config(ctx, LockWait::Try);
    let components = runtime::components(ctx, &config)?;
    let recorder = Recorder::new();
    let guarded = Guarded::new(store);
    let engine = Engine::new(&guarded, &components)
        .with_events(&recorder)
        .with_config(config);
    let mut source: Box<dyn bulk::CaseSource + '_> = match (&opened, args.dry_run) {
        (Opened::Postgres(pg), false) => Box::new(pg.claims(query, batch(args.limit))?),
        _ => Box::new(Paged::new(store, query)),
    };
    let bar = ctx.output.progress_bar(args.limit.map(|n| n as u64));
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} cases {wide_msg}")
            .expect("the template is valid"),
    );
    let options = Options {
        limit: args.limit,
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
    drop(source);
    let report = match result {
        Ok(report) => report,
        Err(interrupted) => return Err(report_interrupted(&ctx.output, *interrupted, args)),
    };
    print_report(&ctx.output, &report, args.dry_run, None)?;
    let failed: Vec<&str> = report
        .items
        .iter()
        .filter(|i| matches!(i.result, CaseResult::Failed { .. }))
        .map(|i| i.case_id.as_str())
        .collect();
    if failed.is_empty() {
        return Ok(());
    }
    Err(Exit::new(
        PARTIAL,
        format!("{} case(s) failed: {}", failed.len(), failed.join(", ")),
    )
    .into())
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

#[derive(serde::Serialize)]
struct Summary<'a> {
    dry_run: bool,
    done: usize,
    skipped: usize,
    failed: usize,
    would_run: usize,
    cases: &'a [Item],
    #[serde(skip_serializing_if = "Option::is_none")]
    stopped: Option<&'a Stopped<'a>>,
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
            cases: &report.items,
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
            CaseResult::WouldRun => ("would run".to_owned(), String::new()),
            CaseResult::Skipped { reason } => (out.paint("skipped", "33"), reason.clone()),
            CaseResult::Failed { error } => (out.paint("failed", "31"), error.clone()),
        };
        table.add_row(vec![
            Cell::new(&item.case_id),
            Cell::new(&item.step),
            Cell::new(result),
            Cell::new(now),
        ]);
    }
    if !report.items.is_empty() {
        out.print_table(&table)?;
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
