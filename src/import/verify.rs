//! `--verify`: after loading, every case of the directory whose files parse is read back
//! through the PostgreSQL store (`PgStore`, the reader every case command uses) and compared
//! with its source: state, variables, exec paths, audit records, journey, SLA, milestones.

use std::sync::mpsc::sync_channel;
use std::sync::{Arc, Mutex, PoisonError};

use super::parse::{Documents, read_documents};
use super::scan::{self, CaseFiles, ScanItem};
use super::summary::VerifySummary;
use super::{Error, Event, Options};
use crate::db::{DatabaseUrl, PoolOptions};
use crate::store::PgStore;

/// Differences kept in the summary (all are reported as events).
const KEPT: usize = 50;

/// Compares every parsable case of `options.dir` with what the database holds.
pub fn verify(
    options: &Options,
    url: &DatabaseUrl,
    pool: &PoolOptions,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<VerifySummary, Error> {
    let jobs = options.jobs.max(1);
    let store = PgStore::connect(
        url,
        &PoolOptions {
            max_size: u32::try_from(jobs).unwrap_or(8),
            ..pool.clone()
        },
    )
    .map_err(|e| Error::Internal(format!("opening the database for --verify: {e}")))?;
    let (case_tx, case_rx) = sync_channel::<CaseFiles>(jobs * 4);
    let case_rx = Arc::new(Mutex::new(case_rx));
    let (diff_tx, diff_rx) = sync_channel::<Vec<String>>(jobs * 4);
    let mut summary = VerifySummary::default();
    std::thread::scope(|s| {
        for _ in 0..jobs {
            let rx = Arc::clone(&case_rx);
            let tx = diff_tx.clone();
            let store = &store;
            s.spawn(move || {
                loop {
                    let next = rx.lock().unwrap_or_else(PoisonError::into_inner).recv();
                    let Ok(files) = next else { return };
                    let Ok(mut docs) = read_documents(&options.dir, &files, &options.parse) else {
                        continue; // rejected by the import: nothing to compare
                    };
                    // a milestone `sla run` fired is no longer queued in the store
                    if let Ok(fires) = crate::sla::files::recorded_states(
                        &options.dir,
                        &files.case_id,
                        &docs.milestones,
                    ) {
                        let mut fired = fires.iter().map(|f| f.fired_at.is_some());
                        docs.milestones.retain(|_| !fired.next().unwrap_or(false));
                    }
                    // sealed values differ at every sealing: both sides are compared opened
                    let (plain_docs, sealed_store);
                    let (docs, store): (&Documents, &dyn crate::store::Store) =
                        match &options.parse.sensitive {
                            Some(sensitive) => {
                                plain_docs = opened(sensitive, &files.case_id, docs);
                                sealed_store = crate::crypto::Sealed::new(
                                    store,
                                    sensitive,
                                    crate::crypto::View::Plain,
                                );
                                (&plain_docs, &sealed_store)
                            }
                            None => (&docs, store),
                        };
                    if tx.send(compare(store, &files.case_id, docs)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(case_rx);
        drop(diff_tx);
        let scanner = s.spawn(move || {
            scan::scan(&options.dir, &options.scan, &mut |_| Ok(()), &mut |item| {
                if let ScanItem::Case(files) = item {
                    case_tx
                        .send(files)
                        .map_err(|_| Error::Internal("verify stopped".into()))?;
                }
                Ok(())
            })
        });
        for differences in diff_rx {
            summary.cases += 1;
            if differences.is_empty() {
                continue;
            }
            summary.differing_cases += 1;
            for line in differences {
                on_event(Event::Difference(&line));
                if summary.differences.len() < KEPT {
                    summary.differences.push(line);
                }
            }
        }
        scanner
            .join()
            .map_err(|_| Error::Internal("the verify scanner panicked".into()))?
    })?;
    Ok(summary)
}

/// One line per difference between a case's source documents and the store.
/// `docs` with their sealed values opened (a value that does not open stays as it is, and
/// shows as a difference).
fn opened(sensitive: &crate::crypto::Sensitive, case_id: &str, mut docs: Documents) -> Documents {
    let open = |vars: &mut crate::model::Variables| {
        for v in vars.clone().iter() {
            if let Ok(plain) = sensitive.open_variable(case_id, v) {
                vars.set(plain);
            }
        }
    };
    if let Some(info) = &mut docs.process_info {
        open(&mut info.process_variables);
    }
    for record in &mut docs.audits {
        open(&mut record.document.process_variables);
    }
    docs
}

fn compare(store: &dyn crate::store::Store, case_id: &str, docs: &Documents) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |what: &str, same: Result<bool, crate::store::Error>| match same {
        Ok(true) => {}
        Ok(false) => out.push(format!("case {case_id}: {what} differs from its source")),
        Err(e) => out.push(format!("case {case_id}: cannot read {what}: {e}")),
    };
    check(
        "process info (state, variables, exec paths)",
        store
            .process_info(case_id)
            .map(|db| db == docs.process_info),
    );
    check(
        "journey",
        store
            .journey(case_id)
            .map(|db| db.map(|j| j.text) == docs.journey.as_ref().map(|j| j.text.clone())),
    );
    if docs.journey.is_some() {
        check("SLA", store.sla(case_id).map(|db| db == docs.sla));
    }
    check(
        "queued milestones",
        store.milestones(case_id).map(|db| db == docs.milestones),
    );
    check(
        "cancel",
        store.cancellation(case_id).map(|db| db == docs.cancel),
    );
    match store.audit_records(case_id) {
        Ok(records) if records.len() != docs.audits.len() => out.push(format!(
            "case {case_id}: {} audit records in the database, {} in the source",
            records.len(),
            docs.audits.len()
        )),
        Ok(records) if records != docs.audits => {
            out.push(format!(
                "case {case_id}: audit records differ from their source"
            ));
        }
        Ok(_) => {}
        Err(e) => out.push(format!("case {case_id}: cannot read audit records: {e}")),
    }
    out
}
