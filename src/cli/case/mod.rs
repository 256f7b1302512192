//! `wfctl case ...`: start, resume, reopen, move and inspect cases (one file per command
//! family; the engine and the stores do the work).

mod bulk;
mod bulk_select;
mod cancel;
mod follow;
mod history;
mod list;
mod purge;
pub(crate) mod render;
mod run;
mod show;
mod vars;
mod wait;

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};
use wfctl::model::Variable;

use super::Context;
use super::exit::{Exit, USAGE};
use super::runtime::parse_wait;

/// `wfctl case`
#[derive(Debug, Args)]
pub(crate) struct CaseArgs {
    #[command(subcommand)]
    command: CaseCommand,
}

impl CaseArgs {
    /// Whether the command only reads cases (no component, no SLA action runs).
    pub(crate) fn only_reads(&self) -> bool {
        matches!(
            self.command,
            CaseCommand::List(_)
                | CaseCommand::Show(_)
                | CaseCommand::History(_)
                | CaseCommand::Wait(_)
                | CaseCommand::Watch(_)
        )
    }
}

#[derive(Debug, Subcommand)]
enum CaseCommand {
    /// Start a new case of a journey and run it until it pends or completes
    Start(StartArgs),
    /// Resume a pended case, or with --all every case pended in a work basket
    Resume(ResumeArgs),
    /// Reopen a completed case at the step of one of its journey's tickets
    Reopen(ReopenArgs),
    /// Move a pended case, or with --all every case of a work basket, to another work basket
    ChangeWorkbasket(ChangeArgs),
    /// Add or replace variables of a case without running it
    SetVar(SetVarArgs),
    /// Show a case: status, where it waits, variables, exec paths, milestones
    Show(ShowArgs),
    /// List cases, filtered, one page at a time (ordered by case id)
    List(list::ListArgs),
    /// The audit log of a case: one row per recorded unit
    History(HistoryArgs),
    /// Cancel a case: it never runs again; its milestones are dequeued and the audit log
    /// records who cancelled it, when and why
    Cancel(CancelArgs),
    /// Wait until a case completes, pends (in a work basket) or changes, then print it as
    /// case show does; exit 3 when the time runs out
    Wait(WaitUntilArgs),
    /// Delete the cases that completed or were cancelled before an age, each archived first
    /// (--archive DIR, which migrate-files brings back) or dropped (--no-archive)
    Purge(purge::PurgeArgs),
    /// The same as case history ID --follow
    #[command(hide = true)]
    Watch(ShowArgs),
}

/// `--var` and `--vars-file`.
#[derive(Debug, Args)]
pub(crate) struct VarArgs {
    /// A variable to add or replace: NAME=TYPE:VALUE (e.g. amount=long:1200,
    /// approved=boolean:true, tags=list_of_string:["a"]); repeatable
    #[arg(long = "var", value_name = "NAME=TYPE:VALUE", value_parser = vars::VarParser)]
    vars: Vec<Variable>,
    /// Variables from a JSON file: [{"name","type","value"}...] or {"name": value, ...}
    #[arg(long, value_name = "FILE")]
    vars_file: Option<PathBuf>,
}

impl VarArgs {
    /// The variables, file first, then `--var` in order (later ones win).
    fn collect(&self) -> anyhow::Result<Vec<Variable>> {
        let mut all = match &self.vars_file {
            Some(path) => vars::read_vars_file(path)?,
            None => Vec::new(),
        };
        all.extend(self.vars.iter().cloned());
        Ok(all)
    }
}

/// `--wait`
#[derive(Debug, Args)]
pub(crate) struct WaitArgs {
    /// Wait up to this long (seconds, or 30s, 2m) for a case another process is working on;
    /// without it a locked case fails at once with exit 75
    #[arg(long, value_name = "DURATION", value_parser = parse_wait)]
    wait: Option<Duration>,
}

/// The bulk form's options. Those that only make sense with `--all` are checked by
/// [`BulkArgs::check`] rather than by clap, whose message would not name `--all` alone.
#[derive(Debug, Args)]
pub(crate) struct BulkArgs {
    /// Act on every case the filters select (--status, --workbasket, --journey, --step,
    /// --stuck-for, --sla-overdue), by any number of workers at once; a run killed and started
    /// again with the same selection finishes the rest
    #[arg(long)]
    all: bool,
    #[command(flatten)]
    select: bulk_select::SelectArgs,
    /// Act on the cases listed in this file, one id per line (- for stdin; blank lines and
    /// lines starting with # are skipped), e.g. from case list -q
    #[arg(long, value_name = "FILE")]
    ids_file: Option<PathBuf>,
    /// With --all or --ids-file: at most this many cases (this worker)
    #[arg(long, value_name = "N", value_parser = crate::cli::format::parse_count::<usize>)]
    limit: Option<usize>,
    /// With --all or --ids-file: list the cases that would be taken, change nothing
    #[arg(long)]
    dry_run: bool,
}

impl BulkArgs {
    /// Whether the command runs in bulk.
    fn active(&self) -> bool {
        self.all || self.ids_file.is_some()
    }

    /// A bulk-only option without `--all` is a usage error that says `--all` is missing; an
    /// id file takes no filters.
    fn check(&self, example: &str) -> anyhow::Result<()> {
        let filters = self.select.given();
        if self.ids_file.is_some() {
            return match filters.first() {
                Some(flag) => Err(Exit::new(
                    USAGE,
                    format!(
                        "{flag} filters the cases of --all; --ids-file takes the cases it lists"
                    ),
                )
                .into()),
                None => Ok(()),
            };
        }
        if self.all {
            return Ok(());
        }
        let mut given = filters;
        given.extend(
            [
                ("--limit", self.limit.is_some()),
                ("--dry-run", self.dry_run),
            ]
            .into_iter()
            .filter_map(|(flag, set)| set.then_some(flag)),
        );
        match given.first() {
            Some(flag) => Err(Exit::new(
                USAGE,
                format!("{flag} selects cases in bulk and needs --all: {example}"),
            )
            .into()),
            None => Ok(()),
        }
    }
}

#[derive(Debug, Args)]
struct StartArgs {
    /// The journey file (JSON)
    #[arg(long, value_name = "FILE")]
    journey: PathBuf,
    /// The SLA file of the journey (JSON)
    #[arg(long, value_name = "FILE")]
    sla: Option<PathBuf>,
    /// The new case's id (default: a generated one, printed)
    #[arg(long, value_name = "ID")]
    case_id: Option<String>,
    #[command(flatten)]
    vars: VarArgs,
    #[command(flatten)]
    wait: WaitArgs,
}

#[derive(Debug, Args)]
struct ResumeArgs {
    /// The case to resume
    #[arg(value_name = "ID", conflicts_with_all = ["all", "ids_file"])]
    case_id: Option<String>,
    #[command(flatten)]
    vars: VarArgs,
    #[command(flatten)]
    wait: WaitArgs,
    #[command(flatten)]
    bulk: BulkArgs,
}

#[derive(Debug, Args)]
struct ReopenArgs {
    /// The completed case
    #[arg(value_name = "ID", required_unless_present_any = ["all", "ids_file"],
          conflicts_with_all = ["all", "ids_file"])]
    case_id: Option<String>,
    /// The ticket whose step the case continues at
    #[arg(long, value_name = "TICKET")]
    ticket: String,
    /// Pend the reopened case in this work basket instead of running it at once; a later
    /// resume acts on the ticket
    #[arg(long, value_name = "WORKBASKET")]
    pend_workbasket: Option<String>,
    #[command(flatten)]
    vars: VarArgs,
    #[command(flatten)]
    wait: WaitArgs,
    #[command(flatten)]
    bulk: BulkArgs,
}

#[derive(Debug, Args)]
struct ChangeArgs {
    /// ID NEW_WORKBASKET, or with --all only NEW_WORKBASKET
    #[arg(value_name = "ID NEW_WORKBASKET", num_args = 1..=2, required = true)]
    args: Vec<String>,
    #[command(flatten)]
    wait: WaitArgs,
    #[command(flatten)]
    bulk: BulkArgs,
}

#[derive(Debug, Args)]
struct SetVarArgs {
    /// The case
    #[arg(value_name = "ID", required_unless_present_any = ["all", "ids_file"],
          conflicts_with_all = ["all", "ids_file"])]
    case_id: Option<String>,
    #[command(flatten)]
    vars: VarArgs,
    /// Variables are given as `--var NAME=TYPE:VALUE`, as to every command that takes them;
    /// a positional one is refused saying so
    #[arg(value_name = "NAME=TYPE:VALUE", hide = true)]
    positional_vars: Vec<String>,
    #[command(flatten)]
    wait: WaitArgs,
    #[command(flatten)]
    bulk: BulkArgs,
}

impl SetVarArgs {
    /// The variables to set: at least one, given as every command takes them.
    fn variables(&self) -> anyhow::Result<Vec<Variable>> {
        if let Some(first) = self.positional_vars.first() {
            let name = first.split_once('=').map_or("NAME", |(n, _)| n);
            return Err(Exit::new(
                USAGE,
                format!(
                    "variables are given with --var, as to case start and resume: \
                     --var {}=TYPE:VALUE",
                    wfctl::conventions::quoted_for_message(name).trim_matches('"')
                ),
            )
            .into());
        }
        let variables = self.vars.collect()?;
        if variables.is_empty() {
            return Err(Exit::new(
                USAGE,
                "no variable to set: give --var NAME=TYPE:VALUE or --vars-file FILE",
            )
            .into());
        }
        Ok(variables)
    }
}

#[derive(Debug, Args)]
struct ShowArgs {
    /// The case
    #[arg(value_name = "ID")]
    case_id: String,
    /// Show sensitive variables in clear instead of *** (needs the key: WFCTL_KEY_FILE or
    /// [variables] key_file)
    #[arg(long)]
    reveal: bool,
}

#[derive(Debug, Args)]
struct HistoryArgs {
    /// The case
    #[arg(value_name = "ID")]
    case_id: String,
    /// Print the records as they are written, until the case completes or Ctrl-C (also:
    /// case watch ID); with --json one JSON line per record
    #[arg(long)]
    follow: bool,
    /// Show sensitive variables in clear instead of *** (needs the key)
    #[arg(long)]
    reveal: bool,
}

#[derive(Debug, Args)]
struct CancelArgs {
    /// The case (started, not completed)
    #[arg(value_name = "ID", required_unless_present_any = ["all", "ids_file"],
          conflicts_with_all = ["all", "ids_file"])]
    case_id: Option<String>,
    /// Why it is cancelled (kept with the case and in its audit log)
    #[arg(long, value_name = "TEXT")]
    reason: String,
    #[command(flatten)]
    wait: WaitArgs,
    #[command(flatten)]
    bulk: BulkArgs,
}

#[derive(Debug, Args)]
struct WaitUntilArgs {
    /// The case
    #[arg(value_name = "ID")]
    case_id: String,
    /// The state to wait for: completed, pended, pended:WORKBASKET, or changed (anything
    /// saved after the wait began)
    #[arg(long, value_name = "STATE", value_parser = wait::parse_until)]
    until: wait::Until,
    /// Give up after this long (exit 3): seconds, or 30s, 10m, 2h
    #[arg(long, value_name = "DURATION", default_value = "10m",
          value_parser = crate::cli::format::parse_duration)]
    timeout: Duration,
}

const RESUME_ALL: &str = "wfctl case resume --all --workbasket W";
const CHANGE_ALL: &str = "wfctl case change-workbasket --all --workbasket OLD NEW";
const SET_VAR_ALL: &str = "wfctl case set-var --all --status pended --var NAME=TYPE:VALUE";
const REOPEN_ALL: &str = "wfctl case reopen --all --status completed --ticket T";
const CANCEL_ALL: &str = "wfctl case cancel --all --workbasket W --reason TEXT";

/// The case a command names, if it names one (`case start` checks its `--case-id` itself).
fn named_case(command: &CaseCommand) -> Option<&str> {
    match command {
        CaseCommand::Resume(a) => a.case_id.as_deref(),
        CaseCommand::Reopen(a) => a.case_id.as_deref(),
        CaseCommand::ChangeWorkbasket(a) if !a.bulk.active() => a.args.first().map(String::as_str),
        CaseCommand::SetVar(a) => a.case_id.as_deref(),
        CaseCommand::Show(a) | CaseCommand::Watch(a) => Some(&a.case_id),
        CaseCommand::History(a) => Some(&a.case_id),
        CaseCommand::Cancel(a) => a.case_id.as_deref(),
        CaseCommand::Wait(a) => Some(&a.case_id),
        _ => None,
    }
}

/// A case id no store could hold is a usage error (exit 2) for every command, reads included:
/// `invalid case id "../x": starts with '.'`, the id shortened and escaped.
pub(crate) fn check_case_id(case_id: &str) -> anyhow::Result<()> {
    match wfctl::model::case_id_problem(case_id) {
        None => Ok(()),
        Some(reason) => Err(Exit::new(
            USAGE,
            format!(
                "invalid case id {}: {reason}",
                wfctl::conventions::quoted_for_message(case_id)
            ),
        )
        .into()),
    }
}

pub(crate) fn run(args: CaseArgs, ctx: &Context) -> anyhow::Result<()> {
    match &args.command {
        CaseCommand::Resume(a) => a.bulk.check(RESUME_ALL)?,
        CaseCommand::ChangeWorkbasket(a) => a.bulk.check(CHANGE_ALL)?,
        CaseCommand::SetVar(a) => a.bulk.check(SET_VAR_ALL)?,
        CaseCommand::Reopen(a) => a.bulk.check(REOPEN_ALL)?,
        CaseCommand::Cancel(a) => a.bulk.check(CANCEL_ALL)?,
        _ => {}
    }
    if let Some(case_id) = named_case(&args.command) {
        check_case_id(case_id)?;
    }
    match args.command {
        CaseCommand::Start(a) => run::start(ctx, &a),
        CaseCommand::Resume(a) if a.bulk.active() => bulk::run(
            ctx,
            &a.bulk,
            bulk::Action::Resume(a.vars.collect()?),
            a.wait.wait,
        ),
        CaseCommand::Resume(a) => run::resume(ctx, &a),
        CaseCommand::Reopen(a) if a.bulk.active() => {
            let action = bulk::Action::Reopen {
                ticket: a.ticket.clone(),
                pend_workbasket: a.pend_workbasket.clone(),
                variables: a.vars.collect()?,
            };
            bulk::run(ctx, &a.bulk, action, a.wait.wait)
        }
        CaseCommand::Reopen(a) => run::reopen(ctx, &a),
        CaseCommand::ChangeWorkbasket(a) => run::change_workbasket(ctx, &a),
        CaseCommand::SetVar(a) if a.bulk.active() => bulk::run(
            ctx,
            &a.bulk,
            bulk::Action::SetVariables(a.variables()?),
            a.wait.wait,
        ),
        CaseCommand::SetVar(a) => run::set_var(ctx, &a),
        CaseCommand::Show(a) => show::run(ctx, &a.case_id, a.reveal),
        CaseCommand::List(a) => list::run(ctx, &a),
        CaseCommand::History(a) if a.follow => follow::run(ctx, &a.case_id, a.reveal),
        CaseCommand::History(a) => history::run(ctx, &a.case_id, a.reveal),
        CaseCommand::Watch(a) => follow::run(ctx, &a.case_id, a.reveal),
        CaseCommand::Cancel(a) if a.bulk.active() => {
            let action = bulk::Action::Cancel {
                reason: a.reason.clone(),
                by: cancel::operator(),
            };
            bulk::run(ctx, &a.bulk, action, a.wait.wait)
        }
        CaseCommand::Cancel(a) => cancel::run(ctx, &a),
        CaseCommand::Purge(a) => purge::run(ctx, &a),
        CaseCommand::Wait(a) => {
            wait::check_timeout(a.timeout)?;
            wait::run(ctx, &a)
        }
    }
}
