//! `wfctl wal push %p` (`archive_command`) and `wfctl wal fetch %f %p` (`restore_command`):
//! WAL into and out of the repository named by `[repository]` in wfctl.toml.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, Subcommand};
use wfctl::backup::wal_archive::{self, Pushed, WalError};
use wfctl::repo::{self, Repository};

use super::{Context, Exit, exit};

/// `wal fetch` exits with this when it could not tell whether the file exists or could not
/// deliver it (damaged, unreadable, the server unreachable, a link where the file should be):
/// PostgreSQL stops recovery on an exit status above 125 instead of taking the failure for the
/// end of the archive.
pub(crate) const FETCH_FAILED: u8 = 126;

#[derive(Debug, Args)]
pub(crate) struct WalArgs {
    #[command(subcommand)]
    command: WalCommand,
}

#[derive(Debug, Subcommand)]
enum WalCommand {
    /// Archive one WAL file into the repository (archive_command = 'wfctl wal push %p'):
    /// compressed, checksummed, written atomically; the same file again succeeds, a different
    /// one with the same name fails and nothing is overwritten
    Push(PushArgs),
    /// Fetch one WAL file from the repository (restore_command = 'wfctl wal fetch %f %p'):
    /// checked and written atomically; exit 1 quietly when the archive has no such file, 126
    /// on any other failure, a bad configuration included (PostgreSQL then stops recovery
    /// rather than ending it)
    Fetch(FetchArgs),
}

#[derive(Debug, Args)]
pub(crate) struct PushArgs {
    /// The WAL file (PostgreSQL's %p)
    #[arg(value_name = "PATH")]
    path: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct FetchArgs {
    /// The WAL file's name (PostgreSQL's %f)
    #[arg(value_name = "NAME")]
    name: String,
    /// Where to write it (PostgreSQL's %p)
    #[arg(value_name = "PATH")]
    dest: PathBuf,
}

pub(crate) fn run(args: WalArgs, ctx: &Context) -> anyhow::Result<()> {
    match args.command {
        WalCommand::Push(args) => push(&args, ctx),
        WalCommand::Fetch(args) => fetch(&args, ctx),
    }
}

impl WalArgs {
    /// Whether this is `wal fetch`, whose failures [`doubt_stops_recovery`] maps.
    pub(crate) fn is_fetch(&self) -> bool {
        matches!(self.command, WalCommand::Fetch(_))
    }
}

/// The end of `wal fetch`'s "absent" message, which [`doubt_stops_recovery`] keeps at exit 1.
const NOT_ARCHIVED: &str = " is not in the archive";

/// Whether the raw arguments ask for `wal fetch`, for a failure before they parse.
pub(crate) fn fetch_asked(args: &[std::ffi::OsString]) -> bool {
    args.windows(2).any(|w| w[0] == "wal" && w[1] == "fetch")
}

/// `wal fetch`'s outcome as PostgreSQL must read it: "absent" is exit 1 with nothing said;
/// every other failure, configuration and usage included, is [`FETCH_FAILED`]. PostgreSQL takes
/// any status up to 125 for "not in the archive" and would end recovery early, promoting a
/// server that has not replayed what it should.
pub(crate) fn doubt_stops_recovery(result: anyhow::Result<()>) -> anyhow::Result<()> {
    result.map_err(|e| {
        let message = super::output::error_line(&e);
        // "absent" says nothing, or under --json names the segment (see `fetch`)
        if exit::classify(&e) == 1 && (message.is_empty() || message.ends_with(NOT_ARCHIVED)) {
            e
        } else {
            Exit::new(FETCH_FAILED, message).into()
        }
    })
}

/// The configured repository, for writing (refused when none is configured).
pub(crate) fn repository(ctx: &Context) -> anyhow::Result<Box<dyn Repository>> {
    open_configured(ctx, ctx.config.repository.read_only)
}

/// The configured repository, only read: a missing directory is not created.
fn repository_to_read(ctx: &Context) -> anyhow::Result<Box<dyn Repository>> {
    open_configured(ctx, true)
}

fn open_configured(ctx: &Context, read_only: bool) -> anyhow::Result<Box<dyn Repository>> {
    let Some((url, _)) = ctx.repository_url() else {
        return Err(Exit::new(
            exit::CONFIG,
            "no repository configured: set [repository] url = \"file:///DIR\" in wfctl.toml (or WFCTL_REPOSITORY)",
        )
        .into());
    };
    // encrypted as `[repository] encrypt` says, like every other object
    super::repo::open_repository(&url, read_only, ctx)
}

/// Every place archived WAL may be read from: the repository, then `[repository]
/// wal_archive` (the guide's plain archive directory, read-only).
pub(crate) fn wal_sources(ctx: &Context) -> anyhow::Result<Vec<Box<dyn Repository>>> {
    sources(ctx, repository)
}

/// [`wal_sources`] for `wal fetch`: a repository directory that is not there is not created
/// (an unmounted disk is no empty archive; [`Repository::check`] then says so).
fn fetch_sources(ctx: &Context) -> anyhow::Result<Vec<Box<dyn Repository>>> {
    sources(ctx, repository_to_read)
}

fn sources(
    ctx: &Context,
    open: fn(&Context) -> anyhow::Result<Box<dyn Repository>>,
) -> anyhow::Result<Vec<Box<dyn Repository>>> {
    let settings = &ctx.config.repository;
    let mut sources = Vec::new();
    if settings.url.is_some() {
        sources.push(open(ctx)?);
    }
    if let Some(dir) = &settings.wal_archive {
        sources.push(repo::open::open_dir(dir, true).map_err(repo_error)?);
    }
    if sources.is_empty() {
        return Err(Exit::new(
            exit::CONFIG,
            "no WAL archive configured: set [repository] url = \"file:///DIR\" (or wal_archive = \"DIR\") in wfctl.toml",
        )
        .into());
    }
    Ok(sources)
}

/// A repository error with its exit code, for every command that reads or writes one: a bad
/// URL or key, a missing directory or bucket is configuration (78), a server that does not
/// answer is unreachable (69).
pub(crate) fn repo_error(e: repo::Error) -> anyhow::Error {
    match e {
        repo::Error::Invalid(_) => Exit::new(exit::CONFIG, e.to_string()).into(),
        repo::Error::Unreachable { .. } => Exit::new(exit::UNAVAILABLE, e.to_string()).into(),
        e => anyhow::Error::new(e),
    }
}

fn wal_error(e: WalError) -> anyhow::Error {
    match e {
        WalError::Repo(e) => repo_error(e),
        WalError::BadName { .. } => Exit::new(exit::USAGE, e.to_string()).into(),
        e => anyhow::Error::new(e),
    }
}

fn push(args: &PushArgs, ctx: &Context) -> anyhow::Result<()> {
    let out = &ctx.output;
    let started = Instant::now();
    wal_archive::wal_name(&args.path).map_err(wal_error)?;
    let repo = repository(ctx)?;
    let pushed = wal_archive::push(repo.as_ref(), &args.path).map_err(wal_error)?;
    let seconds = started.elapsed().as_secs_f64();
    if out.json() {
        let (key, size, stored, already) = match &pushed {
            Pushed::Stored {
                key,
                size,
                stored_size,
            } => (key, Some(*size), Some(*stored_size), false),
            Pushed::AlreadyThere { key } => (key, None, None, true),
        };
        out.print_json(&serde_json::json!({
            "repository": repo.describe(),
            "key": key,
            "size_bytes": size,
            "stored_size_bytes": stored,
            "already_archived": already,
            "elapsed_seconds": seconds,
        }))?;
    } else {
        // archive_command's stderr goes to the server log: a line per segment only under -v
        out.detail(&match &pushed {
            Pushed::Stored {
                key,
                size,
                stored_size,
            } => format!(
                "archived {} as {}/{key}: {} stored as {} in {}",
                args.path.display(),
                repo.describe(),
                crate::cli::format::size(*size),
                crate::cli::format::size(*stored_size),
                crate::cli::format::seconds(seconds)
            ),
            Pushed::AlreadyThere { key } => format!(
                "{} is already archived as {}/{key} with the same content",
                args.path.display(),
                repo.describe()
            ),
        });
    }
    Ok(())
}

fn fetch(args: &FetchArgs, ctx: &Context) -> anyhow::Result<()> {
    let sources = fetch_sources(ctx)?;
    let refs: Vec<&dyn Repository> = sources.iter().map(AsRef::as_ref).collect();
    let found = wal_archive::fetch(&refs, &args.name, Path::new(&args.dest)).map_err(wal_error)?;
    if !found {
        // the end of the archive: PostgreSQL asks for files past it as a matter of course
        // silent on stderr (PostgreSQL's log would fill with it), but a JSON error object
        // always says what happened
        let absent = format!("{}{NOT_ARCHIVED}", args.name);
        log::info!("{absent}");
        let message = if ctx.output.json() {
            absent
        } else {
            String::new()
        };
        return Err(Exit::new(1, message).into());
    }
    let out = &ctx.output;
    if out.json() {
        out.print_json(&serde_json::json!({
            "name": args.name,
            "path": args.dest,
        }))?;
    } else {
        out.detail(&format!(
            "fetched {} into {}",
            args.name,
            args.dest.display()
        ));
    }
    Ok(())
}
