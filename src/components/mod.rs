//! components: what the component names of a journey run, as configured in `wfctl.toml`
//! (`[components.NAME]`): an external program speaking the JSON protocol of
//! [`protocol`] ([`exec`]), or a builtin ([`builtin`]). [`Configured`] is the engine's
//! [`Components`] for the CLI. Knows the engine's hook types and the config; never a store.
//!
//! Every way a component can fail (cannot start, timeout, non-zero exit, killed by a signal,
//! too much output, bad JSON, an unknown response) comes back as a [`ComponentError`], which
//! the engine turns into an `error_pend` in the error work basket with the reason recorded on
//! the exec path. Nothing here panics or waits without a limit.

pub mod builtin;
pub mod exec;
pub mod protocol;

use std::collections::BTreeMap;
use std::path::Path;

use crate::config::ComponentConfig;
use crate::engine::{ComponentError, Components, RouteResponse, StepContext, TaskResponse};

pub use builtin::Builtin;
pub use exec::{ExecComponent, Limits};

/// Prefix that names a builtin directly in a journey, without configuration.
pub const BUILTIN_PREFIX: &str = "builtin:";

/// A `[components.NAME]` entry that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Both `exec` and `builtin`, or neither.
    #[error("[components.{name}]: set exactly one of `exec` and `builtin`")]
    Ambiguous {
        /// Component name.
        name: String,
    },
    /// `exec = []`.
    #[error("[components.{name}]: `exec` is empty; give the program and its arguments")]
    EmptyExec {
        /// Component name.
        name: String,
    },
    /// `builtin = "..."` names no builtin.
    #[error("[components.{name}]: unknown builtin {builtin:?} (known: {})", builtin::NAMES.join(", "))]
    UnknownBuiltin {
        /// Component name.
        name: String,
        /// The value given.
        builtin: String,
    },
    /// `timeout`/`env` given for a builtin, which runs no program.
    #[error("[components.{name}]: `{key}` applies only to `exec` components")]
    ExecOnly {
        /// Component name.
        name: String,
        /// The key.
        key: String,
    },
}

/// One mapped component.
#[derive(Debug, Clone)]
pub enum Component {
    /// An external program.
    Exec(ExecComponent),
    /// A builtin.
    Builtin(Builtin),
}

/// The variables a step's component reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reads {
    /// Every variable of the case (an exec program without `reads`).
    All,
    /// Only these.
    Only(Vec<String>),
}

impl Reads {
    /// Whether variable `name` is read.
    pub fn includes(&self, name: &str) -> bool {
        match self {
            Self::All => true,
            Self::Only(names) => names.iter().any(|n| n == name),
        }
    }
}

/// The component mapping of `wfctl.toml`.
#[derive(Debug, Clone, Default)]
pub struct Configured {
    by_name: BTreeMap<String, Component>,
    // `reads = [...]` of the exec components that declare it
    reads: BTreeMap<String, Vec<String>>,
}

impl Configured {
    /// Builds the mapping from `[components.NAME]` entries; `error_workbasket` is where an
    /// `error_pend` answer without a basket pends. Relative program paths (those
    /// containing a `/`) are resolved against `base_dir`, the configuration file's directory,
    /// so that a config works from any current directory; bare names are looked up on `PATH`.
    pub fn from_config(
        entries: &BTreeMap<String, ComponentConfig>,
        base_dir: &Path,
        error_workbasket: &str,
    ) -> Result<Self, Error> {
        let mut by_name = BTreeMap::new();
        let mut reads = BTreeMap::new();
        for (name, entry) in entries {
            let err_name = || name.clone();
            let component = match (&entry.exec, &entry.builtin) {
                (Some(argv), None) => {
                    if argv.is_empty() || argv[0].is_empty() {
                        return Err(Error::EmptyExec { name: err_name() });
                    }
                    Component::Exec(
                        ExecComponent::new(
                            name,
                            exec::resolve_argv(argv, base_dir),
                            entry.env.clone(),
                            Limits::with_timeout(entry.timeout),
                        )
                        .with_error_workbasket(error_workbasket),
                    )
                }
                (None, Some(builtin)) => {
                    for (key, given) in [
                        ("timeout", entry.timeout.is_some()),
                        ("env", !entry.env.is_empty()),
                        ("reads", entry.reads.is_some()),
                    ] {
                        if given {
                            return Err(Error::ExecOnly {
                                name: err_name(),
                                key: key.to_owned(),
                            });
                        }
                    }
                    Component::Builtin(Builtin::parse(builtin).ok_or_else(|| {
                        Error::UnknownBuiltin {
                            name: err_name(),
                            builtin: builtin.clone(),
                        }
                    })?)
                }
                _ => return Err(Error::Ambiguous { name: err_name() }),
            };
            if let (Component::Exec(_), Some(names)) = (&component, &entry.reads) {
                reads.insert(name.clone(), names.clone());
            }
            by_name.insert(name.clone(), component);
        }
        Ok(Self { by_name, reads })
    }

    /// The variables the component of step `ctx` reads: an exec program what its `reads`
    /// declares (else all: it gets them on stdin), a builtin the one it branches on (if any).
    /// An unmapped component reads nothing (it fails without running).
    pub fn reads(&self, ctx: &StepContext) -> Reads {
        match self.get(&ctx.component) {
            Some(Component::Exec(_)) => self
                .reads
                .get(&ctx.component)
                .map_or(Reads::All, |names| Reads::Only(names.clone())),
            Some(Component::Builtin(builtin)) => Reads::Only(builtin.reads(ctx)),
            None => Reads::Only(Vec::new()),
        }
    }

    /// The component a journey's component name maps to: a configured one, or a builtin named
    /// `builtin:NAME` directly.
    pub fn get(&self, name: &str) -> Option<Component> {
        if let Some(c) = self.by_name.get(name) {
            return Some(c.clone());
        }
        name.strip_prefix(BUILTIN_PREFIX)
            .and_then(Builtin::parse)
            .map(Component::Builtin)
    }

    /// The configured names.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }

    fn lookup(&self, ctx: &StepContext) -> Result<Component, ComponentError> {
        self.get(&ctx.component).ok_or_else(|| {
            ComponentError::new(format!(
                "component {:?} of step {} has no mapping in [components]",
                ctx.component, ctx.step
            ))
        })
    }
}

impl Components for Configured {
    fn task(&self, ctx: &StepContext) -> Result<TaskResponse, ComponentError> {
        match self.lookup(ctx)? {
            Component::Exec(exec) => exec.task(ctx),
            Component::Builtin(builtin) => builtin.task(ctx),
        }
    }

    fn route(&self, ctx: &StepContext) -> Result<RouteResponse, ComponentError> {
        match self.lookup(ctx)? {
            Component::Exec(exec) => exec.route(ctx),
            Component::Builtin(builtin) => builtin.route(ctx),
        }
    }

    fn unmapped(&self, names: &[&str]) -> Vec<String> {
        names
            .iter()
            .filter(|n| self.get(n).is_none())
            .map(|n| (*n).to_owned())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn entry(exec: Option<&[&str]>, builtin: Option<&str>) -> ComponentConfig {
        ComponentConfig {
            exec: exec.map(|a| a.iter().map(|s| (*s).to_owned()).collect()),
            builtin: builtin.map(str::to_owned),
            ..ComponentConfig::default()
        }
    }

    #[test]
    fn entries_need_exactly_one_kind() {
        let both = BTreeMap::from([("x".to_owned(), entry(Some(&["a"]), Some("pend")))]);
        assert_eq!(
            Configured::from_config(&both, Path::new("."), "wf_err").unwrap_err(),
            Error::Ambiguous { name: "x".into() }
        );
        let none = BTreeMap::from([("x".to_owned(), entry(None, None))]);
        assert!(Configured::from_config(&none, Path::new("."), "wf_err").is_err());
        let empty = BTreeMap::from([("x".to_owned(), entry(Some(&[]), None))]);
        assert_eq!(
            Configured::from_config(&empty, Path::new("."), "wf_err").unwrap_err(),
            Error::EmptyExec { name: "x".into() }
        );
        let unknown = BTreeMap::from([("x".to_owned(), entry(None, Some("sleep")))]);
        let text = Configured::from_config(&unknown, Path::new("."), "wf_err")
            .unwrap_err()
            .to_string();
        assert!(
            text.contains("\"sleep\"") && text.contains("route-by-variable"),
            "{text}"
        );
        let mut timed = entry(None, Some("pend"));
        timed.timeout = Some(Duration::from_secs(1));
        let timed = BTreeMap::from([("x".to_owned(), timed)]);
        assert!(matches!(
            Configured::from_config(&timed, Path::new("."), "wf_err"),
            Err(Error::ExecOnly { .. })
        ));
    }

    #[test]
    fn reads_are_declared_by_exec_components_and_known_for_builtins() {
        let mut worker = entry(Some(&["./w"]), None);
        worker.reads = Some(vec!["plain".into()]);
        let map = BTreeMap::from([
            ("worker".to_owned(), worker),
            ("all".to_owned(), entry(Some(&["./a"]), None)),
        ]);
        let c = Configured::from_config(&map, Path::new("."), "wf_err").unwrap();
        let step = |component: &str, user_data: Option<&str>| StepContext {
            case_id: "c".into(),
            journey: "j".into(),
            step: "s".into(),
            component: component.into(),
            unit_type: crate::model::UnitKind::Task,
            exec_path: ".".into(),
            user_data: user_data.map(str::to_owned),
            variables: crate::model::Variables::new(),
            pend_at_same_step: false,
            last_pend_workbasket: String::new(),
            last_pend_step: String::new(),
            idempotency_key: "k".into(),
            attempt: 1,
        };
        assert_eq!(
            c.reads(&step("worker", None)),
            Reads::Only(vec!["plain".into()])
        );
        assert_eq!(c.reads(&step("all", None)), Reads::All);
        assert_eq!(
            c.reads(&step("builtin:route-by-variable", Some("kind"))),
            Reads::Only(vec!["kind".into()])
        );
        assert_eq!(
            c.reads(&step("builtin:pend", Some("inbox"))),
            Reads::Only(vec![])
        );
        // a builtin reads what it reads: `reads` is refused for it
        let mut pend = entry(None, Some("pend"));
        pend.reads = Some(vec![]);
        let pend = BTreeMap::from([("x".to_owned(), pend)]);
        assert!(matches!(
            Configured::from_config(&pend, Path::new("."), "wf_err"),
            Err(Error::ExecOnly { key, .. }) if key == "reads"
        ));
    }

    #[test]
    fn unmapped_lists_names_without_mapping_and_accepts_builtin_prefix() {
        let map = BTreeMap::from([("review".to_owned(), entry(None, Some("pend")))]);
        let c = Configured::from_config(&map, Path::new("."), "wf_err").unwrap();
        assert_eq!(
            c.unmapped(&["review", "builtin:proceed", "score", "builtin:nope"]),
            vec!["score".to_owned(), "builtin:nope".to_owned()]
        );
    }
}
