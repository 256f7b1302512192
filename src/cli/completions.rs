//! `wfctl completions SHELL`: completion scripts (also checked in under `completions/`).

use clap::Args;
use clap_complete::Shell;

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell
    shell: Shell,
}

pub(crate) fn run(args: &CompletionsArgs) -> anyhow::Result<()> {
    let mut command = super::command();
    clap_complete::generate(
        args.shell,
        &mut command,
        "wfctl",
        &mut std::io::stdout().lock(),
    );
    Ok(())
}
