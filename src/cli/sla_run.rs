//! `wfctl sla run`: act on due SLA milestones, once (cron) or every `--every` (a service);
//! SIGTERM or SIGINT stops it after the current action, exit 0. Any number of workers may run
//! at once on any hosts (see `wfctl::sla`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::Args;
use serde::Serialize;
use wfctl::sla::{Actions, FileLedger, Item, Ledger, Options, Outcome, PgLedger, Runner};
use wfctl::store::{LockWait, Unreadable};

use super::Context;
use super::context::StoreLocation;
use super::exit::{Exit, PARTIAL};
use super::format::json_time_ms;
use super::runtime::{self, Opened, open_store};

/// Milestones a PostgreSQL worker claims at a time: few, so that the work spreads.
const CLAIM_BATCH: usize = 16;
/// How long a PostgreSQL worker waits for the lock of a case it claimed (a case command may
/// hold it for a moment).
const CLAIMED_LOCK_WAIT: Duration = Duration::from_secs(2);

/// `wfctl sla run`
#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    /// Run a pass every DURATION (e.g. 1m) until SIGTERM; without it, one pass
    #[arg(long, value_name = "DURATION", value_parser = parse_every)]
    every: Option<Duration>,
    /// Act on at most N milestones per pass
    #[arg(long, value_name = "N", value_parser = crate::cli::format::parse_count::<usize>)]
    limit: Option<usize>,
    /// List the due milestones and what would run, and report actions nothing can carry out
    #[arg(long)]
    dry_run: bool,
}

/// `--every`: a duration of more than nothing (0 would be a busy loop; one pass is
/// `sla run` without `--every`).
fn parse_every(text: &str) -> Result<Duration, String> {
    let every = runtime::parse_wait(text)?;
    if every.is_zero() {
        return Err("must be more than 0 (for one pass, leave --every out)".to_owned());
    }
    Ok(every)
}

#[derive(Serialize)]
struct ItemView<'a> {
    case_id: &'a str,
    key: &'a str,
    milestone: Option<&'a str>,
    action: Option<&'a str>,
    due_at: Option<String>,
    result: &'static str,
    fired_at: Option<String>,
    late_seconds: Option<i64>,
    attempt: Option<u32>,
    error: Option<&'a str>,
    reason: Option<&'a str>,
    problem: Option<&'a str>,
}

impl<'a> ItemView<'a> {
    fn new(item: &'a Item) -> Self {
        let mut view = Self {
            case_id: &item.case_id,
            key: &item.key,
            milestone: item.milestone.as_deref(),
            action: item.action.as_deref(),
            due_at: item.due_at.and_then(json_time_ms),
            result: "",
            fired_at: None,
            late_seconds: None,
            attempt: None,
            error: None,
            reason: None,
            problem: None,
        };
        match &item.outcome {
            Outcome::Fired {
                fired_at,
                late_ms,
                attempt,
            } => {
                view.result = "fired";
                view.fired_at = json_time_ms(*fired_at);
                view.late_seconds = Some(late_ms / 1000);
                view.attempt = Some(*attempt);
            }
            Outcome::Failed { error, attempt } => {
                view.result = "failed";
                view.error = Some(error);
                view.attempt = Some(*attempt);
            }
            Outcome::Skipped { reason } => {
                view.result = "skipped";
                view.reason = Some(reason);
            }
            Outcome::WouldRun { problem } => {
                view.result = "would_run";
                view.problem = problem.as_deref();
            }
        }
        view
    }
}

#[derive(Serialize)]
struct PassView<'a> {
    dry_run: bool,
    fired: usize,
    failed: usize,
    skipped: usize,
    would_run: usize,
    milestones: Vec<ItemView<'a>>,
}

pub(crate) fn run(args: &RunArgs, ctx: &Context) -> anyhow::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    let opened = open_store(ctx)?;
    let sensitive = runtime::sensitive(ctx)?;
    let sealed = wfctl::crypto::Sealed::new(opened.store(), &sensitive, wfctl::crypto::View::Plain);
    let store: &dyn wfctl::store::Store = &sealed;
    let engine = runtime::engine_config(ctx, LockWait::Try);
    let components = runtime::components(ctx, &engine)?;
    let components = wfctl::crypto::guarded(components, sensitive.clone());
    let actions = Actions::from_config(&ctx.config.sla.actions, &runtime::config_dir(ctx));
    let (mut ledger, lock_wait): (Box<dyn Ledger + '_>, LockWait) =
        match (&opened, ctx.store_location()?) {
            (Opened::Postgres(_), StoreLocation::Postgres(url)) => (
                Box::new(PgLedger::connect(&url, &ctx.pool_options())?),
                LockWait::Wait(CLAIMED_LOCK_WAIT),
            ),
            (Opened::Files(files), _) => (Box::new(FileLedger::new(files)), LockWait::Try),
            (Opened::Postgres(_), StoreLocation::Files(_)) => {
                anyhow::bail!("the store changed while it was opened")
            }
        };
    let now = || chrono::Utc::now().timestamp_millis();
    let runner = Runner {
        store,
        components: &components,
        engine,
        actions: &actions,
        sensitive: &sensitive,
        now: &now,
        stop: &stop,
    };
    let options = Options {
        limit: args.limit,
        dry_run: args.dry_run,
        batch: CLAIM_BATCH,
        lock_wait,
    };
    let mut failed_total = 0;
    let mut unreadable_total = 0;
    loop {
        let started = Instant::now();
        let items = runner.pass(ledger.as_mut(), options, &mut |item| {
            log::info!(
                "milestone {} of case {}: {}",
                item.key,
                item.case_id,
                outcome_text(&item.outcome)
            );
        })?;
        failed_total += count(&items, |o| matches!(o, Outcome::Failed { .. }));
        print_pass(ctx, &items, args.dry_run)?;
        let unreadable = ledger.take_unreadable();
        unreadable_total += unreadable.len();
        warn_left_out(ctx, &unreadable);
        // a reader that closed stdout (`| head -1`) ends a service run too: exit 0
        if ctx.output.stdout_closed() {
            break;
        }
        let Some(every) = args.every else { break };
        // sleeps until the next pass, waking at once for SIGTERM
        while !stop.load(Ordering::SeqCst) && started.elapsed() < every {
            std::thread::sleep(Duration::from_millis(100).min(every));
        }
        if stop.load(Ordering::SeqCst) {
            break;
        }
    }
    if stop.load(Ordering::SeqCst) {
        ctx.output
            .status("stopped by a signal after the current action");
        return Ok(());
    }
    if unreadable_total > 0 && failed_total == 0 && args.every.is_none() {
        return left_out_exit(unreadable_total);
    }
    if failed_total > 0 && args.every.is_none() {
        return Err(Exit::new(
            PARTIAL,
            format!("{failed_total} SLA action(s) failed; they stay due for the next run"),
        )
        .into());
    }
    Ok(())
}

/// Warns of each case left out because it could not be read, naming its file.
fn warn_left_out(ctx: &Context, unreadable: &[Unreadable]) {
    for u in unreadable {
        ctx.output
            .warn(&format!("case {:?} left out: {}", u.case_id, u.reason));
    }
}

fn left_out_exit(count: usize) -> anyhow::Result<()> {
    Err(Exit::new(PARTIAL, format!("{count} case(s) could not be read")).into())
}

/// `sla due`'s end: the cases left out are warned of, and make the exit 3 (as `case list`).
pub(super) fn left_out(ctx: &Context, unreadable: &[Unreadable]) -> anyhow::Result<()> {
    warn_left_out(ctx, unreadable);
    if unreadable.is_empty() {
        return Ok(());
    }
    left_out_exit(unreadable.len())
}

fn count(items: &[Item], f: impl Fn(&Outcome) -> bool) -> usize {
    items.iter().filter(|i| f(&i.outcome)).count()
}

fn print_pass(ctx: &Context, items: &[Item], dry_run: bool) -> anyhow::Result<()> {
    let out = &ctx.output;
    let pass = PassView {
        dry_run,
        fired: count(items, |o| matches!(o, Outcome::Fired { .. })),
        failed: count(items, |o| matches!(o, Outcome::Failed { .. })),
        skipped: count(items, |o| matches!(o, Outcome::Skipped { .. })),
        would_run: count(items, |o| matches!(o, Outcome::WouldRun { .. })),
        milestones: items.iter().map(ItemView::new).collect(),
    };
    if out.json() {
        out.print_json(&pass)?;
        return Ok(());
    }
    let mut table = out.table(["case", "milestone", "action", "due", "result", "detail"]);
    for v in &pass.milestones {
        let (result, detail) = match v.result {
            "fired" => (
                out.paint("fired", "32"),
                format!(
                    "{} late",
                    crate::cli::format::age(v.late_seconds.unwrap_or(0))
                ),
            ),
            "failed" => (out.paint("failed", "31"), v.error.unwrap_or("").to_owned()),
            "skipped" => (
                out.paint("skipped", "33"),
                v.reason.unwrap_or("").to_owned(),
            ),
            _ => match v.problem {
                Some(p) => (out.paint("cannot run", "31"), p.to_owned()),
                None => ("would run".to_owned(), String::new()),
            },
        };
        table.add_row(vec![
            v.case_id.to_owned(),
            v.milestone.unwrap_or("").to_owned(),
            v.action.unwrap_or("").to_owned(),
            v.due_at
                .as_deref()
                .map(super::format::table_time_of)
                .unwrap_or_default(),
            result,
            detail,
        ]);
    }
    if !pass.milestones.is_empty() {
        out.print_table(&table)?;
    }
    out.status(&format!(
        "{} fired, {} failed, {} skipped, {} would run",
        pass.fired, pass.failed, pass.skipped, pass.would_run
    ));
    Ok(())
}

/// A pass's outcome as a log line says it: `fired attempt=1 late=5m`, never a Debug struct.
fn outcome_text(outcome: &Outcome) -> String {
    let late = |ms: i64| {
        wfctl::conventions::duration_text(std::time::Duration::from_millis(
            u64::try_from(ms).unwrap_or(0),
        ))
    };
    match outcome {
        Outcome::Fired {
            late_ms, attempt, ..
        } => format!("fired attempt={attempt} late={}", late(*late_ms)),
        Outcome::Failed { error, attempt } => format!("failed attempt={attempt} error={error}"),
        Outcome::Skipped { reason } => format!("skipped reason={reason}"),
        Outcome::WouldRun { problem: None } => "would run".to_owned(),
        Outcome::WouldRun {
            problem: Some(problem),
        } => format!("would run problem={problem}"),
    }
}
