//! `--repo` of `db backup`, `db backups`, `db verify` and `db restore`: dump backups kept in
//! the configured repository (`WFCTL_REPOSITORY`, else `[repository] url`), encrypted as
//! `[repository]` says. The work is in `wfctl::backup::repository`.

use std::path::PathBuf;

use wfctl::backup::repository;
use wfctl::repo::Repository;

use super::backup::exit_for;
use crate::cli::exit::CONFIG;
use crate::cli::{Context, Exit};

/// The repository `--repo` means: `WFCTL_REPOSITORY`, else `[repository] url`.
pub(super) fn open(ctx: &Context) -> anyhow::Result<Box<dyn Repository>> {
    let url = ctx.repository_url().map(|(url, _)| url).ok_or_else(|| {
        Exit::new(
            CONFIG,
            "--repo: no repository: set [repository] url in wfctl.toml (or WFCTL_REPOSITORY)",
        )
    })?;
    // [repository] read_only protects the configured repository, however it is named here
    let read_only =
        ctx.config.repository.read_only && ctx.config.repository.url.as_deref() == Some(&url);
    crate::cli::repo::open_repository(&url, read_only, ctx)
}

/// A backup of the repository downloaded (decrypted) into a private temporary directory,
/// removed when the value is dropped; the local commands then read it as any backup file.
pub(super) struct Fetched {
    /// The downloaded backup, its manifest beside it.
    pub(super) path: PathBuf,
    _dir: tempfile::TempDir,
}

/// With `--repo`, `file` names a backup in the repository: it is downloaded and `file` becomes
/// the private copy, removed when the returned value is dropped.
pub(super) fn fetch_if_asked(
    ctx: &Context,
    repo: bool,
    file: &mut PathBuf,
) -> anyhow::Result<Option<Fetched>> {
    if !repo {
        return Ok(None);
    }
    let fetched = fetch(ctx, &file.to_string_lossy())?;
    file.clone_from(&fetched.path);
    Ok(Some(fetched))
}

/// Downloads the backup `name` (as `db backups --repo` lists it).
pub(super) fn fetch(ctx: &Context, name: &str) -> anyhow::Result<Fetched> {
    let repository = open(ctx)?;
    fetch_from(repository.as_ref(), name)
}

/// Downloads the backup `name` of `repository`.
pub(super) fn fetch_from(repository: &dyn Repository, name: &str) -> anyhow::Result<Fetched> {
    let dir = tempfile::Builder::new()
        .prefix("wfctl-fetch-")
        .tempdir()
        .map_err(|e| anyhow::anyhow!("cannot create a temporary directory: {e}"))?;
    let path = repository::download(repository, name, dir.path()).map_err(exit_for)?;
    Ok(Fetched { path, _dir: dir })
}
