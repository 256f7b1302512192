//! Cases run by the engine on the file store, pended there, imported with migrate-files and
//! resumed on PostgreSQL run to completion exactly as they do when resumed on the file store.

use wfctl::engine::{
    ComponentError, Components, Engine, OutcomeStatus, RouteResponse, StepContext, TaskResponse,
};
use wfctl::model::{JourneyRecord, Sla, VarValue, Variable};
use wfctl::store::{CaseStore, FileStore, PgStore, Store};

use crate::pg_or_skip;
use crate::support::TestDb;
use crate::support::import::{migrate_files, summary};

const JOURNEY: &str = r#"{
  "journey": {
    "name": "orders",
    "tickets": [{"name": "cancel", "step": "close"}],
    "process_variables": [{"name": "amount", "type": "long", "value": "0"}],
    "flow": [
      {"name": "start", "component": "proceed", "next": "split"},
      {"name": "split", "type": "p_route", "component": "lanes",
       "branches": [{"name": "pick", "next": "pick_items"}, {"name": "bill", "next": "bill_customer"}]},
      {"name": "pick_items", "component": "manual", "user_data": "warehouse", "next": "join_lanes"},
      {"name": "bill_customer", "component": "proceed", "next": "join_lanes"},
      {"name": "join_lanes", "type": "p_join", "next": "check"},
      {"name": "check", "type": "s_route", "component": "size",
       "branches": [{"name": "big", "next": "review"}, {"name": "small", "next": "close"}]},
      {"name": "review", "component": "manual", "user_data": "reviewers", "next": "close"},
      {"name": "close", "component": "proceed", "next": "end"}
    ]
  }
}"#;

const SLA: &str = r#"{"milestones": [
  {"name": "overdue", "setup_on": "case_start", "type": "case_level", "applied_at_age": "5d",
   "clock_starts": "immediately", "action": "CORR"},
  {"name": "review_sla", "setup_on": "work_basket_entry", "type": "work_basket",
   "work_basket_name": "reviewers", "applied_at_age": "1d", "clock_starts": "immediately", "action": "CORR"}
]}"#;

/// Manual steps pend in their basket once; routes split both lanes and send big orders to review.
struct Shop;

impl Components for Shop {
    fn task(&self, ctx: &StepContext) -> Result<TaskResponse, ComponentError> {
        match ctx.component.as_str() {
            "manual" if !ctx.pend_at_same_step => Ok(TaskResponse::pend(
                ctx.user_data.as_deref().unwrap_or("manual"),
            )),
            "manual" | "proceed" => {
                Ok(TaskResponse::proceed().with_variables(vec![Variable::new(
                    format!("done_{}", ctx.step),
                    VarValue::Boolean(true),
                )]))
            }
            other => Err(ComponentError::new(format!("no component {other}"))),
        }
    }

    fn route(&self, ctx: &StepContext) -> Result<RouteResponse, ComponentError> {
        match ctx.component.as_str() {
            "lanes" => Ok(RouteResponse::branches(["pick", "bill"])),
            _ => {
                let big =
                    matches!(ctx.variables.get("amount"), Some(VarValue::Long(n)) if *n > 500);
                Ok(RouteResponse::branches([if big { "big" } else { "small" }]))
            }
        }
    }
}

/// Resumes until completed; returns the number of resumes.
fn resume_to_end(engine: &Engine<'_>, store: &dyn Store, case: &str) -> usize {
    if store
        .process_info(case)
        .unwrap()
        .is_some_and(|i| i.is_complete)
    {
        return 0;
    }
    for n in 1..=6 {
        let outcome = engine
            .resume(case, Vec::new())
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        if outcome.status == OutcomeStatus::Completed {
            return n;
        }
    }
    panic!("{case} did not complete");
}

#[test]
fn imported_pended_cases_resume_to_completion_like_on_the_file_store() {
    let db = pg_or_skip!(TestDb::new());
    let tmp = tempfile::tempdir().unwrap();
    let files_dir = tmp.path().join("workflow-data");
    let journey = JourneyRecord::parse(JOURNEY).unwrap();
    let sla = Sla::parse(SLA).unwrap();
    let cases: Vec<String> = (0..12).map(|i| format!("order-{i:03}")).collect();
    {
        let files = FileStore::open(&files_dir).unwrap();
        let engine = Engine::new(&files, &Shop);
        for (i, case) in cases.iter().enumerate() {
            let amount = Variable::new("amount", VarValue::Long(i as i64 * 100));
            let outcome = engine
                .start(case, &journey, Some(&sla), vec![amount])
                .unwrap();
            assert_eq!(outcome.status, OutcomeStatus::Pended, "{case}");
            // some cases move on by one resume before the import
            if i % 3 == 0 {
                engine.resume(case, Vec::new()).unwrap();
            }
        }
    }
    // a copy of the file store, to resume the same cases on files for comparison
    let copy_dir = tmp.path().join("copy");
    std::fs::create_dir(&copy_dir).unwrap();
    for entry in std::fs::read_dir(&files_dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), copy_dir.join(entry.file_name())).unwrap();
        }
    }

    let run = migrate_files(&db, &files_dir, &["--verify", "--json"]).expect_code(0);
    let s = summary(&run);
    assert_eq!(s["imported"], cases.len(), "{s:#}");
    assert_eq!(s["verify"]["differing_cases"], 0, "{s:#}");

    let url = wfctl::db::DatabaseUrl::parse(&db.url).unwrap();
    let pg = PgStore::connect(&url, &wfctl::db::PoolOptions::default()).unwrap();
    let files = FileStore::open(&copy_dir).unwrap();
    let on_pg = Engine::new(&pg, &Shop);
    let on_files = Engine::new(&files, &Shop);
    let mut resumed = 0;
    for case in &cases {
        let before = pg.last_audit_seq(case).unwrap();
        assert!(before > 0, "{case}: audit records were imported");
        let resumes = resume_to_end(&on_pg, &pg, case);
        assert_eq!(resume_to_end(&on_files, &files, case), resumes, "{case}");
        let mut a = pg.process_info(case).unwrap().unwrap();
        let mut b = files.process_info(case).unwrap().unwrap();
        assert!(a.is_complete, "{case}");
        a.ts = 0;
        b.ts = 0;
        assert_eq!(a, b, "{case}: the same end state on both stores");
        let (ra, rb) = (
            pg.audit_records(case).unwrap(),
            files.audit_records(case).unwrap(),
        );
        assert_eq!(ra.len(), rb.len(), "{case}");
        let units = |r: &[wfctl::model::AuditRecord]| {
            r.iter()
                .map(|x| (x.seq, x.unit.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            units(&ra),
            units(&rb),
            "{case}: audit sequence continues after the import"
        );
        assert_eq!(
            pg.milestones(case).unwrap(),
            files.milestones(case).unwrap(),
            "{case}"
        );
        resumed += usize::from(resumes > 0);
    }
    assert!(
        resumed >= cases.len() / 2,
        "most imported cases were pended: {resumed}"
    );
}
