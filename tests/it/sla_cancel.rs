//! `sla run` carries out `CANCEL:CODE[:C|D]` through the engine's case cancel, on every store:
//! the code is the reason, the case refuses to run afterwards and its other milestones are
//! dequeued.

use crate::support::case_env::Env;

/// One milestone cancels the case at once; another would fall due in a day.
const CANCEL_SLA: &str = r#"{"milestones": [
  {"name": "give_up", "setup_on": "case_start", "type": "case_level",
   "applied_at_age": "0m", "clock_starts": "immediately", "action": "CANCEL:CW:C"},
  {"name": "inbox_1d", "setup_on": "work_basket_entry", "type": "work_basket",
   "work_basket_name": "inbox", "applied_at_age": "1d", "clock_starts": "immediately",
   "action": "CORR"}]}"#;

#[test]
fn a_cancel_action_cancels_the_case_with_its_code_as_the_reason() {
    for env in Env::all() {
        let who = env.name();
        env.config(
            "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nbuiltin = \"proceed\"\n",
        );
        for id in ["k1", "k2"] {
            env.start_inbox_case(id, CANCEL_SLA);
        }
        let dry = env.json(&["sla", "run", "--dry-run"], 0);
        assert!(
            dry["milestones"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["problem"].is_null()),
            "{who}: a cancel needs no program: {dry}"
        );
        let pass = env.json(&["sla", "run", "--limit", "1"], 0);
        assert_eq!(pass["fired"], 1, "{who}: {pass}");
        let cancelled_id = pass["milestones"][0]["case_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let other_id = if cancelled_id == "k1" { "k2" } else { "k1" };

        let shown = env.json(&["case", "show", &cancelled_id], 0);
        assert_eq!(shown["status"], "cancelled", "{who}: {shown}");
        assert_eq!(shown["cancelled"]["reason"], "CW:C", "{who}: {shown}");
        assert_eq!(
            shown["cancelled"]["by"], "sla run (milestone give_up)",
            "{who}: {shown}"
        );
        assert_eq!(
            shown["milestones"],
            serde_json::json!([]),
            "{who}: the day's milestone is dequeued: {shown}"
        );
        let refused = env.run(&["case", "resume", &cancelled_id]).expect_code(1);
        assert!(
            refused.stderr.contains("CW:C"),
            "{who}: the refusal names the reason: {}",
            refused.stderr
        );
        // the other case is untouched until its own milestone is acted on
        let other = env.json(&["case", "show", other_id], 0);
        assert_eq!(other["status"], "pended", "{who}: {other}");
        assert_eq!(
            other["milestones"].as_array().unwrap().len(),
            2,
            "{who}: {other}"
        );
        // the cancelling milestone is recorded as fired once, and nothing is left for the case
        let rest = env.json(&["sla", "run"], 0);
        assert_eq!(rest["fired"], 1, "{who}: only the other case's: {rest}");
        assert_eq!(rest["milestones"][0]["case_id"], other_id, "{who}: {rest}");
        let due = env.json(&["sla", "due"], 0)["milestones"].clone();
        let fired: Vec<&str> = due
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["state"] == "fired")
            .map(|m| m["case_id"].as_str().unwrap())
            .collect();
        assert_eq!(fired.len(), 2, "{who}: {due}");
    }
}
