//! `case history ID --follow` (and `case watch ID`): prints the audit records as they are
//! written, each once and in sequence order, until the case completes (or is cancelled) or
//! Ctrl-C; `--json` prints one JSON line per record.

use std::time::Duration;

use wfctl::crypto::Sealed;

use super::history::entry;
use super::run::{ensure_exists, ensure_still_exists};
use super::wait::Waiter;
use crate::cli::Context;
use crate::cli::output::escape_control;
use crate::cli::runtime::{self, open_store};

/// Longest pause between two looks at the case when nothing wakes the follower.
const MAX_PAUSE: Duration = Duration::from_secs(60);

pub(super) fn run(ctx: &Context, case_id: &str, reveal: bool) -> anyhow::Result<()> {
    let opened = open_store(ctx)?;
    let sensitive = runtime::sensitive(ctx)?;
    let sealed = Sealed::new(
        opened.store(),
        &sensitive,
        runtime::view(reveal, &sensitive)?,
    );
    let store: &dyn wfctl::store::Store = &sealed;
    ensure_exists(store, case_id)?;
    let mut waiter = Waiter::open(&opened)?;
    let out = &ctx.output;
    let mut printed = 0u64;
    loop {
        ensure_still_exists(store, case_id)?;
        // read the end state first: records written before it are all read below
        let done = store.process_info(case_id)?.is_some_and(|i| i.is_complete)
            || store.cancellation(case_id)?.is_some();
        for record in store.audit_records(case_id)? {
            if record.seq <= printed {
                continue;
            }
            let e = entry(&record);
            if out.json() {
                out.print(&serde_json::to_string(&e)?)?;
            } else {
                // stored text, escaped as in every table
                out.print(&format!(
                    "{:>5}  {}  {}  {}  {}",
                    e.seq,
                    crate::cli::format::table_time_of(&e.time),
                    escape_control(e.unit),
                    escape_control(e.exec_path),
                    escape_control(&e.outcome)
                ))?;
            }
            printed = record.seq;
        }
        // a reader that closed the pipe (`| head -3`) ends the follow, exit 0 as documented
        if done || out.stdout_closed() {
            return Ok(());
        }
        waiter.pause(case_id, MAX_PAUSE)?;
    }
}
