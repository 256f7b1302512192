//! `wfctl db ...`: set up, migrate and inspect the PostgreSQL database.

mod backup;
mod backups;
mod basebackup;
pub(crate) mod migrate;
mod repo_backups;
mod restore;
mod restore_pitr;
mod setup;
mod status;
mod verify;

use clap::{Args, Subcommand};

use super::Context;

pub(crate) use backup::{
    DEFAULT_DIR as DEFAULT_BACKUP_DIR, DEFAULT_KEEP_DAYS, DEFAULT_KEEP_MIN, DEFAULT_LEVEL,
};

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
    Setup(setup::SetupArgs),
    /// Apply pending schema migrations
    Migrate(migrate::MigrateArgs),
    /// Show which migrations are applied and which are pending
    Status,
    /// Dump the database (pg_dump) into a verified, checksummed file with a manifest, then
    /// apply retention
    Backup(backup::BackupArgs),
    /// List the backups in a directory: age, size, verified or not
    Backups(backups::BackupsArgs),
    /// Check a backup by reading all of it; --restore-test also restores it into a
    /// throwaway database
    Verify(verify::VerifyArgs),
    /// Restore a backup into a database, all or nothing
    Restore(restore::RestoreArgs),
    /// Take a base backup (pg_basebackup) for point-in-time recovery, verified with
    /// pg_verifybackup
    Basebackup(basebackup::BasebackupArgs),
    /// Restore a base backup into a new data directory, set to replay the archived WAL (wal
    /// fetch) up to a point in time; --start also starts it and waits for the target
    RestorePitr(restore_pitr::RestorePitrArgs),
}

pub(crate) fn run(args: DbArgs, ctx: &Context) -> anyhow::Result<()> {
    match args.command {
        DbCommand::Setup(args) => setup::run(args, ctx),
        DbCommand::Migrate(args) => migrate::run(&args, ctx),
        DbCommand::Status => status::run(ctx),
        DbCommand::Backup(args) => backup::run(args, ctx),
        DbCommand::Backups(args) => backups::run(&args, ctx),
        DbCommand::Verify(args) => verify::run(args, ctx),
        DbCommand::Restore(args) => restore::run(args, ctx),
        DbCommand::Basebackup(args) => basebackup::run(args, ctx),
        DbCommand::RestorePitr(args) => restore_pitr::run(args, ctx),
    }
}
