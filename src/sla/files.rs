//! The `sla run` ledger of a file store: `.sla/{case}.json` beside the records (hidden, so
//! listings and migrate-files never take it for a record), one entry per milestone the runner
//! touched, written atomically under the case lock. Claims: every worker lists the same due
//! milestones; the case lock, taken without waiting, decides who acts on each.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::ledger::{DueItem, FireState, Ledger};
use crate::store::file::write;
use crate::store::{CaseQuery, Error, FileStore, QueuedMilestone, Result, Store, Unreadable};

/// Directory of the sidecars, inside the store.
pub(crate) const SIDECAR_DIR: &str = ".sla";

#[derive(Debug, Default, Serialize, Deserialize)]
struct Sidecar {
    milestones: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    queued: QueuedMilestone,
    #[serde(flatten)]
    state: FireState,
}

/// The ledger of a file store.
pub struct FileLedger<'a> {
    store: &'a FileStore,
    listed_pass: Option<i64>,
    /// Cases left out of a scan since [`Ledger::take_unreadable`], by case id.
    unreadable: BTreeMap<String, String>,
}

impl<'a> FileLedger<'a> {
    /// The ledger of `store`.
    pub fn new(store: &'a FileStore) -> Self {
        Self {
            store,
            listed_pass: None,
            unreadable: BTreeMap::new(),
        }
    }

    fn dir(&self) -> PathBuf {
        self.store.dir().join(SIDECAR_DIR)
    }

    fn file_name(case_id: &str) -> String {
        format!("{case_id}.json")
    }

    fn read(&self, case_id: &str) -> Result<Sidecar> {
        let path = self.dir().join(Self::file_name(case_id));
        match write::read_if_exists(&path)? {
            None => Ok(Sidecar::default()),
            Some(text) => serde_json::from_str(&text).map_err(|e| Error::Corrupt {
                what: crate::conventions::path_text(&path),
                reason: e.to_string(),
            }),
        }
    }

    /// Changes one entry; the caller holds the case lock.
    fn update(&self, item: &DueItem, change: impl FnOnce(&mut FireState)) -> Result<FireState> {
        let mut sidecar = self.read(&item.case_id)?;
        let entry = sidecar
            .milestones
            .entry(item.key.clone())
            .or_insert_with(|| Entry {
                queued: item.queued.clone(),
                state: FireState::default(),
            });
        change(&mut entry.state);
        let state = entry.state.clone();
        let dir = self.dir();
        write::private_dir(&dir)?;
        let text = serde_json::to_string_pretty(&sidecar).expect("a sidecar always serialises");
        write::replace_file(&dir, &Self::file_name(&item.case_id), text.as_bytes())?;
        write::sync_dir(&dir)?;
        Ok(state)
    }

    /// The queued milestones of a case with their keys.
    fn keyed(&self, case_id: &str) -> Result<Vec<(String, QueuedMilestone)>> {
        Ok(keys(case_id, self.store.milestones(case_id)?))
    }

    /// Every case's due, unfired milestones (`fired_since`: also the fired ones since then). A
    /// case whose records or sidecar cannot be read is set aside (see
    /// [`Ledger::take_unreadable`]), the others are scanned.
    fn scan(&mut self, now: i64, fired_since: Option<i64>) -> Result<Vec<DueItem>> {
        let mut items = Vec::new();
        let listing = self.store.list_cases_lenient(&CaseQuery::default())?;
        for u in listing.unreadable {
            self.unreadable.insert(u.case_id, u.reason);
        }
        for case in listing.cases {
            let read = self
                .read(&case.case_id)
                .and_then(|sidecar| Ok((sidecar, self.keyed(&case.case_id)?)));
            let (sidecar, keyed) = match read {
                Ok(read) => read,
                Err(e) => {
                    self.unreadable.insert(case.case_id, e.to_string());
                    continue;
                }
            };
            for (key, queued) in keyed {
                let state = sidecar
                    .milestones
                    .get(&key)
                    .map(|e| e.state.clone())
                    .unwrap_or_default();
                if state.fired_at.is_none() && queued.due_at.is_some_and(|at| at <= now) {
                    items.push(DueItem {
                        key,
                        case_id: case.case_id.clone(),
                        queued,
                        state,
                    });
                }
            }
            if let Some(since) = fired_since {
                for (key, entry) in sidecar.milestones {
                    if entry.state.fired_at.is_some_and(|at| at >= since) {
                        items.push(DueItem {
                            key,
                            case_id: case.case_id.clone(),
                            queued: entry.queued,
                            state: entry.state,
                        });
                    }
                }
            }
        }
        items.sort_by(|a, b| {
            (a.queued.due_at, &a.case_id, &a.key).cmp(&(b.queued.due_at, &b.case_id, &b.key))
        });
        Ok(items)
    }
}

/// What `sla run` recorded for each of a case's queue entries, in queue order (default: nothing
/// yet), from the sidecar of the file store in `store_dir`: what `migrate-files` carries over.
pub fn recorded_states(
    store_dir: &Path,
    case_id: &str,
    queue: &[QueuedMilestone],
) -> Result<Vec<FireState>> {
    let path = store_dir
        .join(SIDECAR_DIR)
        .join(FileLedger::file_name(case_id));
    let mut sidecar: Sidecar = match write::read_if_exists(&path)? {
        None => return Ok(vec![FireState::default(); queue.len()]),
        Some(text) => serde_json::from_str(&text).map_err(|e| Error::Corrupt {
            what: path.display().to_string(),
            reason: e.to_string(),
        })?,
    };
    Ok(keys(case_id, queue.to_vec())
        .into_iter()
        .map(|(key, _)| {
            sidecar
                .milestones
                .remove(&key)
                .map(|e| e.state)
                .unwrap_or_default()
        })
        .collect())
}

/// A queue entry's key: its case, set-up time and identity, and its rank among identical
/// entries (which a dequeue removes together, so ranks never shift under a fired entry).
fn keys(case_id: &str, queue: Vec<QueuedMilestone>) -> Vec<(String, QueuedMilestone)> {
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    queue
        .into_iter()
        .map(|q| {
            let m = &q.milestone;
            let identity = format!(
                "{case_id}:{}:{}:{}:{}:{}",
                q.enqueued_at,
                m.setup_on.as_str(),
                m.kind.as_str(),
                q.work_basket.as_deref().unwrap_or(""),
                m.name.as_deref().unwrap_or("")
            );
            let rank = seen.entry(identity.clone()).or_insert(0);
            let key = format!("{identity}:{rank}");
            *rank += 1;
            (key, q)
        })
        .collect()
}

impl Ledger for FileLedger<'_> {
    fn claim(
        &mut self,
        now: i64,
        pass_started: i64,
        _batch: usize,
        skip: &HashSet<String>,
    ) -> Result<Vec<DueItem>> {
        // one listing per pass: the case locks share out its milestones
        if self.listed_pass == Some(pass_started) {
            return Ok(Vec::new());
        }
        self.listed_pass = Some(pass_started);
        let mut items = self.scan(now, None)?;
        items.retain(|i| {
            !skip.contains(&i.key) && i.state.failed_at.is_none_or(|at| at < pass_started)
        });
        Ok(items)
    }

    fn recheck(&self, item: &DueItem) -> Result<Option<FireState>> {
        let still_queued = self
            .keyed(&item.case_id)?
            .iter()
            .any(|(k, _)| *k == item.key);
        if !still_queued {
            return Ok(None);
        }
        let state = self
            .read(&item.case_id)?
            .milestones
            .remove(&item.key)
            .map(|e| e.state)
            .unwrap_or_default();
        Ok(state.fired_at.is_none().then_some(state))
    }

    fn started(&self, item: &DueItem) -> Result<u32> {
        Ok(self.update(item, |s| s.attempts += 1)?.attempts)
    }

    fn fired(&self, item: &DueItem, at: i64) -> Result<()> {
        self.update(item, |s| s.fired_at = Some(at)).map(drop)
    }

    fn failed(&self, item: &DueItem, at: i64, error: &str) -> Result<()> {
        self.update(item, |s| {
            s.failures += 1;
            s.failed_at = Some(at);
            s.error = Some(error.to_owned());
        })
        .map(drop)
    }

    fn release(&mut self) -> Result<()> {
        Ok(())
    }

    fn listing(&mut self, at: i64, fired_since: Option<i64>) -> Result<Vec<DueItem>> {
        self.scan(at, fired_since)
    }

    fn take_unreadable(&mut self) -> Vec<Unreadable> {
        std::mem::take(&mut self.unreadable)
            .into_iter()
            .map(|(case_id, reason)| Unreadable { case_id, reason })
            .collect()
    }
}
