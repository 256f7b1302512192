//! Where bytes go: data on stdout (tables or one JSON document), everything else on stderr.
//! Colour, terminal and quiet decisions are made once, here.

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use comfy_table::{Cell, ContentArrangement, presets};
use serde::Serialize;

use super::GlobalArgs;

/// `--color`
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The printer every command uses.
#[derive(Debug, Clone)]
pub(crate) struct Output {
    json: bool,
    color: bool,
    quiet: bool,
    verbose: u8,
    stdout_tty: bool,
    stderr_tty: bool,
    stderr_color: bool,
    /// Cell texts wfctl composed itself ([`Output::paint`], [`Output::lines`]): their colour
    /// codes and line breaks are kept in tables; every other control character is escaped.
    composed: Arc<Mutex<HashSet<String>>>,
    /// Whether a JSON document went to stdout (then an error is not a second document).
    printed_json: Arc<AtomicBool>,
    /// Whether stdout's reader went away (see [`Output::to_stdout`]).
    stdout_closed: Arc<AtomicBool>,
}

impl Output {
    pub(crate) fn new(global: &GlobalArgs) -> Self {
        let stdout_tty = std::io::stdout().is_terminal();
        let stderr_tty = std::io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
        let decide = |tty: bool| match global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => tty && !no_color && !dumb,
        };
        let (color, stderr_color) = (decide(stdout_tty), decide(stderr_tty));
        Self {
            json: global.json,
            color,
            quiet: global.quiet,
            verbose: global.verbose,
            stdout_tty,
            stderr_tty,
            stderr_color,
            composed: Arc::default(),
            printed_json: Arc::default(),
            stdout_closed: Arc::default(),
        }
    }

    /// Whether [`Output::print_json`] has printed a document.
    pub(crate) fn printed_json(&self) -> bool {
        self.printed_json.load(Ordering::Relaxed)
    }

    /// `--json` was given.
    pub(crate) fn json(&self) -> bool {
        self.json
    }

    /// `-q` was given.
    pub(crate) fn quiet(&self) -> bool {
        self.quiet
    }

    /// How many `-v`.
    pub(crate) fn verbose(&self) -> u8 {
        self.verbose
    }

    /// Whether a progress bar may be drawn (stderr is a terminal, not quiet, not CI).
    pub(crate) fn progress_allowed(&self) -> bool {
        self.stderr_tty
            && !self.quiet
            && std::env::var_os("CI").is_none()
            && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
    }

    /// A progress bar on stderr, or a hidden one where bars are not allowed.
    pub(crate) fn progress_bar(&self, len: Option<u64>) -> indicatif::ProgressBar {
        if !self.progress_allowed() {
            return indicatif::ProgressBar::hidden();
        }
        match len {
            Some(n) => indicatif::ProgressBar::new(n),
            None => indicatif::ProgressBar::new_spinner(),
        }
    }

    /// Prints a value as one JSON document on stdout (pretty on a terminal).
    pub(crate) fn print_json<T: Serialize + ?Sized>(&self, value: &T) -> std::io::Result<()> {
        self.printed_json.store(true, Ordering::Relaxed);
        let mut value = serde_json::to_value(value)?;
        super::format::json_times(&mut value);
        self.to_stdout(|out| {
            if self.stdout_tty {
                serde_json::to_writer_pretty(&mut *out, &value)?;
            } else {
                serde_json::to_writer(&mut *out, &value)?;
            }
            writeln!(out)
        })
    }

    /// Prints data text on stdout.
    pub(crate) fn print(&self, text: &str) -> std::io::Result<()> {
        self.to_stdout(|out| {
            out.write_all(text.as_bytes())?;
            if !text.ends_with('\n') {
                out.write_all(b"\n")?;
            }
            Ok(())
        })
    }

    /// Whether the reader of stdout closed it: a command that would go on printing (a
    /// follower) stops, exit 0.
    pub(crate) fn stdout_closed(&self) -> bool {
        self.stdout_closed.load(Ordering::Relaxed)
    }

    /// Writes on stdout. A reader that closed it (`wfctl diag all --check | head -1`) is no
    /// error and changes nothing else: the command goes on, later output is dropped, and the
    /// exit code is still the command's own (a failed check stays 3).
    fn to_stdout(
        &self,
        write: impl FnOnce(&mut std::io::StdoutLock<'static>) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        if self.stdout_closed.load(Ordering::Relaxed) {
            return Ok(());
        }
        let mut out = std::io::stdout().lock();
        match write(&mut out).and_then(|()| out.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.stdout_closed.store(true, Ordering::Relaxed);
                Ok(())
            }
            other => other,
        }
    }

    /// A table styled for where stdout goes: box drawing and wrapping on a terminal, plain
    /// ASCII and no width limit in a pipe. Its cells are escaped as they are added (see
    /// [`Table::add_row`]).
    pub(crate) fn table<I, S>(&self, header: I) -> Table
    where
        I: IntoIterator<Item = S>,
        S: std::fmt::Display,
    {
        let mut inner = comfy_table::Table::new();
        if self.stdout_tty {
            inner
                .load_style(presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic);
        } else {
            inner
                .load_style(presets::ASCII_MARKDOWN)
                .set_content_arrangement(ContentArrangement::Disabled);
        }
        // colours are painted into the cells' text; a terminal keeps its width without them
        if !self.color && !self.stdout_tty {
            inner.force_no_tty();
        }
        let mut table = Table {
            inner,
            composed: Arc::clone(&self.composed),
            markdown: !self.stdout_tty,
        };
        let header = table.cells(header);
        table.inner.set_header(header);
        table
    }

    /// Prints a table on stdout; on a terminal it is fitted so that no word is broken.
    pub(crate) fn print_table(&self, table: &Table) -> std::io::Result<()> {
        match super::table_fit::fit(&table.inner) {
            Some(fitted) => self.print(&fitted.to_string()),
            None => self.print(&table.inner.to_string()),
        }
    }

    /// How every listing ends. Rows: the table, or under `-q` only the `ids` (one per line,
    /// each once; none for a listing without ids). No rows: nothing on stdout (no header for a script to
    /// mistake for data) and `empty` on stderr, as `no cases` is.
    pub(crate) fn print_listing<S: AsRef<str>>(
        &self,
        table: &Table,
        ids: &[S],
        empty: &str,
    ) -> std::io::Result<()> {
        if table.is_empty() {
            self.status(empty);
            return Ok(());
        }
        if self.quiet {
            if ids.is_empty() {
                return Ok(());
            }
            // each id once, in the order of the rows: a case with two due milestones is one
            // case to act on
            let mut seen = std::collections::HashSet::new();
            let ids: Vec<&str> = ids
                .iter()
                .map(AsRef::as_ref)
                .filter(|id| seen.insert(*id))
                .collect();
            return self.print(&ids.join("\n"));
        }
        self.print_table(table)
    }

    /// A report's table (a check, an action's steps): what `-q` silences, since a report has no
    /// ids to list and its outcome is the exit code.
    pub(crate) fn print_report(&self, table: &Table) -> std::io::Result<()> {
        if self.quiet {
            return Ok(());
        }
        self.print_table(table)
    }

    /// A sentence of a report on stdout (a heading, a verdict, advice): silenced by `-q`.
    pub(crate) fn prose(&self, text: &str) -> std::io::Result<()> {
        if self.quiet {
            return Ok(());
        }
        self.print(text)
    }

    /// One table cell of several lines (each escaped), kept as lines by [`Output::print_table`].
    pub(crate) fn lines<I, S>(&self, lines: I) -> String
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let text = lines
            .into_iter()
            .map(|line| escape_control(line.as_ref()).into_owned())
            .collect::<Vec<_>>()
            .join("\n");
        self.compose(text)
    }

    fn compose(&self, text: String) -> String {
        self.composed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(text.clone());
        text
    }

    /// A status message on stderr (suppressed by `-q`).
    pub(crate) fn status(&self, message: &str) {
        if !self.quiet {
            let message = escape_message(message);
            let _ = writeln!(std::io::stderr().lock(), "{message}");
        }
    }

    /// A detail shown with `-v`: an info line of the logger (`WFCTL_LOG` filters it too).
    pub(crate) fn detail(&self, message: &str) {
        let message = escape_message(message);
        log::info!("{message}");
    }

    /// A warning on stderr (`-q` means errors only).
    pub(crate) fn warn(&self, message: &str) {
        if !self.quiet {
            let prefix = self.paint_err("warning:", "33");
            let message = escape_message(message);
            let _ = writeln!(std::io::stderr().lock(), "{prefix} {message}");
        }
    }

    /// An error line on stderr (always shown).
    pub(crate) fn error(&self, message: &str) {
        let prefix = self.paint_err("error:", "31;1");
        let message = escape_message(message);
        let _ = writeln!(std::io::stderr().lock(), "{prefix} {message}");
    }

    /// `text` (control characters escaped) in an ANSI colour when colours are on for stdout.
    pub(crate) fn paint(&self, text: &str, sgr: &str) -> String {
        let text = escape_control(text);
        if self.color {
            self.compose(format!("\x1b[{sgr}m{text}\x1b[0m"))
        } else {
            text.into_owned()
        }
    }

    fn paint_err(&self, text: &str, sgr: &str) -> String {
        if self.stderr_color {
            format!("\x1b[{sgr}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// A table of [`Output::table`]. Stored text (case ids, step and basket names, variable
/// values, error messages) cannot break a row, forge a column or reach the terminal as a
/// control sequence: every cell is escaped when it is added, before the table library sees
/// it, except the colours and line breaks wfctl composed itself ([`Output::paint`],
/// [`Output::lines`]). In a pipe (Markdown) a `|` in a cell is written `\|`.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    inner: comfy_table::Table,
    composed: Arc<Mutex<HashSet<String>>>,
    markdown: bool,
}

impl Table {
    /// Adds a row of cells (any text: escaped here).
    pub(crate) fn add_row<I, S>(&mut self, row: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: std::fmt::Display,
    {
        let cells = self.cells(row);
        self.inner.add_row(cells);
        self
    }

    /// Whether the table has no rows.
    pub(crate) fn is_empty(&self) -> bool {
        self.inner.row_iter().next().is_none()
    }

    fn cells<I, S>(&self, row: I) -> Vec<Cell>
    where
        I: IntoIterator<Item = S>,
        S: std::fmt::Display,
    {
        let composed = self.composed.lock().unwrap_or_else(PoisonError::into_inner);
        row.into_iter()
            .map(|text| {
                let text = text.to_string();
                let text = if composed.contains(&text) {
                    text
                } else {
                    escape_control(&text).into_owned()
                };
                if self.markdown && text.contains('|') {
                    Cell::new(text.replace('|', "\\|"))
                } else {
                    Cell::new(text)
                }
            })
            .collect()
    }
}

/// `text` with every character that could change how a line is shown escaped (the one helper
/// of table cells and of names in messages: [`wfctl::conventions::escaped_text`]).
pub(crate) fn escape_control(text: &str) -> Cow<'_, str> {
    wfctl::conventions::escaped_text(text)
}

/// A message for stderr: user-supplied text in it (case ids, file, basket and database names)
/// reaches the terminal as text, never as a control sequence. Line breaks are kept (messages
/// of several lines are composed so); every other control character is escaped as in tables.
pub(crate) fn escape_message(text: &str) -> Cow<'_, str> {
    if !text
        .split('\n')
        .any(|line| matches!(escape_control(line), Cow::Owned(_)))
    {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.split('\n')
            .map(escape_control)
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// The one line an error chain is shown as: each cause once, even when an error's own text
/// already ends with (or holds) its source's.
pub(crate) fn error_line(error: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if text.is_empty() || line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape_control("plain ünï"), "plain ünï");
        assert_eq!(
            escape_control("a\nb\x1b[31mc\u{202e}d\t"),
            "a\\nb\\u{1b}[31mc\\u{202e}d\\t"
        );
    }

    #[test]
    fn messages_keep_line_breaks_and_escape_other_controls() {
        assert_eq!(escape_message("one\ntwo"), "one\ntwo");
        assert_eq!(
            escape_message("case a\x1b[31m\x07\r\u{9b}\x7f\nnext"),
            "case a\\u{1b}[31m\\u{7}\\r\\u{9b}\\u{7f}\nnext"
        );
    }

    #[test]
    fn an_error_chain_names_each_cause_once() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "gone");
        #[derive(Debug, thiserror::Error)]
        #[error("/x: {source}")]
        struct Wrapped {
            #[source]
            source: std::io::Error,
        }
        let error = anyhow::Error::new(Wrapped { source: io }).context("reading");
        assert_eq!(error_line(&error), "reading: /x: gone");
    }
}
