//! `wfctl diag ...`: diagnose the database and the cases. Each check lives in the library
//! (`wfctl::diag`); this file only dispatches.

use clap::{Args, Subcommand};

use super::{Context, diag_settings};

#[derive(Debug, Args)]
pub(crate) struct DiagArgs {
    #[command(subcommand)]
    command: DiagCommand,
}

#[derive(Debug, Subcommand)]
enum DiagCommand {
    /// Server settings beside the seed guide's recommendations scaled to this server, the
    /// pool-size formula, per-table autovacuum for the workflow tables, and the ALTER lines
    /// to apply them (never applied by wfctl)
    Settings(diag_settings::SettingsArgs),
    /// WAL archiving for point-in-time recovery: is it on, fed, failing or behind; WAL volume
    /// and max_wal_size pressure
    Wal(diag_settings::WalArgs),
}

pub(crate) fn run(args: DiagArgs, ctx: &Context) -> anyhow::Result<()> {
    match args.command {
        DiagCommand::Settings(args) => diag_settings::run_settings(args, ctx),
        DiagCommand::Wal(args) => diag_settings::run_wal(args, ctx),
    }
}
