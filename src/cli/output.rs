//! Where bytes go: data on stdout (tables or one JSON document), everything else on stderr.
//! Colour, terminal and quiet decisions are made once, here.

#![allow(
    dead_code,
    reason = "shared helpers; some are used only by commands of later issues"
)]

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use comfy_table::{ContentArrangement, Table, presets};
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
    /// Whether a JSON document went to stdout (then an error is not a second document).
    printed_json: Arc<AtomicBool>,
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
            printed_json: Arc::default(),
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

    /// Whether colours are on for stdout.
    pub(crate) fn color(&self) -> bool {
        self.color
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
        let mut out = std::io::stdout().lock();
        if self.stdout_tty {
            serde_json::to_writer_pretty(&mut out, value)?;
        } else {
            serde_json::to_writer(&mut out, value)?;
        }
        writeln!(out)
    }

    /// Prints data text on stdout.
    pub(crate) fn print(&self, text: &str) -> std::io::Result<()> {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())?;
        if !text.ends_with('\n') {
            out.write_all(b"\n")?;
        }
        Ok(())
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
        if !self.color {
            table.force_no_tty();
        }
        table.set_header(header);
        table
    }

    /// Prints a table on stdout.
    pub(crate) fn print_table(&self, table: &Table) -> std::io::Result<()> {
        self.print(&table.to_string())
    }

    /// A status message on stderr (suppressed by `-q`).
    pub(crate) fn status(&self, message: &str) {
        if !self.quiet {
            let _ = writeln!(std::io::stderr().lock(), "{message}");
        }
    }

    /// A detail shown with `-v`.
    pub(crate) fn detail(&self, message: &str) {
        if self.verbose > 0 && !self.quiet {
            let _ = writeln!(std::io::stderr().lock(), "{message}");
        }
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

    /// `text` in an ANSI colour when colours are on for stdout.
    pub(crate) fn paint(&self, text: &str, sgr: &str) -> String {
        if self.color {
            format!("\x1b[{sgr}m{text}\x1b[0m")
        } else {
            text.to_string()
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
