//! Levelled logs on stderr through the `log` facade: `-v` shows wfctl's info lines, `-vv` its
//! debug lines, `-vvv` everything of every crate; `WFCTL_LOG` takes `RUST_LOG`-style filters
//! (`debug`, `wfctl=trace,r2d2=warn`) and wins over `-v`. Data never goes here: stdout is data.

use std::io::Write;

use super::GlobalArgs;

/// The variable with the log filter.
pub(crate) const FILTER_VAR: &str = "WFCTL_LOG";

/// Installs the logger once, before any command runs.
pub(crate) fn init(global: &GlobalArgs) {
    let mut builder = env_logger::Builder::new();
    builder
        .target(env_logger::Target::Stderr)
        .format(|buf, record| {
            writeln!(
                buf,
                "{}: {}",
                record.level().as_str().to_ascii_lowercase(),
                record.args()
            )
        });
    // WFCTL_LOG replaces the -v levels rather than adding to them: its `info` must not be
    // outranked by a more specific `wfctl=off` from a run without -v
    match std::env::var(FILTER_VAR) {
        Ok(filters) => {
            builder.parse_filters(&filters);
        }
        Err(_) => {
            let level = match (global.quiet, global.verbose) {
                (true, _) | (false, 0) => log::LevelFilter::Off,
                (false, 1) => log::LevelFilter::Info,
                (false, 2) => log::LevelFilter::Debug,
                (false, _) => log::LevelFilter::Trace,
            };
            if global.verbose >= 3 {
                builder.filter_level(level);
            } else {
                builder.filter_module("wfctl", level);
            }
        }
    }
    // a second init (tests calling main twice) keeps the first logger
    let _ = builder.try_init();
}
