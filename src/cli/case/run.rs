//! The single-case commands that run the engine: start, resume, reopen, change-workbasket,
//! set-var.

use std::path::Path;

use anyhow::Context as _;
use wfctl::engine::{self, Engine, Outcome, SystemClock};
use wfctl::model::{JourneyRecord, Sla};
use wfctl::store::{self, Store};

use super::render::print_outcome;
use super::{ChangeArgs, ReopenArgs, ResumeArgs, SetVarArgs, StartArgs, WaitArgs, bulk};
use crate::cli::Context;
use crate::cli::exit::{CONFIG, Exit, TEMPFAIL, USAGE};
use crate::cli::runtime::{self, Recorder, open_store, open_store_creating};
use wfctl::conventions::quoted_for_message;

/// Runs `call` on an engine over the configured store and components, then prints the
/// outcome and the units it ran.
fn with_engine(
    ctx: &Context,
    wait: &WaitArgs,
    case_id: Option<&str>,
    call: impl FnOnce(&Engine<'_>) -> Result<Outcome, engine::Error>,
) -> anyhow::Result<()> {
    // the configuration is checked first: a failing start leaves no new store behind
    let config = runtime::engine_config(ctx, runtime::lock_wait(wait.wait));
    let components = runtime::components(ctx, &config)?;
    // only `case start` (no case id yet) may create a store
    let opened = match case_id {
        None => open_store_creating(ctx)?,
        Some(_) => open_store(ctx)?,
    };
    // the engine sees plaintext; the store only sealed sensitive values
    let sensitive = runtime::sensitive(ctx)?;
    let sealed = wfctl::crypto::Sealed::new(opened.store(), &sensitive, wfctl::crypto::View::Plain);
    let store: &dyn Store = &sealed;
    let components = wfctl::crypto::guarded(components, sensitive.clone());
    if let Some(id) = case_id {
        ensure_exists(store, id)?;
    }
    // what leaves wfctl (the result printed, the log, an error) passes the scrubber the store
    // path uses: the engine's own messages may quote a sensitive value
    let seen = components.seen();
    let recorder = Recorder::new().scrubbing(seen.clone());
    let engine = Engine::new(store, &components)
        .with_events(&recorder)
        .with_clock(&SystemClock)
        .with_config(config);
    let mut outcome = call(&engine).map_err(|e| match e {
        // a ticket the journey lacks: say which it has
        engine::Error::TicketNotFound { ticket, case } => {
            let tickets: Vec<String> = store
                .journey(&case)
                .ok()
                .flatten()
                .map(|record| {
                    record
                        .journey
                        .tickets
                        .iter()
                        .map(|t| quoted_for_message(&t.name))
                        .collect()
                })
                .unwrap_or_default();
            let has = if tickets.is_empty() {
                "its journey declares no tickets".to_owned()
            } else {
                format!("its journey's tickets are {}", tickets.join(", "))
            };
            Exit::new(
                USAGE,
                format!(
                    "case {}: no ticket {}; {has}",
                    quoted_for_message(&case),
                    quoted_for_message(&ticket)
                ),
            )
            .into()
        }
        other => scrubbed(explain(other, wait.wait), &seen),
    })?;
    scrub_outcome(&mut outcome, &seen);
    for case in sealed.first_sealed() {
        ctx.output.warn(&format!(
            "case {case}: sensitive values stored in clear are sealed now; its older audit records keep them in clear until `wfctl keys rotate`"
        ));
    }
    if ctx.output.quiet() && !ctx.output.json() {
        // -q: `case start` prints the new case id alone; other actions print nothing
        if case_id.is_none() {
            ctx.output.print(&outcome.case_id)?;
        }
        return Ok(());
    }
    print_outcome(&ctx.output, &outcome, &recorder.take_units())
}

/// `outcome` with every message scrubbed of the sensitive values in `seen`.
pub(super) fn scrub_outcome(outcome: &mut Outcome, seen: &wfctl::crypto::Seen) {
    if let Some(pend) = &mut outcome.pend {
        seen.scrub_error(&mut pend.error);
    }
    for warning in &mut outcome.warnings {
        *warning = seen.scrub(warning);
    }
}

/// `error` scrubbed of the sensitive values in `seen`, its exit code kept.
pub(super) fn scrubbed(error: anyhow::Error, seen: &wfctl::crypto::Seen) -> anyhow::Error {
    let line = crate::cli::output::error_line(&error);
    let clean = seen.scrub(&line);
    if clean == line {
        return error;
    }
    Exit::new(crate::cli::exit::classify(&error), clean).into()
}

/// Adds what to do next to the engine's messages where there is something to do.
pub(super) fn explain(error: engine::Error, waited: Option<std::time::Duration>) -> anyhow::Error {
    match &error {
        engine::Error::Store(store::Error::Locked { .. }) => {
            let next = match waited {
                // say that the wait ran out, so nobody mistakes it for a lock taken at once
                Some(limit) => format!(
                    "{error}; still held after waiting {}; retry later, or wait longer with a larger --wait",
                    crate::cli::format::duration(limit)
                ),
                None => format!("{error}; retry later, or wait for it with --wait 30s"),
            };
            Exit::new(TEMPFAIL, next).into()
        }
        engine::Error::Completed { case } => Exit::new(
            1,
            format!(
                "{error}; to run it again from a ticket's step use `wfctl case reopen {case} --ticket TICKET`"
            ),
        )
        .into(),
        engine::Error::NotCompleted { case } => Exit::new(
            1,
            format!(
                "case {} is not completed, so it cannot be reopened; to continue it use `wfctl case resume {case}`",
                quoted_for_message(case)
            ),
        )
        .into(),
        engine::Error::UnmappedComponents { .. } => Exit::new(
            CONFIG,
            format!("{error}; {MAP_COMPONENTS}"),
        )
        .into(),
        engine::Error::AlreadyStarted { case } => Exit::new(
            1,
            format!("case {case} already exists; use `wfctl case resume {case}` to continue it"),
        )
        .into(),
        _ => error.into(),
    }
}

/// What to do about components with no mapping (one wording for every command that runs cases).
pub(super) const MAP_COMPONENTS: &str =
    "map them in wfctl.toml with [components.NAME] (exec = [...] or builtin = \"...\")";

/// Fails with "case X not found" when the store has neither its journey nor its state.
pub(super) fn ensure_exists(store: &dyn Store, case_id: &str) -> anyhow::Result<()> {
    if store.journey(case_id)?.is_none() && store.process_info(case_id)?.is_none() {
        anyhow::bail!("case {case_id} not found in {}", store.describe());
    }
    Ok(())
}

/// For a command that watches a case (`case wait`, `case history --follow`): the case is
/// gone (purged or deleted) since it began, so what it waits for never comes (exit 1).
pub(super) fn ensure_still_exists(store: &dyn Store, case_id: &str) -> anyhow::Result<()> {
    if store.journey(case_id)?.is_none() && store.process_info(case_id)?.is_none() {
        anyhow::bail!(
            "case {case_id} no longer exists in {}: it was deleted (or purged) while watched",
            store.describe()
        );
    }
    Ok(())
}

fn read(path: &Path, what: &str) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("{what} {}", path.display()))
}

/// A generated case id: the UTC start time (so ids sort by age) and 6 random hex digits.
fn new_case_id() -> anyhow::Result<String> {
    let mut bytes = [0u8; 3];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness for a case id: {e}"))?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!(
        "{}-{hex}",
        chrono::Utc::now().format("%Y%m%dT%H%M%S")
    ))
}

pub(super) fn start(ctx: &Context, args: &StartArgs) -> anyhow::Result<()> {
    // the same rule on every store, checked before anything is read or written
    if let Some(id) = args.case_id.as_deref().filter(|id| !id.trim().is_empty()) {
        super::check_case_id(id)?;
    }
    let journey = JourneyRecord::parse(read(&args.journey, "journey file")?)
        .with_context(|| format!("journey file {}", args.journey.display()))?;
    let sla = match &args.sla {
        Some(path) => Some(
            Sla::parse(&read(path, "SLA file")?)
                .with_context(|| format!("SLA file {}", path.display()))?,
        ),
        None => None,
    };
    let variables = args.vars.collect()?;
    let case_id = match &args.case_id {
        Some(id) if id.trim().is_empty() => {
            return Err(Exit::new(USAGE, "--case-id is empty").into());
        }
        Some(id) => id.clone(),
        None => new_case_id()?,
    };
    // the engine checks again; here it is refused before a new store is created for it
    if let Err(reason) = wfctl::model::Variable::check_all_storable(&variables) {
        return Err(explain(
            engine::Error::Unstorable {
                case: case_id,
                reason,
            },
            None,
        ));
    }
    // a sensitive value without a key: refused before the case is created
    runtime::sensitive(ctx)?
        .check_sealable(&case_id, &variables)
        .map_err(|e| Exit::new(1, e.to_string()))?;
    for warning in &journey.journey.warnings {
        ctx.output.warn(&format!(
            "journey file {}: {warning}",
            args.journey.display()
        ));
    }
    // unmapped components fail before anything is written (even before a store is created)
    let config = runtime::engine_config(ctx, runtime::lock_wait(args.wait.wait));
    let unmapped = engine::Components::unmapped(
        &runtime::components(ctx, &config)?,
        &journey.journey.component_names(),
    );
    if !unmapped.is_empty() {
        return Err(explain(
            engine::Error::UnmappedComponents {
                case: case_id,
                names: unmapped,
            },
            args.wait.wait,
        ));
    }
    with_engine(ctx, &args.wait, None, |engine| {
        engine.start(&case_id, &journey, sla.as_ref(), variables)
    })
}

pub(super) fn resume(ctx: &Context, args: &ResumeArgs) -> anyhow::Result<()> {
    let Some(case_id) = args.case_id.as_deref() else {
        return Err(Exit::new(
            USAGE,
            "give the case to resume (case resume ID), or every case of a work basket with --all --workbasket W",
        )
        .into());
    };
    let variables = args.vars.collect()?;
    with_engine(ctx, &args.wait, Some(case_id), |engine| {
        engine.resume(case_id, variables)
    })
}

pub(super) fn reopen(ctx: &Context, args: &ReopenArgs) -> anyhow::Result<()> {
    let Some(case_id) = args.case_id.as_deref() else {
        return Err(Exit::new(USAGE, "give the case to reopen, or --all or --ids-file").into());
    };
    let variables = args.vars.collect()?;
    with_engine(ctx, &args.wait, Some(case_id), |engine| {
        engine.reopen(
            case_id,
            &args.ticket,
            args.pend_workbasket.as_deref(),
            variables,
        )
    })
}

pub(super) fn change_workbasket(ctx: &Context, args: &ChangeArgs) -> anyhow::Result<()> {
    match (args.bulk.active(), args.args.as_slice()) {
        (true, [to]) => bulk::run(
            ctx,
            &args.bulk,
            bulk::Action::ChangeWorkbasket(to.clone()),
            args.wait.wait,
        ),
        (false, [case_id, to]) => with_engine(ctx, &args.wait, Some(case_id), |engine| {
            engine.change_workbasket(case_id, to)
        }),
        (true, _) => Err(Exit::new(
            USAGE,
            "with --all give only the new work basket: case change-workbasket --all --workbasket OLD NEW",
        )
        .into()),
        (false, _) => Err(Exit::new(
            USAGE,
            "give the case and the new work basket: case change-workbasket ID NEW_WORKBASKET",
        )
        .into()),
    }
}

pub(super) fn set_var(ctx: &Context, args: &SetVarArgs) -> anyhow::Result<()> {
    let variables = args.variables()?;
    let case_id = args.case_id.as_deref().unwrap_or_default();
    with_engine(ctx, &args.wait, Some(case_id), |engine| {
        engine.set_variables(case_id, variables)
    })
}
