//! `wfctl migrate-files DIR`: move a file store into PostgreSQL (replaces the seed guide's
//! `FileToPostgresMigration`). Parsing of arguments, progress, rejects file, summary; the work
//! is `wfctl::import`.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::Args;
use wfctl::conventions::{escaped_text, path_text};
use wfctl::db::migrate;
use wfctl::import::{self, Event, Notice, Options, Reject, Summary};

use super::exit::{PARTIAL, TEMPFAIL, USAGE};
use super::{Context, Exit};

#[derive(Debug, Args)]
pub(crate) struct MigrateFilesArgs {
    /// The file-store directory (workflow_process_info-*.json, journey-*.json, ...); never
    /// modified
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Parse and validate everything, write nothing (needs no database)
    #[arg(long)]
    dry_run: bool,
    /// Threads reading and parsing files [default: number of cores]
    #[arg(long, value_name = "N", value_parser = crate::cli::format::parse_range::<u16, 1, 256>)]
    jobs: Option<u16>,
    /// Cases per transaction
    #[arg(long, value_name = "N", default_value_t = 500, value_parser = crate::cli::format::parse_range::<u32, 1, 100_000>)]
    batch_size: u32,
    /// Database connections loading batches in parallel
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = crate::cli::format::parse_range::<u16, 1, 64>)]
    connections: u16,
    /// After loading, read every imported case back and compare it with its source
    #[arg(long, conflicts_with = "dry_run")]
    verify: bool,
    /// Write rejected files to FILE as JSON lines (path, class, message, field)
    #[arg(long, value_name = "FILE")]
    rejects: Option<PathBuf>,
    /// Reload only the cases of the files listed in FILE (a --rejects report)
    #[arg(long, value_name = "FILE")]
    retry: Option<PathBuf>,
    /// Stop after N rejected files
    #[arg(long, value_name = "N", value_parser = crate::cli::format::parse_count::<u64>)]
    max_errors: Option<u64>,
    /// Refuse (reject as `changed`) cases whose files changed since they were imported,
    /// instead of re-importing them
    #[arg(long)]
    no_update: bool,
    /// Replace cases that exist in the database without having been imported, or that changed
    /// there since they were (rejected as `conflict` otherwise); never a case being run
    #[arg(long)]
    force: bool,
    /// Read symbolic links that point outside DIR (by default each is rejected as
    /// `outside_link`)
    #[arg(long)]
    follow_symlinks: bool,
}

/// Lines of notices and rejects printed on stderr before they are only counted.
const SHOWN: u64 = 20;

pub(crate) fn run(args: MigrateFilesArgs, ctx: &Context) -> anyhow::Result<()> {
    let out = &ctx.output;
    if !args.dir.is_dir() {
        return Err(Exit::new(USAGE, format!("{}: not a directory", path_text(&args.dir))).into());
    }
    let mut options = Options::new(&args.dir);
    if let Some(jobs) = args.jobs {
        options.jobs = usize::from(jobs);
    }
    options.batch_size = args.batch_size as usize;
    options.connections = usize::from(args.connections);
    options.dry_run = args.dry_run;
    options.max_errors = args.max_errors;
    options.verify = args.verify;
    options.parse.no_update = args.no_update;
    options.force = args.force;
    options.follow_symlinks(args.follow_symlinks);
    // sensitive variables are sealed on the way in: the database never holds one in clear
    if !ctx.config.variables.sensitive.is_empty() {
        let sensitive = super::runtime::sensitive(ctx)?;
        if sensitive.keys().sealing().is_none() {
            return Err(Exit::new(
                super::exit::CONFIG,
                "[variables] sensitive names variables and no key is loaded to seal them on import (set WFCTL_KEY_FILE or [variables] key_file)",
            )
            .into());
        }
        options.parse.sensitive = Some(sensitive);
    }
    if let Some(path) = &args.retry {
        options.retry(read_retry_file(path)?);
    }
    let url = if args.dry_run {
        None
    } else {
        let url = ctx.database_url()?;
        let mut conn = ctx.connect()?;
        let pending = migrate::pending(&mut conn)?;
        if !pending.is_empty() {
            return Err(super::db::migrate::schema_behind(
                &mut conn,
                &url,
                pending.len(),
            ));
        }
        Some(url)
    };
    let mut rejects = args
        .rejects
        .as_deref()
        .map(RejectsFile::create)
        .transpose()?;
    let bar = out.progress_bar(None);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {pos}/{len} files  {msg}  {elapsed_precise} ETA {eta}",
        )
        .expect("the template is valid"),
    );
    let started = Instant::now();
    let mut last_draw = Instant::now();
    let mut shown = 0;
    let mut write_error: Option<std::io::Error> = None;
    let mut on_event = |event: Event<'_>| match event {
        Event::Listed(listing) => bar.set_length(listing.case_files),
        Event::Progress(p) => {
            if last_draw.elapsed() >= Duration::from_millis(100) {
                last_draw = Instant::now();
                bar.set_position(p.files);
                let secs = started.elapsed().as_secs_f64().max(1e-3);
                #[allow(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    reason = "a rate for people"
                )]
                let rate = (p.bytes as f64 / secs) as u64;
                bar.set_message(format!(
                    "{} cases  {:.0} cases/s  {}/s",
                    p.cases,
                    p.cases as f64 / secs,
                    super::format::size(rate)
                ));
            }
        }
        Event::Rejected(reject) => {
            if let Some(file) = &mut rejects
                && let Err(e) = file.write(reject)
            {
                write_error.get_or_insert(e);
            }
            shown += 1;
            if shown <= SHOWN {
                bar.suspend(|| {
                    out.warn(&format!(
                        "rejected {} [{}]: {}",
                        escaped_text(&reject.path),
                        reject.class,
                        escaped_text(&reject.message)
                    ));
                });
            }
        }
        Event::Noticed(notice) => {
            shown += 1;
            if shown <= SHOWN {
                bar.suspend(|| out.warn(&notice_line(&args.dir, notice)));
            }
        }
        Event::Difference(line) => {
            bar.suspend(|| out.warn(&format!("verify: {}", escaped_text(line))))
        }
    };
    let result = import::run(&options, url.as_ref(), ctx.connect_timeout(), &mut on_event);
    bar.finish_and_clear();
    let summary = match result {
        Ok(summary) => summary,
        Err(import::Error::Busy) => {
            return Err(Exit::new(TEMPFAIL, import::Error::Busy.to_string()).into());
        }
        Err(e) => return Err(e).with_context(|| format!("importing {}", path_text(&args.dir))),
    };
    let mut summary = summary;
    if args.verify
        && let Some(url) = &url
    {
        let mut on_event = |event: Event<'_>| {
            if let Event::Difference(line) = event {
                out.warn(&format!("verify: {}", escaped_text(line)));
            }
        };
        let verified = import::verify(&options, url, &ctx.pool_options(), &mut on_event)
            .context("verifying the imported cases")?;
        summary.verify = Some(verified);
    }
    if let Some(e) = write_error {
        return Err(e).context("writing the rejects file");
    }
    if let Some(file) = rejects {
        file.finish()?;
    }
    if shown > SHOWN {
        out.warn(&format!(
            "{} more rejects and notices not shown (see the summary{})",
            shown - SHOWN,
            if args.rejects.is_some() {
                " and the rejects file"
            } else {
                ""
            }
        ));
    }
    print_summary(ctx, &summary)?;
    let differences = summary
        .verify
        .as_ref()
        .is_some_and(|v| v.differing_cases > 0);
    if summary.has_rejects() || differences {
        let mut why = Vec::new();
        if summary.rejected_files > 0 {
            why.push(format!("{} file(s) rejected", summary.rejected_files));
        }
        if summary.stopped_early {
            why.push("stopped at --max-errors".to_owned());
        }
        if differences {
            why.push("verification found differences".to_owned());
        }
        return Err(Exit::new(PARTIAL, why.join("; ")).into());
    }
    Ok(())
}

fn notice_line(dir: &Path, notice: &Notice) -> String {
    match notice {
        Notice::UnknownFile { name } => {
            format!(
                "{}: not a file-store record; ignored",
                path_text(&dir.join(name))
            )
        }
        Notice::Orphan { name, case_id } => format!(
            "{}: case {} has no process info and no journey; not imported",
            path_text(&dir.join(name)),
            escaped_text(case_id)
        ),
        Notice::NoJourney { case_id } => format!(
            "case {} has no journey file; imported without one (it cannot be resumed until a journey is stored)",
            escaped_text(case_id)
        ),
    }
}

fn print_summary(ctx: &Context, s: &Summary) -> anyhow::Result<()> {
    let out = &ctx.output;
    if out.json() {
        return Ok(out.print_json(s)?);
    }
    if out.quiet() {
        // -q: an action prints nothing (rejects still exit 3 with their reasons)
        return Ok(());
    }
    let loaded = if s.dry_run {
        "would import (cases)"
    } else {
        "imported (cases)"
    };
    let mut table = out.table(["", "count"]);
    let mut row = |label: &str, value: String| {
        table.add_row([label.to_owned(), value]);
    };
    row("files", s.case_files.to_string());
    row("cases", s.cases.to_string());
    row(loaded, s.imported.to_string());
    row("unchanged (cases)", s.unchanged.to_string());
    row("rejected (cases)", s.rejected_cases.to_string());
    row("rejected (files)", s.rejected_files.to_string());
    for (class, n) in &s.rejects_by_class {
        row(&format!("  {class}"), n.to_string());
    }
    row("unknown files", s.unknown_files.to_string());
    row("orphan files", s.orphan_files.to_string());
    row("cases without journey", s.cases_without_journey.to_string());
    row("read", super::format::size(s.bytes));
    // the one form of durations and sizes, a rate as a size per second
    row(
        "elapsed",
        wfctl::conventions::duration_text(Duration::from_secs_f64(s.seconds.max(0.0))),
    );
    row("cases per second", format!("{:.0}", s.cases_per_second));
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a rate for people"
    )]
    let rate = s.bytes_per_second as u64;
    row(
        "read per second",
        format!("{}/s", super::format::size(rate)),
    );
    if let Some(v) = &s.verify {
        row("verified (cases)", v.cases.to_string());
        row("differing (cases)", v.differing_cases.to_string());
    }
    out.print_table(&table)?;
    if !s.report.is_empty() {
        let mut report = out.table(["status", "work basket", "cases"]);
        for r in &s.report {
            report.add_row([r.status.clone(), r.work_basket.clone(), r.cases.to_string()]);
        }
        out.print_table(&report)?;
    }
    if s.stopped_early {
        out.warn("stopped early: --max-errors reached");
    }
    Ok(())
}

/// The `--retry` input: the paths of a rejects report.
fn read_retry_file(path: &Path) -> anyhow::Result<Vec<String>> {
    let file = File::open(path).with_context(|| format!("reading {}", path_text(path)))?;
    let mut paths = Vec::new();
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("reading {}", path_text(path)))?;
        if line.trim().is_empty() {
            continue;
        }
        let reject: Reject = serde_json::from_str(&line).map_err(|e| {
            Exit::new(
                USAGE,
                format!("{}:{}: not a rejects line: {e}", path_text(path), i + 1),
            )
        })?;
        paths.push(reject.path);
    }
    Ok(paths)
}

/// The `--rejects` output, written to a temporary file beside it and renamed when complete.
struct RejectsFile {
    path: PathBuf,
    file: BufWriter<wfctl::temp_files::TempFile>,
}

impl RejectsFile {
    fn create(path: &Path) -> anyhow::Result<Self> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        // what a killed run left here is removed now (its PID is dead); ours is named so
        wfctl::temp_files::remove_stale_temps(dir);
        let temp = wfctl::temp_files::TempFile::new_in(dir)
            .with_context(|| format!("creating {}", path_text(path)))?;
        Ok(Self {
            path: path.to_path_buf(),
            file: BufWriter::new(temp),
        })
    }

    fn write(&mut self, reject: &Reject) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.file, reject)?;
        self.file.write_all(b"\n")
    }

    fn finish(self) -> anyhow::Result<()> {
        let temp = self
            .file
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("writing {}", path_text(&self.path)))?;
        temp.persist(&self.path)
            .with_context(|| format!("writing {}", path_text(&self.path)))?;
        Ok(())
    }
}
