//! `wfctl sla due`: SLA milestones past their due time, oldest first: those waiting for
//! `sla run` and those it fired (with how late).

use clap::{Args, Subcommand};
use serde::Serialize;

use wfctl::sla::{FileLedger, Ledger, PgLedger};

use super::Context;
use super::case::render::MilestoneView;
use super::context::StoreLocation;
use super::runtime::{Opened, open_store};

/// `wfctl sla`
#[derive(Debug, Args)]
pub(crate) struct SlaArgs {
    #[command(subcommand)]
    command: SlaCommand,
}

#[derive(Debug, Subcommand)]
enum SlaCommand {
    /// Milestones due at or before a time (default now), oldest first
    Due(DueArgs),
    /// Act on due milestones: once, or every --every until SIGTERM
    Run(super::sla_run::RunArgs),
}

#[derive(Debug, Args)]
struct DueArgs {
    /// The time to compare with: RFC 3339 (2030-01-31T12:00:00Z), or an offset from now
    /// (+2h, -30m); default now
    #[arg(long, value_name = "TIME", value_parser = parse_at, allow_hyphen_values = true)]
    at: Option<i64>,
    /// Only milestones of this work basket
    #[arg(long, value_name = "WORKBASKET")]
    workbasket: Option<String>,
    /// Also list the milestones `sla run` fired this long before the time (default 1d)
    #[arg(long, value_name = "DURATION", default_value = "1d", value_parser = super::runtime::parse_wait)]
    fired_within: std::time::Duration,
}

/// Parses `--at` into epoch ms.
fn parse_at(text: &str) -> Result<i64, String> {
    super::format::parse_time(text).map(|t| t.timestamp_millis())
}

#[derive(Debug, Serialize)]
struct Due<'a> {
    case_id: &'a str,
    #[serde(flatten)]
    milestone: MilestoneView<'a>,
    /// `pending` (waiting for `sla run`), `failed` (its last action failed; still due) or
    /// `fired`.
    state: &'static str,
    overdue_seconds: i64,
    fired_at: Option<String>,
    /// How long after its due time the action was recorded.
    late_seconds: Option<i64>,
    attempts: u32,
    error: Option<&'a str>,
}

pub(crate) fn run(args: SlaArgs, ctx: &Context) -> anyhow::Result<()> {
    let args = match args.command {
        SlaCommand::Due(args) => args,
        SlaCommand::Run(args) => return super::sla_run::run(&args, ctx),
    };
    let at = args
        .at
        .unwrap_or_else(|| chrono::Utc::now().timestamp_millis());
    let fired_since =
        at.saturating_sub(i64::try_from(args.fired_within.as_millis()).unwrap_or(i64::MAX));
    let opened = open_store(ctx)?;
    let (mut due, unreadable) = match (&opened, ctx.store_location()?) {
        (Opened::Postgres(_), StoreLocation::Postgres(url)) => {
            let mut ledger = PgLedger::connect(&url, &ctx.pool_options())?;
            (
                ledger.listing(at, Some(fired_since))?,
                ledger.take_unreadable(),
            )
        }
        (Opened::Files(files), _) => {
            let mut ledger = FileLedger::new(files);
            (
                ledger.listing(at, Some(fired_since))?,
                ledger.take_unreadable(),
            )
        }
        (Opened::Postgres(_), StoreLocation::Files(_)) => {
            anyhow::bail!("the store changed while it was opened")
        }
    };
    if let Some(basket) = &args.workbasket {
        due.retain(|d| {
            d.queued.work_basket.as_deref() == Some(basket)
                || d.queued.milestone.work_basket_name.as_deref() == Some(basket)
        });
    }
    due.sort_by(|a, b| {
        (a.queued.due_at, &a.case_id, &a.key).cmp(&(b.queued.due_at, &b.case_id, &b.key))
    });
    print_due(ctx, &due, at)?;
    super::sla_run::left_out(ctx, &unreadable)
}

fn print_due(ctx: &Context, due: &[wfctl::sla::DueItem], at: i64) -> anyhow::Result<()> {
    let rows: Vec<Due<'_>> = due
        .iter()
        .map(|d| {
            let due_at = d.queued.due_at.unwrap_or(at);
            let state = match (d.state.fired_at, d.state.failed_at) {
                (Some(_), _) => "fired",
                (None, Some(_)) => "failed",
                (None, None) => "pending",
            };
            Due {
                case_id: &d.case_id,
                milestone: MilestoneView::new(&d.queued),
                state,
                overdue_seconds: if d.state.fired_at.is_some() {
                    0
                } else {
                    (at - due_at) / 1000
                },
                fired_at: d.state.fired_at.and_then(super::format::json_time_ms),
                late_seconds: d.state.fired_at.map(|f| (f - due_at) / 1000),
                attempts: d.state.attempts,
                error: d.state.error.as_deref(),
            }
        })
        .collect();
    let out = &ctx.output;
    if out.json() {
        let at = super::format::json_time_ms(at);
        out.print_json(&serde_json::json!({ "at": at, "milestones": rows }))?;
        return Ok(());
    }
    let mut table = out.table([
        "case",
        "milestone",
        "setup on",
        "type",
        "work basket",
        "action",
        "due",
        "state",
        "late by",
    ]);
    let seconds = crate::cli::format::age;
    for r in &rows {
        let m = &r.milestone;
        let (state, late) = match r.state {
            "fired" => (
                out.paint("fired", "32"),
                seconds(r.late_seconds.unwrap_or(0)),
            ),
            "failed" => (
                out.paint("failed", "31"),
                out.paint(&seconds(r.overdue_seconds), "31"),
            ),
            _ => (
                "pending".to_owned(),
                out.paint(&seconds(r.overdue_seconds), "31"),
            ),
        };
        table.add_row(vec![
            r.case_id.to_owned(),
            m.name.to_owned(),
            m.setup_on.to_owned(),
            m.kind.to_owned(),
            m.work_basket.unwrap_or("").to_owned(),
            m.action.unwrap_or("").to_owned(),
            m.due_at
                .as_deref()
                .map(super::format::table_time_of)
                .unwrap_or_default(),
            state,
            late,
        ]);
    }
    let ids: Vec<&str> = rows.iter().map(|r| r.case_id).collect();
    out.print_listing(&table, &ids, "no due milestones")?;
    if rows.is_empty() {
        return Ok(());
    }
    let pending = rows.iter().filter(|r| r.state != "fired").count();
    out.status(&format!(
        "{pending} milestone(s) due and not fired at {}, {} fired",
        super::format::table_time_ms(at),
        rows.len() - pending
    ));
    Ok(())
}
