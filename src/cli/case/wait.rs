//! `case wait ID --until completed|pended[:BASKET]|changed [--timeout 10m]`: returns as soon
//! as the case is in that state, printing it as `case show` does (with `--json` the same
//! document as `case show --json`; exit 0), or exit 3 when the time runs out. On PostgreSQL it is woken by the store's notification of each saved
//! case (from any host); on the file store it looks at the case every [`FILE_POLL`].

use std::time::{Duration, Instant};

use wfctl::store::{CaseStatus, CaseSummary, Store};

use super::run::{ensure_exists, ensure_still_exists};
use super::{WaitUntilArgs, show};
use crate::cli::Context;
use crate::cli::exit::{Exit, PARTIAL, USAGE};
use crate::cli::runtime::{Opened, open_store};

/// How often the file store is looked at (one small read of the case).
const FILE_POLL: Duration = Duration::from_millis(100);

/// Longest wait for a notification on PostgreSQL before the case is looked at anyway: a
/// case deleted by a tool that does not notify (psql) is noticed this late at worst.
const PG_LOOK: Duration = Duration::from_secs(2);

/// Waits for a case to be saved: on PostgreSQL for the store's notification, on the file
/// store for the next look.
pub(super) struct Waiter(Option<wfctl::store::pg::Changes>);

impl Waiter {
    /// Starts listening (before the caller's first look, so no change falls in between).
    pub(super) fn open(opened: &Opened) -> anyhow::Result<Self> {
        Ok(Self(match opened {
            Opened::Postgres(pg) => Some(pg.listen()?),
            Opened::Files(_) => None,
        }))
    }

    /// Returns when the case may have changed, or after `max`.
    pub(super) fn pause(&mut self, case_id: &str, max: Duration) -> anyhow::Result<()> {
        match &mut self.0 {
            Some(changes) => {
                changes.wait(case_id, max.min(PG_LOOK))?;
            }
            None => std::thread::sleep(FILE_POLL.min(max)),
        }
        Ok(())
    }
}

/// The state waited for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Until {
    Completed,
    /// Pended, in this basket if given.
    Pended(Option<String>),
    /// Anything saved after the wait began.
    Changed,
}

/// Parses `completed`, `pended`, `pended:BASKET`, `changed`.
pub(crate) fn parse_until(text: &str) -> Result<Until, String> {
    match text.split_once(':') {
        None if text == "completed" => Ok(Until::Completed),
        None if text == "pended" => Ok(Until::Pended(None)),
        None if text == "changed" => Ok(Until::Changed),
        Some(("pended", basket)) if !basket.is_empty() => {
            Ok(Until::Pended(Some(basket.to_owned())))
        }
        _ => Err(format!(
            "{text:?}: expected completed, pended, pended:BASKET or changed"
        )),
    }
}

/// What "changed" compares: the last audit sequence, the last process-info write, cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    audit_seq: u64,
    written_at: i64,
    cancelled: bool,
}

struct Seen {
    summary: CaseSummary,
    mark: Mark,
}

fn look(store: &dyn Store, case_id: &str) -> anyhow::Result<Seen> {
    let journey = store
        .journey(case_id)?
        .map(|j| j.journey.name)
        .unwrap_or_default();
    let info = store.process_info(case_id)?;
    let cancelled = store.cancellation(case_id)?.is_some();
    let summary = CaseSummary::new(case_id, &journey, info.as_ref()).cancelled_if(cancelled);
    let mark = Mark {
        audit_seq: store.last_audit_seq(case_id)?,
        written_at: summary.updated_at,
        cancelled,
    };
    Ok(Seen { summary, mark })
}

fn reached(until: &Until, seen: &Seen, start: &Mark) -> bool {
    let s = &seen.summary;
    match until {
        Until::Completed => s.status == CaseStatus::Completed,
        Until::Pended(None) => s.status == CaseStatus::Pended,
        Until::Pended(Some(basket)) => {
            s.status == CaseStatus::Pended && s.pend_workbasket == *basket
        }
        Until::Changed => seen.mark != *start,
    }
}

pub(super) fn run(ctx: &Context, args: &WaitUntilArgs) -> anyhow::Result<()> {
    let opened = open_store(ctx)?;
    // printed as `case show` prints it: sensitive values masked
    let sensitive = crate::cli::runtime::sensitive(ctx)?;
    let sealed = wfctl::crypto::Sealed::new(
        opened.store(),
        &sensitive,
        crate::cli::runtime::view(false, &sensitive)?,
    );
    let store: &dyn wfctl::store::Store = &sealed;
    ensure_exists(store, &args.case_id)?;
    let case_id = args.case_id.as_str();
    // listen first, so that no change falls between the first look and the wait
    let mut changes = Waiter::open(&opened)?;
    let deadline = Instant::now() + args.timeout;
    let mut seen = look(store, case_id)?;
    let start = seen.mark;
    let mut announced = false;
    loop {
        if reached(&args.until, &seen, &start) {
            if !ctx.output.quiet() {
                show::print(ctx, store, case_id, ctx.output.json())?;
            }
            return Ok(());
        }
        if seen.summary.status == CaseStatus::Cancelled && args.until != Until::Changed {
            let reason = store
                .cancellation(case_id)?
                .map(|c| c.reason)
                .unwrap_or_default();
            anyhow::bail!("case {case_id} was cancelled ({reason}): it will not get there");
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(Exit::new(
                PARTIAL,
                format!(
                    "case {case_id}: not {} after {} (now {})",
                    describe(&args.until),
                    crate::cli::format::duration(args.timeout),
                    super::render::case_status(seen.summary.status)
                ),
            )
            .into());
        }
        if !announced {
            // on stderr, once: scripts see on stdout only the case
            ctx.output.status(&format!(
                "waiting for case {case_id} to be {} (up to {})",
                describe(&args.until),
                crate::cli::format::duration(args.timeout)
            ));
            announced = true;
        }
        changes.pause(case_id, deadline - now)?;
        ensure_still_exists(store, case_id)?;
        seen = look(store, case_id)?;
    }
}

fn describe(until: &Until) -> String {
    match until {
        Until::Completed => "completed".to_owned(),
        Until::Pended(None) => "pended".to_owned(),
        Until::Pended(Some(b)) => format!("pended in {b}"),
        Until::Changed => "changed".to_owned(),
    }
}

/// `--timeout` 0 makes no sense for a wait.
pub(crate) fn check_timeout(timeout: Duration) -> anyhow::Result<()> {
    if timeout.is_zero() {
        return Err(Exit::new(USAGE, "--timeout must be more than 0").into());
    }
    Ok(())
}
