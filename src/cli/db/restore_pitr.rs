//! `wfctl db restore-pitr --target-time T --data-dir DIR`: the newest good base backup taken
//! before T, unpacked into DIR with recovery settings that replay the archived WAL through
//! `wal fetch` up to T and then promote. Starts the server only with `--start`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use clap::Args;
use wfctl::backup::pitr::{self, Recovery, shell_quote};
use wfctl::backup::{PgVersion, catalog};

use super::backup::{PgBinArgs, exit_for};
use crate::cli::{Context, Exit, exit};

#[derive(Debug, Args)]
pub(crate) struct RestorePitrArgs {
    /// Restore to this moment: 2024-05-01T14:30:00Z, or as PostgreSQL prints it
    /// (2024-05-01 14:30:00.123+00); without a zone it is UTC
    #[arg(long, value_name = "TIME", value_parser = parse_target_time, allow_hyphen_values = true)]
    target_time: DateTime<Utc>,
    /// The new data directory (must not exist, or be empty)
    #[arg(long, value_name = "DIR")]
    data_dir: PathBuf,
    /// Directory of base backups (as given to `db basebackup --dir`)
    #[arg(long, value_name = "DIR")]
    dir: PathBuf,
    /// Also start the server and wait until recovery reached the target and promoted
    #[arg(long)]
    start: bool,
    /// With --start: how long to wait for recovery
    #[arg(long, value_parser = crate::cli::format::parse_duration, value_name = "DURATION", default_value = "1h")]
    timeout: Duration,
    #[command(flatten)]
    bin: PgBinArgs,
}

/// A time as an operator types it or PostgreSQL prints it, or an offset from now (`-30m`).
pub(crate) fn parse_target_time(text: &str) -> Result<DateTime<Utc>, String> {
    crate::cli::format::parse_time(text)
}

pub(crate) fn run(args: RestorePitrArgs, ctx: &Context) -> anyhow::Result<()> {
    let out = &ctx.output;
    // the archive must be readable before anything is unpacked
    crate::cli::wal::wal_sources(ctx)?;
    let Some(config) = ctx.config_path.as_deref() else {
        return Err(Exit::new(
            exit::CONFIG,
            "restore-pitr needs the configuration file that names the WAL archive (--config FILE): the server's restore_command reads it",
        )
        .into());
    };
    let config = std::path::absolute(config)?;
    let entries = catalog::scan(&args.dir).map_err(exit_for)?;
    let target = args.target_time;
    let Some(base) = pitr::candidates(&entries, target).into_iter().next() else {
        return Err(Exit::new(
            1,
            format!(
                "{}: no good base backup finished before {}; the oldest point a restore can reach is the end of the oldest base backup",
                args.dir.display(),
                crate::cli::format::table_time(target)
            ),
        )
        .into());
    };
    let exe = std::env::current_exe()?;
    let recovery = Recovery {
        restore_command: format!(
            "{} --config {} wal fetch %f %p",
            shell_quote(&exe.to_string_lossy()),
            shell_quote(&config.to_string_lossy())
        ),
        target,
    };
    // refused before anything is unpacked when the backup's major has no pg_ctl here
    let recorded_major = base
        .manifest
        .as_ref()
        .and_then(|m| PgVersion::parse_tool_output(&format!("x {}", m.server_version)))
        .map(|v| v.major);
    let early = match recorded_major {
        Some(major) => Some(pg_ctl_of(&args, ctx, major)?),
        None => None,
    };
    pitr::prepare(base, &args.data_dir, &recovery).map_err(exit_for)?;
    let data_dir = std::path::absolute(&args.data_dir)?;
    let log = data_dir.join("wfctl-restore-pitr.log");
    let pg_ctl = match early {
        Some(path) => path,
        None => pg_ctl_of(&args, ctx, data_major(&data_dir)?)?,
    };
    let start_line = format!(
        "{} -D {} -l {} start",
        shell_quote(&pg_ctl.to_string_lossy()),
        shell_quote(&data_dir.to_string_lossy()),
        shell_quote(&log.to_string_lossy())
    );
    out.status(&format!(
        "{} unpacked into {} to recover to {}",
        base.path.display(),
        data_dir.display(),
        crate::cli::format::table_time(target)
    ));
    if !args.start {
        if out.json() {
            out.print_json(&serde_json::json!({
                "base_backup": base.path,
                "data_dir": data_dir,
                "target_time": rfc3339(target),
                "start_command": start_line,
            }))?;
        } else {
            out.status("start it (as the server's OS user) with:");
            out.print(&start_line)?;
        }
        return Ok(());
    }
    let started = Command::new(&pg_ctl)
        .arg("-D")
        .arg(&data_dir)
        .arg("-l")
        .arg(&log)
        .args(["-W", "start"])
        .stdout(std::process::Stdio::null())
        .output()?;
    if !started.status.success() {
        return Err(anyhow::anyhow!(
            "{start_line} failed: {}",
            String::from_utf8_lossy(&started.stderr).trim()
        ));
    }
    let last = wait_for_promotion(&log, args.timeout)?;
    let last_time = last.as_deref().and_then(|t| parse_target_time(t).ok());
    if out.json() {
        out.print_json(&serde_json::json!({
            "base_backup": base.path,
            "data_dir": data_dir,
            "target_time": rfc3339(target),
            "last_replayed_transaction": last_time.map(rfc3339),
            "log": log,
        }))?;
    } else {
        out.print(&format!(
            "recovered to {}: the last replayed transaction committed at {}; the server is running and accepts writes (log {})",
            crate::cli::format::table_time(target),
            last.as_deref().unwrap_or("(none replayed)"),
            log.display()
        ))?;
    }
    Ok(())
}

/// A time in JSON: RFC 3339 UTC, fractions only when there are any.
fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// pg_ctl of the backup's own major version (a server starts only its own major's data): a
/// newer pg_ctl on PATH would start a newer postgres, which refuses the data directory.
fn pg_ctl_of(args: &RestorePitrArgs, ctx: &Context, major: u32) -> anyhow::Result<PathBuf> {
    let tool = args
        .bin
        .search(ctx)
        .find_exact("pg_ctl", major)
        .map_err(exit_for)?;
    Ok(tool.path)
}

/// The major version a data directory's `PG_VERSION` names.
fn data_major(data_dir: &Path) -> anyhow::Result<u32> {
    let version_file = data_dir.join("PG_VERSION");
    let text = std::fs::read_to_string(&version_file)
        .map_err(|e| anyhow::anyhow!("{}: {e}", version_file.display()))?;
    text.trim().parse::<u32>().map_err(|_| {
        anyhow::anyhow!(
            "{}: not a PostgreSQL major version: {:?}",
            version_file.display(),
            text.trim()
        )
    })
}

/// Reads the server log until recovery has promoted; the time of the last replayed commit.
fn wait_for_promotion(log: &Path, timeout: Duration) -> anyhow::Result<Option<String>> {
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_millis(20);
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if let Some(fatal) = text
            .lines()
            .find(|l| l.contains("FATAL:") || l.contains("PANIC:"))
        {
            return Err(anyhow::anyhow!(
                "recovery failed ({}): {}",
                log.display(),
                fatal.trim()
            ));
        }
        let promoted = text
            .find("archive recovery complete")
            .is_some_and(|at| text[at..].contains("ready to accept connections"));
        if promoted {
            return Ok(text.lines().rev().find_map(|l| {
                l.split_once("last completed transaction was at log time ")
                    .map(|(_, t)| t.trim().to_owned())
            }));
        }
        if Instant::now() >= deadline {
            return Err(Exit::new(
                exit::TEMPFAIL,
                format!(
                    "recovery has not reached the target after {}; the server is still running (log {})",
                    crate::cli::format::duration(timeout),
                    log.display()
                ),
            )
            .into());
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(500));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_times() {
        let want: DateTime<Utc> = "2024-05-01T14:30:00.25Z".parse().unwrap();
        for text in [
            "2024-05-01T14:30:00.25Z",
            "2024-05-01 14:30:00.25+00",
            "2024-05-01 16:30:00.25+02:00",
            "2024-05-01 14:30:00.25",
        ] {
            assert_eq!(parse_target_time(text).unwrap(), want, "{text}");
        }
        assert!(parse_target_time("yesterday").is_err());
    }
}
