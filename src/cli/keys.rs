//! `wfctl keys generate FILE`: a new key for sensitive variables, written to a new file (mode
//! 0600, atomically; an existing file is never replaced). The key is never printed.
//! `wfctl keys rotate --new-key FILE`: every sealed value sealed again under that key.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};
use wfctl::crypto::{Key, KeyRing, Sensitive, rotate_case};
use wfctl::store::{AuditRewrite, LockWait};

use super::Context;
use super::exit::{CONFIG, Exit, PARTIAL};
use super::runtime::{self, Opened, open_store};

/// How long `keys rotate` waits for a case another process is working on.
const ROTATE_LOCK_WAIT: Duration = Duration::from_secs(10);

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
            g.file.display()
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
    let (mut cases, mut records, mut failed) = (0usize, 0usize, Vec::new());
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
                cases += 1;
                records += n;
            }
            Err(e) => {
                ctx.output.warn(&format!("case {}: {e}", case.case_id));
                failed.push(case.case_id.clone());
            }
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
                "{} case(s) not rotated (first: {}); run wfctl keys rotate again to finish",
                failed.len(),
                failed[0]
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
