//! Test data for migrate-files: a directory in the file-store layout with N
//! cases of realistic shapes and entropy, and a chosen share of corrupted files of every bad
//! kind. Shared by the tests (`support::file_store_gen`) and, through `#[path]`, by
//! `examples/gen_file_store.rs` and `examples/bench_import.rs`, so all three generate the same
//! shapes.
//!
//! Documents are written through the model types' serde (the file store's format).

#![allow(dead_code, reason = "each user of this file uses a different part")]

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;

use wfctl::model::{
    ExecPath, PathStatus, PendError, ProcessInfo, ResponseType, VarValue, Variable, Variables,
    audit_key, journey_key, process_info_key, sla_key,
};

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenOptions {
    /// Number of cases.
    pub cases: usize,
    /// Seed of the pseudo-random generator (same seed, same directory).
    pub seed: u64,
    /// Share of cases (0..1) that get one corrupted file, cycling through every bad kind.
    pub bad_share: f64,
    /// Also write orphan audit files, unknown files and a case without a journey.
    pub extras: bool,
}

impl Default for GenOptions {
    fn default() -> Self {
        Self {
            cases: 100,
            seed: 7,
            bad_share: 0.0,
            extras: false,
        }
    }
}

/// The bad kinds, with the error class migrate-files must report for each.
pub const BAD_KINDS: &[(&str, &str)] = &[
    ("not_json", "not_json"),
    ("truncated", "truncated"),
    ("wrong_shape", "wrong_shape"),
    ("duplicate", "duplicate"),
    ("empty", "empty"),
    ("not_utf8", "not_utf8"),
    ("unreadable", "unreadable"),
    ("invalid_journey", "invalid"),
];

/// What was generated.
#[derive(Debug, Default, Clone)]
pub struct GenReport {
    /// Cases written (good and bad).
    pub cases: usize,
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Case ids whose files are all good.
    pub good_cases: Vec<String>,
    /// (file name, expected error class, case id) of every corrupted file.
    pub bad_files: Vec<(String, String, String)>,
    /// Orphan files written (extras).
    pub orphans: Vec<String>,
    /// Unknown files written (extras).
    pub unknown: Vec<String>,
    /// The case written without a journey (extras).
    pub no_journey: Option<String>,
    /// Pended cases among the good ones.
    pub pended: Vec<String>,
}

/// SplitMix64: small, fast, deterministic.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    pub fn word(&mut self, len: usize) -> String {
        const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
        (0..len).map(|_| char::from(*self.pick(LETTERS))).collect()
    }

    pub fn hex(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| char::from(b"0123456789abcdef"[self.below(16) as usize]))
            .collect()
    }
}

/// A journey shape: its units in order of execution along one path, and its JSON.
struct Shape {
    name: &'static str,
    /// Units run by a case that completes, per exec path: (path, unit, component).
    trail: &'static [(&'static str, &'static str, &'static str)],
    /// Where a pended case may stop: (index into trail, basket).
    pend_points: &'static [(usize, &'static str)],
    parallel: bool,
}

const SINGULAR: Shape = Shape {
    name: "loan_application",
    trail: &[
        (".", "start", "builtin:proceed"),
        (".", "check_credit", "builtin:route-by-variable"),
        (".", "manual_review", "builtin:pend"),
        (".", "approve", "builtin:proceed"),
        (".", "notify", "builtin:proceed"),
    ],
    pend_points: &[(2, "credit_review"), (3, "approvals")],
    parallel: false,
};

const PARALLEL: Shape = Shape {
    name: "order_fulfilment",
    trail: &[
        (".", "start", "builtin:proceed"),
        (".", "split", "builtin:route-by-variable"),
        (".split.pick.", "pick_items", "builtin:pend"),
        (".split.bill.", "bill_customer", "builtin:proceed"),
        (".split.pick.", "pack", "builtin:proceed"),
        (".", "ship", "builtin:proceed"),
    ],
    pend_points: &[(2, "warehouse"), (5, "shipping")],
    parallel: true,
};

const LINEAR: Shape = Shape {
    name: "kyc_check",
    trail: &[
        (".", "start", "builtin:proceed"),
        (".", "collect_documents", "builtin:pend"),
        (".", "verify_identity", "builtin:proceed"),
        (".", "screen_sanctions", "builtin:proceed"),
        (".", "risk_score", "builtin:proceed"),
        (".", "four_eyes", "builtin:pend"),
        (".", "archive", "builtin:proceed"),
    ],
    pend_points: &[(1, "documents"), (5, "compliance")],
    parallel: false,
};

fn journey_text(shape: &Shape, variant: &str) -> String {
    let name = format!("{}_{variant}", shape.name);
    let flow = match shape.name {
        "loan_application" => {
            r#"
      {"name": "start", "component": "builtin:proceed", "next": "check_credit"},
      {"name": "check_credit", "type": "s_route", "component": "builtin:route-by-variable", "user_data": "credit_band",
       "branches": [{"name": "good", "next": "manual_review"}, {"name": "bad", "next": "reject"}]},
      {"name": "manual_review", "component": "builtin:pend", "user_data": "credit_review", "next": "approve"},
      {"name": "approve", "component": "builtin:pend", "user_data": "approvals", "next": "notify"},
      {"name": "reject", "component": "builtin:proceed", "next": "end"},
      {"name": "notify", "component": "builtin:proceed", "next": "end"}"#
        }
        "order_fulfilment" => {
            r#"
      {"name": "start", "component": "builtin:proceed", "next": "split"},
      {"name": "split", "type": "p_route", "component": "builtin:route-by-variable", "user_data": "lanes",
       "branches": [{"name": "pick", "next": "pick_items"}, {"name": "bill", "next": "bill_customer"}]},
      {"name": "pick_items", "component": "builtin:pend", "user_data": "warehouse", "next": "pack"},
      {"name": "pack", "component": "builtin:proceed", "next": "join_lanes"},
      {"name": "bill_customer", "component": "builtin:proceed", "next": "join_lanes"},
      {"name": "join_lanes", "type": "p_join", "next": "ship"},
      {"name": "ship", "component": "builtin:pend", "user_data": "shipping", "next": "end"}"#
        }
        _ => {
            r#"
      {"name": "start", "component": "builtin:proceed", "next": "collect_documents"},
      {"name": "collect_documents", "component": "builtin:pend", "user_data": "documents", "next": "verify_identity"},
      {"name": "verify_identity", "component": "builtin:proceed", "next": "screen_sanctions"},
      {"name": "screen_sanctions", "component": "builtin:proceed", "next": "risk_score"},
      {"name": "risk_score", "component": "builtin:proceed", "next": "four_eyes"},
      {"name": "four_eyes", "component": "builtin:pend", "user_data": "compliance", "next": "archive"},
      {"name": "archive", "component": "builtin:proceed", "next": "end"}"#
        }
    };
    format!(
        "{{\n  \"journey\": {{\n    \"name\": \"{name}\",\n    \"tickets\": [{{\"name\": \"cancel\", \"step\": \"{last}\"}}],\n    \"process_variables\": [{{\"name\": \"channel\", \"type\": \"string\", \"value\": \"{variant}\"}}],\n    \"flow\": [{flow}\n    ]\n  }}\n}}\n",
        last = shape.trail.last().expect("shapes have units").1
    )
}

const SLA_TEXT: &str = r#"{
  "milestones": [
    {"name": "case_overdue", "setup_on": "case_start", "type": "case_level", "applied_at_age": "20d",
     "clock_starts": "immediately", "action": "CORR"},
    {"name": "basket_sla", "setup_on": "work_basket_entry", "type": "work_basket",
     "work_basket_name": "BASKET", "applied_at_age": "2d", "clock_starts": "next_day", "action": "CHG_WB:escalations"}
  ]
}
"#;

fn case_id(rng: &mut Rng, n: usize) -> String {
    match rng.below(5) {
        0 => format!("{}", 1_000_000 + n as u64 * 7 + rng.below(7)),
        1 => format!("{}-{}-{}", rng.hex(8), rng.hex(4), rng.hex(12)),
        2 => format!("ord-2025-{n:07}"),
        3 => format!("cust_{}_{}", rng.word(4), n),
        _ => format!("K{}{n}", rng.word(3).to_uppercase()),
    }
}

fn variables(rng: &mut Rng, n: usize) -> Variables {
    let names = [
        "Jürgen Müller",
        "Ana O'Neil",
        "李 雷",
        "Zoë \"Z\" Smith",
        "Omar\tal-Farsi",
    ];
    let mut vars: Vec<Variable> = vec![
        Variable::new("customer", VarValue::String((*rng.pick(&names)).to_owned())),
        Variable::new("amount_cents", VarValue::Long(rng.below(50_000_000) as i64)),
        Variable::new("attempts", VarValue::Integer(rng.below(5) as i32)),
        Variable::new("priority", VarValue::Boolean(rng.chance(0.2))),
        Variable::new(
            "credit_band",
            VarValue::String((*rng.pick(&["good", "bad"])).to_owned()),
        ),
    ];
    if rng.chance(0.6) {
        vars.push(Variable::new(
            "address",
            VarValue::Object(serde_json::json!({
                "street": format!("{} {}", rng.below(400) + 1, rng.word(8)),
                "zip": format!("{:05}", rng.below(99_999)),
                "geo": [rng.below(180) as f64 - 90.0 + 0.5, rng.below(360) as f64 - 180.0 + 0.25],
                "note": if rng.chance(0.1) { serde_json::Value::Null } else { serde_json::json!(rng.word(12)) }
            })),
        ));
    }
    if rng.chance(0.5) {
        let tags = (0..rng.below(4) + 1).map(|_| rng.word(6)).collect();
        vars.push(Variable::new("tags", VarValue::ListOfString(tags)));
    }
    if rng.chance(0.3) {
        let ids = (0..rng.below(5) + 1)
            .map(|_| rng.next() as i64 >> 12)
            .collect();
        vars.push(Variable::new("line_ids", VarValue::ListOfLong(ids)));
    }
    if n.is_multiple_of(7) {
        vars.push(Variable::new(
            "lanes",
            VarValue::ListOfString(vec!["pick".into(), "bill".into()]),
        ));
    }
    vars.into_iter().collect()
}

/// The state of a case after running `trail[..=stop]`, as the engine would persist it.
fn state(
    shape: &Shape,
    stop: usize,
    outcome: Outcome,
    basket: &str,
    vars: &Variables,
    ts: i64,
) -> ProcessInfo {
    let (path_name, unit, comp) = shape.trail[stop];
    let mut paths: Vec<ExecPath> = Vec::new();
    let mut touch = |name: &str, step: &str, comp: &str| {
        let p = match paths.iter_mut().position(|p| p.name == name) {
            Some(i) => &mut paths[i],
            None => {
                paths.push(ExecPath::started(name, step));
                paths.last_mut().expect("just pushed")
            }
        };
        p.step = step.to_owned();
        p.comp_name = comp.to_owned();
        p.unit_response_type = Some(ResponseType::OkProceed);
        p.status = PathStatus::Completed;
    };
    for (p, u, c) in &shape.trail[..=stop] {
        touch(p, u, c);
    }
    if shape.parallel && (2..5).contains(&stop) {
        // the parent waits at the route while its branches run
        let parent = paths.iter_mut().find(|p| p.name == ".").expect("root path");
        parent.step = "split".into();
        parent.status = PathStatus::Completed;
    }
    let mut info = ProcessInfo {
        last_executed_step: unit.to_owned(),
        last_executed_comp_name: comp.to_owned(),
        pend_exec_path: String::new(),
        ts,
        is_complete: false,
        process_variables: vars.clone(),
        exec_paths: paths,
        ticket: String::new(),
        branches: None,
        is_pend_at_same_step: false,
        ticket_urt: None,
        last_pend_workbasket: String::new(),
        last_pend_step: String::new(),
    };
    let path = info
        .exec_paths
        .iter_mut()
        .find(|p| p.name == path_name)
        .expect("the stop path exists");
    match outcome {
        Outcome::Proceeded => {}
        Outcome::Completed => {
            path.step = "end".into();
            path.comp_name = "end".into();
            info.is_complete = true;
            for p in &mut info.exec_paths {
                p.status = PathStatus::Completed;
            }
        }
        Outcome::Pended => {
            path.unit_response_type = Some(ResponseType::OkPend);
            path.pend_workbasket = basket.to_owned();
            path.prev_pend_workbasket = basket.to_owned();
            info.pend_exec_path = path_name.to_owned();
        }
        Outcome::ErrorPended => {
            path.unit_response_type = Some(ResponseType::ErrorPend);
            path.pend_workbasket = "workflow_error".into();
            path.prev_pend_workbasket = "workflow_error".into();
            path.pend_error = PendError::new(
                504,
                "component timed out",
                format!("exec timeout after 30s\nstderr: connection to {unit} reset"),
            );
            path.pend_error.is_retryable = true;
            info.pend_exec_path = path_name.to_owned();
        }
        Outcome::Running => {
            path.status = PathStatus::Started;
            path.unit_response_type = None;
        }
    }
    info.exec_paths.sort_by(|a, b| a.name.cmp(&b.name));
    info
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Proceeded,
    Completed,
    Pended,
    ErrorPended,
    Running,
}

fn write(dir: &Path, name: &str, bytes: &[u8], report: &mut GenReport) -> io::Result<()> {
    fs::write(dir.join(name), bytes)?;
    report.files += 1;
    report.bytes += bytes.len() as u64;
    Ok(())
}

/// Writes `options.cases` cases into `dir` (created if missing).
pub fn generate(dir: &Path, options: &GenOptions) -> io::Result<GenReport> {
    fs::create_dir_all(dir)?;
    let mut rng = Rng::new(options.seed);
    let mut report = GenReport::default();
    let mut counters = BufWriter::new(File::create(dir.join("counters.json"))?);
    counters.write_all(b"{")?;
    let mut first_counter = true;
    let bad_every = if options.bad_share > 0.0 {
        (1.0 / options.bad_share).round().max(1.0) as usize
    } else {
        usize::MAX
    };
    let mut bad_kind = 0;
    for n in 0..options.cases {
        let id = case_id(&mut rng, n);
        let shape = match rng.below(10) {
            0..=3 => &SINGULAR,
            4..=6 => &PARALLEL,
            _ => &LINEAR,
        };
        let variant = *rng.pick(&["web", "branch", "partner", "mobile"]);
        let journey = journey_text(shape, variant);
        let (outcome, stop, basket) = match rng.below(10) {
            0..=3 => (Outcome::Completed, shape.trail.len() - 1, String::new()),
            4..=7 => {
                let (i, b) = *rng.pick(shape.pend_points);
                (Outcome::Pended, i, b.to_owned())
            }
            8 => (
                Outcome::ErrorPended,
                rng.below(shape.trail.len() as u64 - 1) as usize + 1,
                String::new(),
            ),
            _ => (
                Outcome::Running,
                rng.below(shape.trail.len() as u64) as usize,
                String::new(),
            ),
        };
        let vars = variables(&mut rng, n);
        let t0 = 1_704_067_200_000 + rng.below(63_072_000_000) as i64;
        write(
            dir,
            &format!("{}.json", journey_key(&id)),
            journey.as_bytes(),
            &mut report,
        )?;
        if rng.chance(0.5) {
            let sla = SLA_TEXT.replace("BASKET", shape.pend_points[0].1);
            write(
                dir,
                &format!("{}.json", sla_key(&id)),
                sla.as_bytes(),
                &mut report,
            )?;
            let due = t0 + 20 * 86_400_000;
            let milestones = serde_json::json!([{
                "milestone": {"name": "case_overdue", "setup_on": "case_start", "type": "case_level",
                    "applied_at_age": "20d", "clock_starts": "immediately", "action": "CORR"},
                "work_basket": null, "enqueued_at": t0, "due_at": due
            }]);
            write(
                dir,
                &format!("milestones-{id}.json"),
                serde_json::to_string_pretty(&milestones)?.as_bytes(),
                &mut report,
            )?;
        }
        let mut ts = t0;
        let mut seq = 0u64;
        for i in 0..=stop {
            ts += rng.below(90_000) as i64 + 5;
            let o = if i == stop {
                outcome
            } else {
                Outcome::Proceeded
            };
            let doc = state(shape, i, o, &basket, &vars, ts);
            seq += 1;
            let unit = shape.trail[i].1;
            write(
                dir,
                &format!("{}.json", audit_key(&id, seq, unit)),
                doc.to_json_pretty().as_bytes(),
                &mut report,
            )?;
        }
        let info = state(shape, stop, outcome, &basket, &vars, ts);
        // some good cases under the Java code's own (misspelt) name, which imports accept too
        let bad = n % bad_every == bad_every / 2;
        let info_name = if options.extras && !bad && n % 7 == 3 {
            format!("worflow_info-{id}.json")
        } else {
            format!("{}.json", process_info_key(&id))
        };
        write(
            dir,
            &info_name,
            info.to_json_pretty().as_bytes(),
            &mut report,
        )?;
        if !first_counter {
            counters.write_all(b",")?;
        }
        first_counter = false;
        write!(counters, "\n  \"workflow_audit_log_counter-{id}\": {seq}")?;
        report.cases += 1;

        if bad {
            let (kind, class) = BAD_KINDS[bad_kind % BAD_KINDS.len()];
            bad_kind += 1;
            let target = match kind {
                "invalid_journey" => format!("{}.json", journey_key(&id)),
                "duplicate" => format!("worflow_info-{id}.json"),
                _ if rng.chance(0.5) => info_name.clone(),
                _ => format!("{}.json", audit_key(&id, 1, shape.trail[0].1)),
            };
            let path = dir.join(&target);
            match kind {
                "not_json" => fs::write(&path, b"<html><body>502 Bad Gateway</body></html>\n")?,
                "truncated" => {
                    let text = fs::read(&path)?;
                    fs::write(&path, &text[..text.len() / 2])?;
                }
                "wrong_shape" => fs::write(&path, br#"{"process_info": {"exec_paths": "none"}}"#)?,
                "duplicate" => fs::write(&path, info.to_json_pretty())?,
                "empty" => fs::write(&path, b"")?,
                "not_utf8" => {
                    let mut text = fs::read(&path)?;
                    let at = text.len() / 3;
                    text[at] = 0xff;
                    text[at + 1] = 0xfe;
                    fs::write(&path, text)?;
                }
                "unreadable" => {
                    // a dangling link: unreadable even for root, who ignores permissions
                    fs::remove_file(&path)?;
                    std::os::unix::fs::symlink("/nonexistent/wfctl-gen-missing", &path)?;
                }
                _ => fs::write(
                    &path,
                    journey.replace("\"next\": \"end\"}", "\"next\": \"nowhere\"}"),
                )?,
            }
            report
                .bad_files
                .push((target, class.to_owned(), id.clone()));
            if kind == "duplicate" {
                report
                    .bad_files
                    .push((info_name.clone(), class.to_owned(), id.clone()));
            }
        } else {
            if matches!(outcome, Outcome::Pended) {
                report.pended.push(id.clone());
            }
            report.good_cases.push(id);
        }
    }
    if options.extras {
        let orphan = format!("{}.json", audit_key("ghost-77", 1, "start"));
        write(
            dir,
            &orphan,
            b"{\"process_info\": {\"is_complete\": false}}",
            &mut report,
        )?;
        report.orphans.push(orphan);
        let orphan_sla = format!("{}.json", sla_key("ghost-78"));
        write(dir, &orphan_sla, SLA_TEXT.as_bytes(), &mut report)?;
        report.orphans.push(orphan_sla);
        for unknown in ["README.txt", "workflow_process_info-1.json.bak"] {
            write(dir, unknown, b"notes\n", &mut report)?;
            report.unknown.push(unknown.to_owned());
        }
        let id = "no-journey-1";
        let vars = variables(&mut rng, 1);
        let info = state(
            &LINEAR,
            1,
            Outcome::Pended,
            "documents",
            &vars,
            1_735_000_000_000,
        );
        write(
            dir,
            &format!("{}.json", process_info_key(id)),
            info.to_json_pretty().as_bytes(),
            &mut report,
        )?;
        report.no_journey = Some(id.to_owned());
        report.good_cases.push(id.to_owned());
    }
    counters.write_all(b"\n}\n")?;
    counters.flush()?;
    Ok(report)
}
