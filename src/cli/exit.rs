//! The one exit point: an error chain becomes one line on stderr and an exit code.

use std::io::Write as _;
use std::process::ExitCode;

use wfctl::{config, db};

use super::Output;

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
pub(crate) fn usage_error(error: &clap::Error, json: bool) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = error.print();
        // a closed stdout (`wfctl --help | head -0`) is not an error
        return ExitCode::SUCCESS;
    }
    let text = error.render().to_string();
    let first = text.lines().next().unwrap_or("error: invalid usage");
    if json {
        let message = first.strip_prefix("error: ").unwrap_or(first);
        print_json_error(USAGE, message);
    }
    if error.kind() == ErrorKind::ValueValidation {
        eprintln!("{first}");
    } else {
        let _ = error.print();
    }
    ExitCode::from(USAGE)
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
    let code = classify(&error);
    let line = format!("{error:#}");
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
