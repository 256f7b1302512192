//! Generates a file-store directory for migrate-files tests and benchmarks.
//!
//!     cargo run --release --example gen_file_store -- DIR [--cases N] [--bad-share 0.02]
//!         [--seed S] [--extras]
//!
//! Prints what it wrote on stderr and, on stdout, the corrupted files with the error class
//! migrate-files must report for each (tab-separated).

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line example"
)]

#[path = "../tests/it/support/file_store_gen.rs"]
mod file_store_gen;

use std::path::PathBuf;
use std::process::ExitCode;

use file_store_gen::{GenOptions, generate};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut options = GenOptions::default();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .unwrap_or_else(|| panic!("{name} needs a value"))
        };
        match arg.as_str() {
            "--cases" => options.cases = value("--cases").parse().expect("--cases N"),
            "--bad-share" => {
                options.bad_share = value("--bad-share").parse().expect("--bad-share 0..1");
            }
            "--seed" => options.seed = value("--seed").parse().expect("--seed N"),
            "--extras" => options.extras = true,
            other if !other.starts_with('-') && dir.is_none() => dir = Some(PathBuf::from(other)),
            other => {
                eprintln!("unexpected argument {other:?}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: gen_file_store DIR [--cases N] [--bad-share F] [--seed S] [--extras]");
        return ExitCode::from(2);
    };
    match generate(&dir, &options) {
        Ok(report) => {
            eprintln!(
                "{}: {} cases, {} files, {:.1} MB; {} corrupted files, {} pended cases",
                dir.display(),
                report.cases,
                report.files,
                report.bytes as f64 / 1e6,
                report.bad_files.len(),
                report.pended.len()
            );
            for (file, class, case) in &report.bad_files {
                println!("{file}\t{class}\t{case}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}
