//! Conformance runner: runs every scenario of a conformance directory on the chosen stores.
//!
//! ```text
//! cargo run --release --example conformance -- DIR [--store memory|file|pg|all] [--emit OUT]
//! ```
//!
//! Prints `PASS name` / `FAIL name: first difference` per scenario (and store, when several are
//! run), then `N passed, N failed`; exits 1 on any failure, 2 on bad usage. `--emit OUT` writes
//! each run's records as JSON lines to `OUT/<name>.jsonl` (`<name>.<store>.jsonl` with several
//! stores) for `check.py SCENARIO ACTUAL`.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use wfctl::conformance::{self, StoreKind};

struct Args {
    dir: PathBuf,
    stores: Vec<StoreKind>,
    all: bool,
    emit: Option<PathBuf>,
}

const USAGE: &str = "usage: conformance DIR [--store memory|file|pg|all] [--emit OUT]";

fn parse_args() -> Result<Args, String> {
    let mut dir = None;
    let mut store = "memory".to_owned();
    let mut emit = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--store" => store = args.next().ok_or("--store needs a value")?,
            "--emit" => {
                emit = Some(PathBuf::from(
                    args.next().ok_or("--emit needs a directory")?,
                ))
            }
            "-h" | "--help" => return Err(String::new()),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            _ if dir.is_none() => dir = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument {arg}")),
        }
    }
    let (stores, all) = match store.as_str() {
        "all" => (StoreKind::ALL.to_vec(), true),
        name => (
            vec![StoreKind::parse(name).ok_or_else(|| format!("unknown store {name}"))?],
            false,
        ),
    };
    Ok(Args {
        dir: dir.ok_or("missing DIR")?,
        stores,
        all,
        emit,
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("error: {message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut stores = Vec::new();
    for kind in &args.stores {
        match conformance::open_store(*kind) {
            Ok(_) => stores.push(*kind),
            Err(e) if args.all => eprintln!("note: skipping: {e}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let scenarios = match conformance::load_dir(&args.dir) {
        Ok(s) if s.is_empty() => {
            eprintln!(
                "error: no scenarios under {}/scenarios*/",
                args.dir.display()
            );
            return ExitCode::FAILURE;
        }
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(out) = &args.emit
        && let Err(e) = std::fs::create_dir_all(out)
    {
        eprintln!("error: cannot create {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    let (mut passed, mut failed) = (0, 0);
    let mut stdout = std::io::stdout().lock();
    for kind in &stores {
        for loaded in &scenarios {
            let label = if stores.len() > 1 {
                format!("{} [{kind}]", loaded.scenario.name)
            } else {
                loaded.scenario.name.clone()
            };
            let verdict = match conformance::run(loaded, *kind, None) {
                Ok(v) => v,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::FAILURE;
                }
            };
            if let Some(out) = &args.emit {
                let file = if stores.len() > 1 {
                    out.join(format!("{}.{kind}.jsonl", verdict.name))
                } else {
                    out.join(format!("{}.jsonl", verdict.name))
                };
                let lines: String = verdict.actual.iter().map(|r| format!("{r}\n")).collect();
                if let Err(e) = std::fs::write(&file, lines) {
                    eprintln!("error: cannot write {}: {e}", file.display());
                    return ExitCode::FAILURE;
                }
            }
            let line = match verdict.problems.first() {
                None => {
                    passed += 1;
                    format!("PASS {label}")
                }
                Some(first) => {
                    failed += 1;
                    format!("FAIL {label}: {first}")
                }
            };
            if writeln!(stdout, "{line}").is_err() {
                return ExitCode::FAILURE;
            }
        }
    }
    let _ = writeln!(stdout, "{passed} passed, {failed} failed");
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
