//! What a run did, for the summary table and `--json`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::ErrorClass;

/// The outcome of a run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// The directory imported.
    pub directory: String,
    /// `--dry-run`: nothing was written.
    pub dry_run: bool,
    /// Directory entries seen.
    pub entries: u64,
    /// Files that belong to a case.
    pub case_files: u64,
    /// Cases found.
    pub cases: u64,
    /// Cases loaded by this run (for a dry run: that would be loaded).
    pub imported: u64,
    /// Cases skipped because nothing changed since their import.
    pub unchanged: u64,
    /// Cases not loaded because a file was rejected.
    pub rejected_cases: u64,
    /// Files rejected (every file of a rejected case that is itself bad).
    pub rejected_files: u64,
    /// Rejected files by error class.
    pub rejects_by_class: BTreeMap<ErrorClass, u64>,
    /// Files with names the file store never writes.
    pub unknown_files: u64,
    /// Files of cases that have neither process info nor journey.
    pub orphan_files: u64,
    /// Cases loaded without a journey file.
    pub cases_without_journey: u64,
    /// Bytes read from case files.
    #[serde(rename = "read_bytes")]
    pub bytes: u64,
    /// Wall-clock seconds.
    #[serde(rename = "elapsed_seconds")]
    pub seconds: f64,
    /// Cases handled per second (loaded, unchanged or rejected).
    pub cases_per_second: f64,
    /// Bytes read per second (sizes in JSON are bytes, tables show them 1024-based).
    #[serde(rename = "read_bytes_per_second")]
    pub bytes_per_second: f64,
    /// Rows written per table.
    pub rows: BTreeMap<String, u64>,
    /// `--max-errors` was reached and the run stopped early.
    pub stopped_early: bool,
    /// The cases loaded by this run, per status and work basket.
    pub report: Vec<BasketCount>,
    /// `counters.json` as read (recorded in the ledger at the end).
    #[serde(skip)]
    pub counters: Option<super::scan::CountersFile>,
    /// `--verify`: cases compared, and the differences found (JSON `null` without it).
    pub verify: Option<VerifySummary>,
}

/// `--verify` results.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VerifySummary {
    /// Cases compared with their source.
    pub cases: u64,
    /// Cases that differ.
    pub differing_cases: u64,
    /// The first differences (one line each).
    pub differences: Vec<String>,
}

/// Imported cases with one status in one work basket.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct BasketCount {
    /// `completed`, `pended`, `running` or `not_started`.
    pub status: String,
    /// The basket pended cases wait in (`""` otherwise; JSON `null`).
    #[serde(serialize_with = "crate::conventions::empty_as_null")]
    pub work_basket: String,
    /// Number of cases.
    pub cases: u64,
}

impl Summary {
    /// Whether anything was rejected (exit 3).
    pub fn has_rejects(&self) -> bool {
        self.rejected_files > 0 || self.stopped_early
    }

    pub(super) fn count_reject(&mut self, class: ErrorClass) {
        self.rejected_files += 1;
        *self.rejects_by_class.entry(class).or_default() += 1;
    }
}

/// Counts of imported cases per (status, basket).
#[derive(Debug, Default)]
pub(super) struct BasketTally(BTreeMap<(String, String), u64>);

impl BasketTally {
    pub(super) fn add(&mut self, (status, basket): (&str, String)) {
        *self.0.entry((status.to_owned(), basket)).or_default() += 1;
    }

    pub(super) fn merge(&mut self, other: Self) {
        for (key, n) in other.0 {
            *self.0.entry(key).or_default() += n;
        }
    }

    pub(super) fn into_rows(self) -> Vec<BasketCount> {
        self.0
            .into_iter()
            .map(|((status, work_basket), cases)| BasketCount {
                status,
                work_basket,
                cases,
            })
            .collect()
    }
}
