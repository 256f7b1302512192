//! Benchmark of `wfctl migrate-files` against its bound, side by side in one run:
//!
//! - wfctl: `wfctl migrate-files DIR` on N generated cases (default 200,000): cases/s, MB/s of
//!   source JSON, peak RSS (`/usr/bin/time`), and the same for N/10 cases (RSS must stay flat);
//! - the bound: the very rows wfctl wrote, dumped to one COPY file per table beforehand and
//!   loaded by `psql \copy` into a fresh database with the same schema and indexes (+ ANALYZE,
//!   which wfctl also runs);
//! - on the N/10 set, the same rows as multi-row INSERTs (`pg_dump --inserts
//!   --rows-per-insert=1000`), the other loading method the design considered.
//!
//! Needs a PostgreSQL server: run it through `scripts/bench-import.sh`, which starts a
//! throwaway cluster with durable settings, or pass `--admin-url URL` of a superuser.
//!
//!     scripts/bench-import.sh [--cases 200000] [--work DIR] [--jobs N] [--batch-size N]

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line benchmark"
)]

#[path = "../tests/it/support/file_store_gen.rs"]
mod file_store_gen;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use file_store_gen::{GenOptions, generate};

const TABLES: &[&str] = &[
    "workflow_definition",
    "step",
    "route",
    "route_branch",
    "workflow_info",
    "exec_path",
    "workflow_variables",
    "process_variable_value",
    "milestone",
    "workflow_counters",
    "audit_log",
];

struct Args {
    cases: usize,
    small: usize,
    work: PathBuf,
    admin_url: String,
    pg_bin: PathBuf,
    extra: Vec<String>,
}

fn parse_args() -> Args {
    let mut args = Args {
        cases: 200_000,
        small: 0,
        work: PathBuf::from("/var/tmp/wfctl-bench-import"),
        admin_url: std::env::var("WFCTL_TEST_PG_URL").unwrap_or_default(),
        pg_bin: PathBuf::from(std::env::var("PGC_BIN").unwrap_or_else(|_| "/usr/bin".into())),
        extra: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--cases" => args.cases = value().parse().expect("--cases N"),
            "--small" => args.small = value().parse().expect("--small N"),
            "--work" => args.work = PathBuf::from(value()),
            "--admin-url" => args.admin_url = value(),
            "--pg-bin" => args.pg_bin = PathBuf::from(value()),
            "--jobs" | "--batch-size" | "--connections" => {
                let v = value();
                args.extra.extend([a.clone(), v]);
            }
            other => panic!("unexpected argument {other:?}"),
        }
    }
    if args.small == 0 {
        args.small = (args.cases / 10).max(1);
    }
    assert!(
        !args.admin_url.is_empty(),
        "--admin-url (or WFCTL_TEST_PG_URL) is required"
    );
    args
}

fn url_for(admin: &str, db: &str) -> String {
    let (base, _) = admin.rsplit_once('/').expect("a URL with a database");
    format!("{base}/{db}")
}

fn run(cmd: &mut Command) -> String {
    let out = cmd
        .stderr(Stdio::piped())
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success() || out.status.code() == Some(3),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn psql(args: &Args, db: &str) -> Command {
    let mut c = Command::new(args.pg_bin.join("psql"));
    c.args([
        "-X",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-d",
        &url_for(&args.admin_url, db),
    ]);
    c
}

fn wfctl() -> PathBuf {
    let exe = std::env::current_exe().expect("own path");
    exe.parent()
        .and_then(Path::parent)
        .expect("target/<profile>/examples/")
        .join("wfctl")
}

fn fresh_db(args: &Args, db: &str) {
    run(psql(args, "postgres").args([
        "-c",
        &format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"),
        "-c",
        &format!("CREATE DATABASE {db}"),
    ]));
    run(Command::new(wfctl())
        .env("DATABASE_URL", url_for(&args.admin_url, db))
        .args(["db", "migrate"]));
}

fn dataset(args: &Args, cases: usize) -> PathBuf {
    let dir = args.work.join(format!("cases-{cases}"));
    let marker = dir.join(".generated");
    if !marker.exists() {
        let _ = fs::remove_dir_all(&dir);
        eprintln!("generating {cases} cases in {} ...", dir.display());
        let t = Instant::now();
        let report = generate(
            &dir,
            &GenOptions {
                cases,
                seed: 42,
                ..GenOptions::default()
            },
        )
        .expect("the work directory is writable");
        eprintln!(
            "  {} files, {:.0} MB in {:.0} s",
            report.files,
            report.bytes as f64 / 1e6,
            t.elapsed().as_secs_f64()
        );
        fs::write(&marker, b"").expect("marker");
    }
    dir
}

struct Load {
    seconds: f64,
    mb: f64,
    rss_mb: Option<f64>,
}

/// `wfctl migrate-files` into a fresh database, under /usr/bin/time for the peak RSS.
fn load_wfctl(args: &Args, dir: &Path, db: &str) -> Load {
    fresh_db(args, db);
    let time = Path::new("/usr/bin/time");
    let mut cmd = if time.exists() {
        let mut c = Command::new(time);
        c.args(["-f", "%M"]).arg(wfctl());
        c
    } else {
        Command::new(wfctl())
    };
    cmd.env("DATABASE_URL", url_for(&args.admin_url, db))
        .args(["--json", "migrate-files"])
        .arg(dir)
        .args(&args.extra);
    let out = cmd.stderr(Stdio::piped()).output().expect("wfctl runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "wfctl failed: {stderr}");
    let summary: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("--json prints the summary");
    let rss_kb: Option<f64> = stderr.lines().last().and_then(|l| l.trim().parse().ok());
    Load {
        seconds: summary["elapsed_seconds"].as_f64().unwrap_or(0.0),
        mb: summary["read_bytes"].as_f64().unwrap_or(0.0) / 1e6,
        rss_mb: rss_kb.map(|kb| kb / 1024.0),
    }
}

/// The rows of `from` as COPY files, loaded by `psql \copy` into a fresh `into` (timed).
fn load_copy_bound(args: &Args, from: &str, into: &str) -> Load {
    let dir = args.work.join(format!("copy-{from}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("work dir");
    let mut script = String::new();
    let mut bytes = 0;
    for t in TABLES {
        let file = dir.join(format!("{t}.tsv"));
        run(psql(args, from).args(["-c", &format!("\\copy {t} TO '{}'", file.display())]));
        bytes += fs::metadata(&file).map_or(0, |m| m.len());
        script.push_str(&format!("\\copy {t} FROM '{}'\n", file.display()));
    }
    script.push_str("ANALYZE;\n");
    fs::write(dir.join("load.sql"), &script).expect("script");
    fresh_db(args, into);
    let t = Instant::now();
    run(psql(args, into).arg("-f").arg(dir.join("load.sql")));
    let seconds = t.elapsed().as_secs_f64();
    let _ = fs::remove_dir_all(&dir);
    Load {
        seconds,
        mb: bytes as f64 / 1e6,
        rss_mb: None,
    }
}

/// The rows of `from` as multi-row INSERTs (1000 rows each), loaded into a fresh `into`.
fn load_insert(args: &Args, from: &str, into: &str) -> Load {
    let file = args.work.join(format!("inserts-{from}.sql"));
    let mut dump = Command::new(args.pg_bin.join("pg_dump"));
    dump.args([
        "--data-only",
        "--inserts",
        "--rows-per-insert=1000",
        "--no-owner",
    ])
    .args(TABLES.iter().flat_map(|t| ["-t", t]))
    .arg("-f")
    .arg(&file)
    .arg(url_for(&args.admin_url, from));
    run(&mut dump);
    fs::write(
        &file,
        fs::read_to_string(&file).expect("dump") + "ANALYZE;\n",
    )
    .expect("dump");
    fresh_db(args, into);
    let t = Instant::now();
    run(psql(args, into).arg("-f").arg(&file));
    let seconds = t.elapsed().as_secs_f64();
    let mb = fs::metadata(&file).map_or(0.0, |m| m.len() as f64 / 1e6);
    let _ = fs::remove_file(&file);
    Load {
        seconds,
        mb,
        rss_mb: None,
    }
}

fn row(name: &str, cases: usize, l: &Load) {
    println!(
        "{name:<34} {cases:>8} {:>9.1} {:>9.0} {:>8.1} {:>10}",
        l.seconds,
        cases as f64 / l.seconds,
        l.mb / l.seconds,
        l.rss_mb.map_or("-".to_owned(), |r| format!("{r:.0} MB"))
    );
}

fn main() {
    let args = parse_args();
    fs::create_dir_all(&args.work).expect("work dir");
    let small_dir = dataset(&args, args.small);
    let big_dir = dataset(&args, args.cases);

    eprintln!("wfctl migrate-files, {} cases ...", args.small);
    let wfctl_small = load_wfctl(&args, &small_dir, "bench_wfctl_small");
    eprintln!("psql \\copy bound, {} cases ...", args.small);
    let copy_small = load_copy_bound(&args, "bench_wfctl_small", "bench_copy_small");
    eprintln!("multi-row INSERT, {} cases ...", args.small);
    let insert_small = load_insert(&args, "bench_wfctl_small", "bench_insert_small");
    eprintln!("wfctl migrate-files, {} cases ...", args.cases);
    let wfctl_big = load_wfctl(&args, &big_dir, "bench_wfctl_big");
    eprintln!("psql \\copy bound, {} cases ...", args.cases);
    let copy_big = load_copy_bound(&args, "bench_wfctl_big", "bench_copy_big");

    println!(
        "{:<34} {:>8} {:>9} {:>9} {:>8} {:>10}",
        "load", "cases", "seconds", "cases/s", "MB/s", "peak RSS"
    );
    row("wfctl migrate-files", args.cases, &wfctl_big);
    row("bound: psql \\copy of the same rows", args.cases, &copy_big);
    row("wfctl migrate-files", args.small, &wfctl_small);
    row(
        "bound: psql \\copy of the same rows",
        args.small,
        &copy_small,
    );
    row(
        "multi-row INSERT (1000 rows each)",
        args.small,
        &insert_small,
    );
    println!(
        "ratio wfctl / COPY bound: {:.2} at {} cases, {:.2} at {} cases (goal >= 0.5)",
        copy_big.seconds / wfctl_big.seconds,
        args.cases,
        copy_small.seconds / wfctl_small.seconds,
        args.small
    );
    println!(
        "COPY / multi-row INSERT speed: {:.2}x at {} cases",
        insert_small.seconds / copy_small.seconds,
        args.small
    );
    if let (Some(a), Some(b)) = (wfctl_small.rss_mb, wfctl_big.rss_mb) {
        println!(
            "peak RSS: {a:.0} MB at {} cases, {b:.0} MB at {} cases ({:.2}x for {}x the cases)",
            args.small,
            args.cases,
            b / a,
            args.cases / args.small.max(1)
        );
    }
    println!("(MB/s: source JSON for wfctl, COPY text or SQL text for the bounds)");
}
