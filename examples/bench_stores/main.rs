//! Durable store throughput next to its bound, measured in the same run (issue 5, item 6).
//!
//! ```text
//! scripts/bench-stores.sh [-- OPTIONS]          # a throwaway disk-backed, durable cluster
//! DATABASE_URL=... cargo run --release --example bench_stores -- [OPTIONS]
//!   --store pg|file|all   (default all; pg needs DATABASE_URL)
//!   --cases N             cases per configuration (default 200), split over the processes
//!   --procs 1,2,4         concurrent processes
//!   --dir DIR             where the file store goes (default: the system temp dir)
//!   --rounds N            measurements per configuration, alternating (default 3)
//! ```
//!
//! The machine is shared and noisy: each configuration alternates the two sides `--rounds`
//! times and reports the best of each (the least disturbed run).
//!
//! Each configuration runs a 10-step journey (every unit persisted: about 12 persistence
//! points per case) in K processes at once and reports cases/s:
//!
//! - `wfctl`: the engine on the store, as `wfctl case start` will run it.
//! - PostgreSQL bound: the same SQL statements without the engine: per case the lock, the
//!   journey insert and the exact save-point statements of a recorded run (rows prepared
//!   before the clock starts), on one connection per process.
//! - File bound: one durable atomic file replace per persistence point (write a temp file of
//!   the process-info document's size, fdatasync, rename, fsync the directory).
//!
//! Case data has realistic entropy: random customer data, amounts and a note per step.

mod bound;
mod record;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use diesel::RunQueryDsl;
use diesel::connection::SimpleConnection;
use wfctl::db::{self, DatabaseUrl, PoolOptions};
use wfctl::engine::{
    ComponentError, Components, Engine, EngineConfig, RouteResponse, StepContext, TaskResponse,
};
use wfctl::model::{JourneyRecord, VarValue, Variable};
use wfctl::store::{FileStore, PgStore, Store};

/// A small xorshift generator: test data with entropy, without a dependency.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn text(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ";
        (0..len)
            .map(|_| ALPHABET[(self.next_u64() % ALPHABET.len() as u64) as usize] as char)
            .collect()
    }
}

pub fn ten_steps() -> JourneyRecord {
    let flow: Vec<String> = (0..10)
        .map(|i| {
            let name = if i == 0 {
                "start".to_owned()
            } else {
                format!("step_{i}")
            };
            let next = if i == 9 {
                "end".to_owned()
            } else {
                format!("step_{}", i + 1)
            };
            format!(r#"{{"name": "{name}", "component": "comp_{i}", "next": "{next}"}}"#)
        })
        .collect();
    JourneyRecord::parse(format!(
        r#"{{"journey": {{"name": "ten", "flow": [{}]}}}}"#,
        flow.join(",")
    ))
    .expect("the benchmark journey is valid")
}

/// Tasks proceed and leave a note with some entropy.
pub struct Notes;

impl Components for Notes {
    fn task(&self, ctx: &StepContext) -> Result<TaskResponse, ComponentError> {
        let seed = ctx
            .case_id
            .bytes()
            .chain(ctx.step.bytes())
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
            });
        let mut rng = Rng::new(seed);
        Ok(TaskResponse::proceed().with_variables(vec![Variable::new(
            format!("note_{}", ctx.step),
            VarValue::String(rng.text(40)),
        )]))
    }

    fn route(&self, _ctx: &StepContext) -> Result<RouteResponse, ComponentError> {
        Ok(RouteResponse::branches(["1"]))
    }
}

/// The variables a case starts with.
pub fn initial_variables(rng: &mut Rng) -> Vec<Variable> {
    vec![
        Variable::new("customer", VarValue::String(rng.text(24))),
        Variable::new(
            "amount",
            VarValue::Long((rng.next_u64() % 1_000_000) as i64),
        ),
        Variable::new(
            "address",
            VarValue::Object(serde_json::json!({
                "street": rng.text(30), "city": rng.text(12), "zip": rng.text(5)
            })),
        ),
    ]
}

struct Options {
    stores: Vec<&'static str>,
    cases: usize,
    procs: Vec<usize>,
    dir: Option<PathBuf>,
    rounds: usize,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        stores: vec!["pg", "file"],
        cases: 200,
        procs: vec![1, 2, 4],
        dir: None,
        rounds: 3,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--store" => {
                options.stores = match value()?.as_str() {
                    "pg" => vec!["pg"],
                    "file" => vec!["file"],
                    "all" => vec!["pg", "file"],
                    other => return Err(format!("unknown store {other}")),
                }
            }
            "--cases" => options.cases = value()?.parse().map_err(|e| format!("--cases: {e}"))?,
            "--procs" => {
                options.procs = value()?
                    .split(',')
                    .map(|p| p.parse().map_err(|e| format!("--procs: {e}")))
                    .collect::<Result<_, _>>()?
            }
            "--dir" => options.dir = Some(PathBuf::from(value()?)),
            "--rounds" => {
                options.rounds = value()?.parse().map_err(|e| format!("--rounds: {e}"))?
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = if args.first().map(String::as_str) == Some("--worker") {
        worker(&args[1..])
    } else {
        parse_options(&args).and_then(|options| run(&options))
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// A schema of its own in DATABASE_URL's database, migrated; its URL; dropped by the caller.
fn bench_schema(url: &DatabaseUrl) -> Result<(String, DatabaseUrl), String> {
    let schema = format!("wfctl_bench_{}", std::process::id());
    let mut conn = db::connect(url, Duration::from_secs(5)).map_err(|e| e.to_string())?;
    conn.batch_execute(&format!(
        "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}; SET search_path TO {schema}"
    ))
    .map_err(|e| e.to_string())?;
    db::migrate::run_pending(&mut conn).map_err(|e| e.to_string())?;
    // conninfo is libpq's keyword form, not a URL: the option is added as a keyword
    let scoped = url.conninfo_with_defaults(&[("options", format!("-csearch_path={schema}"))]);
    let scoped = DatabaseUrl::parse(&scoped).map_err(|e| e.to_string())?;
    Ok((schema, scoped))
}

fn server_settings(url: &DatabaseUrl) -> Result<String, String> {
    #[derive(diesel::QueryableByName)]
    struct Setting {
        #[diesel(sql_type = diesel::sql_types::Text)]
        v: String,
    }
    let mut conn = db::connect(url, Duration::from_secs(5)).map_err(|e| e.to_string())?;
    let v: Setting = diesel::sql_query(
        "SELECT format('PostgreSQL %s, fsync=%s, synchronous_commit=%s, full_page_writes=%s',
           current_setting('server_version'), current_setting('fsync'),
           current_setting('synchronous_commit'), current_setting('full_page_writes')) AS v",
    )
    .get_result(&mut conn)
    .map_err(|e| e.to_string())?;
    Ok(v.v)
}

fn run(options: &Options) -> Result<(), String> {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    eprintln!(
        "bench_stores: 10-step journey, {} cases per measurement, best of {} alternating rounds, {cores} cores",
        options.cases, options.rounds
    );
    println!(
        "{:<6} {:>5} {:>14} {:>14} {:>7}",
        "store", "procs", "wfctl cases/s", "bound cases/s", "ratio"
    );
    for store in &options.stores {
        match *store {
            "pg" => {
                let url = std::env::var("DATABASE_URL")
                    .map_err(|_| "--store pg needs DATABASE_URL".to_owned())?;
                let url = DatabaseUrl::parse(&url).map_err(|e| e.to_string())?;
                eprintln!("bench_stores: {}", server_settings(&url)?);
                let (schema, scoped) = bench_schema(&url)?;
                let env = [("DATABASE_URL", scoped.conninfo())];
                let result = compare(options, "pg", &env, &[]);
                if let Ok(mut conn) = db::connect(&url, Duration::from_secs(5)) {
                    let _ = conn.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"));
                }
                result?;
            }
            _ => {
                let root = options.dir.clone().unwrap_or_else(std::env::temp_dir);
                let dir = root.join(format!("wfctl-bench-{}", std::process::id()));
                std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                eprintln!("bench_stores: file store in {}", dir.display());
                let dir_arg = dir.display().to_string();
                let result = compare(options, "file", &[], &["--dir", &dir_arg]);
                let _ = std::fs::remove_dir_all(&dir);
                result?;
            }
        }
    }
    Ok(())
}

fn compare(
    options: &Options,
    store: &str,
    env: &[(&str, String)],
    args: &[&str],
) -> Result<(), String> {
    // warm-up, not reported: first table/file extension, caches, the server's first checkpoint
    let warm = (options.cases / 4).max(5);
    measure(&format!("{store}-engine"), 1, warm, env, args)?;
    measure(&format!("{store}-bound"), 1, warm, env, args)?;
    for &procs in &options.procs {
        let per = options.cases.div_ceil(procs);
        let (mut wfctl, mut bound) = (0.0_f64, 0.0_f64);
        for _ in 0..options.rounds.max(1) {
            wfctl = wfctl.max(measure(&format!("{store}-engine"), procs, per, env, args)?);
            bound = bound.max(measure(&format!("{store}-bound"), procs, per, env, args)?);
        }
        println!(
            "{store:<6} {procs:>5} {wfctl:>14.1} {bound:>14.1} {:>7.2}",
            wfctl / bound
        );
    }
    Ok(())
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

fn read_line(stdout: &mut BufReader<ChildStdout>, expect: &str) -> Result<String, String> {
    let mut line = String::new();
    stdout.read_line(&mut line).map_err(|e| e.to_string())?;
    if !line.starts_with(expect) {
        return Err(format!("a worker said {line:?} instead of {expect:?}"));
    }
    Ok(line)
}

/// Cases/s of `procs` processes running `mode`, all started at the same moment.
fn measure(
    mode: &str,
    procs: usize,
    per: usize,
    env: &[(&str, String)],
    args: &[&str],
) -> Result<f64, String> {
    // every measurement gets case ids of its own
    static MEASUREMENT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = MEASUREMENT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut workers = Vec::new();
    for k in 0..procs {
        let mut child = Command::new(&exe)
            .args(["--worker", mode, "--prefix", &format!("{mode}-{n}-{k}-")])
            .args(["--cases", &per.to_string()])
            .args(args)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| e.to_string())?;
        let stdin = child.stdin.take().expect("piped");
        let stdout = BufReader::new(child.stdout.take().expect("piped"));
        workers.push(Worker {
            child,
            stdin,
            stdout,
        });
    }
    for w in &mut workers {
        read_line(&mut w.stdout, "ready")?;
    }
    let started = Instant::now();
    for w in &mut workers {
        w.stdin.write_all(b"go\n").map_err(|e| e.to_string())?;
    }
    for w in &mut workers {
        read_line(&mut w.stdout, "done")?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    for mut w in workers {
        let status = w.child.wait().map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("a {mode} worker failed: {status}"));
        }
    }
    Ok((procs * per) as f64 / elapsed)
}

fn wait_for_go() -> Result<(), String> {
    println!("ready");
    std::io::stdout().flush().map_err(|e| e.to_string())?;
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    Ok(())
}

fn worker(args: &[String]) -> Result<(), String> {
    let mut mode = String::new();
    let mut prefix = String::new();
    let mut cases = 0;
    let mut dir = None;
    let mut it = args.iter();
    if let Some(m) = it.next() {
        mode = m.clone();
    }
    while let Some(arg) = it.next() {
        let value = it.next().ok_or(format!("{arg} needs a value"))?;
        match arg.as_str() {
            "--prefix" => prefix = value.clone(),
            "--cases" => cases = value.parse().map_err(|e| format!("{e}"))?,
            "--dir" => dir = Some(PathBuf::from(value)),
            other => return Err(format!("unknown worker option {other}")),
        }
    }
    let ids: Vec<String> = (0..cases).map(|i| format!("{prefix}{i}")).collect();
    let journey = ten_steps();
    match mode.as_str() {
        "pg-engine" | "file-engine" => {
            let store: Box<dyn Store> = if mode == "pg-engine" {
                let url = DatabaseUrl::parse(&std::env::var("DATABASE_URL").unwrap_or_default())
                    .map_err(|e| e.to_string())?;
                let options = PoolOptions {
                    max_size: 2,
                    ..PoolOptions::default()
                };
                Box::new(PgStore::connect(&url, &options).map_err(|e| e.to_string())?)
            } else {
                Box::new(FileStore::open(dir_of(&dir)?).map_err(|e| e.to_string())?)
            };
            let mut rng = Rng::new(std::process::id().into());
            let variables: Vec<Vec<Variable>> =
                ids.iter().map(|_| initial_variables(&mut rng)).collect();
            // all branches of this journey are sequential: no branch threads
            let config = EngineConfig {
                max_threads: 0,
                ..EngineConfig::default()
            };
            let engine = Engine::new(store.as_ref(), &Notes).with_config(config);
            wait_for_go()?;
            for (id, vars) in ids.iter().zip(variables) {
                let outcome = engine
                    .start(id, &journey, None, vars)
                    .map_err(|e| e.to_string())?;
                if !outcome.is_complete() {
                    return Err(format!("case {id} did not complete"));
                }
            }
        }
        "pg-bound" => {
            let recorded = record::run(&journey)?;
            let url = DatabaseUrl::parse(&std::env::var("DATABASE_URL").unwrap_or_default())
                .map_err(|e| e.to_string())?;
            let prepared = bound::pg_prepare(&recorded, &ids)?;
            let mut conns = bound::pg_connections(&url)?;
            wait_for_go()?;
            bound::pg_run(&mut conns, &prepared)?;
        }
        "file-bound" => {
            let recorded = record::run(&journey)?;
            let documents = bound::file_documents(&recorded);
            let dir = dir_of(&dir)?.join(".bound");
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            wait_for_go()?;
            bound::file_run(&dir, &ids, &documents)?;
        }
        other => return Err(format!("unknown worker mode {other}")),
    }
    println!("done");
    Ok(())
}

fn dir_of(dir: &Option<PathBuf>) -> Result<&Path, String> {
    dir.as_deref().ok_or_else(|| "--dir is missing".to_owned())
}
