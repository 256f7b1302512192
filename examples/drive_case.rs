//! Drives cases through the engine on a chosen store with components that sleep, for the
//! reliability tests (kill -9, concurrent resumes, a PostgreSQL restart) until `wfctl case`
//! exists.
//!
//! ```text
//! drive_case (--dir DIR | --pg) --journey long|manual [--steps N] [--sleep-ms N]
//!            [--marks FILE] [--max-threads N] [--lock-wait-ms N] [--shuffle SEED] CASE...
//! ```
//!
//! `--pg` connects to `DATABASE_URL`. For each case: start it when nothing is stored, else
//! resume it. Prints `CASE RESULT` per case on stdout (`pended`, `completed`, `locked`,
//! `already-complete`). Any other failure stops the run with one line on stderr and the exit
//! code the CLI uses: 69 store unavailable, 75 temporary, 1 otherwise.
//!
//! Journeys: `long` = `s1..sN` (component `sleep`), a parallel route `fan` with branches `1`
//! and `2` of two `sleep` steps each, `join`, `last`; `manual` = `start` (`sleep`), `approve`
//! (pends in `manual_wb` the first time, proceeds when resumed), `finish` (`sleep`).
//! Every component run appends `CASE PATH STEP` to `--marks`, before it sleeps.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use serde_json::json;
use wfctl::db::{DatabaseUrl, PoolOptions};
use wfctl::engine::{
    ComponentError, Components, Engine, EngineConfig, Error as EngineError, RouteResponse,
    StepContext, TaskResponse,
};
use wfctl::model::JourneyRecord;
use wfctl::store::{FileStore, LockWait, PgStore, Store};

struct Args {
    dir: Option<PathBuf>,
    pg: bool,
    journey: String,
    steps: usize,
    sleep_ms: u64,
    marks: Option<PathBuf>,
    max_threads: usize,
    lock_wait_ms: Option<u64>,
    shuffle: Option<u64>,
    cases: Vec<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        dir: None,
        pg: false,
        journey: "long".into(),
        steps: 8,
        sleep_ms: 20,
        marks: None,
        max_threads: 2,
        lock_wait_ms: None,
        shuffle: None,
        cases: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or(format!("{arg} needs a value"));
        let number = |v: String| v.parse::<u64>().map_err(|e| format!("{v}: {e}"));
        match arg.as_str() {
            "--dir" => args.dir = Some(PathBuf::from(value()?)),
            "--pg" => args.pg = true,
            "--journey" => args.journey = value()?,
            "--steps" => args.steps = number(value()?)? as usize,
            "--sleep-ms" => args.sleep_ms = number(value()?)?,
            "--marks" => args.marks = Some(PathBuf::from(value()?)),
            "--max-threads" => args.max_threads = number(value()?)? as usize,
            "--lock-wait-ms" => args.lock_wait_ms = Some(number(value()?)?),
            "--shuffle" => args.shuffle = Some(number(value()?)?),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            _ => args.cases.push(arg),
        }
    }
    if args.dir.is_some() == args.pg {
        return Err("give one of --dir DIR or --pg".into());
    }
    if args.cases.is_empty() {
        return Err("no case ids".into());
    }
    Ok(args)
}

fn long_journey(steps: usize) -> String {
    let mut flow: Vec<serde_json::Value> = (1..=steps)
        .map(|i| {
            let next = if i == steps {
                "fan".to_owned()
            } else {
                format!("s{}", i + 1)
            };
            let name = if i == 1 {
                "start".to_owned()
            } else {
                format!("s{i}")
            };
            json!({"name": name, "component": "sleep", "next": next})
        })
        .collect();
    if steps == 0 {
        flow.push(json!({"name": "start", "component": "sleep", "next": "fan"}));
    }
    flow.extend([
        json!({"name": "fan", "type": "p_route", "component": "fanout",
               "branches": [{"name": "1", "next": "b1_1"}, {"name": "2", "next": "b2_1"}]}),
        json!({"name": "b1_1", "component": "sleep", "next": "b1_2"}),
        json!({"name": "b1_2", "component": "sleep", "next": "join"}),
        json!({"name": "b2_1", "component": "sleep", "next": "b2_2"}),
        json!({"name": "b2_2", "component": "sleep", "next": "join"}),
        json!({"name": "join", "type": "p_join", "next": "last"}),
        json!({"name": "last", "component": "sleep", "next": "end"}),
    ]);
    json!({"journey": {"name": "long", "flow": flow}}).to_string()
}

const MANUAL: &str = r#"{"journey": {"name": "manual", "flow": [
  {"name": "start", "component": "sleep", "next": "approve"},
  {"name": "approve", "component": "manual", "user_data": "manual_wb", "next": "finish"},
  {"name": "finish", "component": "sleep", "next": "end"}]}}"#;

struct Sleepy {
    sleep: Duration,
    marks: Option<PathBuf>,
}

impl Sleepy {
    fn mark(&self, ctx: &StepContext) -> Result<(), ComponentError> {
        let Some(path) = &self.marks else {
            return Ok(());
        };
        // one write per line with O_APPEND: lines of concurrent processes do not interleave
        let line = format!("{} {} {}\n", ctx.case_id, ctx.exec_path, ctx.step);
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .and_then(|mut f| f.write_all(line.as_bytes()))
            .map_err(|e| ComponentError::new(format!("marks file: {e}")))
    }
}

impl Components for Sleepy {
    fn task(&self, ctx: &StepContext) -> Result<TaskResponse, ComponentError> {
        self.mark(ctx)?;
        std::thread::sleep(self.sleep);
        match ctx.component.as_str() {
            "manual" if !ctx.pend_at_same_step => Ok(TaskResponse::pend(
                ctx.user_data.as_deref().unwrap_or("manual_wb"),
            )),
            _ => Ok(TaskResponse::proceed()),
        }
    }

    fn route(&self, ctx: &StepContext) -> Result<RouteResponse, ComponentError> {
        self.mark(ctx)?;
        Ok(RouteResponse::branches(["1", "2"]))
    }
}

fn open_store(args: &Args) -> Result<Box<dyn Store>, String> {
    if let Some(dir) = &args.dir {
        return Ok(Box::new(FileStore::open(dir).map_err(|e| e.to_string())?));
    }
    let url = std::env::var("DATABASE_URL").map_err(|_| "--pg needs DATABASE_URL".to_owned())?;
    let url = DatabaseUrl::parse(&url).map_err(|e| e.to_string())?;
    let options = PoolOptions {
        max_size: 4,
        connection_timeout: Duration::from_secs(3),
        statement_timeout: Some(Duration::from_secs(10)),
    };
    Ok(Box::new(
        PgStore::connect(&url, &options).map_err(|e| e.to_string())?,
    ))
}

/// A small deterministic shuffle (the order the concurrent resumers visit the cases).
fn shuffle(cases: &mut [String], mut seed: u64) {
    for i in (1..cases.len()).rev() {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = (seed >> 33) as usize % (i + 1);
        cases.swap(i, j);
    }
}

fn exit_code(error: &EngineError) -> u8 {
    match error {
        EngineError::Store(e) if e.is_unavailable() => 69,
        e if e.is_temporary() => 75,
        _ => 1,
    }
}

fn main() -> ExitCode {
    let mut args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let store = match open_store(&args) {
        Ok(store) => store,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(69);
        }
    };
    let text = match args.journey.as_str() {
        "long" => long_journey(args.steps),
        "manual" => MANUAL.to_owned(),
        other => {
            eprintln!("error: unknown journey {other}");
            return ExitCode::from(2);
        }
    };
    let journey = JourneyRecord::parse(text).expect("the built-in journeys are valid");
    let components = Sleepy {
        sleep: Duration::from_millis(args.sleep_ms),
        marks: args.marks.clone(),
    };
    let config = EngineConfig {
        max_threads: args.max_threads,
        lock_wait: args
            .lock_wait_ms
            .map_or(LockWait::Wait(Duration::from_secs(30)), |ms| {
                if ms == 0 {
                    LockWait::Try
                } else {
                    LockWait::Wait(Duration::from_millis(ms))
                }
            }),
        ..EngineConfig::default()
    };
    let engine = Engine::new(store.as_ref(), &components).with_config(config);
    if let Some(seed) = args.shuffle {
        shuffle(&mut args.cases, seed);
    }
    let mut stdout = std::io::stdout().lock();
    for case in &args.cases {
        let stored = match store.journey(case) {
            Ok(found) => found.is_some(),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(if e.is_unavailable() { 69 } else { 1 });
            }
        };
        let result = if stored {
            engine.resume(case, Vec::new())
        } else {
            engine.start(case, &journey, None, Vec::new())
        };
        let word = match result {
            Ok(outcome) if outcome.is_complete() => "completed",
            Ok(_) => "pended",
            Err(EngineError::Completed { .. }) => "already-complete",
            Err(e) if e.is_temporary() => "locked",
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(exit_code(&e));
            }
        };
        if writeln!(stdout, "{case} {word}").is_err() {
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
