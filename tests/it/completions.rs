//! The checked-in completion scripts match what the binary generates.
//! `WFCTL_BLESS=1 cargo test completions` rewrites them.

use crate::support::{Run, wfctl};

#[test]
fn checked_in_completions_are_current() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let bless = std::env::var_os("WFCTL_BLESS").is_some();
    let mut stale = Vec::new();
    for (shell, file) in [
        ("bash", "wfctl.bash"),
        ("zsh", "_wfctl"),
        ("fish", "wfctl.fish"),
        ("elvish", "wfctl.elv"),
        ("powershell", "_wfctl.ps1"),
    ] {
        let run = Run::of(wfctl().args(["completions", shell])).expect_code(0);
        assert!(run.stdout.len() > 200, "{shell}: {}", run.stdout);
        let path = root.join(file);
        if bless {
            std::fs::write(&path, &run.stdout).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(run.stdout.as_str()) {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "stale completions {stale:?}: run `WFCTL_BLESS=1 cargo test completions` and commit"
    );
}
