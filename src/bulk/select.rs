//! What a bulk run works on: the cases a [`crate::store::CaseQuery`] selects (the filters of
//! `case list`), or the cases of an id list (`--ids-file`), as of the run's selection time.
//!
//! The selection time is what makes a run resumable and keeps its workers from doing a case
//! twice: every worker of a run, and a re-run after a kill, takes only cases last written
//! before it, and every action writes the case it did (a cancel stores its own record, and
//! a cancelled case is not cancelled again). The time is kept by the store ([`RunLedger`])
//! under a key that names the action and the selection, from the first worker until a worker
//! finds nothing left; the next run of the same selection then starts afresh.

use std::collections::HashSet;

use sha2::{Digest, Sha256};

use super::CaseSource;
use crate::store::file::{FileIdClaims, FileStore};
use crate::store::pg::{PgIdClaims, PgStore};
use crate::store::{self, CaseSummary, Store, Unreadable};

/// Where the selection time of the unfinished bulk runs is kept.
pub trait RunLedger {
    /// Joins the unfinished run `key`, or begins it at `now_ms`; returns its selection time.
    fn begin(&self, key: &str, now_ms: i64) -> store::Result<i64>;
    /// Ends the run `key` begun at `selected_before`.
    fn finish(&self, key: &str, selected_before: i64) -> store::Result<()>;
}

impl RunLedger for PgStore {
    fn begin(&self, key: &str, now_ms: i64) -> store::Result<i64> {
        self.bulk_run_begin(key, now_ms)
    }
    fn finish(&self, key: &str, selected_before: i64) -> store::Result<()> {
        self.bulk_run_finish(key, selected_before)
    }
}

impl RunLedger for FileStore {
    fn begin(&self, key: &str, now_ms: i64) -> store::Result<i64> {
        self.bulk_run_begin(key, now_ms)
    }
    fn finish(&self, key: &str, selected_before: i64) -> store::Result<()> {
        self.bulk_run_finish(key, selected_before)
    }
}

/// Claims on the cases of an id list, so that concurrent workers pass over each other's
/// (PostgreSQL: [`PgIdClaims`]); without, workers meet on the case lock and the check of the
/// case under it, which keep a case from being done twice all the same.
pub trait IdClaims {
    /// Releases the previous chunk and claims `ids`; returns those another worker holds.
    fn claim(&mut self, ids: &[String]) -> store::Result<HashSet<String>>;
}

impl IdClaims for PgIdClaims {
    fn claim(&mut self, ids: &[String]) -> store::Result<HashSet<String>> {
        PgIdClaims::claim(self, ids)
    }
}

impl IdClaims for FileIdClaims {
    fn claim(&mut self, ids: &[String]) -> store::Result<HashSet<String>> {
        FileIdClaims::claim(self, ids)
    }
}

/// The cases of another source with claims taken on each batch, passing over those another
/// worker of the run holds (the file store's filter selections: its listing claims nothing).
pub struct Claimed<'a, S> {
    inner: S,
    claims: Box<dyn IdClaims + 'a>,
    passed_over: usize,
}

impl<'a, S: CaseSource> Claimed<'a, S> {
    /// `inner`'s cases, each batch claimed before it is handed out.
    pub fn new(inner: S, claims: Box<dyn IdClaims + 'a>) -> Self {
        Self {
            inner,
            claims,
            passed_over: 0,
        }
    }
}

impl<S: CaseSource> CaseSource for Claimed<'_, S> {
    fn next_batch(&mut self) -> store::Result<Vec<CaseSummary>> {
        loop {
            let batch = self.inner.next_batch()?;
            if batch.is_empty() {
                self.claims.claim(&[])?;
                return Ok(batch);
            }
            let ids: Vec<String> = batch.iter().map(|c| c.case_id.clone()).collect();
            let held = self.claims.claim(&ids)?;
            self.passed_over += held.len();
            let mine: Vec<CaseSummary> = batch
                .into_iter()
                .filter(|c| !held.contains(&c.case_id))
                .collect();
            if !mine.is_empty() {
                return Ok(mine);
            }
        }
    }

    fn take_unreadable(&mut self) -> Vec<Unreadable> {
        self.inner.take_unreadable()
    }

    fn passed_over(&self) -> usize {
        self.passed_over
    }
}

/// The key of a run: a digest of the action and the selection, each given as text that
/// names all of its arguments.
pub fn run_key(action: &str, selection: &str) -> String {
    let mut digest = Sha256::new();
    for part in [action, selection] {
        digest.update((part.len() as u64).to_be_bytes());
        digest.update(part.as_bytes());
    }
    digest
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The longest line of an id list, in bytes (a case id is at most
/// [`crate::model::MAX_CASE_ID_BYTES`]; the rest leaves room for spaces and comments).
pub const MAX_ID_LINE_BYTES: usize = 1024;
/// The most ids one list may hold (split a longer one, or select with filters).
pub const MAX_IDS: usize = 1_000_000;

/// The case ids of an id list: one per line; a byte order mark at the start, blank lines and
/// lines starting with `#` are skipped, surrounding spaces ignored, a repeated id taken once.
/// A line that is no case id, not UTF-8 or longer than [`MAX_ID_LINE_BYTES`], or more than
/// [`MAX_IDS`] ids, fails the whole list, naming `source` and the line; nothing past the
/// first bad line is read.
pub fn read_ids(mut input: impl std::io::BufRead, source: &str) -> Result<Vec<String>, String> {
    use std::io::{BufRead as _, Read as _};
    let mut seen = HashSet::new();
    let mut ids = Vec::new();
    let mut line = Vec::new();
    for n in 1usize.. {
        line.clear();
        // one byte more than allowed: a longer line is seen without reading all of it
        let limit = (MAX_ID_LINE_BYTES + 2) as u64;
        let read = input
            .by_ref()
            .take(limit)
            .read_until(b'\n', &mut line)
            .map_err(|e| format!("{source}: reading line {n}: {e}"))?;
        if read == 0 {
            break;
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        }
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if line.len() > MAX_ID_LINE_BYTES {
            return Err(format!(
                "{source} line {n}: longer than {MAX_ID_LINE_BYTES} bytes; one case id per line"
            ));
        }
        let text = std::str::from_utf8(&line)
            .map_err(|_| format!("{source} line {n}: not UTF-8 text; one case id per line"))?;
        let text = if n == 1 {
            text.strip_prefix('\u{feff}').unwrap_or(text)
        } else {
            text
        };
        let id = text.trim();
        if id.is_empty() || id.starts_with('#') {
            continue;
        }
        if let Some(why) = crate::model::case_id_problem(id) {
            return Err(format!(
                "{source} line {n}: {} is not a case id: {why}",
                crate::conventions::quoted_for_message(id)
            ));
        }
        if seen.insert(id.to_owned()) {
            if ids.len() == MAX_IDS {
                return Err(format!(
                    "{source} line {n}: more than {MAX_IDS} case ids; split the list, or select with the filters of --all"
                ));
            }
            ids.push(id.to_owned());
        }
    }
    Ok(ids)
}

/// The cases of an id list, `batch` at a time, each read as it is reached and taken only
/// when last written before `selected_before`. A case that cannot be read, or does not
/// exist, is a failure of the run (named), not its end; a store that cannot be reached ends
/// it.
pub struct IdSource<'a> {
    store: &'a dyn Store,
    ids: std::vec::IntoIter<String>,
    selected_before: i64,
    batch: usize,
    unreadable: Vec<Unreadable>,
    claims: Option<Box<dyn IdClaims + 'a>>,
    passed_over: usize,
}

impl<'a> IdSource<'a> {
    /// The cases of `ids` last written before `selected_before`.
    pub fn new(store: &'a dyn Store, ids: Vec<String>, selected_before: i64, batch: usize) -> Self {
        Self {
            store,
            ids: ids.into_iter(),
            selected_before,
            batch: batch.max(1),
            unreadable: Vec::new(),
            claims: None,
            passed_over: 0,
        }
    }

    /// Claims each chunk of ids before reading its cases, passing over those another worker
    /// holds.
    pub fn with_claims(mut self, claims: Box<dyn IdClaims + 'a>) -> Self {
        self.claims = Some(claims);
        self
    }

    fn summary(&self, case_id: &str) -> store::Result<Option<CaseSummary>> {
        let journey = self.store.journey(case_id)?;
        let info = self.store.process_info(case_id)?;
        if journey.is_none() && info.is_none() {
            return Ok(None);
        }
        let name = journey.as_ref().map_or("", |j| j.journey.name.as_str());
        Ok(Some(CaseSummary::new(case_id, name, info.as_ref())))
    }
}

impl CaseSource for IdSource<'_> {
    fn next_batch(&mut self) -> store::Result<Vec<CaseSummary>> {
        let mut batch = Vec::new();
        // ids done already or unreadable are passed over: only an exhausted list ends the run
        while batch.is_empty() {
            let ids: Vec<String> = self.ids.by_ref().take(self.batch).collect();
            if ids.is_empty() {
                break;
            }
            let held = match &mut self.claims {
                Some(claims) => claims.claim(&ids)?,
                None => HashSet::new(),
            };
            self.passed_over += held.len();
            for case_id in ids.into_iter().filter(|id| !held.contains(id)) {
                match self.summary(&case_id) {
                    Ok(Some(case)) if case.updated_at < self.selected_before => batch.push(case),
                    Ok(Some(_)) => {}
                    Ok(None) => self.unreadable.push(Unreadable {
                        reason: format!("case {case_id} not found"),
                        case_id,
                    }),
                    Err(e @ (store::Error::Unavailable { .. } | store::Error::Timeout { .. })) => {
                        return Err(e);
                    }
                    Err(e) => self.unreadable.push(Unreadable {
                        case_id,
                        reason: e.to_string(),
                    }),
                }
            }
        }
        Ok(batch)
    }

    fn take_unreadable(&mut self) -> Vec<Unreadable> {
        std::mem::take(&mut self.unreadable)
    }

    fn passed_over(&self) -> usize {
        self.passed_over
    }
}
