//! SLA bookkeeping: which milestones to enqueue and dequeue when a case
//! starts, pends, completes, is reopened or moves to another basket. Each call goes to the
//! application's queue (if any) and into the changes saved with the next persistence point.

use super::hooks::{SlaQueue, SlaTrigger};
use crate::model::{Milestone, MilestoneType, ResponseType, SetupOn, Sla};
use crate::store::{MilestoneChange, QueuedMilestone};

/// The SLA of one case during one call.
pub(crate) struct SlaBook<'a> {
    pub case_id: &'a str,
    pub sla: Option<&'a Sla>,
    pub queue: Option<&'a dyn SlaQueue>,
}

/// The SLA bookkeeping of the path the case pends on (or leaves), as the pend algorithm reads
/// and updates it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PendBaskets {
    pub prev: String,
    pub cur: String,
    pub tbc: String,
}

impl SlaBook<'_> {
    fn enqueue(
        &self,
        changes: &mut Vec<MilestoneChange>,
        trigger: SlaTrigger,
        milestones: Vec<Milestone>,
        now: i64,
    ) {
        if milestones.is_empty() {
            return;
        }
        if let Some(queue) = self.queue {
            queue.enqueue(self.case_id, &trigger, &milestones);
        }
        changes.push(MilestoneChange::Enqueue(
            milestones
                .into_iter()
                .map(|m| QueuedMilestone {
                    due_at: m.due_at(now),
                    milestone: m,
                    work_basket: trigger.workbasket.clone(),
                    enqueued_at: now,
                })
                .collect(),
        ));
    }

    /// Milestones set up on a case event (`case_start`, `case_restart`).
    pub fn enqueue_case(&self, changes: &mut Vec<MilestoneChange>, setup: SetupOn, now: i64) {
        let Some(sla) = self.sla else { return };
        let matching = sla
            .milestones
            .iter()
            .filter(|m| m.setup_on == setup)
            .cloned()
            .collect();
        self.enqueue(
            changes,
            SlaTrigger {
                setup_on: setup,
                workbasket: None,
            },
            matching,
            now,
        );
    }

    /// Milestones set up on entering or leaving `basket`.
    pub fn enqueue_wb(
        &self,
        changes: &mut Vec<MilestoneChange>,
        setup: SetupOn,
        basket: &str,
        now: i64,
    ) {
        let Some(sla) = self.sla else { return };
        if basket.is_empty() {
            return;
        }
        let matching = sla
            .milestones
            .iter()
            .filter(|m| m.setup_on == setup && m.work_basket_name.as_deref() == Some(basket))
            .cloned()
            .collect();
        let trigger = SlaTrigger {
            setup_on: setup,
            workbasket: Some(basket.to_owned()),
        };
        self.enqueue(changes, trigger, matching, now);
    }

    /// The case left `basket`: clear its work-basket milestones (only if it has any).
    pub fn dequeue_wb(&self, changes: &mut Vec<MilestoneChange>, basket: &str) {
        let Some(sla) = self.sla else { return };
        let has_any = sla.milestones.iter().any(|m| {
            m.kind == MilestoneType::WorkBasket && m.work_basket_name.as_deref() == Some(basket)
        });
        if basket.is_empty() || !has_any {
            return;
        }
        if let Some(queue) = self.queue {
            queue.dequeue(self.case_id, basket);
        }
        changes.push(MilestoneChange::DequeueWorkBasket(basket.to_owned()));
    }

    /// The case completed.
    pub fn dequeue_all(&self, changes: &mut Vec<MilestoneChange>) {
        if self.sla.is_none() {
            return;
        }
        if let Some(queue) = self.queue {
            queue.dequeue_all(self.case_id);
        }
        changes.push(MilestoneChange::DequeueAll);
    }

    /// The `ON_PROCESS_PEND` algorithm of the Java engine, on the baskets of the pended path.
    /// `same` is "pended again at the same step"; `urt` the pended unit's response. Updates `tbc`
    /// (the caller then sets `prev = cur`).
    pub fn on_pend(
        &self,
        changes: &mut Vec<MilestoneChange>,
        baskets: &mut PendBaskets,
        same: bool,
        urt: Option<ResponseType>,
        now: i64,
    ) {
        let PendBaskets { prev, cur, tbc } = baskets.clone();
        if !same {
            self.dequeue_wb(changes, &prev);
            if prev != tbc {
                self.dequeue_wb(changes, &tbc);
            }
            self.enqueue_wb(changes, SetupOn::WorkBasketExit, &prev, now);
            self.enqueue_wb(changes, SetupOn::WorkBasketEntry, &cur, now);
            baskets.tbc.clear();
            return;
        }
        if prev == cur {
            return;
        }
        match urt {
            Some(ResponseType::ErrorPend) => {
                if prev != tbc {
                    self.dequeue_wb(changes, &prev);
                    self.enqueue_wb(changes, SetupOn::WorkBasketExit, &prev, now);
                }
                self.enqueue_wb(changes, SetupOn::WorkBasketEntry, &cur, now);
            }
            Some(ResponseType::OkPendEor) => {
                self.dequeue_wb(changes, &prev);
                self.enqueue_wb(changes, SetupOn::WorkBasketExit, &prev, now);
                if prev == tbc {
                    self.enqueue_wb(changes, SetupOn::WorkBasketEntry, &cur, now);
                    baskets.tbc = cur;
                } else if cur != tbc {
                    self.dequeue_wb(changes, &tbc);
                    self.enqueue_wb(changes, SetupOn::WorkBasketExit, &tbc, now);
                    self.enqueue_wb(changes, SetupOn::WorkBasketEntry, &cur, now);
                    baskets.tbc = cur;
                }
            }
            // ok_pend at the same step happens only when a join reports another pended branch,
            // which the caller treats as "not same", so the basket left is dequeued
            _ => {}
        }
    }

    /// A manual work-basket change from `cur` to `new`. The basket the case leaves is always
    /// dequeued and its `work_basket_exit` milestones are set up, as when a pend leaves a
    /// basket. Updates `tbc`.
    pub fn on_change(
        &self,
        changes: &mut Vec<MilestoneChange>,
        cur: &str,
        new: &str,
        tbc: &mut String,
        now: i64,
    ) {
        if cur == new {
            return;
        }
        self.dequeue_wb(changes, cur);
        self.enqueue_wb(changes, SetupOn::WorkBasketExit, cur, now);
        if tbc == cur {
            tbc.clear();
        }
        if new != tbc {
            self.enqueue_wb(changes, SetupOn::WorkBasketEntry, new, now);
        }
    }
}
