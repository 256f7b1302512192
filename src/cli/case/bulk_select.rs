//! The case selection shared by `case list` and every bulk command: the filters (`--status`,
//! `--workbasket`, `--journey`, `--step`, `--stuck-for`, `--sla-overdue`), as a query at a
//! given time.

use std::time::Duration;

use clap::Args;
use wfctl::store::{CaseFilter, CaseQuery, CaseStatus};

use crate::cli::exit::{Exit, USAGE};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum StatusArg {
    Running,
    Pended,
    Completed,
    Cancelled,
}

impl StatusArg {
    fn status(self) -> CaseStatus {
        match self {
            Self::Running => CaseStatus::Running,
            Self::Pended => CaseStatus::Pended,
            Self::Completed => CaseStatus::Completed,
            Self::Cancelled => CaseStatus::Cancelled,
        }
    }
}

#[derive(Debug, Clone, Default, Args)]
pub(crate) struct SelectArgs {
    /// Only cases with this status
    #[arg(long, value_enum)]
    pub(crate) status: Option<StatusArg>,
    /// Only cases pended in this work basket
    #[arg(long, value_name = "WORKBASKET")]
    pub(crate) workbasket: Option<String>,
    /// Only cases of this journey (by name)
    #[arg(long, value_name = "NAME")]
    pub(crate) journey: Option<String>,
    /// Only cases at this step (the pended step, or the last one run)
    #[arg(long, value_name = "STEP")]
    pub(crate) step: Option<String>,
    /// Only incomplete cases not written for this long (e.g. 2h, 3days)
    #[arg(long, value_name = "DURATION", value_parser = crate::cli::format::parse_duration)]
    pub(crate) stuck_for: Option<Duration>,
    /// Only cases with an SLA milestone past its due time
    #[arg(long)]
    pub(crate) sla_overdue: bool,
}

impl SelectArgs {
    /// The filters given, by flag (for messages that name them).
    pub(crate) fn given(&self) -> Vec<&'static str> {
        [
            ("--status", self.status.is_some()),
            ("--workbasket", self.workbasket.is_some()),
            ("--journey", self.journey.is_some()),
            ("--step", self.step.is_some()),
            ("--stuck-for", self.stuck_for.is_some()),
            ("--sla-overdue", self.sla_overdue),
        ]
        .into_iter()
        .filter_map(|(flag, set)| set.then_some(flag))
        .collect()
    }

    /// Every filter with its value, as text (what names a bulk run's selection).
    pub(crate) fn describe(&self) -> String {
        format!("{self:?}")
    }

    /// The query of these filters as of `now_ms` (stuck and overdue are measured from it);
    /// every case when none is given.
    pub(crate) fn query(&self, now_ms: i64) -> anyhow::Result<CaseQuery> {
        if self.workbasket.as_deref() == Some("") {
            anyhow::bail!("--workbasket is empty");
        }
        // a finished case is never stuck: the pair would select nothing, silently
        if let (Some(_), Some(status @ (StatusArg::Completed | StatusArg::Cancelled))) =
            (self.stuck_for, self.status)
        {
            let name = format!("{status:?}").to_lowercase();
            return Err(Exit::new(
                USAGE,
                format!(
                    "--stuck-for selects unfinished cases and a {name} case is never stuck: \
                     drop --status {name}, or use --status running or --status pended"
                ),
            )
            .into());
        }
        let stuck_before = self
            .stuck_for
            .map(|d| now_ms.saturating_sub(i64::try_from(d.as_millis()).unwrap_or(i64::MAX)));
        Ok(CaseQuery {
            filter: CaseFilter {
                status: self.status.map(StatusArg::status),
                work_basket: self.workbasket.clone(),
                journey_name: self.journey.clone(),
                step: self.step.clone(),
                updated_before: stuck_before,
                left_mid_run: false,
            },
            sla_due_by: self.sla_overdue.then_some(now_ms),
            // stuck means not finished: a completed case is never stuck
            incomplete_only: stuck_before.is_some(),
            ..CaseQuery::default()
        })
    }
}
