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

/// Longest identifier PostgreSQL keeps, in bytes (`NAMEDATALEN - 1`): the server silently
/// truncates a longer one, so a name wfctl sends (a database, a role) is refused first.
pub const MAX_IDENTIFIER_BYTES: usize = 63;

/// Why `name` (the `what` of a message, e.g. `--target-db`) cannot be sent as an identifier,
/// `None` when it can: empty, a NUL, or longer than [`MAX_IDENTIFIER_BYTES`].
pub fn identifier_problem(what: &str, name: &str) -> Option<String> {
    let quoted = crate::conventions::quoted_for_message(name);
    if name.is_empty() {
        Some(format!("{what}: the name is empty"))
    } else if name.contains('\0') {
        Some(format!("{what} {quoted}: contains a NUL character"))
    } else if name.len() > MAX_IDENTIFIER_BYTES {
        Some(format!(
            "{what} {quoted}: {} bytes, longer than the {MAX_IDENTIFIER_BYTES} bytes of a \
             PostgreSQL name (the server would truncate it)",
            name.len()
        ))
    } else {
        None
    }
}

/// `name` as a quoted SQL identifier (doubled inner quotes), safe for any name.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_postgresql_would_truncate_are_refused() {
        assert_eq!(identifier_problem("db", &"a".repeat(63)), None);
        assert!(identifier_problem("db", &"a".repeat(64)).is_some());
        // bytes, not characters
        assert!(identifier_problem("db", &"é".repeat(32)).is_some());
        assert!(identifier_problem("db", "").is_some());
    }

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
