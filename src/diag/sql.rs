//! Small helpers for building the few statements whose identifiers come from the catalog
//! (the schema pg_stat_statements lives in, its column names).

/// `name` as a quoted SQL identifier.
pub(crate) use crate::db::names::quote_ident as ident;

/// Replaces `{key}` placeholders of an SQL template. Values are built by this module's
/// callers from catalog names passed through [`ident`], never from user input.
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut sql = template.to_string();
    for (key, value) in values {
        sql = sql.replace(&format!("{{{key}}}"), value);
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            fill("SELECT {a} FROM {b}", &[("a", "x"), ("b", "y")]),
            "SELECT x FROM y"
        );
    }
}
