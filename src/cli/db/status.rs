//! `wfctl db status`: which migrations are applied and which are pending.

use wfctl::db::migrate;

use crate::cli::Context;

pub(super) fn run(ctx: &Context) -> anyhow::Result<()> {
    let mut conn = ctx.connect()?;
    let states = migrate::status(&mut conn)?;
    let out = &ctx.output;
    if out.json() {
        let migrations: Vec<_> = states
            .iter()
            .map(|m| {
                serde_json::json!({
                    "version": m.version,
                    "name": m.name,
                    "applied": m.applied,
                    // diesel records the time without a zone; the server writes it in UTC
                    "run_on": m.run_on.map(|t| crate::cli::format::json_time(t.and_utc())),
                })
            })
            .collect();
        return Ok(out.print_json(&serde_json::json!({ "migrations": migrations }))?);
    }
    let mut table = out.table(["version", "name", "state", "applied at"]);
    for m in &states {
        let state = if m.applied {
            out.paint("applied", "32")
        } else {
            out.paint("pending", "33")
        };
        table.add_row([
            m.version.clone(),
            m.name.clone(),
            state,
            m.run_on
                .map(|t| crate::cli::format::table_time(t.and_utc()))
                .unwrap_or_default(),
        ]);
    }
    out.print_table(&table)?;
    let pending = states.iter().filter(|m| !m.applied).count();
    if pending > 0 {
        let advice = super::migrate::advice(&mut conn, 0)?;
        out.status(&format!("{pending} pending: {advice}"));
    }
    Ok(())
}
