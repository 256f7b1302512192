//! `diag locks`: the blocking tree, and `--terminate PID` with confirmation.

use std::io::{BufRead, IsTerminal, Write};

use clap::Args;
use wfctl::diag::locks::{self, LockNode};
use wfctl::diag::slow_queries::one_line;
use wfctl::diag::terminate;

use super::{Context, Output, open, opt_secs, warn_limitations};
use crate::cli::Exit;
use crate::cli::exit::USAGE;
use crate::cli::output::escape_control;

#[derive(Debug, Args)]
pub(crate) struct LocksArgs {
    /// Terminate this session (pg_terminate_backend) after showing it and asking; needs
    /// pg_signal_backend for other roles' sessions
    #[arg(long, value_name = "PID", value_parser = crate::cli::format::parse_count::<i32>)]
    terminate: Option<i32>,
    /// Do not ask before terminating (for scripts)
    #[arg(long, short = 'y', requires = "terminate")]
    yes: bool,
}

pub(crate) fn run(args: &LocksArgs, ctx: &Context) -> anyhow::Result<()> {
    let (mut conn, facts) = open(ctx)?;
    let out = &ctx.output;
    if let Some(pid) = args.terminate {
        return terminate(&mut conn, &facts, pid, args.yes, out);
    }
    let report = locks::report(&mut conn, &facts)?;
    if out.json() {
        return Ok(out.print_json(&report)?);
    }
    if report.tree.is_empty() {
        out.status("No session waits for a lock.");
    } else {
        out.prose(&format!(
            "{} sessions waiting; longest wait {}. Case ids: \"case lock\" = exact (the wfctl case lock's key); \"row\" = inferred from the row being waited for.",
            report.waiting,
            super::secs(report.longest_wait_seconds)
        ))?;
        let mut text = String::new();
        for root in &report.tree {
            render(root, "", true, true, &mut text, out);
        }
        out.print(&text)?;
    }
    if !report.case_locks.is_empty() {
        let mut table = out.table(["case lock held by pid", "case", "application"]);
        for l in &report.case_locks {
            table.add_row([l.pid.to_string(), l.case_id.clone(), l.application.clone()]);
        }
        out.print_table(&table)?;
    }
    warn_limitations(out, &report.limitations);
    Ok(())
}

fn render(n: &LockNode, prefix: &str, root: bool, last: bool, text: &mut String, out: &Output) {
    let (branch, cont) = if root {
        ("", "")
    } else if last {
        ("└─ ", "   ")
    } else {
        ("├─ ", "│  ")
    };
    let head = if n.blocked_by.is_empty() {
        out.paint(&format!("pid {}", n.pid), "31;1")
    } else {
        format!("pid {}", n.pid)
    };
    let op = n
        .operation
        .as_deref()
        .map(|o| format!(" wfctl:{o}"))
        .unwrap_or_default();
    // session text (application, role, query, case ids) is anyone's: shown escaped
    text.push_str(&format!(
        "{prefix}{branch}{head} [{}] {} {} xact {}{op}\n",
        n.state,
        if n.application.is_empty() {
            "-".into()
        } else {
            escape_control(&n.application)
        },
        escape_control(&n.role),
        opt_secs(n.xact_seconds)
    ));
    let inner = format!("{prefix}{cont}");
    if let Some(w) = &n.waiting_for {
        text.push_str(&format!(
            "{inner}   waits {} for {w}\n",
            opt_secs(n.wait_seconds),
            w = escape_control(w)
        ));
    }
    if !n.query.is_empty() {
        text.push_str(&format!(
            "{inner}   query: {}\n",
            escape_control(&one_line(&n.query, 120))
        ));
    }
    if !n.tables.is_empty() {
        text.push_str(&format!(
            "{inner}   locks: {}\n",
            escape_control(&n.tables.join(", "))
        ));
    }
    for c in &n.cases {
        text.push_str(&format!(
            "{inner}   case {} ({}: {})\n",
            escape_control(&c.case_id),
            c.via,
            escape_control(&c.detail)
        ));
    }
    for (i, child) in n.blocks.iter().enumerate() {
        render(child, &inner, false, i + 1 == n.blocks.len(), text, out);
    }
}

fn terminate(
    conn: &mut diesel::PgConnection,
    facts: &wfctl::diag::Facts,
    pid: i32,
    yes: bool,
    out: &Output,
) -> anyhow::Result<()> {
    let Some(session) = terminate::session(conn, pid)? else {
        return Err(Exit::new(1, format!("no session with pid {pid}")).into());
    };
    let describe = format!(
        "pid {} ({}, role {}, database {}, {}): {}",
        session.pid,
        if session.application.is_empty() {
            "-".into()
        } else {
            escape_control(&session.application)
        },
        escape_control(&session.role_name),
        escape_control(&session.database),
        session.state,
        escape_control(&one_line(&session.query, 100))
    );
    if !yes {
        if !std::io::stdin().is_terminal() {
            return Err(Exit::new(
                USAGE,
                format!("refusing to terminate {describe} without confirmation: pass --yes"),
            )
            .into());
        }
        eprint!("terminate {describe}? [y/N] ");
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            out.status("not terminated");
            return Ok(());
        }
    }
    let done = terminate::terminate(conn, facts, pid)?;
    if out.json() {
        out.print_json(&serde_json::json!({ "pid": pid, "terminated": done }))?;
    } else if done {
        out.status(&format!("terminated {describe}"));
    } else {
        return Err(Exit::new(
            1,
            format!("pid {pid} was not terminated (it had already ended?)"),
        )
        .into());
    }
    Ok(())
}
