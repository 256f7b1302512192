//! `wfctl repo ls|get|put|rm`: the backup repository's objects, for operators (what is there,
//! fetch one, place one, remove one). Objects are encrypted and decrypted as `[repository]`
//! says (in `wfctl::repo::stream`); the listing shows what is stored, ciphertext sizes
//! included.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, Subcommand};
use serde::Serialize;
use wfctl::repo::crypt::{self, Recipients};
use wfctl::repo::stream::{self, Sealing, put_object, read_object};
use wfctl::repo::{self, Repository};

use super::exit::{self, Exit};
use super::wal::repo_error;
use super::{Context, format};

/// `wfctl repo`
#[derive(Debug, Args)]
pub(crate) struct RepoArgs {
    /// The repository (default: [repository] url); credentials come from the AWS environment,
    /// never from the URL
    #[arg(long, global = true, env = "WFCTL_REPOSITORY", value_name = "URL")]
    repo: Option<String>,
    #[command(subcommand)]
    command: RepoCommand,
}

#[derive(Debug, Subcommand)]
enum RepoCommand {
    /// List the complete objects under a prefix (an interrupted upload is never listed)
    Ls {
        /// Only keys starting with this (e.g. `wal/`)
        prefix: Option<String>,
    },
    /// Write an object to FILE (atomically) or to stdout (`-`), decrypted when encrypted
    Get {
        /// The object's key
        key: String,
        /// Where to write it; `-` for stdout
        file: PathBuf,
        /// Replace FILE when it exists
        #[arg(long)]
        force: bool,
    },
    /// Store FILE (`-` for stdin) under KEY, encrypted when [repository] encrypt is set
    Put {
        /// The object's key
        key: String,
        /// What to store; `-` for stdin
        file: PathBuf,
        /// Replace an existing object (refused otherwise)
        #[arg(long)]
        replace: bool,
    },
    /// Remove an object (removing an absent one succeeds)
    Rm {
        /// The object's key
        key: String,
    },
    /// Create an age key pair: the identity (secret key) into FILE, readable by its owner
    /// only; prints the public key for [repository] recipients
    Keygen {
        /// The identity file to create (never overwritten); keep it off the repository's host
        file: PathBuf,
    },
}

#[derive(Serialize)]
struct Listed {
    key: String,
    size_bytes: u64,
    modified: Option<String>,
}

pub(crate) fn run(args: RepoArgs, ctx: &Context) -> anyhow::Result<()> {
    if let RepoCommand::Keygen { file } = &args.command {
        return keygen(file, ctx);
    }
    let url = args
        .repo
        .clone()
        .or_else(|| ctx.repository_url().map(|(url, _)| url))
        .ok_or_else(|| {
            Exit::new(
                exit::CONFIG,
                "no repository: give --repo URL (or WFCTL_REPOSITORY), or [repository] url in wfctl.toml",
            )
        })?;
    // [repository] read_only protects the configured repository, however it is named here
    let read_only =
        ctx.config.repository.read_only && ctx.config.repository.url.as_deref() == Some(&url);
    let repository = open_repository(&url, read_only, ctx)?;
    match args.command {
        RepoCommand::Ls { prefix } => list(repository.as_ref(), prefix.as_deref(), ctx),
        RepoCommand::Get { key, file, force } => get(repository.as_ref(), &key, &file, force, ctx),
        RepoCommand::Put { key, file, replace } => {
            put(repository.as_ref(), &key, &file, replace, ctx)
        }
        RepoCommand::Keygen { .. } => unreachable!("handled before the repository is opened"),
        RepoCommand::Rm { key } => {
            repository.delete(&key).map_err(repo_error)?;
            clean_leftovers(repository.as_ref());
            if ctx.output.json() {
                return Ok(ctx.output.print_json(&serde_json::json!({
                    "repository": repository.describe(),
                    "key": key,
                    "removed": true,
                }))?);
            }
            ctx.output
                .status(&format!("removed {}/{key}", repository.describe()));
            Ok(())
        }
    }
}

/// The repository at `url` with the encryption `[repository]` configures.
pub(crate) fn open_repository(
    url: &str,
    read_only: bool,
    ctx: &Context,
) -> anyhow::Result<Box<dyn Repository>> {
    let settings = &ctx.config.repository;
    let recipients = match settings.encrypt {
        Some(_) => Some(Recipients::parse(&settings.recipients).map_err(crypt_error)?),
        None => None,
    };
    let sealing = Sealing {
        recipients,
        identity_file: settings.identity_file.clone(),
    };
    repo::open::open_sealed(url, read_only, sealing).map_err(object_error)
}

/// A repository error with its exit code, encryption included: no identity or a bad key is
/// configuration (78), the rest as [`repo_error`] says.
pub(crate) fn object_error(error: repo::Error) -> anyhow::Error {
    match error {
        repo::Error::Crypt(e) => crypt_error(e),
        e => repo_error(e),
    }
}

fn crypt_error(error: crypt::Error) -> anyhow::Error {
    match &error {
        crypt::Error::NoIdentity { .. }
        | crypt::Error::Identity { .. }
        | crypt::Error::Recipient { .. }
        | crypt::Error::NoRecipients => Exit::new(exit::CONFIG, error.to_string()).into(),
        _ => error.into(),
    }
}

/// After a write: what killed writers left behind is removed (best effort; a failure here
/// fails nothing that was asked for).
pub(crate) fn clean_leftovers(repository: &dyn Repository) {
    match repository.clean_leftovers(repo::LEFTOVER_AGE) {
        Ok(0) => {}
        Ok(n) => log::info!(
            "{}: removed {n} leftover(s) of interrupted writes",
            repository.describe()
        ),
        Err(e) => log::warn!("{e}"),
    }
}

fn list(repository: &dyn Repository, prefix: Option<&str>, ctx: &Context) -> anyhow::Result<()> {
    let objects = repository.list(prefix.unwrap_or("")).map_err(repo_error)?;
    if ctx.output.json() {
        let listed: Vec<Listed> = objects
            .into_iter()
            .map(|o| Listed {
                key: o.key,
                size_bytes: o.size,
                modified: o.modified.map(format::json_time),
            })
            .collect();
        return Ok(ctx.output.print_json(&serde_json::json!({
            "repository": repository.describe(),
            "objects": listed,
        }))?);
    }
    let mut table = ctx.output.table(["key", "size", "modified"]);
    let keys: Vec<&str> = objects.iter().map(|o| o.key.as_str()).collect();
    for o in &objects {
        table.add_row(vec![
            o.key.clone(),
            format::size(o.size),
            o.modified.map(format::table_time).unwrap_or_default(),
        ]);
    }
    Ok(ctx.output.print_listing(
        &table,
        &keys,
        &format!("no objects in {}", repository.describe()),
    )?)
}

fn put(
    repository: &dyn Repository,
    key: &str,
    file: &Path,
    replace: bool,
    ctx: &Context,
) -> anyhow::Result<()> {
    let mut input: Box<dyn Read> = if file == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(
            std::fs::File::open(file)
                .with_context(|| format!("{}: cannot open", file.display()))?,
        )
    };
    let settings = &ctx.config.repository;
    let stored = put_object(repository, key, &mut input, replace).map_err(object_error)?;
    clean_leftovers(repository);
    if ctx.output.json() {
        return Ok(ctx.output.print_json(&serde_json::json!({
            "repository": repository.describe(),
            "key": key,
            "size_bytes": stored.size,
            "sha256": stored.sha256,
            "encrypted_to": settings.encrypt.map(|_| &settings.recipients),
        }))?);
    }
    ctx.output.status(&format!(
        "stored {}/{key}: {}, sha256 {}",
        repository.describe(),
        format::size(stored.size),
        stored.sha256
    ));
    Ok(())
}

fn get(
    repository: &dyn Repository,
    key: &str,
    file: &Path,
    force: bool,
    ctx: &Context,
) -> anyhow::Result<()> {
    let what = format!("{}/{key}", repository.describe());
    if file == Path::new("-") && ctx.output.json() {
        return Err(Exit::new(
            exit::USAGE,
            "`repo get KEY -` writes the object to stdout; it has no JSON form there",
        )
        .into());
    }
    let stream::Object {
        body: mut plain,
        encrypted,
    } = read_object(repository, key).map_err(object_error)?;
    if file == Path::new("-") {
        let mut stdout = std::io::stdout().lock();
        std::io::copy(&mut plain, &mut stdout).with_context(|| format!("{what}: reading"))?;
        stdout.flush()?;
        return Ok(());
    }
    if !force && file.exists() {
        return Err(Exit::new(
            exit::USAGE,
            format!("{}: exists; give --force to replace it", file.display()),
        )
        .into());
    }
    // the file appears complete or not at all: written beside it, synced, renamed
    let dir = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // what a killed get left here is removed now (its PID is dead); ours is named so
    wfctl::temp_files::remove_stale_temps(dir);
    let mut temp = wfctl::temp_files::TempFile::new_in(dir)
        .with_context(|| format!("{}: cannot write there", dir.display()))?;
    let size = std::io::copy(&mut plain, temp.as_file_mut())
        .with_context(|| format!("{what}: reading"))?;
    temp.persist(file)
        .with_context(|| format!("{}: cannot write", file.display()))?;
    if ctx.output.json() {
        return Ok(ctx.output.print_json(&serde_json::json!({
            "repository": repository.describe(),
            "key": key,
            "file": file.display().to_string(),
            "size_bytes": size,
            "decrypted": encrypted,
        }))?);
    }
    ctx.output.status(&format!(
        "wrote {} ({}) from {what}",
        file.display(),
        format::size(size)
    ));
    Ok(())
}

fn keygen(file: &Path, ctx: &Context) -> anyhow::Result<()> {
    let (public, secret) = crypt::generate();
    let dir = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // created private (0600) beside its place, synced, then moved there unless taken
    wfctl::temp_files::remove_stale_temps(dir);
    let mut temp = wfctl::temp_files::TempFile::new_in(dir)
        .with_context(|| format!("{}: cannot write there", dir.display()))?;
    writeln!(
        temp,
        "# wfctl repository identity, created {}\n# public key: {public}\n{}",
        wfctl::conventions::time_text(chrono::Utc::now()),
        age::secrecy::ExposeSecret::expose_secret(&secret)
    )?;
    temp.persist_new(file)
        .map_err(|e| Exit::new(1, format!("{}: cannot create ({e})", file.display())))?;
    if ctx.output.json() {
        return Ok(ctx.output.print_json(&serde_json::json!({
            "identity_file": file.display().to_string(),
            "public_key": public,
        }))?);
    }
    ctx.output.status(&format!(
        "wrote the identity to {}; put the public key below in [repository] recipients",
        file.display()
    ));
    Ok(ctx.output.print(&public)?)
}
