//! `wfctl sla due`: queued SLA milestones past their due time, oldest first.

use clap::{Args, Subcommand};
use serde::Serialize;

use super::Context;
use super::case::render::MilestoneView;
use super::runtime::open_store;

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
}

/// Parses `--at` into epoch ms.
fn parse_at(text: &str) -> Result<i64, String> {
    let now = chrono::Utc::now().timestamp_millis();
    if text == "now" {
        return Ok(now);
    }
    if text.starts_with(['+', '-']) {
        return super::format::parse_offset_ms(text).map(|ms| now.saturating_add(ms));
    }
    // a bare duration is ambiguous (ahead or ago?): say which forms mean what
    if super::format::parse_duration(text).is_ok() {
        return Err(format!(
            "`{text}` is a duration, not a time: use +{text} ({text} from now) or -{text} ({text} ago)"
        ));
    }
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.timestamp_millis())
        .map_err(|e| format!("{e}; expected RFC 3339 (2030-01-31T12:00:00Z) or +2h / -30m"))
}

#[derive(Debug, Serialize)]
struct Due<'a> {
    case_id: &'a str,
    #[serde(flatten)]
    milestone: MilestoneView<'a>,
    overdue_seconds: i64,
}

pub(crate) fn run(args: SlaArgs, ctx: &Context) -> anyhow::Result<()> {
    let SlaCommand::Due(args) = args.command;
    let at = args
        .at
        .unwrap_or_else(|| chrono::Utc::now().timestamp_millis());
    let opened = open_store(ctx)?;
    let mut due = opened.store().due_milestones(at)?;
    if let Some(basket) = &args.workbasket {
        due.retain(|d| {
            d.queued.work_basket.as_deref() == Some(basket)
                || d.queued.milestone.work_basket_name.as_deref() == Some(basket)
        });
    }
    due.sort_by_key(|d| (d.queued.due_at, d.case_id.clone()));
    let rows: Vec<Due<'_>> = due
        .iter()
        .map(|d| Due {
            case_id: &d.case_id,
            milestone: MilestoneView::new(&d.queued),
            overdue_seconds: d.queued.due_at.map_or(0, |t| (at - t) / 1000),
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
        "overdue by",
    ]);
    for r in &rows {
        let m = &r.milestone;
        let overdue = humantime::format_duration(std::time::Duration::from_secs(
            u64::try_from(r.overdue_seconds).unwrap_or(0),
        ))
        .to_string();
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
            out.paint(&overdue, "31"),
        ]);
    }
    out.print_table(&table)?;
    out.status(&format!(
        "{} milestone(s) due at {}",
        rows.len(),
        super::format::table_time_ms(at)
    ));
    Ok(())
}
