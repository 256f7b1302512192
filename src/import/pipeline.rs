//! The threads of a run: one scanner (directory walk + ledger look-ups per chunk of cases),
//! `--jobs` parsers, and the loader on the calling thread. Channels are bounded, so a slow
//! database holds the readers back instead of filling memory.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::Bool;

use super::ledger::{self, LedgerEntry, LedgerStatus, LedgerWrite};
use super::load;
use super::names::COUNTERS_FILE;
use super::parse::{self, CaseOutcome, Deleted, FileReject};
use super::reject::{ErrorClass, Reject};
use super::scan::{self, CaseFiles, Listing, Notice, ScanItem};
use super::summary::{BasketTally, Summary};
use super::{Error, Event, Options, Progress};
use crate::db::{self, DatabaseUrl};

/// Cases whose ledger rows are read in one query.
const LEDGER_CHUNK: usize = 256;

enum Msg {
    Listed(Listing),
    Notice(Notice),
    Case(CaseOutcome),
    Failed(Error),
}

struct Job {
    files: CaseFiles,
    previous: Vec<LedgerEntry>,
    deleted: Deleted,
}

/// Runs an import. `url` is needed unless `options.dry_run`.
pub fn run(
    options: &Options,
    url: Option<&DatabaseUrl>,
    connect_timeout: Duration,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<Summary, Error> {
    let started = Instant::now();
    let mut loaders = Vec::new();
    let mut scanner_conn = None;
    if !options.dry_run {
        let url = url.ok_or_else(|| Error::Internal("no database URL".into()))?;
        let mut first = db::connect(url, connect_timeout)?;
        take_import_lock(&mut first)?;
        // a first import has nothing to look up in the ledger: spare the scanner its queries
        if !ledger::is_empty(&mut first)? {
            scanner_conn = Some(db::connect(url, connect_timeout)?);
        }
        loaders.push(first);
        for _ in 1..options.connections.max(1) {
            loaders.push(db::connect(url, connect_timeout)?);
        }
    }
    let jobs = options.jobs.max(1);
    let stop = AtomicBool::new(false);
    let (job_tx, job_rx) = sync_channel::<Job>(jobs * 4);
    let job_rx = Arc::new(Mutex::new(job_rx));
    let (msg_tx, msg_rx) = sync_channel::<Msg>(jobs * 4 + 16);
    // a batch changes hands only when a loader is free: at most one batch per loader in memory
    let (batch_tx, batch_rx) = sync_channel::<Vec<CaseOutcome>>(0);
    let batch_rx = Arc::new(Mutex::new(batch_rx));
    let (result_tx, result_rx) = channel::<Result<load::BatchResult, Error>>();

    let mut summary = std::thread::scope(|s| {
        let tx = msg_tx.clone();
        let stop = &stop;
        s.spawn(move || scanner(options, scanner_conn, &job_tx, &tx, stop));
        for _ in 0..jobs {
            let tx = msg_tx.clone();
            let rx = Arc::clone(&job_rx);
            s.spawn(move || worker(&options.dir, &options.parse, &rx, &tx));
        }
        drop(job_rx);
        drop(msg_tx);
        let handles: Vec<_> = loaders
            .into_iter()
            .map(|conn| {
                let rx = Arc::clone(&batch_rx);
                let tx = result_tx.clone();
                s.spawn(move || loader(conn, &rx, &tx, options.force))
            })
            .collect();
        drop(batch_rx);
        drop(result_tx);
        let loading = (!handles.is_empty()).then_some((batch_tx, result_rx));
        let result = collect(options, msg_rx, loading, stop, on_event);
        let mut conns: Vec<PgConnection> =
            handles.into_iter().filter_map(|h| h.join().ok()).collect();
        let mut summary = result?;
        if let Some(conn) = conns.first_mut()
            && summary.imported > 0
        {
            load::analyze(conn)?;
        }
        if let (Some(conn), Some(file)) = (conns.first_mut(), summary_counters(&mut summary)) {
            counters_ledger_row(conn, options, &summary, &file)?;
        }
        Ok::<_, Error>(summary)
    })?;
    summary.seconds = started.elapsed().as_secs_f64();
    let handled = summary.imported + summary.unchanged + summary.rejected_cases;
    if summary.seconds > 0.0 {
        summary.cases_per_second = handled as f64 / summary.seconds;
        summary.bytes_per_second = summary.bytes as f64 / summary.seconds;
    }
    Ok(summary)
}

fn loader(
    mut conn: PgConnection,
    batches: &Mutex<Receiver<Vec<CaseOutcome>>>,
    results: &Sender<Result<load::BatchResult, Error>>,
    force: bool,
) -> PgConnection {
    loop {
        let batch = {
            let rx = batches.lock().unwrap_or_else(PoisonError::into_inner);
            rx.recv()
        };
        let Ok(batch) = batch else { return conn };
        let result = load::write_batch(&mut conn, batch, force);
        let failed = result.is_err();
        if results.send(result).is_err() || failed {
            return conn;
        }
    }
}

/// One import at a time per database: two runs would race on the same cases' rows.
fn take_import_lock(conn: &mut PgConnection) -> Result<(), Error> {
    #[derive(QueryableByName)]
    struct Locked {
        #[diesel(sql_type = Bool)]
        locked: bool,
    }
    let got: Locked = diesel::sql_query(
        "SELECT /* wfctl:import_lock */ pg_try_advisory_lock(hashtextextended('wfctl-import', 0)) AS locked",
    )
    .get_result(conn)
    .map_err(Error::query("taking the import lock"))?;
    if got.locked { Ok(()) } else { Err(Error::Busy) }
}

fn scanner(
    options: &Options,
    mut conn: Option<PgConnection>,
    jobs: &SyncSender<Job>,
    msgs: &SyncSender<Msg>,
    stop: &AtomicBool,
) {
    let mut chunk: Vec<CaseFiles> = Vec::new();
    let gone = || Error::Internal("stopped".into());
    let mut send_chunk = |chunk: &mut Vec<CaseFiles>| -> Result<(), Error> {
        let (mut previous, deleted_cases) = match &mut conn {
            Some(conn) => {
                let ids: Vec<String> = chunk.iter().map(|c| c.case_id.clone()).collect();
                let previous = ledger::rows_of_cases(conn, &ids)?;
                // the ledger alone would call a case deleted in the database "unchanged"
                let imported: Vec<String> = previous
                    .iter()
                    .filter(|(_, rows)| rows.iter().any(|e| e.status == LedgerStatus::Imported))
                    .map(|(id, _)| id.clone())
                    .collect();
                let deleted_cases = load::deleted_cases(conn, &imported)?;
                (previous, deleted_cases)
            }
            None => (HashMap::new(), HashSet::new()),
        };
        for files in chunk.drain(..) {
            let previous = previous.remove(&files.case_id).unwrap_or_default();
            let deleted = match (deleted_cases.contains(&files.case_id), options.force) {
                (false, _) => Deleted::No,
                (true, false) => Deleted::Refuse,
                (true, true) => Deleted::Reimport,
            };
            jobs.send(Job {
                files,
                previous,
                deleted,
            })
            .map_err(|_| gone())?;
        }
        Ok(())
    };
    let result = scan::scan(
        &options.dir,
        &options.scan,
        &mut |listing| msgs.send(Msg::Listed(listing.clone())).map_err(|_| gone()),
        &mut |item| {
            if stop.load(Ordering::Relaxed) {
                return Err(gone());
            }
            match item {
                ScanItem::Notice(n) => msgs.send(Msg::Notice(n)).map_err(|_| gone()),
                ScanItem::Case(files) => {
                    chunk.push(files);
                    if chunk.len() >= LEDGER_CHUNK {
                        send_chunk(&mut chunk)?;
                    }
                    Ok(())
                }
            }
        },
    )
    .and_then(|()| send_chunk(&mut chunk));
    if let Err(e) = result
        && !stop.load(Ordering::Relaxed)
        && !matches!(&e, Error::Internal(m) if m == "stopped")
    {
        let _ = msgs.send(Msg::Failed(e));
    }
}

fn worker(
    dir: &Path,
    options: &parse::ParseOptions,
    jobs: &Mutex<Receiver<Job>>,
    msgs: &SyncSender<Msg>,
) {
    loop {
        let job = {
            let rx = jobs.lock().unwrap_or_else(PoisonError::into_inner);
            rx.recv()
        };
        let Ok(job) = job else { return };
        let outcome = parse::parse_case(dir, &job.files, &job.previous, job.deleted, options);
        if msgs.send(Msg::Case(outcome)).is_err() {
            return;
        }
    }
}

type Loading = (
    SyncSender<Vec<CaseOutcome>>,
    Receiver<Result<load::BatchResult, Error>>,
);

struct Collector<'a> {
    options: &'a Options,
    loading: Option<Loading>,
    on_event: &'a mut dyn FnMut(Event<'_>),
    summary: Summary,
    tally: BasketTally,
    batch: Vec<CaseOutcome>,
    /// Rejected files in batches not yet written.
    pending_rejects: u64,
    progress: Progress,
    counters: Option<scan::CountersFile>,
}

fn collect(
    options: &Options,
    msgs: Receiver<Msg>,
    loading: Option<Loading>,
    stop: &AtomicBool,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<Summary, Error> {
    let mut c = Collector {
        options,
        loading,
        on_event,
        summary: Summary {
            directory: options.dir.display().to_string(),
            dry_run: options.dry_run,
            // every table, 0 when nothing was written to it (JSON: never a missing key)
            rows: super::encode::TABLES
                .iter()
                .map(|t| ((*t).to_owned(), 0))
                .collect(),
            ..Summary::default()
        },
        tally: BasketTally::default(),
        batch: Vec::new(),
        pending_rejects: 0,
        progress: Progress::default(),
        counters: None,
    };
    while let Ok(msg) = msgs.recv() {
        match msg {
            Msg::Failed(e) => return Err(e),
            Msg::Listed(listing) => {
                c.summary.entries = listing.entries;
                c.summary.case_files = listing.case_files;
                c.progress.total_files = Some(listing.case_files);
                (c.on_event)(Event::Listed(&listing));
                c.counters = listing.counters;
            }
            Msg::Notice(notice) => {
                match &notice {
                    Notice::UnknownFile { .. } => c.summary.unknown_files += 1,
                    Notice::Orphan { .. } => c.summary.orphan_files += 1,
                    Notice::NoJourney { .. } => c.summary.cases_without_journey += 1,
                }
                (c.on_event)(Event::Noticed(&notice));
            }
            Msg::Case(outcome) => {
                c.case(outcome)?;
                if let Some(max) = options.max_errors
                    && c.summary.rejected_files + c.pending_rejects >= max
                {
                    c.summary.stopped_early = true;
                    stop.store(true, Ordering::Relaxed);
                    break;
                }
            }
        }
        c.drain(false)?;
    }
    drop(msgs);
    c.flush()?;
    if let Some((batches, results)) = c.loading.take() {
        drop(batches);
        c.loading = Some((sync_channel(0).0, results));
        c.drain(true)?;
    }
    if let Some(file) = c.counters.take() {
        if let Some(error) = &file.error {
            c.reject(
                None,
                FileReject {
                    name: COUNTERS_FILE.to_owned(),
                    rejection: error.clone(),
                },
            );
        }
        c.summary.counters = Some(file);
    }
    c.summary.report = std::mem::take(&mut c.tally).into_rows();
    Ok(c.summary)
}

impl Collector<'_> {
    fn case(&mut self, outcome: CaseOutcome) -> Result<(), Error> {
        self.summary.cases += 1;
        let (files, bytes) = match &outcome {
            CaseOutcome::Unchanged { files, bytes, .. } => (*files, *bytes),
            CaseOutcome::Parsed(case) => (case.files.len(), case.bytes()),
            CaseOutcome::Rejected { files, .. } => {
                (files.len(), files.iter().map(|f| f.size).sum())
            }
        };
        self.summary.bytes += bytes;
        self.progress.files += files as u64;
        self.progress.cases += 1;
        self.progress.bytes += bytes;
        match outcome {
            CaseOutcome::Unchanged { .. } => self.summary.unchanged += 1,
            CaseOutcome::Rejected { ref rejects, .. } => {
                self.pending_rejects += rejects
                    .iter()
                    .filter(|r| r.rejection.class != ErrorClass::CaseRejected)
                    .count() as u64;
                self.batch.push(outcome);
            }
            CaseOutcome::Parsed(_) => self.batch.push(outcome),
        }
        if self.batch.len() >= self.options.batch_size.max(1) {
            self.flush()?;
        }
        (self.on_event)(Event::Progress(self.progress));
        Ok(())
    }

    /// Hands the batch to a loader (or, in a dry run, accounts for it at once).
    fn flush(&mut self) -> Result<(), Error> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        match &self.loading {
            Some((batches, _)) => {
                if batches.send(batch).is_err() {
                    // every loader stopped: one of them reports why
                    self.drain(true)?;
                    return Err(Error::Internal("the loaders stopped".into()));
                }
            }
            None => {
                self.pending_rejects = 0;
                self.account(dry_run_result(batch));
            }
        }
        Ok(())
    }

    /// Accounts for written batches; with `all`, waits for every loader to finish.
    fn drain(&mut self, all: bool) -> Result<(), Error> {
        loop {
            let next = match &self.loading {
                None => return Ok(()),
                Some((_, results)) if all => results.recv().ok(),
                Some((_, results)) => results.try_recv().ok(),
            };
            let Some(result) = next else { return Ok(()) };
            self.account(result?);
        }
    }

    fn account(&mut self, result: load::BatchResult) {
        self.summary.imported += result.loaded;
        self.tally.merge(result.tally);
        for (table, n) in result.rows {
            *self.summary.rows.entry(table.to_owned()).or_default() += n;
        }
        for (case_id, rejects) in result.rejected {
            self.summary.rejected_cases += 1;
            for r in rejects {
                if r.rejection.class == ErrorClass::CaseRejected {
                    continue;
                }
                self.pending_rejects = self.pending_rejects.saturating_sub(1);
                self.reject(Some(&case_id), r);
            }
        }
    }

    fn reject(&mut self, case_id: Option<&str>, r: FileReject) {
        self.summary.count_reject(r.rejection.class);
        let reject = Reject {
            path: self.options.dir.join(&r.name).display().to_string(),
            case_id: case_id.map(str::to_owned),
            class: r.rejection.class,
            message: r.rejection.message,
            field: r.rejection.field,
        };
        (self.on_event)(Event::Rejected(&reject));
    }
}

fn summary_counters(summary: &mut Summary) -> Option<scan::CountersFile> {
    summary.counters.clone()
}

/// `counters.json` was consumed case by case; its ledger row records the whole file.
fn counters_ledger_row(
    conn: &mut PgConnection,
    options: &Options,
    summary: &Summary,
    file: &scan::CountersFile,
) -> Result<(), Error> {
    if summary.stopped_early || options.scan.only.is_some() {
        return Ok(());
    }
    let row = LedgerWrite {
        path: COUNTERS_FILE.to_owned(),
        size: file.size,
        sha256: file.sha256.clone(),
        status: if file.error.is_some() {
            LedgerStatus::Failed
        } else {
            LedgerStatus::Imported
        },
        case_id: None,
        error_class: file.error.as_ref().map(|e| e.class.as_str().to_owned()),
        error: file.error.as_ref().map(|e| e.message.clone()),
        imported_xid: None,
        imported_rows: None,
    };
    conn.transaction(|conn| {
        ledger::write(conn, std::slice::from_ref(&row)).map_err(|e| match e {
            Error::Db(db::Error::Query { source, .. }) => source,
            _ => diesel::result::Error::RollbackTransaction,
        })
    })
    .map_err(Error::query("recording counters.json in the ledger"))
}

fn dry_run_result(batch: Vec<CaseOutcome>) -> load::BatchResult {
    let mut result = load::BatchResult::default();
    for outcome in batch {
        match outcome {
            CaseOutcome::Parsed(case) => {
                result.loaded += 1;
                result.tally.add(case.rows.status());
            }
            CaseOutcome::Rejected {
                case_id, rejects, ..
            } => result.rejected.push((case_id, rejects)),
            CaseOutcome::Unchanged { .. } => {}
        }
    }
    result
}
