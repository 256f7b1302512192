//! The statements of a dump that the role restoring it must not run, taken out of the SQL
//! stream on its way to psql: the role that owns a database can restore its data, but not
//! create an extension only a superuser may create, nor comment on an extension it does not
//! own, nor create a schema the target keeps (one holding an extension's objects).
//!
//! Only pg_dump's own one-statement lines are matched (`CREATE EXTENSION IF NOT EXISTS x
//! WITH SCHEMA s;`, `COMMENT ON EXTENSION x IS '...';`, `CREATE SCHEMA x;`), never inside
//! COPY data.

use std::collections::BTreeSet;
use std::io::{self, Write};

use super::server::RestoreTargetRights;

/// What was left out of a restore, for its report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filtered {
    /// Extensions of the backup the role may not create here (not restored).
    pub not_created: Vec<String>,
    /// Extensions of the backup already installed in the target (kept as they are).
    pub kept: Vec<String>,
}

/// A `Write` that forwards SQL, leaving out the statements described in the module comment.
pub struct RestoreFilter<W: Write> {
    out: W,
    installed: BTreeSet<String>,
    creatable: BTreeSet<String>,
    kept_schemas: BTreeSet<String>,
    /// An incomplete line carried over from the last write.
    carry: Vec<u8>,
    in_copy: bool,
    /// Inside a left-out statement spanning lines; true while a string literal is open.
    skipping: Option<bool>,
    filtered: Filtered,
}

impl<W: Write> RestoreFilter<W> {
    /// A filter for a target with these rights; `kept_schemas` are the schemas that will
    /// still exist when the dump's SQL runs.
    pub fn new(out: W, rights: &RestoreTargetRights, kept_schemas: &[String]) -> Self {
        Self {
            out,
            installed: rights.installed.iter().cloned().collect(),
            creatable: rights.creatable.iter().cloned().collect(),
            kept_schemas: kept_schemas.iter().cloned().collect(),
            carry: Vec::new(),
            in_copy: false,
            skipping: None,
            filtered: Filtered::default(),
        }
    }

    /// Writes what is left of an unterminated last line and says what was left out.
    pub fn finish(mut self) -> io::Result<Filtered> {
        if !self.carry.is_empty() {
            let line = std::mem::take(&mut self.carry);
            if self.keep(&line) {
                self.out.write_all(&line)?;
            }
        }
        Ok(self.filtered)
    }

    /// What was left out so far.
    pub fn filtered(&self) -> &Filtered {
        &self.filtered
    }

    /// Whether `line` (with its newline) goes to psql.
    fn keep(&mut self, line: &[u8]) -> bool {
        if self.in_copy {
            if matches!(line, b"\\.\n" | b"\\.\r\n" | b"\\.") {
                self.in_copy = false;
            }
            return true;
        }
        if let Some(in_string) = self.skipping {
            self.skipping = statement_continues(line, in_string);
            return false;
        }
        if line.first() != Some(&b'C') {
            return true;
        }
        let text = String::from_utf8_lossy(line);
        let text = text.trim_end();
        if text.starts_with("COPY ") && text.ends_with(" FROM stdin;") {
            self.in_copy = true;
            return true;
        }
        if let Some(rest) = text.strip_prefix("CREATE EXTENSION IF NOT EXISTS ") {
            let Some((name, _)) = identifier(rest) else {
                return true;
            };
            if self.installed.contains(&name) {
                self.filtered.kept.push(name);
                return false;
            }
            if !self.creatable.contains(&name) {
                self.filtered.not_created.push(name);
                return false;
            }
            return true;
        }
        if let Some(rest) = text.strip_prefix("COMMENT ON EXTENSION ") {
            let Some((name, _)) = identifier(rest) else {
                return true;
            };
            if self.installed.contains(&name) || self.filtered.not_created.contains(&name) {
                self.skipping = statement_continues(line, false);
                return false;
            }
            return true;
        }
        match text.strip_prefix("CREATE SCHEMA ").and_then(identifier) {
            Some((name, ";")) => !self.kept_schemas.contains(&name),
            _ => true,
        }
    }
}

impl<W: Write> Write for RestoreFilter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut rest = buf;
        if !self.carry.is_empty() {
            let Some(end) = rest.iter().position(|&b| b == b'\n') else {
                self.carry.extend_from_slice(rest);
                return Ok(buf.len());
            };
            self.carry.extend_from_slice(&rest[..=end]);
            rest = &rest[end + 1..];
            let line = std::mem::take(&mut self.carry);
            if self.keep(&line) {
                self.out.write_all(&line)?;
            }
        }
        // Kept lines go out in runs, one write per run.
        let mut run_start = 0;
        let mut at = 0;
        while let Some(len) = rest[at..].iter().position(|&b| b == b'\n') {
            let end = at + len + 1;
            if !self.keep(&rest[at..end]) {
                self.out.write_all(&rest[run_start..at])?;
                run_start = end;
            }
            at = end;
        }
        self.out.write_all(&rest[run_start..at])?;
        self.carry.extend_from_slice(&rest[at..]);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// After `line` of a left-out statement, whether it goes on (`Some(a string is open)`).
fn statement_continues(line: &[u8], mut in_string: bool) -> Option<bool> {
    for &b in line {
        if b == b'\'' {
            in_string = !in_string;
        }
    }
    let ended = !in_string && line.trim_ascii_end().ends_with(b";");
    (!ended).then_some(in_string)
}

/// The identifier at the start of `text` (unquoted as PostgreSQL folds it, or "quoted"),
/// and what follows it.
fn identifier(text: &str) -> Option<(String, &str)> {
    if let Some(quoted) = text.strip_prefix('"') {
        let mut name = String::new();
        let mut chars = quoted.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == '"' {
                if chars.peek().map(|&(_, c)| c) == Some('"') {
                    chars.next();
                    name.push('"');
                    continue;
                }
                return Some((name, &quoted[i + 1..]));
            }
            name.push(c);
        }
        return None;
    }
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
        .unwrap_or(text.len());
    (end > 0).then(|| (text[..end].to_ascii_lowercase(), &text[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(sql: &str, chunk: usize) -> (String, Filtered) {
        let rights = RestoreTargetRights {
            installed: vec!["plpgsql".into(), "pg_trgm".into()],
            creatable: vec!["citext".into(), "plpgsql".into()],
            ..RestoreTargetRights::default()
        };
        let mut out = Vec::new();
        let mut f = RestoreFilter::new(&mut out, &rights, &["public".into(), "ext".into()]);
        for piece in sql.as_bytes().chunks(chunk) {
            f.write_all(piece).unwrap();
        }
        let filtered = f.finish().unwrap();
        (String::from_utf8(out).unwrap(), filtered)
    }

    const DUMP: &str = "SET client_encoding = 'UTF8';\n\
        CREATE SCHEMA ext;\n\
        CREATE SCHEMA app;\n\
        CREATE EXTENSION IF NOT EXISTS pg_stat_statements WITH SCHEMA public;\n\
        COMMENT ON EXTENSION pg_stat_statements IS 'track\nstatistics; of SQL';\n\
        CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA ext;\n\
        COMMENT ON EXTENSION pg_trgm IS 'trigram';\n\
        CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;\n\
        COMMENT ON EXTENSION citext IS 'case-insensitive';\n\
        COPY public.t (a) FROM stdin;\n\
        CREATE EXTENSION IF NOT EXISTS pg_stat_statements WITH SCHEMA public;\n\
        \\.\n\
        CREATE TABLE public.u (a public.citext);\n\
        -- PostgreSQL database dump complete\n";

    #[test]
    fn leaves_out_what_the_role_cannot_run_and_nothing_else() {
        let (whole, filtered) = filter(DUMP, DUMP.len());
        assert_eq!(
            whole,
            "SET client_encoding = 'UTF8';\n\
             CREATE SCHEMA app;\n\
             CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;\n\
             COMMENT ON EXTENSION citext IS 'case-insensitive';\n\
             COPY public.t (a) FROM stdin;\n\
             CREATE EXTENSION IF NOT EXISTS pg_stat_statements WITH SCHEMA public;\n\
             \\.\n\
             CREATE TABLE public.u (a public.citext);\n\
             -- PostgreSQL database dump complete\n"
        );
        assert_eq!(filtered.not_created, ["pg_stat_statements"]);
        assert_eq!(filtered.kept, ["pg_trgm"]);
        // However the stream is cut into writes.
        for chunk in [1, 2, 7, 64] {
            assert_eq!(
                filter(DUMP, chunk),
                (whole.clone(), filtered.clone()),
                "{chunk}"
            );
        }
    }

    #[test]
    fn a_last_line_without_newline_is_kept() {
        let (out, _) = filter("SELECT 1;\nSELECT 2;", 4);
        assert_eq!(out, "SELECT 1;\nSELECT 2;");
    }

    #[test]
    fn quoted_names_are_unquoted() {
        assert_eq!(
            identifier("\"My \"\"ext\"\" x\" WITH"),
            Some(("My \"ext\" x".to_string(), " WITH"))
        );
        assert_eq!(identifier("Plain;"), Some(("plain".to_string(), ";")));
        assert_eq!(identifier(";"), None);
    }
}
