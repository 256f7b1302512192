//! Tables for people: `diag settings` and `diag wal` in human form (`--json` prints the
//! reports as they are).

use std::time::Duration;

use chrono::{DateTime, Utc};
use wfctl::diag::all::CheckRule;
use wfctl::diag::settings::{Origin, SettingsReport, Storage};
use wfctl::diag::wal::WalReport;
use wfctl::diag::{Finding, Limitation, Severity};

use crate::cli::Output;
use crate::cli::exit::{Exit, PARTIAL};

pub(super) fn settings(out: &Output, r: &SettingsReport) -> std::io::Result<()> {
    let m = &r.machine;
    out.prose(&format!(
        "PostgreSQL {}: recommendations for {} RAM ({}), {} cores ({}), {}",
        r.server_version,
        bytes(m.ram_bytes),
        origin(m.ram_source),
        m.cores,
        origin(m.cores_source),
        match r.storage {
            Storage::Ssd => "SSD",
            Storage::Hdd => "HDD",
        }
    ))?;
    let mut table = out.table([
        "setting",
        "current",
        "recommended",
        "rule",
        "source",
        "applies on",
        "status",
    ]);
    for s in &r.settings {
        let mut status = severity(out, s.severity);
        if let Some(f) = s.factor.filter(|f| *f > 1.0 && s.severity > Severity::Ok) {
            status.push_str(&if f.is_finite() {
                format!(" {f:.1}x")
            } else {
                " (off)".into()
            });
        }
        if s.pending_restart {
            status.push_str(", restart pending");
        }
        table.add_row([
            s.name.clone(),
            s.current.clone().unwrap_or_else(|| "(hidden)".into()),
            s.recommended.clone(),
            s.rule.clone(),
            s.source.clone().unwrap_or_default(),
            if s.restart_required {
                "restart"
            } else {
                "reload"
            }
            .into(),
            status,
        ]);
    }
    out.print_report(&table)?;
    let p = &r.pool;
    let max = p
        .max_connections
        .map(|m| format!("{m} ({} usable)", p.usable_connections.unwrap_or(m)))
        .unwrap_or_else(|| "?".into());
    out.prose(&format!(
        "pool: {} cores * 2 + {} spindles = {}; wfctl pool {}; max_connections {max}: {} {}",
        p.cores,
        p.spindles,
        p.formula,
        p.wfctl_pool,
        severity(out, p.severity),
        p.message
    ))?;
    if !r.tables.is_empty() {
        let mut table = out.table([
            "table",
            "live rows",
            "dead",
            "churn",
            "last autovacuum",
            "options",
            "status",
        ]);
        for t in &r.tables {
            table.add_row([
                t.table.clone(),
                t.live_rows.to_string(),
                format!("{} ({:.0}%)", t.dead_rows, t.dead_share * 100.0),
                format!("{:.1}", t.churn),
                t.last_autovacuum
                    .map(crate::cli::format::table_time)
                    .unwrap_or_else(|| "never".into()),
                t.options.join(", "),
                severity(out, t.severity),
            ]);
        }
        out.print_report(&table)?;
    }
    if r.apply.is_empty() {
        return Ok(());
    }
    let mut sql = String::from("-- to apply (as a superuser; wfctl changes nothing itself):\n");
    for line in &r.apply {
        sql.push_str(line);
        sql.push('\n');
    }
    if !r.restart_needed_for.is_empty() {
        sql.push_str(&format!(
            "-- then restart PostgreSQL for: {}\n",
            r.restart_needed_for.join(", ")
        ));
    }
    out.prose(&sql)
}

pub(super) fn wal(out: &Output, r: &WalReport) -> std::io::Result<()> {
    let a = &r.archiving;
    let s = &r.archiver;
    let b = &r.backlog;
    let v = &r.volume;
    let none = || "-".to_string();
    let when =
        |t: Option<DateTime<Utc>>| t.map(crate::cli::format::table_time).unwrap_or_else(none);
    let mut rows: Vec<(&str, String)> = vec![
        (
            "server",
            format!(
                "PostgreSQL {}{}",
                r.server_version,
                if r.in_recovery { " (standby)" } else { "" }
            ),
        ),
        ("archive_mode", a.archive_mode.clone().unwrap_or_else(none)),
        (
            "archive_command",
            a.archive_program
                .as_ref()
                .map(|p| format!("{p} ..."))
                .unwrap_or_else(none),
        ),
        (
            "archive_library",
            a.archive_library.clone().unwrap_or_else(none),
        ),
        (
            "archive_timeout",
            a.archive_timeout_seconds
                .map(|s| crate::cli::format::duration(Duration::from_secs(s)))
                .unwrap_or_else(none),
        ),
        ("wal_level", a.wal_level.clone().unwrap_or_else(none)),
        (
            "last archived",
            at(&s.last_archived_wal, s.last_archived_time),
        ),
        (
            "archived / failed",
            format!(
                "{} / {} since {}",
                s.archived_count,
                s.failed_count,
                when(s.stats_reset)
            ),
        ),
        ("last failure", at(&s.last_failed_wal, s.last_failed_time)),
        ("current WAL", b.current_wal.clone().unwrap_or_else(none)),
        (
            "not yet archived",
            match (b.segments_waiting, b.unarchived_bytes) {
                (Some(n), Some(bytes_)) => format!(
                    "{n} completed segments; {} written since the last archived one",
                    bytes(bytes_)
                ),
                _ => none(),
            },
        ),
        (
            "ready for the archive",
            match (b.ready_files, b.oldest_ready) {
                (Some(0), _) => "none".into(),
                (Some(n), oldest) => format!("{n} segments (oldest since {})", when(oldest)),
                _ => none(),
            },
        ),
        (
            "pg_wal",
            match (b.pg_wal_files, b.pg_wal_bytes) {
                (Some(n), Some(size)) => format!("{n} segments, {}", bytes(size)),
                _ => none(),
            },
        ),
    ];
    rows.extend([
        (
            "WAL rate",
            v.bytes_per_second
                .map(|r| {
                    format!(
                        "{}/s on average since {}",
                        bytes(r as u64),
                        when(v.stat.as_ref().and_then(|s| s.stats_reset))
                    )
                })
                .unwrap_or_else(none),
        ),
        (
            "since last checkpoint",
            v.since_checkpoint_bytes
                .map(|b| format!("{} (checkpoint at {})", bytes(b), when(v.last_checkpoint)))
                .unwrap_or_else(none),
        ),
        (
            "checkpoints",
            v.checkpoints
                .as_ref()
                .map(|c| {
                    format!(
                        "{} timed, {} requested since {}",
                        c.timed,
                        c.requested,
                        when(c.stats_reset)
                    )
                })
                .unwrap_or_else(none),
        ),
        (
            "max_wal_size",
            format!(
                "{} (needed about {})",
                v.max_wal_size_bytes.map(bytes).unwrap_or_else(none),
                v.needed_max_wal_size_bytes.map(bytes).unwrap_or_else(none)
            ),
        ),
    ]);
    let mut table = out.table(["item", "value"]);
    for (item, value) in rows {
        table.add_row([item.to_string(), value]);
    }
    out.print_report(&table)?;
    if r.findings.is_empty() {
        return out.prose("ok: the archive is fed");
    }
    let mut table = out.table(["status", "finding", "fix"]);
    for f in &r.findings {
        table.add_row([
            finding_severity(out, f.severity),
            f.message.clone(),
            f.fix.clone().unwrap_or_default(),
        ]);
    }
    out.print_report(&table)
}

/// `000000010000000000000003 at 2026-12-07 05:15:43Z`, or `never`.
fn at(wal: &Option<String>, time: Option<DateTime<Utc>>) -> String {
    match (wal, time) {
        (Some(wal), Some(t)) => format!("{wal} at {}", crate::cli::format::table_time(t)),
        (Some(wal), None) => wal.clone(),
        _ => "never".into(),
    }
}

fn origin(o: Origin) -> &'static str {
    match o {
        Origin::Given => "given",
        Origin::Server => "read on the server",
        Origin::LocalHost => "this machine's",
        Origin::Assumed => "assumed",
    }
}

/// A figure's or a setting's level in a table: the JSON word upper-case (`OK`, `WARNING`).
fn severity(out: &Output, s: Severity) -> String {
    level(out, s.word(), s)
}

/// A finding's level in a table: `INFO` below every warning level, as JSON's `info`.
pub(crate) fn finding_severity(out: &Output, s: Severity) -> String {
    level(out, s.finding_word(), s)
}

/// The one way a table shows a level: the word JSON writes, upper-case, coloured by severity.
fn level(out: &Output, word: &str, s: Severity) -> String {
    let colour = match s {
        Severity::Ok if word == "info" => "36",
        Severity::Ok => "32",
        Severity::Warning => "33",
        Severity::Critical => "31;1",
        Severity::Unknown => "35",
    };
    out.paint(&word.to_uppercase(), colour)
}

/// A size for people, in the units every command uses.
fn bytes(n: u64) -> String {
    crate::cli::format::size(n)
}

/// Limitations as notes on stderr; under `--check`, exit 3 on what fails a check of one subject
/// ([`CheckRule::Subject`]).
pub(super) fn finish(
    out: &Output,
    check: bool,
    findings: &[Finding],
    limitations: &[Limitation],
) -> anyhow::Result<()> {
    for l in limitations {
        let enable = l
            .enable
            .as_deref()
            .map(|e| format!("; {e}"))
            .unwrap_or_default();
        out.warn(&format!("not seen: {} ({}{enable})", l.what, l.why));
    }
    let failures = CheckRule::Subject.failures(findings);
    if check && !failures.is_empty() {
        let first = &failures[0].message;
        let more = match failures.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        return Err(Exit::new(PARTIAL, format!("check failed: {first}{more}")).into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_are_binary_units_like_every_other_command() {
        assert_eq!(super::bytes(512), "512 B");
        assert_eq!(super::bytes(1536), "1.50 KiB");
        assert_eq!(super::bytes(16 << 20), "16.00 MiB");
        assert_eq!(super::bytes(3 << 30), "3.00 GiB");
    }
}
