//! `case list`: one page of cases by keyset on the case id (`--limit`, `--after`), filtered
//! where the data lives (SQL on PostgreSQL).

use clap::Args;
use serde::Serialize;
use wfctl::store::{CaseQuery, CaseSummary, Listing, Unreadable};

use super::bulk_select::SelectArgs;
use super::render::{case_status, non_empty, paint_status};
use crate::cli::exit::{Exit, PARTIAL};
use crate::cli::runtime::open_store;
use crate::cli::{Context, format};

/// The page size without `--limit`.
const DEFAULT_LIMIT: usize = 1000;

#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    #[command(flatten)]
    select: SelectArgs,
    /// At most this many cases (0: no limit)
    #[arg(long, value_name = "N", default_value_t = DEFAULT_LIMIT, value_parser = crate::cli::format::parse_count::<usize>)]
    limit: usize,
    /// Start after this case id (the `next_after` of the previous page)
    #[arg(long, value_name = "ID")]
    after: Option<String>,
}

/// `case list --json`.
#[derive(Debug, Serialize)]
struct Page<'a> {
    cases: Vec<Row<'a>>,
    /// Cases that could not be read (the listing went on without them).
    unreadable: &'a [Unreadable],
    /// The `--after` of the next page; null on the last page.
    next_after: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct Row<'a> {
    case_id: &'a str,
    journey: &'a str,
    status: &'static str,
    work_basket: Option<&'a str>,
    step: Option<&'a str>,
    pend_exec_path: Option<&'a str>,
    updated_at: Option<String>,
}

pub(super) fn run(ctx: &Context, args: &ListArgs) -> anyhow::Result<()> {
    let now = chrono::Utc::now().timestamp_millis();
    let query = CaseQuery {
        after: args.after.clone(),
        limit: (args.limit > 0).then_some(args.limit),
        ..args.select.query(now)?
    };
    let opened = open_store(ctx)?;
    // one unreadable case must not hide the others: they are listed, it is named
    let Listing { cases, unreadable } = opened.store().list_cases_lenient(&query)?;
    let full = query.limit.is_some_and(|n| cases.len() >= n);
    let next_after = full
        .then(|| cases.last().map(|c| c.case_id.as_str()))
        .flatten();
    print(ctx, &cases, &unreadable, next_after)?;
    if let Some(after) = next_after {
        ctx.output
            .status(&format!("more cases may follow: --after {after}"));
    }
    for u in &unreadable {
        ctx.output
            .warn(&format!("case {:?} left out: {}", u.case_id, u.reason));
    }
    if unreadable.is_empty() {
        return Ok(());
    }
    Err(Exit::new(
        PARTIAL,
        format!("{} case(s) could not be read", unreadable.len()),
    )
    .into())
}

fn print(
    ctx: &Context,
    cases: &[CaseSummary],
    unreadable: &[Unreadable],
    next_after: Option<&str>,
) -> anyhow::Result<()> {
    let rows: Vec<Row<'_>> = cases
        .iter()
        .map(|c| Row {
            case_id: &c.case_id,
            journey: &c.journey_name,
            status: case_status(c.status),
            work_basket: non_empty(&c.pend_workbasket),
            step: non_empty(&c.step),
            pend_exec_path: non_empty(&c.pend_exec_path),
            updated_at: (c.updated_at != 0)
                .then(|| format::json_time_ms(c.updated_at))
                .flatten(),
        })
        .collect();
    let out = &ctx.output;
    if rows.is_empty() && !out.json() {
        out.status("no cases");
        return Ok(());
    }
    if out.quiet() && !out.json() {
        // -q: the case ids alone, one per line
        let ids: Vec<&str> = rows.iter().map(|r| r.case_id).collect();
        return Ok(out.print(&ids.join("\n"))?);
    }
    if out.json() {
        out.print_json(&Page {
            cases: rows,
            unreadable,
            next_after,
        })?;
        return Ok(());
    }
    let mut table = out.table([
        "case",
        "journey",
        "status",
        "work basket",
        "step",
        "updated",
        "age",
    ]);
    let now = chrono::Utc::now().timestamp_millis();
    for (r, c) in rows.iter().zip(cases) {
        let (updated, age) = if c.updated_at == 0 {
            ("-".to_owned(), "-".to_owned())
        } else {
            (
                format::table_time_ms(c.updated_at),
                format::age((now - c.updated_at) / 1000),
            )
        };
        table.add_row(vec![
            r.case_id.to_owned(),
            r.journey.to_owned(),
            paint_status(out, r.status, false),
            r.work_basket.unwrap_or("").to_owned(),
            r.step.unwrap_or("").to_owned(),
            updated,
            age,
        ]);
    }
    out.print_table(&table).map_err(anyhow::Error::from)
}
