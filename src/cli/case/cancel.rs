//! `case cancel ID --reason TEXT`: the case never runs again (the engine refuses every call on
//! it); its milestones are dequeued and an audit record says who cancelled it, when and why.

use serde::Serialize;
use wfctl::engine::Engine;
use wfctl::store::{self, Cancellation};

use super::CancelArgs;
use super::render::time;
use super::run::ensure_exists;
use crate::cli::Context;
use crate::cli::exit::{Exit, USAGE};
use crate::cli::output::escape_control;
use crate::cli::runtime::{self, Recorder, open_store};

/// `case cancel --json` and the `cancelled` part of `case show --json`.
#[derive(Debug, Serialize)]
pub(crate) struct CancelView<'a> {
    pub(crate) reason: &'a str,
    pub(crate) by: &'a str,
    pub(crate) at: String,
}

impl<'a> CancelView<'a> {
    pub(crate) fn new(cancel: &'a Cancellation) -> Self {
        Self {
            reason: &cancel.reason,
            by: &cancel.by,
            at: time(cancel.at),
        }
    }
}

#[derive(Debug, Serialize)]
struct Cancelled<'a> {
    case_id: &'a str,
    cancelled: CancelView<'a>,
}

/// Who runs the command: `WFCTL_USER`, else the login name, else the user id.
pub(super) fn operator() -> String {
    ["WFCTL_USER", "USER", "LOGNAME"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| format!("uid {}", rustix::process::getuid().as_raw()))
}

pub(super) fn run(ctx: &Context, args: &CancelArgs) -> anyhow::Result<()> {
    if args.reason.trim().is_empty() {
        return Err(Exit::new(USAGE, "--reason is empty: say why the case is cancelled").into());
    }
    let config = runtime::engine_config(ctx, runtime::lock_wait(args.wait.wait));
    let components = runtime::components(ctx, &config)?;
    let Some(case_id) = args.case_id.as_deref() else {
        return Err(Exit::new(USAGE, "give the case to cancel, or --all or --ids-file").into());
    };
    let opened = open_store(ctx)?;
    let sensitive = runtime::sensitive(ctx)?;
    let sealed = wfctl::crypto::Sealed::new(opened.store(), &sensitive, wfctl::crypto::View::Plain);
    let store: &dyn store::Store = &sealed;
    let components = wfctl::crypto::guarded(components, sensitive.clone());
    ensure_exists(store, case_id)?;
    let recorder = Recorder::new();
    let engine = Engine::new(store, &components)
        .with_events(&recorder)
        .with_config(config);
    let cancel = engine
        .cancel(case_id, &args.reason, &operator())
        // a held lock says how long it waited, as every case command does (run::explain); a
        // cancelled or completed case: exit 1 with the reason
        .map_err(|e| super::run::explain(e, args.wait.wait))?;
    if ctx.output.json() {
        ctx.output.print_json(&Cancelled {
            case_id,
            cancelled: CancelView::new(&cancel),
        })?;
    } else if !ctx.output.quiet() {
        // stored text, shown escaped like every other (docs/conventions.md)
        ctx.output.print(&format!(
            "case {} cancelled by {}: {}",
            escape_control(case_id),
            escape_control(&cancel.by),
            escape_control(&cancel.reason)
        ))?;
    }
    Ok(())
}
