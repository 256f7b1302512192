//! What a milestone's action means to `sla run`: a few act on the case through the engine, the
//! rest run the program configured under `[sla.actions."KEY"]`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::components::exec::{ExecComponent, Limits, resolve_argv};
use crate::config::SlaActionConfig;

/// How an action is carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meaning {
    /// `CHG_WB:BASKET`: move the case to that basket.
    ChangeWorkbasket(String),
    /// `RESUME` / `RETRY`: resume the case.
    Resume,
    /// `CANCEL:CODE[:C|D]`: cancel the case as `case cancel` does, with `CODE[:C|D]` (all
    /// after `CANCEL:`) as the reason.
    Cancel(String),
    /// Anything else: the configured program of the most specific key (`None`: nothing
    /// configured), with the keys looked at, most specific first.
    Program {
        /// The configured key that matched.
        key: Option<String>,
        /// The keys tried, most specific first.
        tried: Vec<String>,
    },
}

/// The keys an action is looked up by, most specific first: `CUSTOM:remind_manager:X1`,
/// `CUSTOM:remind_manager`, `CUSTOM`.
pub(crate) fn lookup_keys(action: &str) -> Vec<String> {
    let mut keys = vec![action.to_owned()];
    let mut rest = action;
    while let Some((head, _)) = rest.rsplit_once(':') {
        if !head.is_empty() {
            keys.push(head.to_owned());
        }
        rest = head;
    }
    keys.dedup();
    keys
}

/// The programs of `[sla.actions]`.
#[derive(Debug, Clone, Default)]
pub struct Actions {
    by_key: BTreeMap<String, ExecComponent>,
}

impl Actions {
    /// From the configuration; relative program paths resolve against `base_dir` (the
    /// configuration file's directory), as components do.
    pub fn from_config(entries: &BTreeMap<String, SlaActionConfig>, base_dir: &Path) -> Self {
        let by_key = entries
            .iter()
            .filter(|(_, entry)| !entry.exec.is_empty())
            .map(|(key, entry)| {
                let program = ExecComponent::new(
                    &format!("sla action {key}"),
                    resolve_argv(&entry.exec, base_dir),
                    entry.env.clone(),
                    Limits::with_timeout(entry.timeout),
                );
                (key.clone(), program)
            })
            .collect();
        Self { by_key }
    }

    /// What `action` means here.
    pub fn meaning(&self, action: &str) -> Meaning {
        if action == "RESUME" || action == "RETRY" {
            return Meaning::Resume;
        }
        if let Some(basket) = action.strip_prefix("CHG_WB:") {
            return Meaning::ChangeWorkbasket(basket.to_owned());
        }
        if let Some(code) = action.strip_prefix("CANCEL:") {
            return Meaning::Cancel(code.to_owned());
        }
        let tried = lookup_keys(action);
        let key = tried.iter().find(|k| self.by_key.contains_key(*k)).cloned();
        Meaning::Program { key, tried }
    }

    /// The program configured under `key`.
    pub fn program(&self, key: &str) -> Option<&ExecComponent> {
        self.by_key.get(key)
    }

    /// Why `action` cannot be carried out here (nothing configured runs it, or a `CANCEL`
    /// without a code); `None` when it can.
    pub fn problem(&self, action: &str) -> Option<String> {
        match self.meaning(action) {
            Meaning::Cancel(code) if code.trim().is_empty() => Some(format!(
                "action {action} has no code to cancel the case with"
            )),
            Meaning::Program { key: None, tried } => Some(format!(
                "nothing runs action {action}: configure [sla.actions.\"{}\"]",
                tried.last().unwrap_or(&tried[0])
            )),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SlaActionConfig;

    fn actions(keys: &[&str]) -> Actions {
        let entries = keys
            .iter()
            .map(|k| {
                let entry = SlaActionConfig {
                    exec: vec![format!("/bin/{k}")],
                    ..SlaActionConfig::default()
                };
                ((*k).to_owned(), entry)
            })
            .collect();
        Actions::from_config(&entries, Path::new("."))
    }

    #[test]
    fn the_most_specific_key_wins() {
        let a = actions(&["CUSTOM", "CUSTOM:remind_manager", "RAISE_INC"]);
        let key = |action: &str| match a.meaning(action) {
            Meaning::Program { key, .. } => key,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            key("CUSTOM:remind_manager:X1").as_deref(),
            Some("CUSTOM:remind_manager")
        );
        assert_eq!(key("CUSTOM:other").as_deref(), Some("CUSTOM"));
        assert_eq!(key("RAISE_INC:").as_deref(), Some("RAISE_INC"));
        assert_eq!(key("CORR:x"), None);
    }

    #[test]
    fn engine_actions_need_no_program() {
        let a = actions(&[]);
        assert_eq!(
            a.meaning("CHG_WB:supervisor"),
            Meaning::ChangeWorkbasket("supervisor".into())
        );
        assert_eq!(a.meaning("RETRY"), Meaning::Resume);
        assert_eq!(a.problem("RESUME"), None);
        assert_eq!(a.meaning("CANCEL:X1:C"), Meaning::Cancel("X1:C".into()));
        assert_eq!(a.problem("CANCEL:X1"), None);
        assert_eq!(
            a.problem("CORR:ab").as_deref(),
            Some("nothing runs action CORR:ab: configure [sla.actions.\"CORR\"]")
        );
    }
}
