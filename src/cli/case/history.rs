//! `case history ID`: the audit log, one row per record (seq, time, unit, exec path, outcome);
//! `--json` gives the recorded process-info documents.

use serde::Serialize;
use serde_json::Value;
use wfctl::model::{AuditRecord, SET_VARIABLES_UNIT, WORK_BASKET_CHANGE_UNIT};

use super::render::time;
use super::run::ensure_exists;
use crate::cli::Context;
use crate::cli::runtime::open_store;

#[derive(Debug, Serialize)]
pub(super) struct Entry<'a> {
    pub(super) seq: u64,
    pub(super) key: String,
    pub(super) unit: &'a str,
    pub(super) time: String,
    #[serde(serialize_with = "wfctl::conventions::empty_as_null")]
    pub(super) exec_path: &'a str,
    pub(super) outcome: String,
    pub(super) document: Value,
}

/// The exec path that ran `unit` in this record, and what came of it.
fn path_and_outcome(record: &AuditRecord) -> (&str, String) {
    let doc = &record.document;
    let pended = doc.exec_path(&doc.pend_exec_path);
    match record.unit.as_str() {
        WORK_BASKET_CHANGE_UNIT => {
            let (name, basket) =
                pended.map_or(("", ""), |p| (p.name.as_str(), p.pend_workbasket.as_str()));
            return (name, format!("moved to {basket}"));
        }
        SET_VARIABLES_UNIT => return ("", "variables set".to_owned()),
        _ => {}
    }
    let path = doc
        .exec_paths
        .iter()
        .filter(|p| p.step == record.unit)
        .max_by_key(|p| p.unit_response_type.is_some());
    let Some(path) = path else {
        // a route's path has moved on to the branch's first step: its record keeps the branches
        let outcome = match &doc.branches {
            Some(branches) => format!("route → {}", branches.join(", ")),
            None if doc.is_complete => "completed".to_owned(),
            None => String::new(),
        };
        return ("", outcome);
    };
    let mut outcome = path
        .unit_response_type
        .map_or("started", |r| r.as_str())
        .to_owned();
    if !path.pend_workbasket.is_empty() {
        outcome = format!("{outcome} in {}", path.pend_workbasket);
    }
    if !path.pend_error.message.is_empty() {
        outcome = format!("{outcome}: {}", path.pend_error.message);
    }
    if let Some(branches) = &doc.branches {
        outcome = format!("{outcome} → {}", branches.join(", "));
    }
    (path.name.as_str(), outcome)
}

/// The entry of one audit record.
pub(super) fn entry(r: &AuditRecord) -> Entry<'_> {
    let (exec_path, outcome) = path_and_outcome(r);
    Entry {
        seq: r.seq,
        key: r.key(),
        unit: &r.unit,
        time: time(r.document.ts),
        exec_path,
        outcome,
        document: r.document.to_document(),
    }
}

pub(super) fn run(ctx: &Context, case_id: &str, reveal: bool) -> anyhow::Result<()> {
    let opened = open_store(ctx)?;
    let sensitive = crate::cli::runtime::sensitive(ctx)?;
    let sealed = wfctl::crypto::Sealed::new(
        opened.store(),
        &sensitive,
        crate::cli::runtime::view(reveal, &sensitive)?,
    );
    let store: &dyn wfctl::store::Store = &sealed;
    ensure_exists(store, case_id)?;
    let records = store.audit_records(case_id)?;
    let entries: Vec<Entry<'_>> = records.iter().map(entry).collect();
    let out = &ctx.output;
    if out.json() {
        out.print_json(&serde_json::json!({ "case_id": case_id, "entries": entries }))?;
        return Ok(());
    }
    let mut table = out.table(["seq", "time", "unit", "exec path", "outcome"]);
    for e in &entries {
        table.add_row(vec![
            e.seq.to_string(),
            crate::cli::format::table_time_of(&e.time),
            e.unit.to_owned(),
            e.exec_path.to_owned(),
            e.outcome.clone(),
        ]);
    }
    out.print_table(&table)?;
    Ok(())
}
