//! One pass of `sla run`: claim due milestones, and for each, under its case lock, check it is
//! still waiting, record the start, carry out the action and record the result.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use serde_json::{Value, json};

use super::action::{Actions, Meaning};
use super::held::Held;
use super::ledger::{DueItem, Ledger};
use super::watch::Watch;
use crate::components::protocol::native;
use crate::crypto::{Scrubber, Sensitive};
use crate::engine::{Components, Engine, EngineConfig};
use crate::store::{self, CaseSummary, LockWait, Store};

/// What happened to one milestone.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Outcome {
    /// The action ran and was recorded.
    Fired {
        /// When it was recorded (epoch ms).
        fired_at: i64,
        /// How late after the due time (ms).
        late_ms: i64,
        /// Which run of the action this was (2 after an interrupted one).
        attempt: u32,
    },
    /// The action failed; the milestone stays due and the next pass tries again.
    Failed {
        /// Why.
        error: String,
        /// Which run of the action this was.
        attempt: u32,
    },
    /// Someone else had the case, or the milestone was no longer waiting.
    Skipped {
        /// Why.
        reason: String,
    },
    /// `--dry-run`: it would run; `problem` says why it could not.
    WouldRun {
        /// Why the action cannot be carried out (nothing configured, unsupported).
        problem: Option<String>,
    },
}

/// One milestone of a pass.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// Case id.
    pub case_id: String,
    /// The milestone's key in the ledger (`WFCTL_SLA_KEY`).
    pub key: String,
    /// Milestone name.
    pub milestone: Option<String>,
    /// Its action.
    pub action: Option<String>,
    /// When it was due (epoch ms).
    pub due_at: Option<i64>,
    /// What happened.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// Options of a pass.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Act on at most this many milestones (skipped ones do not count).
    pub limit: Option<usize>,
    /// Only list what would be done.
    pub dry_run: bool,
    /// Milestones claimed at a time.
    pub batch: usize,
    /// How long to wait for a case lock: PostgreSQL claims give the case to one worker, so a
    /// short wait; the file store shares cases by the lock itself, so none.
    pub lock_wait: LockWait,
}

/// What a pass needs.
pub struct Runner<'a> {
    /// The store the cases live in.
    pub store: &'a dyn Store,
    /// Components, for the units a `RESUME` runs.
    pub components: &'a dyn Components,
    /// Engine settings (its `lock_wait` does not matter: the runner holds the lock).
    pub engine: EngineConfig,
    /// The configured action programs.
    pub actions: &'a Actions,
    /// Which variables are sensitive: scrubbed from what a failed program printed.
    pub sensitive: &'a Sensitive,
    /// The clock (epoch ms).
    pub now: &'a dyn Fn() -> i64,
    /// Set (by SIGTERM) to stop after the current action.
    pub stop: &'a AtomicBool,
}

impl Runner<'_> {
    /// Runs one pass; calls `each` as each milestone is finished.
    pub fn pass(
        &self,
        ledger: &mut dyn Ledger,
        options: Options,
        each: &mut dyn FnMut(&Item),
    ) -> store::Result<Vec<Item>> {
        let started = (self.now)();
        let mut items = Vec::new();
        let mut skip: HashSet<String> = HashSet::new();
        let mut acted = 0usize;
        'batches: loop {
            if self.stop.load(Ordering::SeqCst) {
                break;
            }
            // only what was due when the pass began: milestones the pass's own actions enqueue
            // (a CHG_WB into a basket whose entry milestone is due at once) wait for the next
            // pass, so one pass always ends
            let batch = ledger.claim(started, started, options.batch.max(1), &skip)?;
            if batch.is_empty() {
                break;
            }
            for due in batch {
                if self.stop.load(Ordering::SeqCst) || options.limit.is_some_and(|n| acted >= n) {
                    break 'batches;
                }
                let outcome = if options.dry_run {
                    let problem = due
                        .queued
                        .milestone
                        .action
                        .as_deref()
                        .and_then(|a| self.actions.problem(a));
                    Outcome::WouldRun { problem }
                } else {
                    self.one(ledger, &due, options.lock_wait)?
                };
                match &outcome {
                    Outcome::Skipped { .. } | Outcome::WouldRun { .. } => {
                        skip.insert(due.key.clone());
                    }
                    _ => {}
                }
                if !matches!(outcome, Outcome::Skipped { .. }) {
                    acted += 1;
                }
                let item = Item {
                    case_id: due.case_id.clone(),
                    key: due.key.clone(),
                    milestone: due.queued.milestone.name.clone(),
                    action: due.queued.milestone.action.clone(),
                    due_at: due.queued.due_at,
                    outcome,
                };
                each(&item);
                items.push(item);
            }
        }
        ledger.release()?;
        Ok(items)
    }

    /// One milestone, under its case lock.
    fn one(
        &self,
        ledger: &dyn Ledger,
        due: &DueItem,
        lock_wait: LockWait,
    ) -> store::Result<Outcome> {
        let _lock = match self.store.lock_case(&due.case_id, lock_wait) {
            Ok(lock) => lock,
            Err(store::Error::Locked { .. }) => {
                return Ok(Outcome::Skipped {
                    reason: "case locked by another process".to_owned(),
                });
            }
            Err(e) => return Err(e),
        };
        let gone = || Outcome::Skipped {
            reason: "fired or dequeued meanwhile".to_owned(),
        };
        let Some(state) = ledger.recheck(due)? else {
            return Ok(gone());
        };
        // started and never recorded: the worker that started it may still be stopping its
        // program (its watchdog does so within the grace); then read it again
        let grace = ledger.rerun_grace();
        if state.attempts > state.failures && !grace.is_zero() {
            std::thread::sleep(grace);
            if ledger.recheck(due)?.is_none() {
                return Ok(gone());
            }
        }
        let attempt = ledger.started(due)?;
        let watch = ledger.watch();
        let result = self.act(due, attempt, watch.as_ref());
        if result.is_err()
            && let Some(Err(lost)) = watch.as_ref().map(Watch::status)
        {
            // not recorded as failed: the start is counted, so it is an interrupted action,
            // run again once by the next worker that claims it
            return Err(store::Error::Unavailable {
                reason: format!(
                    "case {}: milestone {}: {lost}; its action was stopped and runs again on the next worker",
                    due.case_id, due.key
                ),
            });
        }
        drop(watch);
        let at = (self.now)();
        Ok(match result {
            Ok(()) => {
                ledger.fired(due, at)?;
                Outcome::Fired {
                    fired_at: at,
                    late_ms: due.queued.due_at.map_or(0, |d| at.saturating_sub(d)),
                    attempt,
                }
            }
            Err(error) => {
                ledger.failed(due, at, &error)?;
                Outcome::Failed { error, attempt }
            }
        })
    }

    /// Carries out the action (the caller holds the case lock).
    /// A program is stopped when `watch` says the claim was lost.
    fn act(&self, due: &DueItem, attempt: u32, watch: Option<&Watch>) -> Result<(), String> {
        let Some(action) = due.queued.milestone.action.as_deref() else {
            // a milestone without an action only marks the time
            return Ok(());
        };
        let held = Held::new(self.store, &due.case_id);
        let engine = Engine::new(&held, self.components).with_config(self.engine.clone());
        match self.actions.meaning(action) {
            Meaning::ChangeWorkbasket(basket) => engine
                .change_workbasket(&due.case_id, &basket)
                .map(drop)
                .map_err(|e| e.to_string()),
            Meaning::Resume => engine
                .resume(&due.case_id, Vec::new())
                .map(drop)
                .map_err(|e| e.to_string()),
            Meaning::Cancel(code) => {
                let by = format!(
                    "sla run (milestone {})",
                    due.queued.milestone.name.as_deref().unwrap_or("?")
                );
                engine
                    .cancel(&due.case_id, &code, &by)
                    .map(drop)
                    .map_err(|e| e.to_string())
            }
            Meaning::Program { key: None, .. } => Err(self
                .actions
                .problem(action)
                .unwrap_or_else(|| format!("nothing runs action {action}"))),
            Meaning::Program { key: Some(key), .. } => {
                let program = self
                    .actions
                    .program(&key)
                    .ok_or_else(|| format!("nothing runs action {action}"))?;
                let (request, scrubber) = self.request(due, attempt)?;
                let attempt = attempt.to_string();
                let name = due.queued.milestone.name.clone().unwrap_or_default();
                let env = [
                    ("WFCTL_CASE_ID", due.case_id.as_str()),
                    ("WFCTL_SLA_ACTION", action),
                    ("WFCTL_SLA_MILESTONE", name.as_str()),
                    ("WFCTL_SLA_KEY", due.key.as_str()),
                    ("WFCTL_SLA_ATTEMPT", attempt.as_str()),
                ];
                program
                    .run_watched(request, &env, &mut || watch.map_or(Ok(()), Watch::status))
                    .map(drop)
                    .map_err(|e| failure_text(&scrubber, &e.message, &e.details))
            }
        }
    }

    /// What an action program reads on stdin (the case, the milestone and its userdata), and
    /// the scrubber of the case's sensitive values for what it prints.
    /// A program gets every variable: without the key, a case holding an unopened sensitive
    /// value fails the action (it runs again, with the key, on the next pass).
    fn request(&self, due: &DueItem, attempt: u32) -> Result<(Vec<u8>, Scrubber), String> {
        let read = || -> store::Result<_> {
            let journey = self.store.journey(&due.case_id)?;
            Ok((journey, self.store.process_info(&due.case_id)?))
        };
        let (journey, info) = read().map_err(|e| e.to_string())?;
        let journey = journey.map(|j| j.journey.name.clone()).unwrap_or_default();
        if let Some(v) = info
            .iter()
            .flat_map(|i| i.process_variables.iter())
            .find(|v| self.sensitive.is_unopened(v))
        {
            return Err(format!(
                "case {}: the action program gets sensitive variable {} and no key is loaded (set WFCTL_KEY_FILE or [variables] key_file)",
                due.case_id, v.name
            ));
        }
        let summary = CaseSummary::new(&due.case_id, &journey, info.as_ref());
        let scrubber = Scrubber::new(
            self.sensitive,
            info.iter()
                .flat_map(|i| i.process_variables.iter())
                .collect::<Vec<_>>()
                .iter(),
        );
        let variables: serde_json::Map<String, Value> = info
            .iter()
            .flat_map(|i| i.process_variables.iter())
            .map(|v| (v.name.clone(), native(&v.value)))
            .collect();
        let q = &due.queued;
        let request = json!({
            "case": {
                "case_id": due.case_id,
                "journey": journey,
                "status": summary.status,
                "work_basket": summary.pend_workbasket,
                "step": summary.step,
                "variables": variables,
            },
            "milestone": q.milestone,
            "userdata": q.milestone.userdata,
            "action": q.milestone.action,
            "set_up_by_work_basket": q.work_basket,
            "enqueued_at": rfc3339(q.enqueued_at),
            "due_at": q.due_at.map(rfc3339),
            "key": due.key,
            "attempt": attempt,
        });
        let request = serde_json::to_vec(&request).expect("a request always serialises");
        Ok((request, scrubber))
    }
}

/// A failed program's message and the tail of its stderr, scrubbed of the case's sensitive
/// values, in a form every store keeps (the tail is bounded by the exec runner).
fn failure_text(scrubber: &Scrubber, message: &str, details: &str) -> String {
    let text = if details.trim().is_empty() {
        message.to_owned()
    } else {
        format!("{message}\n{details}")
    };
    crate::model::storable_lossy(&scrubber.scrub(&text)).into_owned()
}

fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}
