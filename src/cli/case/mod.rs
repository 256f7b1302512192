//! `wfctl case ...`: start, resume, reopen, move and inspect cases (one file per command
//! family; the engine and the stores do the work).

mod bulk;
mod history;
mod list;
pub(crate) mod render;
mod run;
mod show;
mod vars;

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
}

/// `--var` and `--vars-file`.
#[derive(Debug, Args)]
pub(crate) struct VarArgs {
    /// A variable to add or replace: NAME=TYPE:VALUE (e.g. amount=long:1200,
    /// approved=boolean:true, tags=list_of_string:["a"]); repeatable
    #[arg(long = "var", value_name = "NAME=TYPE:VALUE", value_parser = vars::parse_var)]
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
    /// Act on every case pended in the work basket given by --workbasket (case resume: or on
    /// every interrupted case, with --stuck-for)
    #[arg(long)]
    all: bool,
    /// With --all: the work basket whose cases to take
    #[arg(long, value_name = "WORKBASKET")]
    workbasket: Option<String>,
    /// With --all (case resume): take the cases left running, with their case lock free and
    /// not written for this long (e.g. 5m): runs whose process died
    #[arg(long, value_name = "DURATION", value_parser = crate::cli::format::parse_duration,
          requires = "all", conflicts_with = "workbasket")]
    stuck_for: Option<Duration>,
    /// With --all --stuck-for: only cases at this step (the last one run)
    #[arg(long, value_name = "STEP", requires = "stuck_for")]
    step: Option<String>,
    /// With --all: only cases of this journey (by name)
    #[arg(long, value_name = "NAME")]
    journey: Option<String>,
    /// With --all: at most this many cases (this worker)
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// With --all: list the cases that would be taken, change nothing
    #[arg(long)]
    dry_run: bool,
}

impl BulkArgs {
    /// A bulk-only option without `--all` is a usage error that says `--all` is missing.
    fn check(&self, example: &str) -> anyhow::Result<()> {
        if self.all {
            return Ok(());
        }
        let given = [
            ("--workbasket", self.workbasket.is_some()),
            ("--journey", self.journey.is_some()),
            ("--limit", self.limit.is_some()),
            ("--dry-run", self.dry_run),
        ];
        match given.iter().find(|(_, set)| *set) {
            Some((flag, _)) => Err(Exit::new(
                USAGE,
                format!("{flag} works on a whole work basket and needs --all: {example}"),
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
    #[arg(value_name = "ID", conflicts_with = "all")]
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
    #[arg(value_name = "ID")]
    case_id: String,
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
    #[arg(value_name = "ID")]
    case_id: String,
    /// Variables: NAME=TYPE:VALUE ...
    #[arg(value_name = "NAME=TYPE:VALUE", value_parser = vars::parse_var, required = true)]
    vars: Vec<Variable>,
    #[command(flatten)]
    wait: WaitArgs,
}

#[derive(Debug, Args)]
struct ShowArgs {
    /// The case
    #[arg(value_name = "ID")]
    case_id: String,
}

#[derive(Debug, Args)]
struct HistoryArgs {
    /// The case
    #[arg(value_name = "ID")]
    case_id: String,
}

const RESUME_ALL: &str = "wfctl case resume --all --workbasket W";
const CHANGE_ALL: &str = "wfctl case change-workbasket --all --workbasket OLD NEW";

pub(crate) fn run(args: CaseArgs, ctx: &Context) -> anyhow::Result<()> {
    match &args.command {
        CaseCommand::Resume(a) => a.bulk.check(RESUME_ALL)?,
        CaseCommand::ChangeWorkbasket(a) => a.bulk.check(CHANGE_ALL)?,
        _ => {}
    }
    match args.command {
        CaseCommand::Start(a) => run::start(ctx, &a),
        CaseCommand::Resume(a) if a.bulk.all => {
            bulk::run(ctx, &a.bulk, bulk::Action::Resume(a.vars.collect()?))
        }
        CaseCommand::Resume(a) => run::resume(ctx, &a),
        CaseCommand::Reopen(a) => run::reopen(ctx, &a),
        CaseCommand::ChangeWorkbasket(a) => run::change_workbasket(ctx, &a),
        CaseCommand::SetVar(a) => run::set_var(ctx, &a),
        CaseCommand::Show(a) => show::run(ctx, &a.case_id),
        CaseCommand::List(a) => list::run(ctx, &a),
        CaseCommand::History(a) => history::run(ctx, &a.case_id),
    }
}
