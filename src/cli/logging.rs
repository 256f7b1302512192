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
            if let Some(bad) = unreadable_directive(&filters) {
                // env_logger takes any text as a module name: say so rather than log nothing
                eprintln!(
                    "warning: {FILTER_VAR}: {bad:?} is not a level or module[=level] (e.g. debug, wfctl=trace,r2d2=warn)"
                );
            }
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

/// The first directive of a `WFCTL_LOG` filter that names no level and no module path
/// (`garbage[[[`); the text after `/` is a regular expression and not checked.
fn unreadable_directive(filters: &str) -> Option<&str> {
    let directives = filters.split('/').next().unwrap_or_default();
    directives
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .find(|d| {
            let (module, level) = d.split_once('=').unwrap_or((d, "info"));
            let module_ok = module
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
            let level_ok = level.parse::<log::LevelFilter>().is_ok();
            !(module_ok && level_ok)
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_filter_that_names_nothing_is_found() {
        assert_eq!(
            super::unreadable_directive("garbage[[["),
            Some("garbage[[[")
        );
        assert_eq!(
            super::unreadable_directive("wfctl=loud"),
            Some("wfctl=loud")
        );
        assert_eq!(super::unreadable_directive("debug,wfctl::db=trace"), None);
        assert_eq!(super::unreadable_directive("info/some.*regex["), None);
    }
}
