//! `case purge`: removes the cases that finished (completed or cancelled) before a time, a
//! batch at a time, after archiving each one ([`archive`]) when an archive is given.
//!
//! Order of a batch: the cases are taken (the file store locks each case; PostgreSQL notes a
//! fingerprint of each case's state), read, archived and the archive synced, and only then
//! deleted: on the file store one case at a time under its lock ([`crate::store::FileStore::
//! remove_case`]), on PostgreSQL in one transaction that deletes only the cases whose state
//! is still the one archived, skipping those another process holds ([`pg`]). So a kill at any
//! moment leaves no case deleted without a complete archive, and a re-run reuses the
//! archives that are complete and identical.

pub mod archive;
mod file;
mod pg;

use std::path::PathBuf;

use serde::Serialize;

pub use archive::{Archive, Archived, CaseImage, case_image};
pub use file::FileTarget;
pub use pg::PgTarget;

use crate::store::{CaseFilter, CaseStatus, Result, Store};

/// What to purge.
#[derive(Debug, Clone, Default)]
pub struct PurgeOptions {
    /// Cases that finished before this time (epoch ms) qualify.
    pub finished_before_ms: i64,
    /// Write each case here before deleting it.
    pub archive: Option<PathBuf>,
    /// Count what would be purged; write and delete nothing.
    pub dry_run: bool,
    /// At most this many cases.
    pub limit: Option<usize>,
    /// Cases per batch (one archive sync and one transaction each).
    pub batch: usize,
}

/// What a purge did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PurgeReport {
    /// Cases that qualified.
    pub selected: u64,
    /// Cases deleted.
    pub purged: u64,
    /// Cases whose archive was written by this run.
    pub archived: u64,
    /// Cases whose complete, identical archive an earlier run had written.
    pub archive_reused: u64,
    /// Bytes written to the archive by this run.
    pub archive_bytes: u64,
    /// Bytes of the purged (in a dry run: selected) cases in the file store's layout.
    pub case_bytes: u64,
    /// Cases left because they changed after they were selected (or archived).
    pub changed: u64,
    /// Cases left because another process held them.
    pub busy: u64,
    /// Removals a killed purge had left unfinished and this one finished (file store).
    pub resumed: u64,
    /// Cases left because they could not be read or archived (see `failures`).
    pub failed: u64,
    /// Each case left as failed and why (ids escaped), in the order met.
    pub failures: Vec<String>,
}

impl PurgeReport {
    /// Whether cases were left (changed, busy or failed): the run did not do all it selected.
    pub fn left_any(&self) -> bool {
        self.changed + self.busy + self.failed > 0
    }

    fn fail(&mut self, case_id: &str, why: impl std::fmt::Display) {
        self.failed += 1;
        self.failures.push(format!(
            "case {}: {why}",
            crate::conventions::escaped_text(case_id)
        ));
    }
}

/// A case taken for deletion, with the fingerprint of its state when it was taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    /// Case id.
    pub case_id: String,
    /// The store's fingerprint of the case (empty where the case lock keeps it unchanged).
    pub token: String,
}

/// The outcome of deleting a batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deleted {
    /// Cases deleted.
    pub deleted: Vec<String>,
    /// Cases left: changed since they were taken.
    pub changed: Vec<String>,
    /// Cases left: another process held them.
    pub busy: Vec<String>,
}

/// What purging needs of a store beyond [`Store`].
pub trait Target {
    /// The store read from.
    fn store(&self) -> &dyn Store;
    /// Finishes what a killed purge left unfinished; returns how many cases.
    fn resume(&mut self) -> Result<usize> {
        Ok(0)
    }
    /// Takes `ids` for this batch; those another process holds come back in the second list.
    fn hold(&mut self, ids: &[String]) -> Result<(Vec<Held>, Vec<String>)>;
    /// Deletes the held cases that are unchanged, and lets go of every held case.
    fn delete(&mut self, held: &[Held]) -> Result<Deleted>;
    /// Lets go of held cases without deleting them.
    fn release(&mut self) {}
}

/// The cases that qualify, ordered by case id, completed ones first.
fn candidates(store: &dyn Store, opts: &PurgeOptions) -> Result<Vec<String>> {
    let mut ids = Vec::new();
    for status in [CaseStatus::Completed, CaseStatus::Cancelled] {
        let filter = CaseFilter {
            status: Some(status),
            updated_before: Some(opts.finished_before_ms),
            ..CaseFilter::default()
        };
        for case in store.list_cases_filtered(&filter)? {
            if status == CaseStatus::Cancelled {
                let at = store
                    .cancellation(&case.case_id)?
                    .map_or(i64::MAX, |c| c.at);
                if at >= opts.finished_before_ms {
                    continue;
                }
            }
            if opts.limit.is_some_and(|n| ids.len() >= n) {
                return Ok(ids);
            }
            ids.push(case.case_id);
        }
    }
    Ok(ids)
}

/// Purges per `opts`; `progress` is called after each batch with the report so far.
pub fn purge(
    target: &mut dyn Target,
    opts: &PurgeOptions,
    progress: &mut dyn FnMut(&PurgeReport, usize),
) -> Result<PurgeReport> {
    let mut report = PurgeReport::default();
    if !opts.dry_run {
        report.resumed = target.resume()? as u64;
    }
    let ids = candidates(target.store(), opts)?;
    report.selected = ids.len() as u64;
    let archive = match (&opts.archive, opts.dry_run) {
        (Some(dir), false) => Some(Archive::open(dir)?),
        _ => None,
    };
    for chunk in ids.chunks(opts.batch.max(1)) {
        if opts.dry_run {
            for id in chunk {
                if let Some(image) = case_image(target.store(), id)? {
                    report.case_bytes += image.bytes();
                }
            }
            progress(&report, ids.len());
            continue;
        }
        let result = purge_batch(
            target,
            archive.as_ref(),
            opts.finished_before_ms,
            chunk,
            &mut report,
        );
        if result.is_err() {
            target.release();
        }
        result?;
        progress(&report, ids.len());
    }
    Ok(report)
}

fn purge_batch(
    target: &mut dyn Target,
    archive: Option<&Archive>,
    cutoff: i64,
    chunk: &[String],
    report: &mut PurgeReport,
) -> Result<()> {
    // an id the store could not hold (written into the tables by anything) never names a path
    let mut valid = Vec::with_capacity(chunk.len());
    for id in chunk {
        match crate::store::file::layout::check_case_id(id) {
            Ok(()) => valid.push(id.clone()),
            Err(e) => report.fail(id, e),
        }
    }
    let (held, busy) = target.hold(&valid)?;
    report.busy += busy.len() as u64;
    // read after the fingerprint (under the lock on the file store): a change in between
    // fails the delete's check. The age is checked again on what was read: a case reopened
    // and finished again since the listing is not old enough any more.
    let mut images = Vec::with_capacity(held.len());
    let mut keep = Vec::with_capacity(held.len());
    for h in held {
        match case_image(target.store(), &h.case_id) {
            Ok(Some(image)) if image.finished && image.finished_at < cutoff => {
                images.push(image);
                keep.push(h);
            }
            Ok(_) => report.changed += 1,
            Err(e @ crate::store::Error::Unavailable { .. }) => return Err(e),
            Err(e) => report.fail(&h.case_id, e),
        }
    }
    if let Some(archive) = archive {
        let outcomes = archive.write_batch(&images)?;
        let mut kept_images = Vec::with_capacity(images.len());
        let mut kept = Vec::with_capacity(keep.len());
        for ((outcome, image), h) in outcomes.into_iter().zip(images).zip(keep) {
            match outcome {
                Archived::Written(bytes) => {
                    report.archived += 1;
                    report.archive_bytes += bytes;
                }
                Archived::Reused(_) => report.archive_reused += 1,
                Archived::Refused(why) => {
                    report.fail(&image.case_id, why);
                    continue;
                }
            }
            kept_images.push(image);
            kept.push(h);
        }
        images = kept_images;
        keep = kept;
    }
    let deleted = target.delete(&keep)?;
    for image in &images {
        if deleted.deleted.contains(&image.case_id) {
            report.case_bytes += image.bytes();
        }
    }
    report.purged += deleted.deleted.len() as u64;
    report.changed += deleted.changed.len() as u64;
    report.busy += deleted.busy.len() as u64;
    Ok(())
}
