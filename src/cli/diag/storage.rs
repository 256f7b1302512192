//! `diag sizes`, `diag bloat`, `diag vacuum`.

use wfctl::diag::sizes::human;
use wfctl::diag::{bloat, sizes, vacuum};

use super::{Context, open, warn_limitations};

pub(crate) fn run_sizes(ctx: &Context) -> anyhow::Result<()> {
    let (mut conn, _) = open(ctx)?;
    let report = sizes::report(&mut conn)?;
    let out = &ctx.output;
    if out.json() {
        return Ok(out.print_json(&report)?);
    }
    if report.tables.is_empty() {
        out.status(&format!(
            "Database: {}; no tables",
            human(report.database_bytes)
        ));
        return Ok(());
    }
    out.prose(&format!("Database: {}", human(report.database_bytes)))?;
    let mut table = out.table(["table", "total", "table", "indexes", "toast", "rows (est.)"]);
    for t in &report.tables {
        table.add_row([
            format!("{}.{}", t.schema_name, t.table_name),
            human(t.total_bytes),
            human(t.table_bytes),
            human(t.index_bytes),
            human(t.toast_bytes),
            t.rows_estimate.map_or_else(
                || format!("not analysed (ANALYZE {}.{})", t.schema_name, t.table_name),
                |n| n.to_string(),
            ),
        ]);
    }
    let ids: Vec<String> = report
        .tables
        .iter()
        .map(|t| format!("{}.{}", t.schema_name, t.table_name))
        .collect();
    Ok(out.print_listing(&table, &ids, "no tables")?)
}

pub(crate) fn run_bloat(ctx: &Context) -> anyhow::Result<()> {
    let (mut conn, facts) = open(ctx)?;
    let report = bloat::report(&mut conn, &facts)?;
    let out = &ctx.output;
    if out.json() {
        return Ok(out.print_json(&report)?);
    }
    if !report.estimates.is_empty() {
        out.prose(&format!(
            "Estimated bloat (a statistical estimate from pg_stats, not a measurement; relations of {} or more):",
            human(bloat::MIN_BYTES)
        ))?;
    }
    let mut table = out.table(["kind", "relation", "size", "est. bloat", "est. %", "note"]);
    for e in &report.estimates {
        table.add_row([
            e.kind.to_string(),
            e.name.clone(),
            human(e.real_bytes),
            e.bloat_bytes.map_or("withheld".into(), human),
            e.bloat_percent.map_or("-".into(), |p| format!("{p:.0}%")),
            e.withheld.clone().unwrap_or_default(),
        ]);
    }
    let ids: Vec<&str> = report.estimates.iter().map(|e| e.name.as_str()).collect();
    let empty = format!("no relation of {} or more", human(bloat::MIN_BYTES));
    out.print_listing(&table, &ids, &empty)?;
    warn_limitations(out, &report.limitations);
    Ok(())
}

#[derive(Debug, clap::Args)]
pub(crate) struct VacuumArgs {
    /// VACUUM the tables whose dead rows cross the dead_tuples warning level (20% of live,
    /// tables of 10,000+ rows), one statement each
    #[arg(long)]
    run: bool,
    /// With --run: VACUUM (ANALYZE), refreshing the planner's statistics too
    #[arg(long, requires = "run")]
    analyze: bool,
    /// With --run: VACUUM (FULL, ANALYZE), which returns space to the system but locks each
    /// table (no reads, no writes) for the whole rewrite
    #[arg(long, requires = "run")]
    full: bool,
}

pub(crate) fn run_vacuum(args: &VacuumArgs, ctx: &Context) -> anyhow::Result<()> {
    let (mut conn, facts) = open(ctx)?;
    let report = vacuum::report(&mut conn, &facts)?;
    let out = &ctx.output;
    if args.run {
        return vacuum_flagged(args, &mut conn, &report, ctx);
    }
    if out.json() {
        return Ok(out.print_json(&report)?);
    }
    out.prose(&format!(
        "Transaction-id age: {} (oldest database {}); {} ids left before wraparound protection; anti-wraparound vacuum past {}. Counters: {}",
        report.xid_age, report.cluster_xid_age, report.wraparound_margin, report.freeze_max_age, report.since.text
    ))?;
    let mut table = out.table([
        "table",
        "live",
        "dead",
        "dead %",
        "autovacuum at",
        "last vacuum",
        "last analyze",
        "vacuums",
        "xid age",
    ]);
    let when = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map_or("never".into(), crate::cli::format::table_time)
    };
    for t in &report.tables {
        table.add_row([
            format!("{}.{}", t.schema_name, t.table_name),
            t.live_rows.to_string(),
            t.dead_rows.to_string(),
            format!("{:.0}%", t.dead_percent()),
            if t.autovacuum_on {
                format!("{:.0}", t.autovacuum_at)
            } else {
                "off".into()
            },
            when(t.last_vacuum),
            when(t.last_analyze),
            t.vacuums.to_string(),
            t.xid_age.to_string(),
        ]);
    }
    let ids: Vec<String> = report
        .tables
        .iter()
        .map(|t| format!("{}.{}", t.schema_name, t.table_name))
        .collect();
    out.print_listing(&table, &ids, "no tables")?;
    if report.horizon.is_empty() {
        out.prose("Nothing holds the xmin horizon back.")?;
    } else {
        out.prose("What holds vacuum back (the xmin horizon), oldest first:")?;
        let mut table = out.table(["kind", "holder", "detail", "xmin age", "open for"]);
        for h in &report.horizon {
            table.add_row([
                h.kind.clone(),
                h.holder.clone(),
                h.detail.clone(),
                h.xmin_age.map_or("-".into(), |a| a.to_string()),
                super::opt_secs(h.seconds),
            ]);
        }
        out.print_report(&table)?;
    }
    Ok(())
}

/// `diag vacuum --run`: vacuums what the report flags; exit 3 when one failed.
fn vacuum_flagged(
    args: &VacuumArgs,
    conn: &mut diesel::PgConnection,
    report: &vacuum::VacuumReport,
    ctx: &Context,
) -> anyhow::Result<()> {
    let out = &ctx.output;
    let tables = vacuum::flagged(report, &wfctl::diag::Thresholds::default());
    let kind = match (args.full, args.analyze) {
        (true, _) => vacuum::VacuumKind::Full,
        (false, true) => vacuum::VacuumKind::Analyze,
        (false, false) => vacuum::VacuumKind::Plain,
    };
    if kind == vacuum::VacuumKind::Full && !tables.is_empty() {
        out.warn(
            "VACUUM FULL rewrites each table under an ACCESS EXCLUSIVE lock: nothing reads or \
             writes it until its rewrite ends (wfctl's own statements wait, or fail after \
             [database] lock_timeout)",
        );
    }
    let ran = vacuum::run(conn, &tables, kind);
    if out.json() {
        out.print_json(&serde_json::json!({ "vacuumed": ran }))?;
    } else if ran.is_empty() {
        out.status("no table has dead rows over the warning level: nothing vacuumed");
    } else {
        let mut table = out.table(["table", "statement", "took", "result"]);
        for v in &ran {
            table.add_row([
                v.table.clone(),
                format!("{};", v.statement),
                crate::cli::format::seconds(v.seconds),
                v.error
                    .as_deref()
                    .map_or_else(|| "done".to_owned(), |e| out.paint(e, "31")),
            ]);
        }
        out.print_report(&table)?;
    }
    let failed = ran.iter().filter(|v| v.error.is_some()).count();
    if failed > 0 {
        return Err(crate::cli::Exit::new(
            crate::cli::exit::PARTIAL,
            format!("{failed} of {} VACUUM statements failed", ran.len()),
        )
        .into());
    }
    Ok(())
}
