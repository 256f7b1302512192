//! `wfctl db migrate`: apply (or list, or adopt) the embedded schema migrations.

use anyhow::Context as _;
use clap::Args;
use wfctl::db::migrate;

use crate::cli::Context;
use crate::cli::exit::{CONFIG, Exit};

#[derive(Debug, Args)]
pub(super) struct MigrateArgs {
    /// List the pending migrations without applying them
    #[arg(long)]
    dry_run: bool,
    /// Take over a database created by hand from the seed guide: check that its tables match,
    /// record the guide's schema as applied, then apply the rest
    #[arg(long)]
    adopt: bool,
}

pub(super) fn run(args: &MigrateArgs, ctx: &Context) -> anyhow::Result<()> {
    let url = ctx.database_url()?;
    let mut conn = ctx.connect()?;
    let out = &ctx.output;
    let names: Vec<String> = if args.dry_run {
        migrate::pending(&mut conn)?
            .into_iter()
            .map(|m| m.name)
            .collect()
    } else if args.adopt {
        migrate::adopt(&mut conn).with_context(|| format!("adopting {url}"))?
    } else if migrate::built_by_hand(&mut conn)? {
        return Err(Exit::new(CONFIG, format!("{url}: {}", advice(&mut conn, 0)?)).into());
    } else {
        migrate::run_pending(&mut conn).with_context(|| format!("migrating {url}"))?
    };
    let verb = if args.dry_run { "pending" } else { "applied" };
    if out.json() {
        out.print_json(&serde_json::json!({ verb: names }))?;
    } else if names.is_empty() {
        out.status(&format!("{url}: schema is up to date"));
    } else if !out.quiet() || args.dry_run {
        // -q: an applied migration is an action's success (nothing); a pending one is listed
        for name in &names {
            out.print(&format!("{verb} {name}"))?;
        }
    }
    Ok(())
}

/// What to run to bring a database's schema up to date, the one sentence every command says
/// (`db status`, `migrate-files`, plain `db migrate` on a guide-built database): a database built
/// by hand from the guide is taken over with `--adopt`, which plain `db migrate` refuses.
pub(crate) fn advice(conn: &mut diesel::PgConnection, pending: usize) -> anyhow::Result<String> {
    let count = if pending == 0 {
        String::new()
    } else {
        format!("{pending} schema migration(s) pending; ")
    };
    Ok(if migrate::built_by_hand(conn)? {
        format!(
            "{count}the guide's tables exist but no migration is recorded (built by hand from the guide): take it over with `wfctl db migrate --adopt`"
        )
    } else {
        format!("{count}run `wfctl db migrate`")
    })
}

/// A database whose schema is behind: the advice above, exit 78 (not set up for wfctl).
pub(crate) fn schema_behind(
    conn: &mut diesel::PgConnection,
    url: &impl std::fmt::Display,
    pending: usize,
) -> anyhow::Error {
    match advice(conn, pending) {
        Ok(advice) => Exit::new(CONFIG, format!("{url}: {advice}")).into(),
        Err(e) => e,
    }
}
