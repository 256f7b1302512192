//! `wfctl db setup`: the guide's database, login role and read-only role, idempotently.

use std::io::IsTerminal;

use anyhow::Context as _;
use clap::Args;
use wfctl::db::{self, setup};

use crate::cli::Context;

#[derive(Debug, Args)]
pub(super) struct SetupArgs {
    /// A superuser (or CREATEDB + CREATEROLE) URL to the server's maintenance database
    #[arg(
        long,
        env = "WFCTL_ADMIN_URL",
        hide_env_values = true,
        value_name = "URL",
        required_unless_present = "print_sql"
    )]
    admin_url: Option<String>,
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

pub(super) fn run(args: SetupArgs, ctx: &Context) -> anyhow::Result<()> {
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
    setup::check_plan(&plan)?;
    let out = &ctx.output;
    if args.print_sql && out.json() {
        let statements: Vec<_> = setup::statements(&plan)
            .iter()
            .map(|step| statement_json(step, &step.sql))
            .collect();
        return Ok(out.print_json(&serde_json::json!({ "statements": statements }))?);
    }
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
    // required by clap unless --print-sql, which connects to nothing
    let given = args.admin_url.as_deref().unwrap_or_default();
    let admin_url = crate::cli::context::parse_given_url(given, "WFCTL_ADMIN_URL", "--admin-url")?;
    let timeout = ctx.connect_timeout();
    let mut admin = db::connect(&admin_url, timeout)?;
    let steps = setup::run(&plan, &mut admin, |name| {
        db::connect(&admin_url.with_database(name), timeout)
    })?;
    if out.json() {
        // the same shape as --print-sql; verifiers redacted as in the table
        let statements: Vec<_> = steps
            .iter()
            .map(|step| statement_json(step, &redact_verifier(&step.sql)))
            .collect();
        return Ok(out.print_json(&serde_json::json!({ "statements": statements }))?);
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
    out.print_report(&table)?;
    out.status(&format!(
        "next: DATABASE_URL=postgres://{}@HOST/{} wfctl db migrate",
        plan.user, plan.database
    ));
    Ok(())
}

/// One statement of `db setup --json` (with or without `--print-sql`): where it runs, its
/// SQL, whether it ran and why not (`null` when it ran or was only printed).
fn statement_json(step: &setup::Step, sql: &str) -> serde_json::Value {
    serde_json::json!({
        "on": step.on,
        "sql": sql,
        "applied": step.applied,
        "skipped": step.skipped,
    })
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
