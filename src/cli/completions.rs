//! `wfctl completions SHELL`: completion scripts (also checked in under `completions/`).

use clap::Args;
use clap_complete::Shell;

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell
    shell: Shell,
}

pub(crate) fn run(args: &CompletionsArgs, out: &super::Output) -> anyhow::Result<()> {
    let mut command = super::command();
    // generated in memory: clap_complete panics on a write error, and a closed stdout
    // (`wfctl completions bash | head -1`) is not an error
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "wfctl", &mut script);
    Ok(out.print(&String::from_utf8_lossy(&script))?)
}
