//! `wfctl db verify`: read a whole backup, optionally restore it into a throwaway database.

use std::path::PathBuf;

use clap::Args;
use wfctl::backup::{repository, restore, sample, scratch, verify};
use wfctl::repo::Repository;
use wfctl::repo::crypt::Identities;

use super::backup::{PgBinArgs, exit_for, spinner};
use crate::cli::exit::PARTIAL;
use crate::cli::{Context, Exit, Output};

#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// The backup file (.sql.gz or .dump), or a base backup directory (checked again as
    /// `db basebackup` checked it)
    file: PathBuf,
    /// Also restore it into a throwaway database, compare row counts with the manifest and
    /// check its migrations, then drop it (needs CREATEDB)
    #[arg(long)]
    restore_test: bool,
    /// FILE is the name of a backup in the repository ([repository] url, or
    /// WFCTL_REPOSITORY; see db backups --repo): downloaded and decrypted first
    #[arg(long)]
    repo: bool,
    #[command(flatten)]
    bin: PgBinArgs,
}

pub(super) fn run(mut args: VerifyArgs, ctx: &Context) -> anyhow::Result<()> {
    let repository = args
        .repo
        .then(|| super::repo_backups::open(ctx))
        .transpose()?;
    let name = args.file.to_string_lossy().into_owned();
    if let Some(repo) = &repository
        && !args.restore_test
        && lacks_identity(repo.as_ref(), &name)?
    {
        return verify_without_identity(ctx, repo.as_ref(), &name);
    }
    // --repo: the backup is read from a private download, removed at the end
    let _fetched = match &repository {
        Some(repo) => {
            let fetched = super::repo_backups::fetch_from(repo.as_ref(), &name)?;
            args.file.clone_from(&fetched.path);
            Some(fetched)
        }
        None => None,
    };
    let out = &ctx.output;
    if args.restore_test && args.file.is_dir() {
        return Err(Exit::new(
            crate::cli::exit::USAGE,
            format!(
                "{}: --restore-test restores dumps; a base backup is restored with wfctl db restore-pitr",
                args.file.display()
            ),
        )
        .into());
    }
    let tools = args.bin.search(ctx);
    let bar = spinner(out);
    let report = verify::verify(&args.file, &tools, &mut |p| {
        bar.set_message(format!("read {} of SQL", crate::cli::format::size(p.read)));
    });
    bar.finish_and_clear();
    let report = report.map_err(exit_for)?;
    let mut restored = None;
    if args.restore_test && report.ok {
        let url = ctx.database_url()?;
        let mut conn = ctx.connect()?;
        drop_stale_scratch(out, &mut conn)?;
        let bar = spinner(out);
        let result = restore::restore_test(
            report.clone(),
            &tools,
            &mut conn,
            &url,
            ctx.connect_timeout(),
            &mut |p| {
                bar.set_message(format!(
                    "restored {} of SQL",
                    crate::cli::format::size(p.read)
                ))
            },
        );
        bar.finish_and_clear();
        let result = result.map_err(exit_for)?;
        warn_extensions(out, &result);
        restored = Some(result);
    }
    let counts_ok = restored
        .as_ref()
        .is_none_or(|r| r.counts_match != Some(false));
    let unreadable: Vec<&str> = restored
        .iter()
        .flat_map(|r| &r.sampled_cases)
        .filter(|c| !c.ok())
        .map(|c| c.case_id.as_str())
        .collect();
    let ok = report.ok && counts_ok && unreadable.is_empty();
    let level = if restored.is_some() {
        "restore-test"
    } else if report.format.is_base() {
        "pg_verifybackup"
    } else {
        "checksum"
    };
    let mut recorded = report.clone();
    recorded.ok = ok;
    if !counts_ok {
        recorded.checks.push(verify::Check {
            check: "row counts",
            ok: false,
            detail: "the restored database's row counts differ from the manifest".into(),
        });
    }
    if !unreadable.is_empty() {
        recorded.checks.push(verify::Check {
            check: "cases",
            ok: false,
            detail: format!(
                "restored cases that cannot be read: {}",
                unreadable.join(", ")
            ),
        });
    }
    let recording = match &repository {
        // the repository's manifest, not the private download's
        Some(repo) => wfctl::backup::repository::record_verification(
            repo.as_ref(),
            &name,
            verify::verification(&recorded, level),
        ),
        None => verify::record(&recorded, level),
    };
    if let Err(e) = recording {
        out.warn(&format!("could not record the result in the manifest: {e}"));
    }
    if out.json() {
        out.print_json(&serde_json::json!({
            "file": report.path,
            "ok": ok,
            "checks": report.checks,
            "restore_test": restored,
        }))?;
    } else {
        // -q: a check prints no report; a failure is its one error line
        out.print_report(&checks_table(out, &report.checks))?;
        if let Some(r) = restored.as_ref().filter(|_| !out.quiet()) {
            print_counts(out, r)?;
            print_sampled_cases(out, r)?;
            out.status(&format!(
                "restore test: restored into a throwaway database in {} and dropped it; migration {}{}",
                crate::cli::format::duration(r.elapsed),
                r.migration_version.as_deref().unwrap_or("none"),
                if r.pending_migrations.is_empty() {
                    String::new()
                } else {
                    format!(" ({} newer in this wfctl)", r.pending_migrations.len())
                }
            ));
        }
        if !report.has_manifest && report.ok {
            out.status("no manifest: gzip stream and dump trailer checked; no checksum to compare");
        }
    }
    if ok {
        Ok(())
    } else {
        let why = recorded.failure().unwrap_or_default();
        Err(Exit::new(PARTIAL, format!("{}: {why}", args.file.display())).into())
    }
}

/// Whether the backup `name` of `repo` is encrypted and no identity is at hand to read it.
fn lacks_identity(repo: &dyn Repository, name: &str) -> anyhow::Result<bool> {
    let manifest = repository::manifest(repo, name).map_err(exit_for)?;
    if manifest.encryption.is_none() {
        return Ok(false);
    }
    let configured = repo.sealing().and_then(|s| s.identity_file.as_deref());
    let identities = Identities::from_env_or(configured)
        .map_err(|e| crate::cli::repo::object_error(e.into()))?;
    Ok(identities.is_none())
}

/// `db verify --repo` of an encrypted backup without its identity: checks what it can (the
/// object, the ciphertext's size and sha256 against the manifest, the recipients), says on
/// stderr that the contents were not checked, and records that in the manifest. Exit 0 when
/// those checks pass (the backup host holds only public keys: its nightly verify must not
/// fail for want of a key it must not have), 3 when one fails.
fn verify_without_identity(ctx: &Context, repo: &dyn Repository, name: &str) -> anyhow::Result<()> {
    let out = &ctx.output;
    let report = repository::verify_ciphertext(repo, name).map_err(exit_for)?;
    let mut verification = verify::verification(&report, "ciphertext");
    if report.ok {
        verification.detail = format!(
            "{} checks of the ciphertext passed; {}",
            report.checks.len(),
            repository::NOT_CHECKED
        );
    }
    if let Err(e) = repository::record_verification(repo, name, verification) {
        out.warn(&format!("could not record the result in the manifest: {e}"));
    }
    if out.json() {
        out.print_json(&serde_json::json!({
            "file": report.path,
            "ok": report.ok,
            "checks": report.checks,
            "contents_checked": false,
            "restore_test": null,
        }))?;
    } else {
        out.print_report(&checks_table(out, &report.checks))?;
    }
    out.warn(&format!("{name}: {}", repository::NOT_CHECKED));
    if report.ok {
        Ok(())
    } else {
        let why = report.failure().unwrap_or_default();
        Err(Exit::new(PARTIAL, format!("{name}: {why}")).into())
    }
}

/// The checks of a verify, one row each.
fn checks_table(out: &Output, checks: &[verify::Check]) -> crate::cli::output::Table {
    let mut table = out.table(["check", "result", "detail"]);
    for c in checks {
        let result = if c.ok {
            out.paint("ok", "32")
        } else {
            out.paint("FAILED", "31")
        };
        table.add_row([c.check.to_string(), result, c.detail.clone()]);
    }
    table
}

fn print_sampled_cases(out: &Output, r: &restore::RestoreReport) -> anyhow::Result<()> {
    let cases: &[sample::CaseRead] = &r.sampled_cases;
    if !r.at_newest_migration() {
        out.status(
            "cases not read back: the backup's schema is not at this wfctl's newest migration \
             (restore it, then wfctl db migrate, then wfctl case show)",
        );
        return Ok(());
    }
    if cases.is_empty() {
        out.status("no workflow cases in the backup: none read back");
        return Ok(());
    }
    let mut table = out.table([
        "case (read as case show does)",
        "status",
        "audit records",
        "",
    ]);
    for c in cases {
        table.add_row([
            c.case_id.clone(),
            c.status.map_or_else(String::new, |s| {
                crate::cli::case::render::case_status(s).to_owned()
            }),
            c.audit_records.to_string(),
            match &c.error {
                None => out.paint("ok", "32"),
                Some(e) => out.paint(&format!("FAILED: {e}"), "31"),
            },
        ]);
    }
    out.print_table(&table)?;
    Ok(())
}

/// Names the backup's extensions a restore left out or kept (on stderr, also with --json).
pub(super) fn warn_extensions(out: &Output, r: &restore::RestoreReport) {
    for name in &r.extensions_not_created {
        out.warn(&format!(
            "extension {name} was not restored: only a superuser may create it (as one: CREATE EXTENSION {name}; in {}); the data restored without it",
            r.target
        ));
    }
    if !r.kept_extensions.is_empty() {
        out.detail(&format!(
            "kept the extensions already in {}: {}",
            r.target,
            r.kept_extensions.join(", ")
        ));
    }
}

pub(super) fn print_counts(out: &Output, r: &restore::RestoreReport) -> anyhow::Result<()> {
    if r.counts.is_empty() {
        out.status("no manifest: row counts not compared");
        return Ok(());
    }
    let mut table = out.table(["table", "manifest", "restored", ""]);
    for c in &r.counts {
        table.add_row([
            c.table.clone(),
            c.expected.to_string(),
            c.found.map_or_else(|| "missing".into(), |n| n.to_string()),
            if c.ok() {
                out.paint("ok", "32")
            } else {
                out.paint("DIFFERS", "31")
            },
        ]);
    }
    out.print_table(&table)?;
    Ok(())
}

/// Drops the databases a killed wfctl created and could not drop, one line each.
pub(super) fn drop_stale_scratch(
    out: &Output,
    conn: &mut diesel::pg::PgConnection,
) -> anyhow::Result<()> {
    let (dropped, kept) = scratch::drop_stale(conn)?;
    for d in dropped {
        out.warn(&format!(
            "dropped stale scratch database {}: {}",
            d.database, d.reason
        ));
    }
    for k in kept {
        out.warn(&format!(
            "could not drop stale scratch database {}: {}",
            k.database, k.error
        ));
    }
    Ok(())
}
