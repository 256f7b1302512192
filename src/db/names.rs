//! Names in the database that several parts of wfctl must agree on: the workflow tables and
//! how an identifier is quoted into SQL.

/// The tables of the seed guide's schema (migration 1).
pub const SEED_TABLES: &[&str] = &SEED;

/// Every table of the workflow schema: the seed guide's and wfctl's own import ledger.
pub const WORKFLOW_TABLES: &[&str] = &with_ledger(SEED);

const SEED: [&str; 11] = [
    "workflow_definition",
    "workflow_info",
    "exec_path",
    "process_variable_value",
    "workflow_variables",
    "step",
    "route",
    "route_branch",
    "milestone",
    "workflow_counters",
    "audit_log",
];

const fn with_ledger(seed: [&'static str; 11]) -> [&'static str; 12] {
    let mut all = ["wfctl_import_ledger"; 12];
    let mut i = 0;
    while i < seed.len() {
        all[i] = seed[i];
        i += 1;
    }
    all
}

/// `name` as a quoted SQL identifier (doubled inner quotes), safe for any name.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_quoted_with_inner_quotes_doubled() {
        assert_eq!(quote_ident("plain"), "\"plain\"");
        assert_eq!(quote_ident(r#"my"schema"#), r#""my""schema""#);
    }

    #[test]
    fn the_workflow_tables_are_the_seed_tables_and_the_ledger() {
        assert_eq!(WORKFLOW_TABLES[..SEED_TABLES.len()], *SEED_TABLES);
        assert_eq!(WORKFLOW_TABLES.last(), Some(&"wfctl_import_ledger"));
    }
}
