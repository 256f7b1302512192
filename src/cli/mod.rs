//! Command-line interface: clap types, dispatch, output and exit codes. The only module that
//! prints; everything it runs lives in the library.

mod case;
mod completions;
mod config_show;
mod context;
mod db;
mod diag;
mod examples;
mod exit;
mod format;
mod journey;
mod logging;
#[cfg(test)]
mod man;
mod metrics;
mod migrate_files;
mod output;
mod runtime;
mod sla;
mod table_fit;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::parser::ValueSource;
use clap::{FromArgMatches, Parser, Subcommand};

pub(crate) use context::Context;
pub(crate) use exit::Exit;
pub(crate) use output::Output;

const EXIT_CODES: &str = "\
Exit codes:
  0   success (a case pended or completed; a check passed)
  1   error
  2   usage error
  3   partial success or a failed check (some files rejected, a threshold crossed)
  69  database unreachable
  75  temporary: case locked by another process, lock timeout (retry later)
  78  configuration error";

/// `wfctl --version`: the package version and the commit it was built from.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("WFCTL_GIT_COMMIT"),
    ")"
);

/// Run Simple Workflow cases, move a file store into PostgreSQL, diagnose and back up that
/// database.
#[derive(Debug, Parser)]
#[command(name = "wfctl", version = VERSION, about, after_help = EXIT_CODES, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// Options every command takes.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Global options")]
pub(crate) struct GlobalArgs {
    /// PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub(crate) database_url: Option<String>,
    /// Use the file store in DIR (default ./workflow-data when no database URL is set)
    #[arg(
        long,
        global = true,
        env = "WFCTL_STORE",
        hide_env_values = true,
        value_name = "DIR"
    )]
    pub(crate) store: Option<PathBuf>,
    /// Configuration file (default: wfctl.toml in the current directory, if present)
    #[arg(
        long,
        global = true,
        env = "WFCTL_CONFIG",
        hide_env_values = true,
        value_name = "FILE"
    )]
    pub(crate) config: Option<PathBuf>,
    /// Print one JSON document on stdout instead of tables
    #[arg(long, global = true)]
    pub(crate) json: bool,
    /// When to use colours (NO_COLOR is honoured by `auto`)
    #[arg(long, global = true, value_enum, default_value_t = output::ColorChoice::Auto, value_name = "WHEN")]
    pub(crate) color: output::ColorChoice,
    /// Print only errors and data: an action or check prints nothing on success, a list its
    /// ids, `case start` the new case id
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub(crate) quiet: bool,
    /// Print more (repeat for more detail)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub(crate) verbose: u8,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check journey files and show their units
    Journey(journey::JourneyArgs),
    /// Start, resume, reopen, move, inspect and list cases
    Case(case::CaseArgs),
    /// SLA milestones that are due
    Sla(sla::SlaArgs),
    /// Set up, migrate, back up and restore the PostgreSQL database
    Db(db::DbArgs),
    /// Diagnose the database and the cases: health, indexes, slow queries, locks, vacuum, stuck
    /// cases, plans; `diag all --check` for monitoring
    Diag(diag::DiagArgs),
    /// Prometheus metrics of the cases (text format on stdout, or served with --listen)
    Metrics(metrics::MetricsArgs),
    /// Print a shell completion script
    Completions(completions::CompletionsArgs),
    /// Move a file store into PostgreSQL: resumable, idempotent, bad files rejected with reasons
    MigrateFiles(migrate_files::MigrateFilesArgs),
    /// Show the effective configuration: every setting, its value and where it came from
    Config(config_show::ConfigArgs),
}

pub(crate) fn main() -> ExitCode {
    // whether errors are to be JSON is known before the arguments parse
    let json = std::env::args_os().any(|a| a == "--json");
    let parsed = command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m).map(|cli| (cli, m)));
    let (cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => return exit::usage_error(&e, json),
    };
    logging::init(&cli.global);
    let output = Output::new(&cli.global);
    let result = refuse_inapplicable(&cli.command, &matches, &output)
        .and_then(|()| Context::new(&cli.global, output.clone()))
        .and_then(|ctx| run(cli.command, &ctx));
    exit::finish(result, &output)
}

/// Global options a command has no use for are refused rather than ignored.
fn refuse_inapplicable(
    command: &Command,
    matches: &clap::ArgMatches,
    output: &Output,
) -> anyhow::Result<()> {
    let name = match command {
        Command::Metrics(_) => "metrics",
        Command::Completions(_) => "completions",
        Command::Db(_) => "db",
        Command::Diag(_) => "diag",
        _ => return Ok(()),
    };
    // these print text for other programs (Prometheus, shells); they have no JSON form
    if output.json() && matches!(command, Command::Metrics(_) | Command::Completions(_)) {
        return Err(Exit::new(
            exit::USAGE,
            format!("`wfctl {name}` has no JSON form; run it without --json"),
        )
        .into());
    }
    // a file store is for cases; these commands work on PostgreSQL or nothing
    if given_on_command_line(matches, "store") {
        return Err(Exit::new(
            exit::USAGE,
            format!("`wfctl {name}` does not use a file store; drop --store"),
        )
        .into());
    }
    Ok(())
}

/// Whether `id` was typed on the command line (at any level), not taken from the environment.
fn given_on_command_line(matches: &clap::ArgMatches, id: &str) -> bool {
    let mut level = Some(matches);
    while let Some(m) = level {
        if m.value_source(id) == Some(ValueSource::CommandLine) {
            return true;
        }
        level = m.subcommand().map(|(_, sub)| sub);
    }
    false
}

fn run(command: Command, ctx: &Context) -> anyhow::Result<()> {
    match command {
        Command::Db(args) => db::run(args, ctx),
        Command::Diag(args) => diag::run(args, ctx),
        Command::Metrics(args) => metrics::run(&args, ctx),
        Command::Completions(args) => completions::run(&args, &ctx.output),
        Command::Journey(args) => journey::run(args, ctx),
        Command::Case(args) => case::run(args, ctx),
        Command::Sla(args) => sla::run(args, ctx),
        Command::MigrateFiles(args) => migrate_files::run(args, ctx),
        Command::Config(args) => config_show::run(&args, ctx),
    }
}

/// The clap command tree (with every command's examples), for parsing, completions, man pages
/// and tests.
pub(crate) fn command() -> clap::Command {
    examples::attach(<Cli as clap::CommandFactory>::command())
}

#[cfg(test)]
mod tests {
    #[test]
    fn clap_tree_is_consistent() {
        super::command().debug_assert();
    }
}
