//! `diag indexes`.

use clap::Args;
use wfctl::diag::indexes;
use wfctl::diag::sizes::human;

use super::{Context, open};

#[derive(Debug, Args)]
pub(crate) struct IndexesArgs {
    /// Statistics younger than this cannot prove an index unused (a restored or reset database
    /// has no scans anywhere); `diag all` warns about unused indexes only past it
    #[arg(long, default_value = "7d", value_parser = super::duration, value_name = "DURATION")]
    pub(crate) min_stats_age: std::time::Duration,
    /// Every index with its scans, tuples read and fetched, and size (not only the problems)
    #[arg(long)]
    pub(crate) all: bool,
}

pub(crate) fn run(args: &IndexesArgs, ctx: &Context) -> anyhow::Result<()> {
    let (mut conn, facts) = open(ctx)?;
    if args.all {
        return run_all(&mut conn, &facts, ctx);
    }
    let report = indexes::report(&mut conn, &facts)?;
    let out = &ctx.output;
    if out.json() {
        return Ok(out.print_json(&report)?);
    }
    let old_enough = report.since.age(facts.server.now) >= args.min_stats_age;
    let mut table = out.table(["problem", "index", "table", "size", "detail / fix"]);
    for i in &report.invalid {
        table.add_row([
            out.paint("invalid", "31"),
            i.index.clone(),
            i.table.clone(),
            human(i.size_bytes),
            i.fix.clone(),
        ]);
    }
    for d in &report.duplicates {
        table.add_row([
            out.paint(d.kind, "33"),
            d.index.clone(),
            d.table.clone(),
            human(d.size_bytes),
            format!("covered by {}: {}", d.covered_by, d.fix),
        ]);
    }
    // statistics too young to prove anything: no index is called unused, none gets a DROP
    let unused = if old_enough { &report.unused[..] } else { &[] };
    for u in unused {
        table.add_row([
            "unused".to_string(),
            format!("{}.{}", u.schema_name, u.index_name),
            u.table_name.clone(),
            human(u.size_bytes),
            format!(
                "0 scans; DROP INDEX CONCURRENTLY {}.{};",
                u.schema_name, u.index_name
            ),
        ]);
    }
    for r in report.recommended.iter().filter(|r| r.present_as.is_none()) {
        table.add_row([
            out.paint("missing", "33"),
            r.name.to_string(),
            r.table.to_string(),
            "-".into(),
            format!("{}: {}", r.why, r.create),
        ]);
    }
    for t in &report.seq_scans {
        table.add_row([
            "seq scans".to_string(),
            "-".into(),
            format!("{}.{}", t.schema_name, t.table_name),
            format!("{} rows", t.live_rows),
            format!(
                "{} sequential vs {} index scans, {} rows read sequentially",
                t.seq_scans, t.index_scans, t.seq_rows_read
            ),
        ]);
    }
    // the heading frames what follows: rows, or the notes below; with neither, stdout is empty
    let notes = (!old_enough && !report.unused.is_empty())
        || report.recommended.iter().any(|r| r.present_as.is_some());
    if !table.is_empty() || notes {
        out.prose(&format!(
            "Index usage: {}{}",
            report.since.text,
            if old_enough {
                ""
            } else {
                " (too recent to call an index unused)"
            }
        ))?;
    }
    // findings name indexes, tables or nothing: under -q the check says it by its exit code
    let no_ids: &[&str] = &[];
    out.print_listing(&table, no_ids, "no index problem found")?;
    if !old_enough && !report.unused.is_empty() {
        out.prose(&format!(
            "{} indexes have no scans yet; not called unused before the statistics are {} old \
             (--min-stats-age)",
            report.unused.len(),
            crate::cli::format::duration(args.min_stats_age)
        ))?;
    }
    let present: Vec<String> = report
        .recommended
        .iter()
        .filter_map(|r| r.present_as.as_ref().map(|p| format!("{} ({p})", r.name)))
        .collect();
    if !present.is_empty() {
        out.prose(&format!(
            "Recommended indexes present: {}",
            present.join(", ")
        ))?;
    }
    Ok(())
}

/// `diag indexes --all`: the usage of every index.
fn run_all(
    conn: &mut diesel::PgConnection,
    facts: &wfctl::diag::Facts,
    ctx: &Context,
) -> anyhow::Result<()> {
    let rows = indexes::usage(conn)?;
    let since = facts.stats_since();
    let out = &ctx.output;
    if out.json() {
        return Ok(out.print_json(&serde_json::json!({ "since": since, "indexes": rows }))?);
    }
    let mut table = out.table([
        "table",
        "index",
        "scans",
        "tuples read",
        "tuples fetched",
        "size",
    ]);
    for r in &rows {
        table.add_row([
            format!("{}.{}", r.schema_name, r.table_name),
            r.index_name.clone(),
            r.scans.to_string(),
            r.tuples_read.to_string(),
            r.tuples_fetched.to_string(),
            human(r.size_bytes),
        ]);
    }
    if !rows.is_empty() {
        out.prose(&format!("Index usage: {}", since.text))?;
    }
    let ids: Vec<&str> = rows.iter().map(|r| r.index_name.as_str()).collect();
    Ok(out.print_listing(&table, &ids, "no indexes")?)
}
