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
#[cfg(test)]
mod flag_forms;
mod format;
mod journey;
mod keys;
mod logging;
#[cfg(test)]
mod man;
mod metrics;
mod migrate_files;
mod output;
mod repo;
mod runtime;
mod sla;
mod sla_run;
mod table_fit;
mod wal;

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
    /// Configuration file (default: the first that exists of ./wfctl.toml,
    /// $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)
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
    /// Archive WAL into the repository and fetch it back (archive_command, restore_command)
    Wal(wal::WalArgs),
    /// Keys of sensitive variables: generate one
    Keys(keys::KeysArgs),
    /// The backup repository's objects: list, fetch, store and remove (S3, encrypted as
    /// configured)
    Repo(repo::RepoArgs),
}

pub(crate) fn main() -> ExitCode {
    // whether errors are to be JSON is known before the arguments parse
    let json = std::env::args_os().any(|a| a == "--json");
    let raw: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let parsed = command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m).map(|cli| (cli, m)));
    let (cli, matches) = match parsed {
        Ok(parsed) => parsed,
        // as PostgreSQL's restore_command, a misspelt `wal fetch` must stop recovery
        Err(e) if wal::fetch_asked(&raw) && !exit::is_help(&e) => {
            let message = empty_variable(&e).unwrap_or_else(|| exit::usage_line(&e));
            return exit::early_error(wal::FETCH_FAILED, &message, json);
        }
        Err(e) => match empty_variable(&e) {
            Some(message) => return exit::early_error(exit::CONFIG, &message, json),
            None => return exit::usage_error(&e, json),
        },
    };
    logging::init(&cli.global);
    let output = Output::new(&cli.global);
    let fetching_wal = matches!(&cli.command, Command::Wal(w) if w.is_fetch());
    let result = refuse_inapplicable(&cli.command, &matches, &output).and_then(|()| {
        // a completion script needs no settings: a bad config or URL must not break it
        if let Command::Completions(args) = &cli.command {
            return completions::run(args, &output);
        }
        let reads = sections_read(&cli.command);
        Context::new(&cli.global, output.clone(), reads).and_then(|ctx| run(cli.command, &ctx))
    });
    let result = if fetching_wal {
        wal::doubt_stops_recovery(result)
    } else {
        result
    };
    // the command's pools are gone; their threads may still be inside libpq
    wfctl::db::pool::settle();
    exit::finish(result, &output)
}

/// A value clap refused as empty that came from a variable set to nothing (`WFCTL_STORE=` in
/// a crontab): the message names the variable, the source actually used, not the flag.
fn empty_variable(error: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue};
    let Some(ContextValue::String(invalid)) = error.get(ContextKind::InvalidArg) else {
        return None;
    };
    let typed: Vec<String> = std::env::args().collect();
    let mut pending = vec![command()];
    while let Some(cmd) = pending.pop() {
        for arg in cmd.get_arguments() {
            let (Some(long), Some(var)) = (arg.get_long(), arg.get_env()) else {
                continue;
            };
            let flag = format!("--{long}");
            let named = invalid == &flag || invalid.starts_with(&format!("{flag} "));
            let on_line = typed
                .iter()
                .any(|a| *a == flag || a.starts_with(&format!("{flag}=")));
            if named && !on_line && std::env::var_os(var).is_some_and(|v| v.is_empty()) {
                return Some(format!(
                    "{} is set but empty: give it a value, or unset it (it stands for {flag})",
                    var.to_string_lossy()
                ));
            }
        }
        pending.extend(cmd.get_subcommands().cloned());
    }
    None
}

/// The configuration sections a command reads: a bad section fails only these commands.
fn sections_read(command: &Command) -> &'static [&'static str] {
    const RUNS_CASES: &[&str] = &[
        "database",
        "store",
        "engine",
        "components",
        "sla",
        "variables",
    ];
    match command {
        // SLA actions are checked only with --sla
        Command::Journey(j) if j.reads_sla() => &["engine", "components", "sla"],
        Command::Journey(_) => &["engine", "components"],
        // a command that only reads cases runs no component and no SLA action
        Command::Case(c) if c.only_reads() => &["database", "store", "variables"],
        Command::Case(_) | Command::Sla(_) => RUNS_CASES,
        Command::Repo(_) => &["repository"],
        Command::Db(_) => &["database", "engine", "backup", "repository", "tools"],
        // `diag wal` (and `diag all --include wal`) read the repository's archive
        Command::Diag(d) if d.reads_repository() => &["database", "engine", "diag", "repository"],
        Command::Diag(_) | Command::Metrics(_) => &["database", "engine", "diag"],
        Command::Wal(_) => &["repository"],
        // `keys rotate` re-seals the cases of the store; `keys generate` reads nothing
        Command::Keys(k) if k.is_generate() => &[],
        Command::Keys(_) => &["database", "store", "variables"],
        _ => &["*"],
    }
}

/// Global options a command has no use for are refused rather than ignored.
fn refuse_inapplicable(
    command: &Command,
    matches: &clap::ArgMatches,
    output: &Output,
) -> anyhow::Result<()> {
    // the command's path as typed (`keys generate`), to find what it does not take
    let mut path: Vec<&str> = Vec::new();
    let mut level = matches.subcommand();
    while let Some((sub, m)) = level {
        path.push(sub);
        level = m.subcommand();
    }
    let path = path.join(" ");
    let name = path.split(' ').next().unwrap_or_default();
    // these print text for other programs (Prometheus, shells); they have no JSON form
    if output.json() && matches!(command, Command::Metrics(_) | Command::Completions(_)) {
        return Err(Exit::new(
            exit::USAGE,
            format!("`wfctl {name}` has no JSON form; run it without --json"),
        )
        .into());
    }
    // what a command's help does not offer, it does not take either
    let unoffered = UNOFFERED
        .iter()
        .filter(|(p, _)| path == *p || path.starts_with(&format!("{p} ")))
        .flat_map(|(_, ids)| ids.iter());
    for id in unoffered {
        // a wrapper that passes --store to every command (scripts/quickstart.sh) also runs
        // `journey validate`: there the store is harmless, so it is tolerated
        if name == "journey" && *id == "store" {
            continue;
        }
        if given_on_command_line(matches, id) {
            let flag = format!("--{}", id.replace('_', "-"));
            let why = if *id == "store" {
                "a file store"
            } else {
                "this option"
            };
            return Err(Exit::new(
                exit::USAGE,
                format!("`wfctl {path}` does not use {why}; drop {flag}"),
            )
            .into());
        }
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
        Command::Wal(args) => wal::run(args, ctx),
        Command::Config(args) => config_show::run(&args, ctx),
        Command::Keys(args) => keys::run(&args, ctx),
        Command::Repo(args) => repo::run(args, ctx),
    }
}

/// The clap command tree (with every command's examples), for parsing, completions, man pages
/// and tests.
pub(crate) fn command() -> clap::Command {
    let mut command = examples::attach(<Cli as clap::CommandFactory>::command());
    // a command given its own hidden copy of a global option keeps it (clap copies a global
    // option only into commands that lack it): still parsed, no longer offered in its help
    for (path, unused) in UNOFFERED {
        let hidden: Vec<clap::Arg> = command
            .get_arguments()
            .filter(|a| unused.contains(&a.get_id().as_str()))
            .map(|a| a.clone().hide(true))
            .collect();
        command = hide_in(command, &path.split(' ').collect::<Vec<_>>(), hidden);
    }
    // a negative duration or count (`--stuck-for -5s`, `--limit -1`) reaches its parser, whose
    // message names the flag, instead of being taken for an unknown flag
    command = takes_hyphen_values(command);
    // the bulk options of `case resume` alone (refused by change-workbasket) are not offered
    command.mut_subcommand("case", |case| {
        case.mut_subcommand("change-workbasket", |sub| {
            sub.mut_arg("stuck_for", |a| a.hide(true))
                .mut_arg("step", |a| a.hide(true))
        })
    })
}

/// `command` with `hidden` added to the subcommand at `path` (`["keys", "generate"]`).
fn hide_in(command: clap::Command, path: &[&str], hidden: Vec<clap::Arg>) -> clap::Command {
    match path {
        [] => command.args(hidden),
        [first, rest @ ..] => command.mut_subcommand(*first, |sub| hide_in(sub, rest, hidden)),
    }
}

/// Every option whose value is a duration, an age or a count takes a value starting with `-`;
/// every other option that takes a value takes a negative number (`--level -5`, `--terminate
/// -5`), so that its own parser refuses it naming the flag, as it does `--level=-5`.
fn takes_hyphen_values(mut command: clap::Command) -> clap::Command {
    let valued: Vec<clap::Id> = command
        .get_arguments()
        .filter(|a| a.get_long().is_some() && a.get_num_args().is_none_or(|n| n.takes_values()))
        .filter(|a| a.get_action().takes_values())
        .map(|a| a.get_id().clone())
        .collect();
    for id in valued {
        command = command.mut_arg(id, |a| a.allow_negative_numbers(true));
    }
    let ids: Vec<clap::Id> = command
        .get_arguments()
        .filter(|a| {
            a.get_value_names().is_some_and(|names| {
                names
                    .iter()
                    .any(|n| ["DURATION", "AGE", "N"].contains(&n.as_str()))
            })
        })
        .map(|a| a.get_id().clone())
        .collect();
    for id in ids {
        command = command.mut_arg(id, |a| a.allow_hyphen_values(true));
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        command = command.mut_subcommand(name, takes_hyphen_values);
    }
    command
}

/// Global options a command's help does not offer, by command path (a family or one
/// command): `--store` where no file store is used (refused there), `--json` where there is no
/// JSON form (refused), and the settings of a command that reads no store, database or file
/// of settings. A test walks every command and names the ones it uses, so a new command
/// cannot offer what it ignores.
pub(crate) const UNOFFERED: &[(&str, &[&str])] = &[
    ("db", &["store"]),
    ("wal", &["store", "database_url"]),
    ("migrate-files", &["store"]),
    ("keys generate", &["store", "database_url", "config"]),
    ("diag", &["store"]),
    ("metrics", &["store", "json"]),
    ("completions", &["store", "database_url", "config", "json"]),
    ("journey", &["store", "database_url"]),
    ("repo", &["store", "database_url"]),
];

#[cfg(test)]
mod tests {
    #[test]
    fn clap_tree_is_consistent() {
        super::command().debug_assert();
    }

    /// `--config`'s help names the places searched without it, in the order they are searched.
    #[test]
    fn config_help_gives_the_search_order() {
        use wfctl::config::sources::{FILE_NAME, SYSTEM_DIR};
        let cmd = super::command();
        let help = cmd
            .get_arguments()
            .find(|a| a.get_id() == "config")
            .and_then(|a| a.get_help())
            .expect("--config has help")
            .to_string();
        // the same places as sources::candidates(), whatever this process's environment
        let places = [
            format!("./{FILE_NAME}"),
            format!("$XDG_CONFIG_HOME/wfctl/{FILE_NAME}"),
            format!("{SYSTEM_DIR}/{FILE_NAME}"),
        ];
        let at: Vec<Option<usize>> = places.iter().map(|p| help.find(p.as_str())).collect();
        assert!(at.iter().all(Option::is_some), "{help}: {places:?}");
        assert!(at.is_sorted(), "{help}: not in the order searched");
        let searched: Vec<String> = wfctl::config::sources::candidates()
            .iter()
            .map(|c| c.place.to_owned())
            .collect();
        assert_eq!(
            searched.first().map(String::as_str),
            Some("current directory")
        );
        assert_eq!(searched.last().map(String::as_str), Some("system config"));
    }
}
