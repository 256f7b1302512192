//! The threads of a run: one scanner (directory walk + ledger look-ups per chunk of cases),
//! `--jobs` parsers, and the loader on the calling thread. Channels are bounded, so a slow
//! database holds the readers back instead of filling memory.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::Bool;

use super::ledger::{self, LedgerEntry, LedgerStatus, LedgerWrite};
use super::load;
use super::names::COUNTERS_FILE;
use super::parse::{self, CaseOutcome, FileReject};
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
}

/// Runs an import. `url` is needed unless `options.dry_run`.
pub fn run(
    options: &Options,
    url: Option<&DatabaseUrl>,
    connect_timeout: Duration,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<Summary, Error> {
    let started = Instant::now();
    let connections = if options.dry_run {
        None
    } else {
        let url = url.ok_or_else(|| Error::Internal("no database URL".into()))?;
        let mut loader = db::connect(url, connect_timeout)?;
        take_import_lock(&mut loader)?;
        let scanner = db::connect(url, connect_timeout)?;
        Some((loader, scanner))
    };
    let (loader_conn, scanner_conn) = match connections {
        Some((l, s)) => (Some(l), Some(s)),
        None => (None, None),
    };
    let jobs = options.jobs.max(1);
    let stop = AtomicBool::new(false);
    let (job_tx, job_rx) = sync_channel::<Job>(jobs * 4);
    let job_rx = Arc::new(Mutex::new(job_rx));
    let (msg_tx, msg_rx) = sync_channel::<Msg>(jobs * 4 + 16);

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
        collect(options, msg_rx, loader_conn, stop, on_event)
    })?;
    summary.seconds = started.elapsed().as_secs_f64();
    let handled = summary.imported + summary.unchanged + summary.rejected_cases;
    if summary.seconds > 0.0 {
        summary.cases_per_second = handled as f64 / summary.seconds;
        summary.mb_per_second = summary.bytes as f64 / 1e6 / summary.seconds;
    }
    Ok(summary)
}

/// One import at a time per database: two runs would race on the same cases' rows.
fn take_import_lock(conn: &mut PgConnection) -> Result<(), Error> {
    #[derive(QueryableByName)]
    struct Locked {
        #[diesel(sql_type = Bool)]
        locked: bool,
    }
    let got: Locked = diesel::sql_query(
        "/* wfctl:import_lock */ SELECT pg_try_advisory_lock(hashtextextended('wfctl-import', 0)) AS locked",
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
        let mut previous = match &mut conn {
            Some(conn) => {
                let ids: Vec<String> = chunk.iter().map(|c| c.case_id.clone()).collect();
                ledger::rows_of_cases(conn, &ids)?
            }
            None => HashMap::new(),
        };
        for files in chunk.drain(..) {
            let previous = previous.remove(&files.case_id).unwrap_or_default();
            jobs.send(Job { files, previous }).map_err(|_| gone())?;
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
        let outcome = parse::parse_case(dir, &job.files, &job.previous, options);
        if msgs.send(Msg::Case(outcome)).is_err() {
            return;
        }
    }
}

struct Collector<'a> {
    options: &'a Options,
    conn: Option<PgConnection>,
    on_event: &'a mut dyn FnMut(Event<'_>),
    summary: Summary,
    tally: BasketTally,
    batch: Vec<CaseOutcome>,
    pending_rejects: u64,
    progress: Progress,
}

fn collect(
    options: &Options,
    msgs: Receiver<Msg>,
    conn: Option<PgConnection>,
    stop: &AtomicBool,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<Summary, Error> {
    let mut c = Collector {
        options,
        conn,
        on_event,
        summary: Summary {
            directory: options.dir.display().to_string(),
            dry_run: options.dry_run,
            ..Summary::default()
        },
        tally: BasketTally::default(),
        batch: Vec::new(),
        pending_rejects: 0,
        progress: Progress::default(),
    };
    let mut counters = None;
    while let Ok(msg) = msgs.recv() {
        match msg {
            Msg::Failed(e) => return Err(e),
            Msg::Listed(listing) => {
                c.summary.entries = listing.entries;
                c.summary.case_files = listing.case_files;
                c.progress.total_files = Some(listing.case_files);
                (c.on_event)(Event::Listed(&listing));
                counters = listing.counters;
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
                    c.flush()?;
                    c.summary.stopped_early = true;
                    stop.store(true, Ordering::Relaxed);
                    break;
                }
            }
        }
    }
    drop(msgs);
    c.flush()?;
    if let Some(file) = counters {
        c.counters_file(&file)?;
    }
    c.summary.report = std::mem::take(&mut c.tally).into_rows();
    if let Some(conn) = &mut c.conn
        && c.summary.imported > 0
    {
        load::analyze(conn)?;
    }
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

    fn flush(&mut self) -> Result<(), Error> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        self.pending_rejects = 0;
        let result = match &mut self.conn {
            Some(conn) => load::write_batch(conn, batch)?,
            None => dry_run_result(batch),
        };
        for case in &result.loaded {
            self.summary.imported += 1;
            self.tally.add(case.process_info.as_ref());
        }
        for (table, n) in result.rows {
            *self.summary.rows.entry(table.to_owned()).or_default() += n;
        }
        for (case_id, rejects) in result.rejected {
            self.summary.rejected_cases += 1;
            for r in rejects {
                if r.rejection.class == ErrorClass::CaseRejected {
                    continue;
                }
                self.reject(Some(&case_id), r);
            }
        }
        Ok(())
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

    /// `counters.json` was consumed case by case; its ledger row records the whole file.
    fn counters_file(&mut self, file: &scan::CountersFile) -> Result<(), Error> {
        if let Some(error) = &file.error {
            self.reject(
                None,
                FileReject {
                    name: COUNTERS_FILE.to_owned(),
                    rejection: error.clone(),
                },
            );
        }
        let Some(conn) = &mut self.conn else {
            return Ok(());
        };
        if self.summary.stopped_early || self.options.scan.only.is_some() {
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
        };
        conn.transaction(|conn| {
            ledger::write(conn, std::slice::from_ref(&row)).map_err(|e| match e {
                Error::Db(db::Error::Query { source, .. }) => source,
                _ => diesel::result::Error::RollbackTransaction,
            })
        })
        .map_err(Error::query("recording counters.json in the ledger"))
    }
}

fn dry_run_result(batch: Vec<CaseOutcome>) -> load::BatchResult {
    let mut result = load::BatchResult::default();
    for outcome in batch {
        match outcome {
            CaseOutcome::Parsed(case) => result.loaded.push(case),
            CaseOutcome::Rejected {
                case_id, rejects, ..
            } => result.rejected.push((case_id, rejects)),
            CaseOutcome::Unchanged { .. } => {}
        }
    }
    result
}
