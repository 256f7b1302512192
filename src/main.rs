//! The `wfctl` binary: parse arguments, run, map errors to exit codes.

mod cli;

fn main() -> std::process::ExitCode {
    // a guardian of a child process runs that and exits; see wfctl::process
    wfctl::process::guard_main_if_asked();
    cli::main()
}
