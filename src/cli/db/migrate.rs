//! `wfctl db migrate`: apply (or list, or adopt) the embedded schema migrations.

use anyhow::Context as _;
use clap::Args;
use wfctl::db::migrate;

use crate::cli::Context;
use crate::cli::exit::Exit;

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
        return Err(Exit::new(
            1,
            format!(
                "{url} has the guide's tables but no recorded migrations (built by hand from the guide); take it over with `wfctl db migrate --adopt`"
            ),
        )
        .into());
    } else {
        migrate::run_pending(&mut conn).with_context(|| format!("migrating {url}"))?
    };
    let verb = if args.dry_run { "pending" } else { "applied" };
    if out.json() {
        out.print_json(&serde_json::json!({ verb: names }))?;
    } else if names.is_empty() {
        out.status(&format!("{url}: schema is up to date"));
    } else {
        for name in &names {
            out.print(&format!("{verb} {name}"))?;
        }
    }
    Ok(())
}
