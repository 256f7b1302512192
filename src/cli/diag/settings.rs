//! `wfctl diag settings`: server configuration against the seed guide. Only reads.

use anyhow::Context as _;
use clap::{Args, ValueEnum};
use wfctl::diag::settings::{self, SettingsOptions, Storage};

use super::report::{self, finish};
use crate::cli::Context;

const SETTINGS_HELP: &str = "\
Recommendations (the guide's numbers are for a 1 GiB server; memory keeps its ratios):
  shared_buffers 25% of RAM, effective_cache_size 75%, work_mem RAM/64 (4MB-64MB),
  maintenance_work_mem RAM/8 (64MB-2GB); the rest as the guide writes them.
RAM and cores: --ram/--cores if given, else read on the server (superuser or
pg_read_server_files), else this machine's when connected over a socket or loopback, else the
guide's 1 GiB / 4 cores (said so on stderr).

--check exits 3 when a setting is more than --far-off times (default 4) away from its
recommendation (min_wal_size, wal_buffers, checkpoint_completion_target and
log_min_duration_statement only ever warn), autovacuum is off, shared_preload_libraries lacks
pg_stat_statements, or wfctl's pool exceeds the connections the server allows. 1.5x-4x off,
a pool over twice cores*2+spindles, and busy workflow tables without their own autovacuum
settings are warnings; so are log_statement = all and a log_line_prefix without the pid, user,
database and application (%p %u %d %a). log_min_duration_statement is set for this database
(ALTER DATABASE), as the guide does, not server-wide.";

/// `--storage`
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum StorageArg {
    Ssd,
    Hdd,
}

#[derive(Debug, Args)]
#[command(after_help = SETTINGS_HELP)]
pub(crate) struct SettingsArgs {
    /// RAM PostgreSQL may use (e.g. 16GB); default: read from the server
    #[arg(long, value_name = "SIZE", value_parser = settings::parse_size)]
    ram: Option<u64>,
    /// CPU cores of the server; default: read from the server
    #[arg(long, value_name = "N", value_parser = crate::cli::format::parse_at_least_one::<u32>)]
    cores: Option<u32>,
    /// The guide's effective_spindle_count for the pool formula (1 for an SSD)
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = crate::cli::format::parse_count::<u32>)]
    spindles: u32,
    /// The disks the data lives on
    #[arg(long, value_enum, default_value_t = StorageArg::Ssd)]
    storage: StorageArg,
    /// How many times away from the recommendation counts as far off
    #[arg(long, value_name = "FACTOR", default_value_t = settings::FAR_OFF, value_parser = far_off)]
    far_off: f64,
    /// Exit 3 when something is far off (see below)
    #[arg(long)]
    check: bool,
}

fn far_off(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(f) if f > settings::WARN_FACTOR => Ok(f),
        _ => Err(format!("must be a number above {}", settings::WARN_FACTOR)),
    }
}

pub(crate) fn run(args: SettingsArgs, ctx: &Context) -> anyhow::Result<()> {
    let url = ctx.database_url()?;
    let mut conn = ctx.connect()?;
    let options = SettingsOptions {
        ram_bytes: args.ram,
        cores: args.cores,
        spindles: args.spindles,
        storage: match args.storage {
            StorageArg::Ssd => Storage::Ssd,
            StorageArg::Hdd => Storage::Hdd,
        },
        pool_size: ctx.pool_options().max_size,
        far_off: args.far_off,
    };
    let report =
        settings::check(&mut conn, &options).with_context(|| format!("diag settings on {url}"))?;
    let out = &ctx.output;
    if out.json() {
        out.print_json(&report)?;
    } else {
        report::settings(out, &report)?;
    }
    finish(out, args.check, &report.findings, &report.limitations)
}
