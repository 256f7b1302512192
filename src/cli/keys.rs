//! `wfctl keys generate FILE`: a new key for sensitive variables, written to a new file (mode
//! 0600, atomically; an existing file is never replaced). The key is never printed.
//! `wfctl keys rotate --new-key FILE`: every sealed value sealed again under that key.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};
use wfctl::crypto::{Key, KeyRing, RotateError, Sensitive, rotate_case};
use wfctl::store::{AuditRewrite, LockWait};

use super::Context;
use super::exit::{CONFIG, Exit, PARTIAL};
use super::runtime::{self, Opened, open_store};

/// How long `keys rotate` waits for a case another process is working on.
const ROTATE_LOCK_WAIT: Duration = Duration::from_secs(10);

/// How many times `keys rotate` goes over the store again after its first round while rounds
/// still find values under an old key (written meanwhile by a process using the old key).
const VERIFY_ROUNDS: usize = 3;

/// `wfctl keys`
#[derive(Debug, Args)]
pub(crate) struct KeysArgs {
    #[command(subcommand)]
    command: KeysCommand,
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Write a new key to FILE (mode 0600; refuses an existing file) and print its key id
    Generate(GenerateArgs),
    /// Seal every sensitive value again under the key in FILE (the current key opens the old
    /// values); run it again to finish an interrupted rotation, then point WFCTL_KEY_FILE or
    /// [variables] key_file at FILE
    Rotate(RotateArgs),
}

#[derive(Debug, Args)]
struct RotateArgs {
    /// The new key file (from wfctl keys generate)
    #[arg(long, value_name = "FILE")]
    new_key: PathBuf,
}

#[derive(Debug, Args)]
struct GenerateArgs {
    /// The new key file
    #[arg(value_name = "FILE")]
    file: PathBuf,
}

impl KeysArgs {
    /// `keys generate` reads no setting.
    pub(crate) fn is_generate(&self) -> bool {
        matches!(self.command, KeysCommand::Generate(_))
    }
}

pub(crate) fn run(args: &KeysArgs, ctx: &Context) -> anyhow::Result<()> {
    let g = match &args.command {
        KeysCommand::Generate(g) => g,
        KeysCommand::Rotate(r) => return rotate(r, ctx),
    };
    let key = Key::generate()?;
    key.write_new(&g.file)
        .map_err(|e| Exit::new(1, e.to_string()))?;
    let out = &ctx.output;
    if out.json() {
        out.print_json(&serde_json::json!({
            "file": g.file.display().to_string(),
            "key_id": key.id(),
        }))?;
    } else if out.quiet() {
        out.print(key.id())?;
    } else {
        out.print(&format!(
            "key {} written to {} (mode 0600): point WFCTL_KEY_FILE or [variables] key_file at it",
            key.id(),
            wfctl::conventions::path_text(&g.file)
        ))?;
    }
    Ok(())
}

fn rotate(args: &RotateArgs, ctx: &Context) -> anyhow::Result<()> {
    let new = Key::load(&args.new_key).map_err(|e| Exit::new(CONFIG, e.to_string()))?;
    let current = runtime::sensitive(ctx)?;
    // the new key seals; the current one (if any) opens what is not rotated yet
    let mut keys = vec![new.clone()];
    keys.extend(current.keys().sealing().cloned());
    let sensitive = Sensitive::new(ctx.config.variables.sensitive.clone(), KeyRing::new(keys));
    let opened = open_store(ctx)?;
    let store = opened.store();
    let rewrite: &dyn AuditRewrite = match &opened {
        Opened::Files(s) => s,
        Opened::Postgres(s) => s,
    };
    let mut rotated = std::collections::BTreeSet::new();
    let mut records = 0usize;
    let mut failed: Vec<String> = Vec::new();
    let mut wrong_key = false;
    let mut round = |failed: &mut Vec<String>| -> anyhow::Result<Vec<String>> {
        let mut changed = Vec::new();
        failed.clear();
        for case in store.list_cases()? {
            match rotate_case(
                store,
                rewrite,
                &sensitive,
                &case.case_id,
                LockWait::Wait(ROTATE_LOCK_WAIT),
            ) {
                Ok(0) => {}
                Ok(n) => {
                    rotated.insert(case.case_id.clone());
                    records += n;
                    changed.push(case.case_id.clone());
                }
                Err(e) => {
                    // a crypto error names its case already
                    match &e {
                        RotateError::Crypto(_) => {
                            wrong_key = true;
                            ctx.output.warn(&e.to_string());
                        }
                        RotateError::Store(_) => {
                            ctx.output.warn(&format!("case {}: {e}", case.case_id));
                        }
                    }
                    failed.push(case.case_id.clone());
                }
            }
        }
        Ok(changed)
    };
    // the first round rotates what the listing held; then rounds again until one changes
    // nothing: a process still writing with the old key during the run left a case (or a
    // record) under it, and rotate is done only when no value is left under another key
    let mut changed = round(&mut failed)?;
    let mut left = Vec::new();
    for verify in 1..=VERIFY_ROUNDS {
        if changed.is_empty() {
            break;
        }
        changed = round(&mut failed)?;
        if verify == VERIFY_ROUNDS {
            left = changed.clone();
        }
    }
    let cases = rotated.len();
    for case in &left {
        ctx.output.warn(&format!(
            "case {case}: still written under an old key while rotating (switch every writer to the new key, or stop them, then run wfctl keys rotate again)"
        ));
        if !failed.contains(case) {
            failed.push(case.clone());
        }
    }
    let out = &ctx.output;
    if out.json() {
        out.print_json(&serde_json::json!({
            "key_id": new.id(),
            "cases": cases,
            "records": records,
            "failed": failed,
        }))?;
    } else if !out.quiet() {
        out.print(&format!(
            "{records} record(s) of {cases} case(s) sealed again under key {}",
            new.id()
        ))?;
    }
    if !failed.is_empty() {
        return Err(Exit::new(
            PARTIAL,
            format!(
                "{} case(s) not rotated (first: {}); {}",
                failed.len(),
                failed[0],
                if wrong_key {
                    "the key loaded does not open them: set WFCTL_KEY_FILE to the key they are sealed with, then run wfctl keys rotate again"
                } else {
                    "run wfctl keys rotate again to finish (after switching writers to the new key)"
                }
            ),
        )
        .into());
    }
    if !out.quiet() && !out.json() {
        out.warn(&format!(
            "every value is under key {}: point WFCTL_KEY_FILE or [variables] key_file at {}",
            new.id(),
            args.new_key.display()
        ));
    }
    Ok(())
}
