//! The statements of a dump that the role restoring it must not run, taken out of the SQL
//! stream on its way to psql: the role that owns a database can restore its data, but not
//! create an extension only a superuser may create, nor comment on an extension it does not
//! own, nor create a schema the target keeps (one holding an extension's objects).
//!
//! Only pg_dump's own one-statement lines are matched (`CREATE EXTENSION IF NOT EXISTS x
//! WITH SCHEMA s;`, `COMMENT ON EXTENSION x IS '...';`, `CREATE SCHEMA x;`), never inside
//! COPY data.
//!
//! The whole stream is read as psql reads it (quotes, dollar quotes, comments, COPY data), so
//! a statement that would end the restore's own transaction is refused wherever it starts:
//! after another statement on the same line, after a comment, after a lone `;`.

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
    server_major: u32,
    /// An incomplete line carried over from the last write.
    carry: Vec<u8>,
    in_copy: bool,
    /// Inside a left-out statement spanning lines; true while a string literal is open.
    skipping: Option<bool>,
    filtered: Filtered,
    scanner: Scanner,
    line_number: u64,
    /// Why the dump was refused (the first line psql must not run), once it was.
    refused: Option<String>,
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
            server_major: rights.server_major,
            carry: Vec::new(),
            in_copy: false,
            skipping: None,
            filtered: Filtered::default(),
            scanner: Scanner::new(),
            line_number: 0,
            refused: None,
        }
    }

    /// Writes what is left of an unterminated last line and says what was left out.
    pub fn finish(mut self) -> io::Result<Filtered> {
        if !self.carry.is_empty() {
            let line = std::mem::take(&mut self.carry);
            if self.keep(&line)? {
                self.out.write_all(&line)?;
            }
        }
        // psql runs an unterminated last statement too.
        if !self.in_copy
            && let Err(refusal) = self.scanner.line(b"\n")
        {
            return Err(self.refuse_for(refusal, b""));
        }
        Ok(self.filtered)
    }

    /// What was left out so far.
    pub fn filtered(&self) -> &Filtered {
        &self.filtered
    }

    /// Why the dump was refused, if it was: nothing after that line reached psql.
    pub fn refused(&self) -> Option<&str> {
        self.refused.as_deref()
    }

    /// Whether `line` (with its newline) goes to psql; an error when the dump must not be
    /// restored at all (a meta-command, or a statement that would end our transaction).
    fn keep(&mut self, line: &[u8]) -> io::Result<bool> {
        self.line_number += 1;
        if self.in_copy {
            if matches!(line, b"\\.\n" | b"\\.\r\n" | b"\\.") {
                self.in_copy = false;
            }
            return Ok(true);
        }
        let start = self.scanner.at_statement_start();
        let text = String::from_utf8_lossy(line);
        let text = text.trim_end();
        if start {
            // pg_dump's `\restrict KEY` guard: its key is in the file, so it protects nothing
            // here; older psql does not know it.
            if text.starts_with("\\restrict ") || text.starts_with("\\unrestrict ") {
                return Ok(false);
            }
            // pg_dump 17+ writes this setting unconditionally; older servers reject it.
            if text.starts_with("SET transaction_timeout ") && (1..17).contains(&self.server_major)
            {
                return Ok(false);
            }
            // pg_dump's own transaction around large objects: ours already holds it all.
            if text == "BEGIN;" || text == "COMMIT;" {
                return Ok(false);
            }
        }
        if let Err(refusal) = self.scanner.line(line) {
            return Err(self.refuse_for(refusal, line));
        }
        if self.scanner.take_copy_data() {
            self.in_copy = true;
        }
        if let Some(in_string) = self.skipping {
            self.skipping = statement_continues(line, in_string);
            return Ok(false);
        }
        if !start || line.first() != Some(&b'C') {
            return Ok(true);
        }
        Ok(self.keep_statement(line, text))
    }

    fn refuse_for(&mut self, refusal: Refusal, line: &[u8]) -> io::Error {
        let reason = match refusal {
            Refusal::MetaCommand(at) => {
                let command: String = String::from_utf8_lossy(&line[at..])
                    .chars()
                    .take_while(|c| !c.is_whitespace())
                    .take(20)
                    .collect();
                format!(
                    "a psql meta-command ({}), which a restore never runs",
                    escape(&command)
                )
            }
            Refusal::TransactionControl(statement) => format!(
                "a transaction-control statement ({}), which would end the restore's own \
                 transaction",
                escape(&statement)
            ),
            Refusal::ServerSide(what) => format!(
                "{}, which reaches outside the database and which pg_dump never writes",
                escape(&what)
            ),
            Refusal::BackslashQuote => "a string with a backslash before a quote, which psql \
                 splits differently when standard_conforming_strings is off"
                .to_string(),
        };
        self.refuse(format!("line {}: {reason}", self.line_number))
    }

    fn refuse(&mut self, reason: String) -> io::Error {
        let error = io::Error::new(io::ErrorKind::InvalidData, reason.clone());
        self.refused.get_or_insert(reason);
        error
    }

    /// Whether the statement starting at `line` goes to psql (the module comment's rules).
    fn keep_statement(&mut self, line: &[u8], text: &str) -> bool {
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
            if self.keep(&line)? {
                self.out.write_all(&line)?;
            }
        }
        // Kept lines go out in runs, one write per run.
        let mut run_start = 0;
        let mut at = 0;
        while let Some(len) = rest[at..].iter().position(|&b| b == b'\n') {
            let end = at + len + 1;
            if !self.keep(&rest[at..end])? {
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

/// Where the SQL scanner is, carried from line to line: what psql itself would see.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
enum Lex {
    #[default]
    Code,
    /// `'...'`; true for an `E'...'` string, where a backslash escapes.
    Quote(bool),
    Ident,
    /// `$tag$ ... $tag$` (the tag with its dollars).
    Dollar(Vec<u8>),
    /// `/* */`, nested to this depth.
    Comment(u32),
}

/// Follows the dump's SQL as psql reads it: string, identifier and dollar quotes, comments,
/// statement ends (a `CREATE FUNCTION ... BEGIN ATOMIC ... END` body is one statement), and
/// meets every backslash outside quotes, which psql would run as a meta-command.
#[derive(Debug, Default)]
struct Scanner {
    lex: Lex,
    /// No word of the current statement read yet.
    at_start: bool,
    /// The current statement begins with CREATE: BEGIN/CASE ... END nest in it.
    creating: bool,
    depth: u32,
    word: Vec<u8>,
    /// The current statement's first word and the word before the last one read (lowercase).
    first: Vec<u8>,
    previous: Vec<u8>,
    /// The current statement is `COPY ... FROM STDIN`: its data follows the line it ends on.
    copy_from_stdin: bool,
    copy_data_next: bool,
}

/// Why the scanner stops the restore.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Refusal {
    /// A backslash psql would take as a meta-command, at this byte of the line.
    MetaCommand(usize),
    /// A statement that ends or opens a transaction (ours must hold the whole dump).
    TransactionControl(String),
    /// What reaches outside the database (`COPY ... FROM PROGRAM`, `lo_import`,
    /// `pg_read_file`, ...): pg_dump never writes it, and it would run as the server's user.
    ServerSide(String),
    /// `'...\'...'`: with standard_conforming_strings off (which a dump may set where this
    /// reader cannot see it, in a function) psql ends the string elsewhere.
    BackslashQuote,
}

impl Scanner {
    fn new() -> Self {
        Self {
            at_start: true,
            ..Self::default()
        }
    }

    /// Whether the statement just ended was `COPY ... FROM STDIN` (its data starts on the
    /// next line).
    fn take_copy_data(&mut self) -> bool {
        std::mem::take(&mut self.copy_data_next)
    }

    /// Reads one line, stopping at what the restore must refuse.
    fn line(&mut self, line: &[u8]) -> Result<(), Refusal> {
        let mut i = 0;
        while i < line.len() {
            let b = line[i];
            let next = line.get(i + 1).copied();
            match &mut self.lex {
                Lex::Quote(escapes) => {
                    if b == b'\\' && *escapes {
                        i += 1;
                    } else if b == b'\\' && next == Some(b'\'') {
                        return Err(Refusal::BackslashQuote);
                    } else if b == b'\'' {
                        if next == Some(b'\'') {
                            i += 1;
                        } else {
                            self.lex = Lex::Code;
                        }
                    }
                }
                Lex::Ident => {
                    if b == b'"' {
                        self.lex = Lex::Code;
                    }
                }
                Lex::Dollar(tag) => {
                    if line[i..].starts_with(tag) {
                        i += tag.len() - 1;
                        self.lex = Lex::Code;
                    }
                }
                Lex::Comment(depth) => {
                    if b == b'*' && next == Some(b'/') {
                        *depth -= 1;
                        i += 1;
                        if *depth == 0 {
                            self.lex = Lex::Code;
                        }
                    } else if b == b'/' && next == Some(b'*') {
                        *depth += 1;
                        i += 1;
                    }
                }
                Lex::Code => {
                    if b.is_ascii_alphanumeric()
                        || b == b'_'
                        || (b == b'$' && !self.word.is_empty())
                    {
                        self.word.push(b);
                        i += 1;
                        continue;
                    }
                    let prefix = std::mem::take(&mut self.word);
                    match b {
                        b'\\' => return Err(Refusal::MetaCommand(i)),
                        b'-' if next == Some(b'-') => {
                            self.end_word(&prefix)?;
                            return Ok(());
                        }
                        b'/' if next == Some(b'*') => {
                            self.end_word(&prefix)?;
                            self.lex = Lex::Comment(1);
                            i += 1;
                        }
                        b'\'' => {
                            let escapes = prefix.eq_ignore_ascii_case(b"e");
                            if !escapes {
                                self.end_word(&prefix)?;
                            }
                            self.at_start = false;
                            self.lex = Lex::Quote(escapes);
                        }
                        b'"' => {
                            self.end_word(&prefix)?;
                            self.at_start = false;
                            self.lex = Lex::Ident;
                        }
                        b'$' => {
                            self.end_word(&prefix)?;
                            let tag_len = line[i + 1..]
                                .iter()
                                .position(|&c| !(c.is_ascii_alphanumeric() || c == b'_'));
                            match tag_len {
                                Some(n)
                                    if line[i + 1 + n] == b'$'
                                        && !line.get(i + 1).is_some_and(u8::is_ascii_digit) =>
                                {
                                    self.lex = Lex::Dollar(line[i..i + n + 2].to_vec());
                                    self.at_start = false;
                                    i += n + 1;
                                }
                                _ => self.at_start = false,
                            }
                        }
                        b';' => {
                            self.end_word(&prefix)?;
                            if self.depth == 0 {
                                self.at_start = true;
                                self.creating = false;
                                self.copy_data_next |= std::mem::take(&mut self.copy_from_stdin);
                            }
                        }
                        _ => {
                            self.end_word(&prefix)?;
                            if !b.is_ascii_whitespace() {
                                self.at_start = false;
                            }
                        }
                    }
                }
            }
            i += 1;
        }
        Ok(())
    }

    fn end_word(&mut self, word: &[u8]) -> Result<(), Refusal> {
        if word.is_empty() {
            return Ok(());
        }
        let lower = word.to_ascii_lowercase();
        if self.at_start {
            self.creating = lower == b"create";
            self.depth = 0;
            self.copy_from_stdin = false;
            self.first = lower.clone();
            if ends_transaction(&lower) {
                return Err(Refusal::TransactionControl(
                    String::from_utf8_lossy(word).into_owned(),
                ));
            }
        } else if self.first == b"prepare" && self.previous == b"prepare" && lower == b"transaction"
        {
            return Err(Refusal::TransactionControl("PREPARE TRANSACTION".into()));
        } else if self.first == b"copy" && self.previous == b"from" && lower == b"stdin" {
            self.copy_from_stdin = true;
        } else if self.first == b"copy"
            && (self.previous == b"from" || self.previous == b"to")
            && lower == b"program"
        {
            return Err(Refusal::ServerSide("COPY ... PROGRAM".into()));
        }
        if reaches_outside(&lower) {
            return Err(Refusal::ServerSide(
                String::from_utf8_lossy(word).into_owned(),
            ));
        }
        if self.creating && !self.at_start {
            if word.eq_ignore_ascii_case(b"begin") || word.eq_ignore_ascii_case(b"case") {
                self.depth += 1;
            } else if word.eq_ignore_ascii_case(b"end") {
                self.depth = self.depth.saturating_sub(1);
            }
        }
        self.previous = lower;
        self.at_start = false;
        Ok(())
    }

    /// Whether the next line starts a statement in plain SQL (not inside a quote, comment
    /// or statement).
    fn at_statement_start(&self) -> bool {
        self.lex == Lex::Code && self.at_start && self.word.is_empty()
    }
}

/// Server functions that read or write the server's files (or large objects from them): a
/// restore never calls them outside a quoted function body.
fn reaches_outside(word: &[u8]) -> bool {
    matches!(
        word,
        b"lo_import"
            | b"lo_export"
            | b"pg_read_file"
            | b"pg_read_binary_file"
            | b"pg_ls_dir"
            | b"pg_stat_file"
            | b"pg_file_write"
    )
}

/// Whether a statement starting with `first` (lowercase) ends, opens or splits a transaction
/// (wfctl's own one must hold the whole dump). `PREPARE TRANSACTION` is told by its second
/// word; `SET TRANSACTION` / `SET SESSION CHARACTERISTICS` only shape it and stay.
fn ends_transaction(first: &[u8]) -> bool {
    matches!(
        first,
        b"begin"
            | b"start"
            | b"commit"
            | b"end"
            | b"rollback"
            | b"abort"
            | b"savepoint"
            | b"release"
    )
}

/// `text` with control characters escaped, for a one-line message.
fn escape(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
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

    /// The refusal for `sql`, however it is cut into writes, or the SQL that goes to psql.
    fn refusal(sql: &str) -> Result<String, String> {
        let mut results = [1, 3, sql.len().max(1)].map(|chunk| {
            let mut out = Vec::new();
            let mut f = RestoreFilter::new(&mut out, &RestoreTargetRights::default(), &[]);
            let written = sql
                .as_bytes()
                .chunks(chunk)
                .try_for_each(|piece| f.write_all(piece));
            let refused = f.refused().map(str::to_string);
            let finished = written.and_then(|()| f.finish().map(drop));
            match (refused, finished) {
                (Some(reason), Err(_)) => Err(reason),
                // Refused in `finish` (an unterminated last line).
                (None, Err(e)) if e.kind() == io::ErrorKind::InvalidData => Err(e.to_string()),
                (None, Ok(())) => Ok(String::from_utf8(out).unwrap()),
                other => panic!("refusal and error disagree: {other:?}"),
            }
        });
        assert!(results.windows(2).all(|w| w[0] == w[1]), "{results:?}");
        std::mem::replace(&mut results[0], Ok(String::new()))
    }

    #[test]
    fn meta_commands_are_refused_with_their_line() {
        for command in [
            "\\! id > /tmp/pwned",
            "\\o /tmp/x",
            "\\copy t from '/etc/passwd'",
            "\\i /tmp/evil.sql",
            "\\set ON_ERROR_STOP 0",
            "select 'x' \\gexec",
            "SELECT 1; \\! id",
            "CREATE TABLE a (b text); -- ok\n\\! id",
        ] {
            let sql = format!("SET x = 1;\n{command}\nSELECT 2;\n");
            let reason = refusal(&sql).expect_err(command);
            assert!(reason.contains("meta-command"), "{reason}");
            let line = if command.contains('\n') { 3 } else { 2 };
            assert!(reason.starts_with(&format!("line {line}:")), "{reason}");
        }
        // Unterminated last line too.
        assert!(refusal("SELECT 1;\n\\! id").is_err());
    }

    #[test]
    fn what_reaches_outside_the_database_is_refused_with_its_line() {
        for statement in [
            "COPY early FROM PROGRAM 'id > /tmp/pwned';",
            "copy early to program 'sh';",
            "COPY (SELECT 1) TO\nPROGRAM 'x';",
            "SELECT lo_import('/etc/passwd');",
            "SELECT pg_catalog.lo_export(1, '/tmp/x');",
            "SELECT pg_read_file('/etc/shadow');",
        ] {
            let sql = format!("SET x = 1;\n{statement}\nSELECT 2;\n");
            let reason = refusal(&sql).expect_err(statement);
            // the line of the word that gives it away
            let line = 2 + statement.matches('\n').count();
            assert!(reason.starts_with(&format!("line {line}:")), "{reason}");
            assert!(reason.contains("outside the database"), "{reason}");
        }
        // pg_dump's own COPY and a function body that names them stay
        let sql = "COPY public.t (a) FROM stdin;\nprogram lo_import\n\\.\n\
            CREATE FUNCTION f() RETURNS oid LANGUAGE sql AS $$SELECT lo_import('/x')$$;\n";
        assert!(refusal(sql).is_ok());
    }

    #[test]
    fn backslashes_in_quotes_comments_and_copy_data_are_data() {
        let sql = "\\restrict abc123\n\
            SET standard_conforming_strings = on;\n\
            SELECT 'a\\b', E'it\\'s \\ ok', \"we\\ird\";\n\
            /* a \\! comment /* nested */ still \\o */ SELECT 1; -- \\! here\n\
            CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $_$SELECT '\\! x'$_$;\n\
            CREATE FUNCTION g() RETURNS text LANGUAGE plpgsql AS $body$\n\
            BEGIN\n  RETURN $$\\! x$$;\nEND\n$body$;\n\
            COPY public.t (a) FROM stdin;\n\
            back\\\\slash \\! not a command\n\
            \\.\n\
            \\unrestrict abc123\n";
        let out = refusal(sql).unwrap();
        assert!(!out.contains("restrict abc123"), "{out}");
        assert!(out.contains("back\\\\slash \\! not a command\n"), "{out}");
        assert_eq!(out.lines().count(), sql.lines().count() - 2);
    }

    #[test]
    fn transaction_control_never_reaches_psql() {
        // pg_dump's own BEGIN/COMMIT around large objects are left out.
        let out =
            refusal("BEGIN;\nSELECT pg_catalog.lo_create('16385');\nCOMMIT;\nSELECT 1;\n").unwrap();
        assert_eq!(out, "SELECT pg_catalog.lo_create('16385');\nSELECT 1;\n");
        for statement in [
            "COMMIT; select 1/0;",
            "commit work;",
            "END;",
            "ROLLBACK;",
            "abort;",
            "START TRANSACTION;",
            "PREPARE TRANSACTION 'x';",
            "COMMIT PREPARED 'x';",
            "SAVEPOINT a;",
            "  begin;",
        ] {
            let reason = refusal(&format!("SELECT 1;\n{statement}\n")).expect_err(statement);
            assert!(
                reason.starts_with("line 2: a transaction-control"),
                "{reason}"
            );
        }
        // Wherever a statement starts: after another one, a comment, a lone `;`.
        for (sql, line) in [
            ("SELECT 1;\n/* x */ COMMIT;\nSELECT 1/0;\n", 2),
            ("SELECT 1;\nCOMMIT/**/;\n", 2),
            ("CREATE TABLE early(a int); SELECT 1; COMMIT;\n", 1),
            ("SELECT 1\n;COMMIT;\n", 2),
            ("SELECT 'a''b', E'\\'', \"x;\", $q$;$q$; end;\n", 1),
            ("SELECT 1 -- ;\n; /* ; */ Rollback; \n", 2),
            ("PREPARE\n  transaction 'x';\n", 2),
            ("SELECT 1;\nCOMMIT", 2),
            // COPY data after a statement on the same line, then SQL again.
            ("SELECT 1; COPY t (a) FROM stdin;\n'\n\\.\nEND;\n", 4),
        ] {
            let reason = refusal(sql).expect_err(sql);
            assert!(
                reason.starts_with(&format!("line {line}: a transaction-control")),
                "{sql:?}: {reason}"
            );
        }
        // A string psql would end elsewhere if standard_conforming_strings were off.
        let reason = refusal("SELECT 1;\nSELECT 'a\\''; COMMIT; --';\n").unwrap_err();
        assert!(
            reason.starts_with("line 2: a string with a backslash"),
            "{reason}"
        );
        // Statements that only shape a transaction, and prepared statements, stay.
        let shaping = "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE;\n\
            PREPARE q AS SELECT 1; EXECUTE q; SELECT pg_catalog.lowrite(0, '\\x6869');\n";
        assert_eq!(refusal(shaping).unwrap(), shaping);
        // Inside bodies, strings and COPY data a COMMIT is not a statement of the dump.
        let bodies = "CREATE PROCEDURE p() LANGUAGE plpgsql AS $_$\n\
            BEGIN\nCOMMIT;\nEND;\n$_$;\n\
            CREATE PROCEDURE q() LANGUAGE plpgsql AS $tag$\nBEGIN\nCOMMIT;\nEND $tag$;\n\
            CREATE FUNCTION r() RETURNS int LANGUAGE sql\n    BEGIN ATOMIC\n\
            SELECT CASE WHEN true THEN 1 END;\n SELECT 2;\nEND;\n\
            INSERT INTO t VALUES ('a\nCOMMIT;\n');\n\
            COPY t (a) FROM stdin;\nCOMMIT;\n\\.\n";
        assert_eq!(refusal(bodies).unwrap(), bodies);
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

    #[test]
    fn a_newer_dumps_transaction_timeout_is_left_out_for_older_servers_only() {
        let dump = "SET lock_timeout = 0;\nSET transaction_timeout = 0;\nSELECT 1;\n";
        let run = |server_major| {
            let rights = RestoreTargetRights {
                server_major,
                ..RestoreTargetRights::default()
            };
            let mut out = Vec::new();
            let mut f = RestoreFilter::new(&mut out, &rights, &[]);
            f.write_all(dump.as_bytes()).unwrap();
            f.finish().unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(run(16), "SET lock_timeout = 0;\nSELECT 1;\n");
        assert_eq!(run(12), "SET lock_timeout = 0;\nSELECT 1;\n");
        assert_eq!(run(17), dump);
        assert_eq!(run(0), dump);
    }
}
