//! The one exit point: an error chain becomes one line on stderr and an exit code.

use std::io::Write as _;
use std::process::ExitCode;

use wfctl::{config, db};

use super::Output;
use super::output::error_line;

/// An explicit exit status, for outcomes that are not failures of the program (a check found
/// problems: 3) or that carry their own code. The message, if any, is printed as the error.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub(crate) struct Exit {
    pub(crate) code: u8,
    pub(crate) message: String,
}

impl Exit {
    /// Exit with `code`, printing `message` as the error line (empty: print nothing).
    pub(crate) fn new(code: u8, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

pub(crate) const USAGE: u8 = 2;
pub(crate) const PARTIAL: u8 = 3;
pub(crate) const UNAVAILABLE: u8 = 69;
pub(crate) const TEMPFAIL: u8 = 75;
pub(crate) const CONFIG: u8 = 78;

/// A command line that does not parse: one line (a value that does not parse says why), or
/// clap's usage hint; help and version print as usual. Under `--json` the error is also a JSON
/// object on stdout.
/// Whether clap's "error" is the help or version text asked for.
pub(crate) fn is_help(error: &clap::Error) -> bool {
    use clap::error::ErrorKind;
    matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    )
}

/// clap's error as the one line wfctl prints, without its `error: ` prefix.
pub(crate) fn usage_line(error: &clap::Error) -> String {
    let line = usage_error_line(error);
    line.strip_prefix("error: ").unwrap_or(&line).to_string()
}

/// The one line of a usage error, `error: ` included. A command run without its subcommand
/// (`wfctl`, `wfctl case`) is a usage error too, not a request for help: clap renders the
/// help for it, from which only the command's name is kept.
fn usage_error_line(error: &clap::Error) -> String {
    let text = error.render().to_string();
    if error.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        let command = usage_command(&text).unwrap_or_else(|| "wfctl".to_owned());
        return format!(
            "error: '{command}' requires a subcommand but one was not provided (see '{command} --help')"
        );
    }
    one_line_usage(&text)
}

pub(crate) fn usage_error(error: &clap::Error, json: bool) -> ExitCode {
    if is_help(error) {
        let _ = error.print();
        // a closed stdout (`wfctl --help | head -0`) is not an error
        return ExitCode::SUCCESS;
    }
    let line = usage_error_line(error);
    if json {
        let message = line.strip_prefix("error: ").unwrap_or(&line);
        print_json_error(USAGE, message);
    }
    eprintln!("{line}");
    ExitCode::from(USAGE)
}

/// clap's usage block as one line: its error, then its tip or where the command's help is
/// (`see 'wfctl case list --help'`). The usage line itself is left out: clap writes into it
/// every option some rule requires, as if each were always required.
fn one_line_usage(text: &str) -> String {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let mut first = lines.next().unwrap_or("error: invalid usage").to_owned();
    let rest: Vec<&str> = lines.collect();
    // the lines that continue the error before the tip or usage: the missing arguments
    // (`<CASE_ID>`) and the valid values (`[possible values: a, b]`) belong to the one line
    for more in rest.iter().take_while(|l| !is_usage_tail(l)) {
        first.push(' ');
        first.push_str(more);
    }
    let tip = rest
        .iter()
        .find_map(|l| l.strip_prefix("tip: "))
        .map(str::to_owned);
    let command = usage_command(text);
    match (tip, command) {
        (Some(tip), Some(command)) => format!("{first} ({tip}; see '{command} --help')"),
        (Some(tip), None) => format!("{first} ({tip})"),
        (None, Some(command)) => format!("{first} (see '{command} --help')"),
        (None, None) => first,
    }
}

/// Where clap's rendered error turns from the error itself to advice or usage.
fn is_usage_tail(line: &str) -> bool {
    line.starts_with("tip: ")
        || line.starts_with("Usage: ")
        || line.starts_with("For more information")
}

/// The command named by a rendered error's or help's `Usage:` line (`wfctl case list`).
fn usage_command(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("Usage: "))
        .map(|usage| {
            usage
                .split_whitespace()
                .take_while(|w| !w.starts_with(['-', '[', '<']))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|c| !c.is_empty())
}

/// An error found before the arguments parsed: one line on stderr (and the JSON object under
/// `--json`) with `code`.
pub(crate) fn early_error(code: u8, message: &str, json: bool) -> ExitCode {
    if json {
        print_json_error(code, message);
    }
    eprintln!("error: {message}");
    ExitCode::from(code)
}

/// `{"error": {"code": N, "message": "..."}}` on stdout, what `--json` callers read.
fn print_json_error(code: u8, message: &str) {
    let doc = serde_json::json!({ "error": { "code": code, "message": message } });
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{doc}");
}

/// Prints the error (if any) and picks the exit code.
pub(crate) fn finish(result: anyhow::Result<()>, output: &Output) -> ExitCode {
    let Err(error) = result else {
        return ExitCode::SUCCESS;
    };
    if is_broken_pipe(&error) {
        // `wfctl case list | head` is not an error.
        return ExitCode::SUCCESS;
    }
    // an explicit exit code (a check's 3) stands whatever its message quotes
    let explicit = error.chain().any(|c| c.downcast_ref::<Exit>().is_some());
    let (code, line) = match missing_schema(&error).filter(|_| !explicit) {
        Some(line) => (CONFIG, line),
        None => (classify(&error), error_line(&error)),
    };
    if output.json() {
        // one document on stdout: a check that found problems (exit 3) printed its report
        if !output.printed_json() {
            print_json_error(code, &line);
        }
    }
    if !line.is_empty() {
        output.error(&line);
        if output.verbose() > 0 {
            for cause in error.chain().skip(1) {
                output.error(&format!("  caused by: {cause}"));
            }
        }
    }
    ExitCode::from(code)
}

/// A database without wfctl's schema (never migrated, or built from the guide without wfctl's
/// additions) fails with the server's `relation ... does not exist`; the one thing to do is
/// migrate, so the line says that (exit 78: the database is not set up for wfctl). Matched on
/// the server's text (SQLSTATE 42P01 / 42703 are not exposed by diesel).
fn missing_schema(error: &anyhow::Error) -> Option<String> {
    let line = error_line(error);
    let missing = ["relation ", "column ", "function "]
        .iter()
        .find_map(|what| {
            let start = line.find(what)?;
            let rest = &line[start..];
            let end = rest.find(" does not exist")? + " does not exist".len();
            // one name between them, not a later sentence
            (!rest[..end].contains(": ")).then(|| &rest[..end])
        })?;
    Some(format!(
        "the database lacks wfctl's schema ({missing}): run `wfctl db migrate`, or `wfctl db migrate --adopt` for a database built from the guide"
    ))
}

/// The exit code for an error chain: the first cause that says what kind of failure it is.
pub(crate) fn classify(error: &anyhow::Error) -> u8 {
    for cause in error.chain() {
        if let Some(exit) = cause.downcast_ref::<Exit>() {
            return exit.code;
        }
        if cause.downcast_ref::<config::Error>().is_some()
            || cause.downcast_ref::<wfctl::components::Error>().is_some()
        {
            return CONFIG;
        }
        if let Some(e) = cause.downcast_ref::<wfctl::engine::Error>() {
            return match e {
                wfctl::engine::Error::Store(e) => store_code(e),
                wfctl::engine::Error::UnmappedComponents { .. } => CONFIG,
                _ => 1,
            };
        }
        if let Some(e) = cause.downcast_ref::<wfctl::store::Error>() {
            return store_code(e);
        }
        if let Some(e) = cause.downcast_ref::<db::Error>() {
            return match e {
                db::Error::InvalidUrl { .. } => CONFIG,
                db::Error::InvalidName { .. } => USAGE,
                e if e.is_unavailable() => UNAVAILABLE,
                _ => 1,
            };
        }
        if let Some(e) = cause.downcast_ref::<diesel::result::Error>()
            && db::is_connection_lost(e)
        {
            return UNAVAILABLE;
        }
    }
    1
}

/// A store failure: locked or timed out → 75, unreachable → 69.
fn store_code(error: &wfctl::store::Error) -> u8 {
    if error.is_temporary() {
        TEMPFAIL
    } else if error.is_unavailable() {
        UNAVAILABLE
    } else {
        1
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_design_table() {
        let unreachable = anyhow::Error::new(db::Error::Unreachable {
            url: "postgres://u:***@h/d".into(),
            reason: "refused".into(),
        })
        .context("checking health");
        assert_eq!(classify(&unreachable), UNAVAILABLE);
        let bad_url = anyhow::Error::new(db::Error::InvalidUrl { reason: "x".into() });
        assert_eq!(classify(&bad_url), CONFIG);
        let explicit = anyhow::Error::new(Exit::new(PARTIAL, "2 files rejected"));
        assert_eq!(classify(&explicit), PARTIAL);
        assert_eq!(classify(&anyhow::anyhow!("plain")), 1);
        let _ = (USAGE, TEMPFAIL);
    }
}
