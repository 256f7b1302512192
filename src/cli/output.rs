//! Where bytes go: data on stdout (tables or one JSON document), everything else on stderr.
//! Colour, terminal and quiet decisions are made once, here.

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use comfy_table::{Cell, ContentArrangement, Row, Table, presets};
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
        self.to_stdout(|out| {
            if self.stdout_tty {
                serde_json::to_writer_pretty(&mut *out, value)?;
            } else {
                serde_json::to_writer(&mut *out, value)?;
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
    /// ASCII and no width limit in a pipe.
    pub(crate) fn table<I, S>(&self, header: I) -> Table
    where
        I: IntoIterator<Item = S>,
        S: Into<comfy_table::Cell>,
    {
        let mut table = Table::new();
        if self.stdout_tty {
            table
                .load_style(presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic);
        } else {
            table
                .load_style(presets::ASCII_MARKDOWN)
                .set_content_arrangement(ContentArrangement::Disabled);
        }
        // colours are painted into the cells' text; a terminal keeps its width without them
        if !self.color && !self.stdout_tty {
            table.force_no_tty();
        }
        table.set_header(header);
        table
    }

    /// Prints a table on stdout. Stored text (case ids, step and basket names, variable
    /// values, error messages) cannot break a row or reach the terminal as a control sequence:
    /// every cell is escaped, except the colours and line breaks wfctl composed itself. On a
    /// terminal the table is fitted so that no word is broken.
    pub(crate) fn print_table(&self, table: &Table) -> std::io::Result<()> {
        let mut safe = table.clone();
        let composed = self.composed.lock().unwrap_or_else(PoisonError::into_inner);
        let escape_row = |row: &Row| -> Row {
            let cells: Vec<Cell> = row
                .cell_iter()
                .map(|cell| {
                    let text = cell.content();
                    if composed.contains(&text) {
                        return cell.clone();
                    }
                    match escape_control(&text) {
                        Cow::Borrowed(_) => cell.clone(),
                        Cow::Owned(escaped) => Cell::new(escaped),
                    }
                })
                .collect();
            Row::from(cells)
        };
        if let Some(header) = table.header() {
            safe.set_header(escape_row(header));
        }
        for row in safe.row_iter_mut() {
            *row = escape_row(row);
        }
        drop(composed);
        match super::table_fit::fit(&safe) {
            Some(fitted) => self.print(&fitted.to_string()),
            None => self.print(&safe.to_string()),
        }
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
            let _ = writeln!(std::io::stderr().lock(), "{message}");
        }
    }

    /// A detail shown with `-v`: an info line of the logger (`WFCTL_LOG` filters it too).
    pub(crate) fn detail(&self, message: &str) {
        log::info!("{message}");
    }

    /// A warning on stderr (`-q` means errors only).
    pub(crate) fn warn(&self, message: &str) {
        if !self.quiet {
            let prefix = self.paint_err("warning:", "33");
            let _ = writeln!(std::io::stderr().lock(), "{prefix} {message}");
        }
    }

    /// An error line on stderr (always shown).
    pub(crate) fn error(&self, message: &str) {
        let prefix = self.paint_err("error:", "31;1");
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

/// `text` with every character that could change how a line is shown (newline, ESC, other
/// controls, bidirectional overrides) written as an escape: `\n`, `\t`, `\r`, `\u{1b}`.
pub(crate) fn escape_control(text: &str) -> Cow<'_, str> {
    if !text.chars().any(wfctl::model::is_unprintable) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if wfctl::model::is_unprintable(c) => {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
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
}
