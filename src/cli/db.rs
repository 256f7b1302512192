//! `wfctl db ...`: set up, migrate and inspect the PostgreSQL database.

use std::io::IsTerminal;

use anyhow::Context as _;
use clap::{Args, Subcommand};
use wfctl::db::{self, DatabaseUrl, migrate, setup};

use super::Context;

#[derive(Debug, Args)]
pub(crate) struct DbArgs {
    #[command(subcommand)]
    command: DbCommand,
}

#[derive(Debug, Subcommand)]
enum DbCommand {
    /// Create the database, its login role and a read-only role (the seed guide's set-up),
    /// idempotently. Passwords come from WFCTL_USER_PASSWORD / WFCTL_READONLY_PASSWORD or a
    /// prompt, never from arguments
    Setup(SetupArgs),
    /// Apply pending schema migrations
    Migrate(MigrateArgs),
    /// Show which migrations are applied and which are pending
    Status,
    /// Dump the database (pg_dump) into a verified, checksummed file with a manifest, then
    /// apply retention
    Backup(super::db_backup::BackupArgs),
    /// List the backups in a directory: age, size, verified or not
    Backups(super::db_backup::BackupsArgs),
    /// Check a backup by reading all of it; --restore-test also restores it into a
    /// throwaway database
    Verify(super::db_backup::VerifyArgs),
    /// Restore a backup into a database, all or nothing
    Restore(super::db_backup::RestoreArgs),
    /// Take a base backup (pg_basebackup) for point-in-time recovery, verified with
    /// pg_verifybackup
    Basebackup(super::db_basebackup::BasebackupArgs),
}

#[derive(Debug, Args)]
struct SetupArgs {
    /// A superuser (or CREATEDB + CREATEROLE) URL to the server's maintenance database
    #[arg(
        long,
        env = "WFCTL_ADMIN_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    admin_url: String,
    /// Database to create
    #[arg(long, default_value = "workflow_db")]
    database: String,
    /// Login role the application (and wfctl) uses
    #[arg(long, default_value = "workflow_user")]
    user: String,
    /// Read-only role for reporting and diagnostics
    #[arg(
        long,
        default_value = "workflow_readonly",
        conflicts_with = "no_readonly"
    )]
    readonly_user: String,
    /// Do not create a read-only role
    #[arg(long)]
    no_readonly: bool,
    /// Also grant pg_monitor to the read-only role, so `wfctl diag` sees every session
    #[arg(long)]
    grant_monitor: bool,
    /// Print the statements instead of running them (passwords as SCRAM verifiers only)
    #[arg(long)]
    print_sql: bool,
}

#[derive(Debug, Args)]
struct MigrateArgs {
    /// List the pending migrations without applying them
    #[arg(long)]
    dry_run: bool,
    /// Take over a database created by hand from the seed guide: check that its tables match,
    /// record the guide's schema as applied, then apply the rest
    #[arg(long)]
    adopt: bool,
}

pub(crate) fn run(args: DbArgs, ctx: &Context) -> anyhow::Result<()> {
    match args.command {
        DbCommand::Setup(args) => run_setup(args, ctx),
        DbCommand::Migrate(args) => run_migrate(&args, ctx),
        DbCommand::Status => run_status(ctx),
        DbCommand::Backup(args) => super::db_backup::run_backup(args, ctx),
        DbCommand::Backups(args) => super::db_backup::run_backups(&args, ctx),
        DbCommand::Verify(args) => super::db_backup::run_verify(args, ctx),
        DbCommand::Restore(args) => super::db_backup::run_restore(args, ctx),
        DbCommand::Basebackup(args) => super::db_basebackup::run(args, ctx),
    }
}

fn run_migrate(args: &MigrateArgs, ctx: &Context) -> anyhow::Result<()> {
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

fn run_status(ctx: &Context) -> anyhow::Result<()> {
    let mut conn = ctx.connect()?;
    let states = migrate::status(&mut conn)?;
    let out = &ctx.output;
    if out.json() {
        return Ok(out.print_json(&states)?);
    }
    let mut table = out.table(["version", "name", "state", "applied at (UTC)"]);
    for m in &states {
        let state = if m.applied {
            out.paint("applied", "32")
        } else {
            out.paint("pending", "33")
        };
        table.add_row([
            m.version.clone(),
            m.name.clone(),
            state,
            m.run_on
                .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_default(),
        ]);
    }
    out.print_table(&table)?;
    let pending = states.iter().filter(|m| !m.applied).count();
    if pending > 0 {
        out.status(&format!("{pending} pending: run `wfctl db migrate`"));
    }
    Ok(())
}

fn run_setup(args: SetupArgs, ctx: &Context) -> anyhow::Result<()> {
    setup::check_identifier("database", &args.database)?;
    setup::check_identifier("role", &args.user)?;
    let readonly_user = (!args.no_readonly).then_some(args.readonly_user);
    if let Some(ro) = &readonly_user {
        setup::check_identifier("role", ro)?;
    }
    let plan = setup::SetupPlan {
        user_password: password("WFCTL_USER_PASSWORD", &args.user, args.print_sql)?,
        readonly_password: match &readonly_user {
            Some(ro) => password("WFCTL_READONLY_PASSWORD", ro, args.print_sql)?,
            None => None,
        },
        database: args.database,
        user: args.user,
        readonly_user,
        grant_monitor: args.grant_monitor,
    };
    let out = &ctx.output;
    if args.print_sql {
        let mut text = String::new();
        let mut on = "server";
        for step in setup::statements(&plan) {
            if step.on != on {
                text.push_str(&format!("\\connect {}\n", plan.database));
                on = step.on;
            }
            text.push_str(&format!("{};\n", step.sql));
        }
        return Ok(out.print(&text)?);
    }
    let admin_url = DatabaseUrl::parse(&args.admin_url).context("--admin-url")?;
    let timeout = ctx.connect_timeout();
    let mut admin = db::connect(&admin_url, timeout)?;
    let steps = setup::run(&plan, &mut admin, |name| {
        db::connect(&admin_url.with_database(name), timeout)
    })?;
    if out.json() {
        return Ok(out.print_json(&steps)?);
    }
    let mut table = out.table(["on", "statement", "result"]);
    for step in &steps {
        let result = match (step.applied, step.skipped) {
            (true, _) => "done".to_string(),
            (false, Some(why)) => format!("skipped: {why}"),
            (false, None) => "not run".to_string(),
        };
        table.add_row([step.on.to_string(), redact_verifier(&step.sql), result]);
    }
    out.print_table(&table)?;
    out.status(&format!(
        "next: DATABASE_URL=postgres://{}@HOST/{} wfctl db migrate",
        plan.user, plan.database
    ));
    Ok(())
}

/// A password from the environment, else a prompt on a terminal, else none (the role then
/// logs in by other means: peer, certificate, or a password set later).
fn password(var: &str, role: &str, print_only: bool) -> anyhow::Result<Option<String>> {
    if let Some(p) = std::env::var_os(var) {
        let p = p
            .into_string()
            .map_err(|_| anyhow::anyhow!("{var} is not valid UTF-8"))?;
        return Ok((!p.is_empty()).then_some(p));
    }
    if print_only || !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    let p = rpassword::prompt_password(format!("password for role {role} (empty: none): "))
        .with_context(|| format!("reading the password for {role}"))?;
    Ok((!p.is_empty()).then_some(p))
}

fn redact_verifier(sql: &str) -> String {
    match sql.split_once(" PASSWORD ") {
        Some((head, _)) => format!("{head} PASSWORD '***'"),
        None => sql.to_string(),
    }
}
