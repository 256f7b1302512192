use serde_json::json;

use super::*;
use crate::model::{Milestone, Variables};

fn rich_info() -> ProcessInfo {
    let mut pended = ExecPath::started(".route_1.2.", "step_2_2");
    pended.status = PathStatus::Completed;
    pended.comp_name = "c22".into();
    pended.pend_workbasket = "wb_err".into();
    pended.prev_pend_workbasket = "wb_1".into();
    pended.tbc_sla_workbasket = "wb_1".into();
    pended.pend_error = PendError {
        code: -7,
        message: "boom".into(),
        details: "stderr tail\nline 2".into(),
        is_retryable: true,
    };
    pended.unit_response_type = Some(ResponseType::ErrorPend);
    let mut ticketed = ExecPath::started(".route_1.1.", "step_2_1");
    ticketed.ticket = "reject".into();
    ticketed.unit_response_type = Some(ResponseType::OkProceed);
    let mut odd_error = ExecPath::started(".route_1.3.", "step_2_3");
    odd_error.pend_error = PendError::new(0, "", "only details");
    let variables: Variables = [
        Variable::new("s", VarValue::String(String::new())),
        Variable::new("b", VarValue::Boolean(false)),
        Variable::new("l", VarValue::Long(i64::MIN)),
        Variable::new("i", VarValue::Integer(i32::MAX)),
        Variable::new("o", VarValue::Object(json!({"k": [1, 2.5, null, "x"]}))),
        Variable::new(
            "lo",
            VarValue::ListOfObject(vec![json!({"a": 1}), json!(3)]),
        ),
        Variable::new("ls", VarValue::ListOfString(vec!["a".into(), "ü".into()])),
        Variable::new("lb", VarValue::ListOfBoolean(vec![true])),
        Variable::new("li", VarValue::ListOfInteger(vec![-1, 2])),
        Variable::new("ll", VarValue::ListOfLong(vec![i64::MAX])),
    ]
    .into_iter()
    .collect();
    ProcessInfo {
        last_executed_step: "step_2_2".into(),
        last_executed_comp_name: "c22".into(),
        pend_exec_path: ".route_1.2.".into(),
        ts: 1_795_481_618_378,
        is_complete: false,
        process_variables: variables,
        exec_paths: vec![
            ExecPath::started(".", "route_1"),
            ticketed,
            pended,
            odd_error,
        ],
        ticket: "reject".into(),
        branches: Some(vec!["1".into(), "2".into()]),
        is_pend_at_same_step: true,
        ticket_urt: Some(ResponseType::OkPend),
        last_pend_workbasket: "wb_1".into(),
        last_pend_step: "step_1".into(),
    }
}

#[test]
fn process_info_round_trips_through_rows() {
    let info = rich_info();
    let rows = info_rows("42", Some("j"), &info).unwrap();
    assert_eq!(rows.info.hibid, "workflow_process_info-42");
    assert_eq!(rows.info.pend_exec_path.as_deref(), Some(".route_1.2."));
    let mut paths = rows.exec_paths.clone();
    paths.reverse();
    let back = process_info_from_rows(rows.info, paths, rows.variables).unwrap();
    assert_eq!(back, info);
}

#[test]
fn rows_follow_the_column_conventions() {
    let rows = info_rows("42", None, &rich_info()).unwrap();
    let pended = &rows.exec_paths[2];
    assert_eq!(pended.status.as_deref(), Some("completed"));
    assert_eq!(pended.unit_response_type.as_deref(), Some("error_pend"));
    assert_eq!(pended.error_code, Some(-7));
    assert_eq!(pended.error_details.as_deref(), Some("stderr tail\nline 2"));
    let root = &rows.exec_paths[0];
    assert_eq!(
        (
            root.error_code,
            &root.pend_workbasket,
            &root.unit_response_type
        ),
        (None, &None, &None),
        "no error, no basket, no response: NULL"
    );
    let json = rows.variables.iter().find(|v| v.name == "o").unwrap();
    assert_eq!(json.value_json, Some(json!({"k": [1, 2.5, null, "x"]})));
    let int = rows.variables.iter().find(|v| v.name == "i").unwrap();
    assert_eq!(
        (int.kind.as_deref(), int.value_long),
        (Some("integer"), Some(2_147_483_647))
    );
}

#[test]
fn an_error_code_beyond_the_column_is_refused_not_truncated() {
    let mut info = rich_info();
    info.exec_paths[0].pend_error = PendError::new(1 << 40, "big", "");
    let err = info_rows("42", None, &info).unwrap_err();
    assert!(matches!(err, Error::Unstorable { .. }), "{err}");
}

fn queued(name: &str, basket: &str, kind: MilestoneType) -> QueuedMilestone {
    let milestone = Milestone::from_value(&json!({
        "name": name, "setup_on": "work_basket_entry",
        "type": if kind == MilestoneType::WorkBasket { "work_basket" } else { "case_level" },
        "work_basket_name": basket, "applied_at_age": "30m", "clock_starts": "immediately",
        "action": "CORR", "userdata": "u",
        "further_milestones": [{"applied_at_age": "60m", "repeat": 3}]
    }))
    .unwrap();
    QueuedMilestone {
        due_at: milestone.due_at(1_000),
        milestone,
        work_basket: Some(basket.into()),
        enqueued_at: 1_000,
    }
}

#[test]
fn milestones_round_trip_through_rows() {
    let q = queued("m1", "wb", MilestoneType::WorkBasket);
    let row = milestone_row("42", &q, ENQUEUED, None);
    assert_eq!(row.sla_minutes, Some(30));
    assert_eq!(row.milestone_type.as_deref(), Some("work_basket"));
    assert_eq!(queued_from_row(row).unwrap(), q);
}

#[test]
fn later_changes_of_a_point_apply_to_milestones_it_enqueued() {
    let a = queued("a", "wb", MilestoneType::WorkBasket);
    let b = queued("b", "wb", MilestoneType::CaseLevel);
    let c = queued("c", "other", MilestoneType::WorkBasket);
    let changes = [
        MilestoneChange::Enqueue(vec![a, b, c.clone()]),
        MilestoneChange::DequeueWorkBasket("wb".into()),
        MilestoneChange::Enqueue(vec![c]),
    ];
    let ops = milestone_ops("42", &changes, 5);
    let statuses: Vec<_> = ops
        .insert
        .iter()
        .map(|r| (r.name.as_str(), r.status.as_deref().unwrap(), r.actual_ts))
        .collect();
    assert_eq!(
        statuses,
        [
            ("a", DEQUEUED, Some(5)),
            ("b", ENQUEUED, None),
            ("c", ENQUEUED, None),
            ("c", ENQUEUED, None)
        ]
    );
    assert_eq!(ops.dequeue_baskets, ["wb"]);
    assert!(!ops.dequeue_all);
    let all = milestone_ops("42", &[MilestoneChange::DequeueAll], 5);
    assert!(all.dequeue_all && all.insert.is_empty());
}

#[test]
fn summaries_from_rows_match_summaries_from_records() {
    let info = rich_info();
    let expected = CaseSummary::new("42", "j", Some(&info));
    let path = info.exec_path(&info.pend_exec_path).unwrap();
    let row = SummaryRow {
        case_id: "42".into(),
        journey_name: Some("j".into()),
        has_info: true,
        is_complete: Some(false),
        pend_exec_path: Some(info.pend_exec_path.clone()),
        last_executed_step: Some(info.last_executed_step.clone()),
        ts: Some(info.ts),
        path_name: Some(path.name.clone()),
        pend_workbasket: Some(path.pend_workbasket.clone()),
        path_step: Some(path.step.clone()),
        cancelled: false,
    };
    assert_eq!(summary_from_row(row.clone()), expected);
    // a cancelled case keeps where it was pended, with its own status
    let cancelled = SummaryRow {
        cancelled: true,
        ..row.clone()
    };
    assert_eq!(
        summary_from_row(cancelled),
        expected.clone().cancelled_if(true)
    );
    let fresh = SummaryRow {
        has_info: false,
        is_complete: None,
        pend_exec_path: None,
        last_executed_step: None,
        ts: None,
        path_name: None,
        pend_workbasket: None,
        path_step: None,
        ..row
    };
    assert_eq!(summary_from_row(fresh), CaseSummary::new("42", "j", None));
}

#[test]
fn case_rows_carry_the_counter_and_start_time() {
    let journey = JourneyRecord::parse(
        r#"{"journey": {"name": "j", "flow": [
            {"name": "start", "component": "c", "next": "r"},
            {"name": "r", "type": "s_route", "component": "rc",
             "branches": [{"name": "yes", "next": "end"}, {"name": "no", "next": "start"}]}]}}"#,
    )
    .unwrap();
    let info = rich_info();
    let audits: Vec<AuditRecord> = (1..=3)
        .map(|seq| {
            let mut document = info.clone();
            document.ts = 100 + seq as i64;
            AuditRecord {
                case_id: "42".into(),
                seq,
                unit: "start".into(),
                document,
            }
        })
        .collect();
    let rows = rows_for_case("42", &journey, None, Some(&info), &audits, &[]).unwrap();
    assert_eq!(
        rows.counter,
        Some(CounterRow {
            name: "workflow_audit_log_counter-42".into(),
            value: 3
        })
    );
    assert_eq!(rows.definition.definition.ts, Some(101));
    assert_eq!(rows.info.unwrap().info.started_ts, Some(101));
    assert_eq!(rows.definition.steps.len(), 2);
    assert_eq!(rows.definition.routes.len(), 1);
    assert_eq!(rows.definition.routes[0].branches.len(), 2);
    assert_eq!(rows.audits[2].sequence, 3);
}
