//! The ordering rules of `tests/conformance/README.md` ("Ordering rules"): a native port of
//! `check.py`'s `compare`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

/// Canonical text of a record (keys sorted, as `json.dumps(sort_keys=True)`).
fn canon(record: &Value) -> String {
    // serde_json's map is ordered by key, so this is already canonical
    record.to_string()
}

fn kind(record: &Value) -> &str {
    record.get("kind").and_then(Value::as_str).unwrap_or("")
}

/// What a record contributes to the per-exec-path multiset (the records of a run, order aside,
/// must be the expected ones): an event counts as its separate upstream lines; `resume_call`
/// counts nothing.
fn multiset_items(record: &Value) -> Vec<String> {
    match kind(record) {
        "resume_call" => Vec::new(),
        "event" => {
            let field = |k: &str| record.get(k).cloned().unwrap_or(Value::Null);
            let mut items = vec![
                canon(
                    &json!({"kind": "event", "event": field("event"), "component": field("component"), "workbasket": field("workbasket")}),
                ),
                canon(
                    &json!({"kind": "event_handler", "event": field("event"), "pend_at_same_step": field("pend_at_same_step")}),
                ),
            ];
            if let Some(ticket) = record.get("ticket") {
                items.push(canon(&json!({"kind": "event_ticket", "ticket": ticket})));
            }
            items
        }
        _ => vec![canon(record)],
    }
}

fn case_level_view(record: &Value) -> Value {
    if kind(record) != "event" {
        return record.clone();
    }
    let mut view = json!({
        "kind": "event",
        "event": record.get("event").cloned().unwrap_or(Value::Null),
        "pend_at_same_step": record.get("pend_at_same_step").cloned().unwrap_or(Value::Null),
    });
    if let Some(ticket) = record.get("ticket") {
        view["ticket"] = ticket.clone();
    }
    view
}

fn show(record: Option<&Value>) -> String {
    record.map_or_else(|| "<end>".to_owned(), canon)
}

fn path_of(record: &Value) -> Option<&Value> {
    record.get("path")
}

/// Every problem found comparing `actual` with `expected` under `ordering` (empty = conforms).
pub fn compare(expected: &[Value], actual: &[Value], ordering: &str) -> Vec<String> {
    let mut problems = Vec::new();
    match ordering {
        "total" => {
            for k in 0..expected.len().max(actual.len()) {
                let (e, a) = (expected.get(k), actual.get(k));
                if e != a {
                    problems.push(format!("record {k}: expected {}, got {}", show(e), show(a)));
                    break;
                }
            }
            return problems;
        }
        "per_exec_path" => {}
        other => return vec![format!("unknown ordering {other:?}")],
    }

    // 1. multiset
    let count = |records: &[Value]| {
        let mut counts: BTreeMap<String, i64> = BTreeMap::new();
        for item in records.iter().flat_map(multiset_items) {
            *counts.entry(item).or_default() += 1;
        }
        counts
    };
    let (ce, ca) = (count(expected), count(actual));
    for (item, n) in &ce {
        let missing = n - ca.get(item).copied().unwrap_or(0);
        if missing > 0 {
            problems.push(format!("missing {missing}x {item}"));
        }
    }
    for (item, n) in &ca {
        let extra = n - ce.get(item).copied().unwrap_or(0);
        if extra > 0 {
            problems.push(format!("unexpected {extra}x {item}"));
        }
    }

    // 2. per execution path order
    let paths: BTreeSet<String> = expected
        .iter()
        .chain(actual)
        .filter_map(path_of)
        .map(canon)
        .collect();
    for p in &paths {
        let on_path = |records: &[Value]| -> Vec<Value> {
            records
                .iter()
                .filter(|r| path_of(r).map(canon).as_ref() == Some(p))
                .cloned()
                .collect()
        };
        let (se, sa) = (on_path(expected), on_path(actual));
        if se != sa {
            let list =
                |v: &[Value]| format!("[{}]", v.iter().map(canon).collect::<Vec<_>>().join(", "));
            problems.push(format!(
                "path {p}: order/content differs: expected {}, got {}",
                list(&se),
                list(&sa)
            ));
        }
    }

    // 3. case-level order
    let level = |records: &[Value]| -> Vec<Value> {
        records
            .iter()
            .filter(|r| path_of(r).is_none())
            .map(case_level_view)
            .collect()
    };
    let (le, la) = (level(expected), level(actual));
    if le != la {
        for k in 0..le.len().max(la.len()) {
            let (e, a) = (le.get(k), la.get(k));
            if e != a {
                problems.push(format!(
                    "case-level record {k}: expected {}, got {}",
                    show(e),
                    show(a)
                ));
                break;
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(step: &str, path: &str) -> Value {
        json!({"kind": "exec_task", "step": step, "component": "c", "path": path})
    }

    fn event(name: &str, component: &str, same: bool) -> Value {
        json!({"kind": "event", "event": name, "component": component, "workbasket": "", "pend_at_same_step": same})
    }

    #[test]
    fn total_ordering_reports_the_first_difference() {
        let e = [task("a", "."), task("b", ".")];
        let a = [task("a", "."), task("c", ".")];
        assert_eq!(compare(&e, &e, "total"), Vec::<String>::new());
        let p = compare(&e, &a, "total");
        assert_eq!(p.len(), 1);
        assert!(p[0].starts_with("record 1: expected"), "{p:?}");
        assert_eq!(
            compare(&e, &e[..1], "total"),
            [format!("record 1: expected {}, got <end>", canon(&e[1]))]
        );
    }

    #[test]
    fn per_path_accepts_interleavings_but_not_reordering_within_a_path() {
        let e = [task("a", ".r.1."), task("b", ".r.2."), task("c", ".r.1.")];
        let interleaved = [task("b", ".r.2."), task("a", ".r.1."), task("c", ".r.1.")];
        assert!(compare(&e, &interleaved, "per_exec_path").is_empty());
        let reordered = [task("c", ".r.1."), task("b", ".r.2."), task("a", ".r.1.")];
        assert!(!compare(&e, &reordered, "per_exec_path").is_empty());
    }

    #[test]
    fn per_path_compares_events_by_lines_and_case_level_order() {
        // which pended branch a pend names is a race: the component may differ between two
        // events as long as the lines match as a multiset
        let e = [
            event("ON_PROCESS_PEND", "x", false),
            event("ON_PROCESS_PEND", "y", true),
        ];
        let swapped = [
            event("ON_PROCESS_PEND", "y", false),
            event("ON_PROCESS_PEND", "x", true),
        ];
        assert!(compare(&e, &swapped, "per_exec_path").is_empty());
        let wrong_flag = [
            event("ON_PROCESS_PEND", "x", true),
            event("ON_PROCESS_PEND", "y", false),
        ];
        assert!(
            compare(&e, &wrong_flag, "per_exec_path")
                .iter()
                .any(|p| p.starts_with("case-level record 0"))
        );
    }
}
