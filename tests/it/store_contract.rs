//! The store contract: one story, generic over `&dyn Store`, run against MemoryStore,
//! FileStore (a temp dir) and PgStore (a fresh database), plus what only one kind of store
//! can show (corrupt files, lost servers, locks held by other processes).

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::{Connection as _, RunQueryDsl};
use serde_json::json;
use wfctl::db::{DatabaseUrl, PoolOptions};
use wfctl::model::{
    AuditRecord, ExecPath, JourneyRecord, NewAuditRecord, PathStatus, PendError, ProcessInfo,
    ResponseType, Sla, VarValue, Variable,
};
use wfctl::store::{
    CaseFilter, CaseStatus, CaseStore, Error, FileStore, LockWait, MemoryStore, MilestoneChange,
    PersistPoint, PgStore, QueuedMilestone, Store, apply_milestone_changes,
};

use crate::pg_or_skip;
use crate::support::backup::{open_files, text};
use crate::support::{TestDb, poll_until};

const JOURNEY: &str = r#"{
  // every unit type, tickets and variables of every kind
  "journey": {
    "name": "contract",
    "tickets": [{"name": "cancel", "step": "step_end"}],
    "process_variables": [
      {"name": "s", "type": "string", "value": "Jack"},
      {"name": "o", "type": "object", "value": {"k": [1, 2]}}
    ],
    "flow": [
      {"name": "start", "component": "c_start", "user_data": "wb=intake", "next": "route_s"},
      {"name": "route_s", "type": "s_route", "component": "rs",
       "branches": [{"name": "yes", "next": "route_p"}, {"name": "no", "next": "step_end"}]},
      {"name": "route_p", "type": "p_route", "component": "rp",
       "branches": [{"name": "1", "next": "pause_1"}, {"name": "2", "next": "persist_2"}]},
      {"name": "pause_1", "type": "pause", "next": "join_p"},
      {"name": "persist_2", "type": "persist", "next": "join_p"},
      {"name": "join_p", "type": "p_join", "next": "route_d"},
      {"name": "route_d", "type": "p_route_dynamic", "component": "rd", "next": "step_d"},
      {"name": "step_d", "component": "cd", "next": "join_d"},
      {"name": "join_d", "type": "p_join", "next": "step_end"},
      {"name": "step_end", "component": "ce", "next": "end"}
    ]
  }
}"#;

const SLA: &str = r#"{ "milestones": [
  // case level, set up at start
  {"name": "case_start_1", "setup_on": "case_start", "type": "case_level",
   "applied_at_age": "20d", "clock_starts": "immediately", "action": "CANCEL:CW"},
  {"name": "wb_entry", "setup_on": "work_basket_entry", "type": "work_basket",
   "work_basket_name": "wb_1", "applied_at_age": "30m", "clock_starts": "next_day",
   "action": "CORR", "userdata": "u1",
   "further_milestones": [{"applied_at_age": "60m", "repeat": 3}, {"applied_at_age": "240m"}]},
  {"name": "wb_entry_case", "setup_on": "work_basket_entry", "type": "case_level",
   "work_basket_name": "wb_1", "applied_at_age": "1d", "clock_starts": "immediately",
   "action": "CUSTOM:notify.team"},
  {"name": "err_entry", "setup_on": "work_basket_entry", "type": "work_basket",
   "work_basket_name": "wb_err", "clock_starts": "immediately", "action": "RETRY"}
] }"#;

const T0: i64 = 1_795_481_618_000;

fn fixture() -> (JourneyRecord, Sla) {
    (
        JourneyRecord::parse(JOURNEY).unwrap(),
        Sla::parse(SLA).unwrap(),
    )
}

fn queued(sla: &Sla, name: &str, basket: Option<&str>, at: i64) -> QueuedMilestone {
    let milestone = sla
        .milestones
        .iter()
        .find(|m| m.name.as_deref() == Some(name))
        .unwrap()
        .clone();
    QueuedMilestone {
        due_at: milestone.due_at(at),
        milestone,
        work_basket: basket.map(str::to_owned),
        enqueued_at: at,
    }
}

fn path(name: &str, step: &str, f: impl FnOnce(&mut ExecPath)) -> ExecPath {
    let mut p = ExecPath::started(name, step);
    f(&mut p);
    p
}

/// The case after `start` ran and `route_s` is about to run.
fn running_info() -> ProcessInfo {
    let mut info = ProcessInfo::from_json(r#"{"process_info":{"is_complete":false}}"#).unwrap();
    info.ts = T0;
    info.last_executed_step = "start".into();
    info.last_executed_comp_name = "c_start".into();
    info.process_variables = [
        Variable::new("s", VarValue::String("Jack \"the\" ü".into())),
        Variable::new("o", VarValue::Object(json!({"k": [1, 2], "n": null}))),
        Variable::new("n", VarValue::Integer(-3)),
    ]
    .into_iter()
    .collect();
    info.exec_paths = vec![path(".", "route_s", |_| {})];
    info
}

/// The case pended on branch 2 of `route_p` with an error, branch 1 waiting at the join.
fn pended_info() -> ProcessInfo {
    let mut info = running_info();
    info.ts = T0 + 5_000;
    info.last_executed_step = "persist_2".into();
    info.last_executed_comp_name = "persist".into();
    info.pend_exec_path = ".route_p.2.".into();
    info.ticket = String::new();
    info.is_pend_at_same_step = true;
    info.ticket_urt = Some(ResponseType::OkPend);
    info.last_pend_workbasket = "wb_1".into();
    info.last_pend_step = "start".into();
    info.process_variables
        .set(Variable::new("l", VarValue::ListOfLong(vec![i64::MAX, -1])));
    info.process_variables
        .set(Variable::new("n", VarValue::Integer(4)));
    info.exec_paths = vec![
        path(".", "route_p", |p| {
            p.status = PathStatus::Completed;
            p.comp_name = "rp".into();
            p.unit_response_type = Some(ResponseType::OkProceed);
        }),
        path(".route_p.1.", "join_p", |p| {
            p.status = PathStatus::Completed;
            p.comp_name = "join".into();
            p.unit_response_type = Some(ResponseType::OkProceed);
        }),
        path(".route_p.2.", "persist_2", |p| {
            p.status = PathStatus::Completed;
            p.comp_name = "persist".into();
            p.pend_workbasket = "wb_err".into();
            p.prev_pend_workbasket = "wb_1".into();
            p.tbc_sla_workbasket = "wb_1".into();
            p.pend_error = PendError {
                code: 42,
                message: "component failed".into(),
                details: "exit status 3\nstderr: boom".into(),
                is_retryable: true,
            };
            p.unit_response_type = Some(ResponseType::ErrorPend);
        }),
    ];
    info
}

fn completed_info() -> ProcessInfo {
    let mut info = pended_info();
    info.ts = T0 + 9_000;
    info.is_complete = true;
    info.pend_exec_path = String::new();
    info.last_executed_step = "step_end".into();
    info.exec_paths = vec![path(".", "end", |p| {
        p.status = PathStatus::Completed;
        p.comp_name = "end".into();
        p.unit_response_type = Some(ResponseType::OkProceed);
    })];
    info
}

fn record(unit: &str, info: &ProcessInfo) -> NewAuditRecord {
    let mut document = info.clone();
    document.last_executed_step = unit.into();
    NewAuditRecord {
        unit: unit.into(),
        document,
    }
}

fn units(records: &[AuditRecord]) -> Vec<(u64, String)> {
    records.iter().map(|r| (r.seq, r.unit.clone())).collect()
}

/// The story every store must tell the same way. `b` is a second handle on the same data
/// (the same store for memory).
/// From the moment it is called, tells whether a second handle has started trying a case's
/// lock (see `locking`).
type TryProbe<'a> = &'a dyn Fn() -> Box<dyn Fn() -> bool>;

fn story(a: &dyn Store, b: &dyn Store, trying: TryProbe) {
    let (journey, sla) = fixture();

    // created: journey and SLA read back as given, nothing else yet
    a.create_case("10", &journey, Some(&sla)).unwrap();
    assert_eq!(a.journey("10").unwrap().unwrap(), journey);
    assert_eq!(b.journey("10").unwrap().unwrap().text, JOURNEY);
    assert_eq!(b.sla("10").unwrap().unwrap(), sla);
    assert_eq!(a.process_info("10").unwrap(), None);
    assert_eq!(a.last_audit_seq("10").unwrap(), 0);
    assert!(a.audit_records("10").unwrap().is_empty());
    assert!(a.milestones("10").unwrap().is_empty());
    assert_eq!(a.journey("absent").unwrap(), None);
    assert_eq!(a.sla("absent").unwrap(), None);

    let lock = a.lock_case("10", LockWait::Try).unwrap();
    assert_eq!(lock.case_id(), "10");
    let mut queue = Vec::new();

    // first point: process info, two audit records (a route's with branches), SLA enqueue
    let info = running_info();
    let mut routed = record("route_s", &info);
    routed.document.branches = Some(vec!["yes".into()]);
    let audit = [record("start", &info), routed.clone()];
    let changes = [MilestoneChange::Enqueue(vec![queued(
        &sla,
        "case_start_1",
        None,
        T0,
    )])];
    let saved = a
        .save_point(
            "10",
            &PersistPoint {
                process_info: Some(&info),
                audit: &audit,
                milestones: &changes,
            },
        )
        .unwrap();
    assert_eq!(saved.audit_seqs, [1, 2]);
    apply_milestone_changes(&mut queue, &changes);
    assert_eq!(a.process_info("10").unwrap().unwrap(), info);
    assert_eq!(b.process_info("10").unwrap().unwrap(), info);
    assert_eq!(a.milestones("10").unwrap(), queue);
    let records = b.audit_records("10").unwrap();
    assert_eq!(
        units(&records),
        [(1, "start".into()), (2, "route_s".into())]
    );
    assert_eq!(records[1].document, routed.document);
    assert_eq!(records[1].key(), "audit_log-10_00002_route_s");

    // audit only: numbering continues, the process info stays
    let saved = a
        .save_point(
            "10",
            &PersistPoint {
                audit: &[record("route_p", &info)],
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(saved.audit_seqs, [3]);
    assert_eq!(a.process_info("10").unwrap().unwrap(), info);

    // parallel branches persist concurrently through the one lock: numbers stay unique
    let mut seqs: Vec<u64> = std::thread::scope(|s| {
        let threads: Vec<_> = (0..4)
            .map(|t| {
                s.spawn(move || {
                    (0..5)
                        .flat_map(|i| {
                            let unit = format!("branch_{t}_{i}");
                            a.save_point(
                                "10",
                                &PersistPoint {
                                    audit: &[record(&unit, &running_info())],
                                    ..Default::default()
                                },
                            )
                            .unwrap()
                            .audit_seqs
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        threads
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect()
    });
    seqs.sort_unstable();
    assert_eq!(seqs, (4..=23).collect::<Vec<_>>());
    assert_eq!(a.last_audit_seq("10").unwrap(), 23);

    // pend: exec paths added and changed, variables changed, basket milestones moved
    let pended = pended_info();
    let changes = [
        MilestoneChange::Enqueue(vec![
            queued(&sla, "wb_entry", Some("wb_1"), T0 + 1_000),
            queued(&sla, "wb_entry_case", Some("wb_1"), T0 + 1_000),
        ]),
        MilestoneChange::DequeueWorkBasket("wb_1".into()),
        MilestoneChange::Enqueue(vec![queued(&sla, "err_entry", Some("wb_err"), T0 + 5_000)]),
    ];
    let saved = a
        .save_point(
            "10",
            &PersistPoint {
                process_info: Some(&pended),
                audit: &[record("persist_2", &pended)],
                milestones: &changes,
            },
        )
        .unwrap();
    assert_eq!(saved.audit_seqs, [24]);
    apply_milestone_changes(&mut queue, &changes);
    assert_eq!(
        queue
            .iter()
            .map(|q| q.milestone.name.clone().unwrap())
            .collect::<Vec<_>>(),
        ["case_start_1", "wb_entry_case", "err_entry"]
    );
    assert_eq!(a.process_info("10").unwrap().unwrap(), pended);
    assert_eq!(a.milestones("10").unwrap(), queue);
    drop(lock);

    // other cases for the listing; ids sort bytewise ("10" < "2" < "9")
    a.create_case("9", &journey, None).unwrap();
    a.create_case("2", &journey, Some(&sla)).unwrap();
    a.save_point(
        "2",
        &PersistPoint {
            process_info: Some(&completed_info()),
            audit: &[record("step_end", &completed_info())],
            milestones: &[MilestoneChange::DequeueAll],
        },
    )
    .unwrap();
    let listed = b.list_cases().unwrap();
    let view: Vec<_> = listed
        .iter()
        .map(|c| {
            (
                c.case_id.as_str(),
                c.status,
                c.pend_workbasket.as_str(),
                c.step.as_str(),
            )
        })
        .collect();
    assert_eq!(
        view,
        [
            ("10", CaseStatus::Pended, "wb_err", "persist_2"),
            ("2", CaseStatus::Completed, "", "step_end"),
            ("9", CaseStatus::NotStarted, "", ""),
        ]
    );
    assert_eq!(listed[0].pend_exec_path, ".route_p.2.");
    assert_eq!(listed[0].journey_name, "contract");
    assert_eq!(listed[0].updated_at, T0 + 5_000);
    let filters = [
        CaseFilter {
            status: Some(CaseStatus::Pended),
            ..Default::default()
        },
        CaseFilter {
            status: Some(CaseStatus::NotStarted),
            ..Default::default()
        },
        CaseFilter {
            status: Some(CaseStatus::Running),
            ..Default::default()
        },
        CaseFilter {
            work_basket: Some("wb_err".into()),
            ..Default::default()
        },
        CaseFilter {
            journey_name: Some("contract".into()),
            step: Some("step_end".into()),
            ..Default::default()
        },
        CaseFilter {
            updated_before: Some(T0 + 6_000),
            ..Default::default()
        },
    ];
    for filter in filters {
        let expected: Vec<_> = listed
            .iter()
            .filter(|c| filter.matches(c))
            .cloned()
            .collect();
        assert_eq!(
            a.list_cases_filtered(&filter).unwrap(),
            expected,
            "{filter:?}"
        );
    }

    // due milestones: the case-level one (20 days) is not due before then
    let due = b.due_milestones(T0 + 2 * 86_400_000).unwrap();
    let due: Vec<_> = due
        .iter()
        .map(|d| {
            (
                d.case_id.as_str(),
                d.queued.milestone.name.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(due, [("10", "wb_entry_case")]);
    assert_eq!(b.due_milestones(T0 + 30 * 86_400_000).unwrap().len(), 2);

    // complete: every milestone dequeued
    let done = completed_info();
    a.save_point(
        "10",
        &PersistPoint {
            process_info: Some(&done),
            audit: &[record("step_end", &done)],
            milestones: &[MilestoneChange::DequeueAll],
        },
    )
    .unwrap();
    assert!(a.milestones("10").unwrap().is_empty());
    assert_eq!(a.process_info("10").unwrap().unwrap(), done);
    let records = a.audit_records("10").unwrap();
    assert_eq!(
        records.iter().map(|r| r.seq).collect::<Vec<_>>(),
        (1..=25).collect::<Vec<_>>()
    );

    // replacing a journey without SLA removes the SLA
    a.create_case("2", &journey, None).unwrap();
    assert_eq!(b.sla("2").unwrap(), None);
    assert_eq!(b.journey("2").unwrap().unwrap(), journey);
    // a point that writes nothing is fine
    assert!(
        a.save_point("9", &PersistPoint::default())
            .unwrap()
            .audit_seqs
            .is_empty()
    );

    locking(a, b, trying);
}

/// A case lock keeps a second handle out until it is released, and a waiter gets it then.
fn locking(a: &dyn Store, b: &dyn Store, trying: TryProbe) {
    let held = a.lock_case("L", LockWait::Try).unwrap();
    assert!(matches!(b.lock_case("L", LockWait::Try), Err(Error::Locked { case }) if case == "L"));
    let started = Instant::now();
    let waited = b.lock_case("L", LockWait::Wait(Duration::from_millis(200)));
    assert!(matches!(waited, Err(Error::Locked { .. })));
    assert!(started.elapsed() >= Duration::from_millis(200));
    let other = b.lock_case("M", LockWait::Try).unwrap();
    let waiting = trying();
    std::thread::scope(|s| {
        let waiter = s.spawn(|| {
            b.lock_case("L", LockWait::Wait(Duration::from_secs(20)))
                .map(|g| g.case_id().to_owned())
        });
        poll_until(
            "the waiter to try the lock",
            Duration::from_secs(20),
            &*waiting,
        );
        drop(held);
        assert_eq!(waiter.join().unwrap().unwrap(), "L");
    });
    drop(other);
    let message = Error::Locked { case: "42".into() }.to_string();
    assert_eq!(message, "case 42 is being run by another process");
}

#[test]
fn memory_store_keeps_the_contract() {
    let store = MemoryStore::new();
    // nothing outside shows a waiter here: the lock may be free before it first tries
    story(&store, &store, &|| -> Box<dyn Fn() -> bool> {
        Box::new(|| true)
    });
}

#[test]
fn file_store_keeps_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let a = FileStore::open(dir.path()).unwrap();
    let b = FileStore::open(dir.path()).unwrap();
    // the holder has the lock file open; a waiter opens it a second time before it tries
    let lock_file = dir.path().canonicalize().unwrap().join(".locks/L.lock");
    let probe = || -> Box<dyn Fn() -> bool> {
        let lock_file = lock_file.clone();
        Box::new(move || {
            let open = open_files(std::process::id());
            open.iter().filter(|f| **f == lock_file).count() >= 2
        })
    };
    story(&a, &b, &probe);
    // counters.json agrees with the audit files once the locks are released
    let counters = wfctl::store::file::read_counters(dir.path()).unwrap();
    assert_eq!(counters["workflow_audit_log_counter-10"], 25);
    assert_eq!(counters["workflow_audit_log_counter-2"], 1);
}

fn pg_store(db: &TestDb, options: &PoolOptions) -> PgStore {
    PgStore::connect(&DatabaseUrl::parse(&db.url).unwrap(), options).unwrap()
}

#[test]
fn pg_store_keeps_the_contract() {
    let db = pg_or_skip!(TestDb::new());
    let a = pg_store(&db, &PoolOptions::default());
    let b = pg_store(&db, &PoolOptions::default());
    // a session that runs the lock query after the probe was made is the waiter's
    let probe = || -> Box<dyn Fn() -> bool> {
        let since = text(&mut db.conn(), "SELECT clock_timestamp()::text AS v");
        let url = db.url.clone();
        Box::new(move || {
            let sql = format!(
                "SELECT count(*)::text AS v FROM pg_stat_activity \
                 WHERE query LIKE '%/* wfctl:case_lock */%' AND query_start > '{since}'"
            );
            let mut conn = diesel::PgConnection::establish(&url).unwrap();
            text(&mut conn, &sql) != "0"
        })
    };
    story(&a, &b, &probe);
    // the rows follow the schema's conventions (epoch ms, NULL for empty text, record keys)
    let mut conn = db.conn();
    #[derive(diesel::QueryableByName, Debug, PartialEq)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        v: String,
    }
    let one = |conn: &mut diesel::PgConnection, sql: &str| -> Vec<String> {
        diesel::sql_query(format!("/* test */ {sql}"))
            .load::<Row>(conn)
            .unwrap()
            .into_iter()
            .map(|r| r.v)
            .collect()
    };
    assert_eq!(
        one(
            &mut conn,
            "SELECT value::text AS v FROM workflow_counters WHERE name = 'workflow_audit_log_counter-10'"
        ),
        ["25"]
    );
    assert_eq!(
        one(
            &mut conn,
            "SELECT string_agg(status || ':' || name, ',' ORDER BY id) AS v FROM milestone WHERE case_id = '10'"
        ),
        ["dequeued:case_start_1,dequeued:wb_entry,dequeued:wb_entry_case,dequeued:err_entry"]
    );
    assert_eq!(
        one(
            &mut conn,
            "SELECT concat_ws(',', hibid, journey_name, is_complete, started_ts, completed_ts) AS v FROM workflow_info WHERE case_id = '10'"
        ),
        [format!(
            "workflow_process_info-10,contract,t,{T0},{}",
            T0 + 9_000
        )]
    );
    assert_eq!(
        one(
            &mut conn,
            "SELECT string_agg(name || '=' || type, ',' ORDER BY name) AS v FROM step WHERE workflow_definition_hibid = 'journey-10'"
        ),
        [
            "join_d=p_join,join_p=p_join,pause_1=pause,persist_2=persist,route_d=p_route_dynamic,route_p=p_route,route_s=s_route,start=task,step_d=task,step_end=task"
        ]
    );
    assert_eq!(
        one(
            &mut conn,
            "SELECT string_agg(r.name || '.' || b.name || '>' || b.next_step, ',' ORDER BY r.name, b.name) AS v FROM route r JOIN route_branch b ON b.route_id = r.id WHERE r.workflow_definition_hibid = 'journey-10'"
        ),
        ["route_p.1>pause_1,route_p.2>persist_2,route_s.no>step_end,route_s.yes>route_p"]
    );
    // every statement the store sent is tagged (diag slow-queries relies on it)
    let untagged = one(
        &mut conn,
        "SELECT query AS v FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
         WHERE d.datname = current_database() AND query ~* '(workflow_|audit_log|milestone|exec_path|step|route)'
           AND query NOT LIKE '%/* wfctl:%' AND query NOT LIKE '/* test */%'",
    );
    assert_eq!(untagged, Vec::<String>::new());
}

#[test]
fn file_store_reports_corrupt_files_by_name_and_never_overwrites_them() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::open(dir.path()).unwrap();
    let (journey, sla) = fixture();
    store.create_case("5", &journey, Some(&sla)).unwrap();
    store
        .save_point(
            "5",
            &PersistPoint {
                process_info: Some(&running_info()),
                ..Default::default()
            },
        )
        .unwrap();
    let cases = [
        (
            "workflow_process_info-5.json",
            "{\"process_info\": {\"is_complete\": \"no\"}}",
        ),
        ("journey_sla-5.json", "{\"milestones\": [{}]}"),
        ("milestones-5.json", ""),
    ];
    for (name, garbage) in cases {
        std::fs::write(dir.path().join(name), garbage).unwrap();
    }
    let named = |r: Result<(), Error>, name: &str| match r {
        Err(Error::Corrupt { what, .. }) => assert!(what.ends_with(name), "{what}"),
        other => panic!("{name}: {other:?}"),
    };
    named(
        store.process_info("5").map(drop),
        "workflow_process_info-5.json",
    );
    named(store.sla("5").map(drop), "journey_sla-5.json");
    named(store.milestones("5").map(drop), "milestones-5.json");
    named(store.list_cases().map(drop), "workflow_process_info-5.json");
    // a write that needs the corrupt queue fails before writing anything
    let err = store.save_point(
        "5",
        &PersistPoint {
            process_info: Some(&pended_info()),
            audit: &[record("x", &pended_info())],
            milestones: &[MilestoneChange::DequeueAll],
        },
    );
    named(err.map(drop), "milestones-5.json");
    for (name, garbage) in cases {
        assert_eq!(
            std::fs::read_to_string(dir.path().join(name)).unwrap(),
            garbage
        );
    }
    assert_eq!(store.last_audit_seq("5").unwrap(), 0);
}

#[test]
fn pg_store_reports_unreadable_rows_as_corrupt() {
    let db = pg_or_skip!(TestDb::new());
    let store = pg_store(&db, &PoolOptions::default());
    let (journey, sla) = fixture();
    store.create_case("5", &journey, Some(&sla)).unwrap();
    store
        .save_point(
            "5",
            &PersistPoint {
                process_info: Some(&pended_info()),
                milestones: &[MilestoneChange::Enqueue(vec![queued(
                    &sla,
                    "err_entry",
                    None,
                    T0,
                )])],
                ..Default::default()
            },
        )
        .unwrap();
    db.conn()
        .batch_execute(
            "UPDATE exec_path SET status = 'bogus' WHERE name = '.route_p.1.';
             UPDATE milestone SET details = '{\"name\": 1}'",
        )
        .unwrap();
    let err = store.process_info("5").unwrap_err();
    assert!(
        matches!(&err, Error::Corrupt { what, reason } if what.contains("case 5") && reason.contains("bogus")),
        "{err}"
    );
    assert!(matches!(store.milestones("5"), Err(Error::Corrupt { .. })));
}

#[test]
fn pg_store_fails_fast_when_the_server_is_gone_or_the_pool_is_exhausted() {
    // nothing listens on a freshly freed port
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = DatabaseUrl::parse(&format!("postgres://nobody@127.0.0.1:{port}/x")).unwrap();
    let started = Instant::now();
    let err = PgStore::connect(&url, &PoolOptions::default())
        .err()
        .unwrap();
    assert!(err.is_unavailable(), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));

    let db = pg_or_skip!(TestDb::new());
    let options = PoolOptions {
        max_size: 1,
        connection_timeout: Duration::from_secs(1),
        statement_timeout: Some(Duration::from_millis(300)),
        ..PoolOptions::default()
    };
    let store = pg_store(&db, &options);
    let held = store.pool().get().unwrap();
    let started = Instant::now();
    let err = store.process_info("1").unwrap_err();
    assert!(err.is_unavailable(), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    drop(held);

    // a statement blocked by another session's lock hits the statement timeout: retry later
    let mut blocker = db.conn();
    blocker
        .batch_execute("BEGIN; LOCK TABLE workflow_counters IN EXCLUSIVE MODE")
        .unwrap();
    let err = store
        .save_point(
            "1",
            &PersistPoint {
                audit: &[record("a", &running_info())],
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(
        matches!(err, Error::Timeout { .. }) && err.is_temporary(),
        "{err}"
    );
    blocker.batch_execute("ROLLBACK").unwrap();
    assert_eq!(
        store.last_audit_seq("1").unwrap(),
        0,
        "a failed point uses no number"
    );
}

/// A child process that holds a lock until killed.
struct Holder(Child);

impl Drop for Holder {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn file_lock_is_a_flock_that_other_processes_see_and_death_releases() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::open(dir.path()).unwrap();
    std::fs::create_dir_all(dir.path().join(".locks")).unwrap();
    // the shell locks its own open file with flock(1) and becomes `sleep`: one process holds
    // the lock, and killing it is the process dying
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("exec 9>>\"$1\"; flock -x 9; echo locked; exec sleep 60")
        .arg("sh")
        .arg(dir.path().join(".locks/77.lock"))
        .stdout(Stdio::piped())
        .spawn()
        .expect("sh and flock(1) from util-linux");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "locked");
    let mut holder = Holder(child);
    assert!(matches!(
        store.lock_case("77", LockWait::Try),
        Err(Error::Locked { .. })
    ));
    holder.0.kill().unwrap();
    holder.0.wait().unwrap();
    let guard = store
        .lock_case("77", LockWait::Wait(Duration::from_secs(5)))
        .unwrap();
    drop(guard);
}

#[test]
fn pg_lock_is_the_conventional_advisory_lock_and_death_releases_it() {
    let db = pg_or_skip!(TestDb::new());
    let store = pg_store(&db, &PoolOptions::default());
    let guard = store.lock_case("77", LockWait::Try).unwrap();
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let held_by_key = |conn: &mut diesel::PgConnection| -> i64 {
        diesel::sql_query(
            "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1
               AND granted AND ((classid::int8 << 32) | objid::int8) = hashtextextended('wfctl-case:77', 0)",
        )
        .get_result::<Count>(conn)
        .unwrap()
        .n
    };
    let mut conn = db.conn();
    assert_eq!(held_by_key(&mut conn), 1);
    drop(guard);
    assert_eq!(held_by_key(&mut conn), 0);

    // another process (psql, idle in its session) holds it: refused until that process dies
    let psql = crate::support::cluster::client_bin()
        .map(|bin| bin.join("psql"))
        .ok()
        .filter(|p| p.exists())
        .unwrap_or_else(|| "psql".into());
    let mut child = Command::new(psql)
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", &db.url])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .as_mut()
        .unwrap()
        .write_all(b"SELECT pg_advisory_lock(hashtextextended('wfctl-case:77', 0));\n")
        .unwrap();
    let mut holder = Holder(child);
    poll_until("psql to take the lock", Duration::from_secs(10), || {
        held_by_key(&mut conn) != 0
    });
    assert!(matches!(
        store.lock_case("77", LockWait::Try),
        Err(Error::Locked { .. })
    ));
    holder.0.kill().unwrap();
    holder.0.wait().unwrap();
    let guard = store
        .lock_case("77", LockWait::Wait(Duration::from_secs(10)))
        .unwrap();
    drop(guard);
}

#[test]
fn the_case_lock_key_function_is_the_conventional_expression() {
    // other tools take a case's lock with the expression itself; the function must agree
    let db = pg_or_skip!(TestDb::new());
    let same = text(
        &mut db.conn(),
        "SELECT bool_and(wfctl_case_lock_key(id) = hashtextextended('wfctl-case:' || id, 0))::text \
         AS v FROM unnest(ARRAY['1', 'C-ü', '', 'a b', '10']) AS t(id)",
    );
    assert_eq!(same, "true");
}
