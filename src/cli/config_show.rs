//! `wfctl config show`: every effective setting, its value (passwords redacted) and where it
//! came from: a flag, the environment, the configuration file (named), or the default.

use clap::{Args, Subcommand};
use serde::Serialize;
use wfctl::config::PersistMode;
use wfctl::engine::EngineConfig;

use super::Context;
use super::context::{StoreLocation, looked_in};
use super::logging::FILTER_VAR;

/// `wfctl config`
#[derive(Debug, Args)]
pub(crate) struct ConfigArgs {
    #[command(subcommand)]
    command: ConfigCommand,
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Print every effective setting with its value and where it came from
    Show,
}

/// One setting as shown.
#[derive(Debug, Serialize)]
struct Setting {
    name: String,
    value: Option<String>,
    source: String,
}

fn setting(name: &str, value: Option<String>, source: impl Into<String>) -> Setting {
    Setting {
        name: name.to_owned(),
        value,
        source: source.into(),
    }
}

/// A value from the file when set, else the default (`None`: no default, e.g. the server's).
fn from_file<T>(
    file: &str,
    name: &str,
    set: Option<T>,
    show: impl Fn(T) -> String,
    default: Option<String>,
) -> Setting {
    match set {
        Some(v) => setting(name, Some(show(v)), format!("{file} {name}")),
        None => setting(name, default, "default"),
    }
}

/// A duration setting in the one printed form (`5s`, `3h 5m`) when that form is exact, else in
/// whole seconds or milliseconds: a setting is shown as it acts, never rounded.
fn duration(d: std::time::Duration) -> String {
    let text = crate::cli::format::duration(d);
    if crate::cli::format::parse_duration(&text) == Ok(d) {
        text
    } else if d.subsec_nanos() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

fn settings(ctx: &Context) -> anyhow::Result<Vec<Setting>> {
    let file = ctx
        .config_path
        .as_ref()
        .map_or_else(String::new, |p| p.display().to_string());
    let c = &ctx.config;
    let engine = EngineConfig::default();
    let mut all = vec![match (&ctx.config_path, &ctx.config_origin) {
        (Some(path), Some(origin)) => {
            setting("config file", Some(path.display().to_string()), origin)
        }
        _ => setting(
            "config file",
            None,
            format!("none found in {}", looked_in()),
        ),
    }];
    all.push(match ctx.store_location()? {
        StoreLocation::Files(dir) => setting(
            "store",
            Some(format!("files in {}", dir.display())),
            &ctx.store_source,
        ),
        StoreLocation::Postgres(url) => setting(
            "store",
            Some(format!("PostgreSQL {url}")),
            &ctx.store_source,
        ),
    });
    // the URL's Display redacts the password
    all.push(match (ctx.database_url(), &ctx.database_url_source) {
        (Ok(url), Some(source)) => setting("database url", Some(url.to_string()), source),
        (Ok(_), None) => setting(
            "database url",
            Some("libpq defaults".to_owned()),
            "PGHOST/PGDATABASE/PGSERVICE",
        ),
        // a URL that was given and does not parse cannot be shown redacted: its error
        (Err(e), Some(_)) => return Err(e),
        (Err(_), None) => setting("database url", None, "not set"),
    });
    let db = &c.database;
    all.push(from_file(
        &file,
        "[database] pool_size",
        db.pool_size,
        |n| n.to_string(),
        Some("8".to_owned()),
    ));
    all.push(from_file(
        &file,
        "[database] connect_timeout",
        db.connect_timeout,
        duration,
        Some("5s".to_owned()),
    ));
    all.push(from_file(
        &file,
        "[database] statement_timeout",
        db.statement_timeout,
        duration,
        Some("the server's".to_owned()),
    ));
    all.push(from_file(
        &file,
        "[database] lock_timeout",
        db.lock_timeout,
        duration,
        Some("the server's".to_owned()),
    ));
    all.push(from_file(
        &file,
        "[database] min_idle",
        db.min_idle,
        |n| n.to_string(),
        Some("0".to_owned()),
    ));
    all.push(from_file(
        &file,
        "[database] idle_timeout",
        db.idle_timeout,
        duration,
        Some("10m".to_owned()),
    ));
    all.push(from_file(
        &file,
        "[database] max_lifetime",
        db.max_lifetime,
        duration,
        Some("30m".to_owned()),
    ));
    all.push(from_file(
        &file,
        "[engine] max_threads",
        c.engine.max_threads,
        |n| n.to_string(),
        Some(engine.max_threads.to_string()),
    ));
    all.push(from_file(
        &file,
        "[engine] error_workbasket",
        c.engine.error_workbasket.clone(),
        |s| s,
        Some(engine.error_workbasket.clone()),
    ));
    all.push(from_file(
        &file,
        "[engine] persist",
        c.engine.persist,
        |p| match p {
            PersistMode::EachUnit => "each-unit".to_owned(),
            PersistMode::OnStop => "on-stop".to_owned(),
        },
        Some("each-unit".to_owned()),
    ));
    all.extend(backup_settings(c, &file));
    all.push(match std::env::var("WFCTL_PG_BINDIR") {
        Ok(value) => setting("[tools] bin_dir", Some(value), "WFCTL_PG_BINDIR"),
        Err(_) => from_file(
            &file,
            "[tools] bin_dir",
            c.tools.bin_dir.as_ref(),
            |d| d.display().to_string(),
            Some("/usr/lib/postgresql/<server major>/bin, other majors there, PATH".to_owned()),
        ),
    });
    for (name, component) in &c.components {
        // env values may be secrets: their names only
        let what = match (&component.exec, &component.builtin) {
            // as for SLA actions: the time limit a program runs under
            (Some(argv), _) => format!(
                "exec {argv:?}, {}",
                component.timeout.map_or_else(
                    || format!(
                        "timeout {} (default)",
                        duration(wfctl::components::exec::DEFAULT_TIMEOUT)
                    ),
                    |t| format!("timeout {}", duration(t)),
                )
            ),
            (None, Some(builtin)) => format!("builtin {builtin}"),
            (None, None) => "nothing".to_owned(),
        };
        let env: Vec<&str> = component.env.keys().map(String::as_str).collect();
        let env = if env.is_empty() {
            String::new()
        } else {
            format!(", env {}", env.join(" "))
        };
        let reads = component
            .reads
            .as_ref()
            .map_or_else(String::new, |names| format!(", reads {}", names.join(" ")));
        all.push(setting(
            &format!("[components.{name}]"),
            Some(format!("{what}{env}{reads}")),
            format!("{file} [components.{name}]"),
        ));
    }
    all.extend(repository_settings(ctx, &file));
    all.extend(sla_settings(c, &file));
    all.extend(variables_settings(ctx, &file));
    all.push(match std::env::var(FILTER_VAR) {
        Ok(filter) => setting("log filter", Some(filter), FILTER_VAR),
        Err(_) => setting("log filter", None, "-v / -vv / -vvv"),
    });
    Ok(all)
}

/// What `db backup` uses when its flags are not given: `WFCTL_BACKUP_DIR` for the directory,
/// then `[backup]` in the file, then the defaults (the same order as the command).
fn backup_settings(c: &wfctl::config::Config, file: &str) -> Vec<Setting> {
    let b = &c.backup;
    let dir = match std::env::var("WFCTL_BACKUP_DIR") {
        Ok(value) => setting("[backup] dir", Some(value), "WFCTL_BACKUP_DIR"),
        Err(_) => from_file(
            file,
            "[backup] dir",
            b.dir.as_ref(),
            |d| d.display().to_string(),
            Some(super::db::DEFAULT_BACKUP_DIR.to_owned()),
        ),
    };
    vec![
        dir,
        from_file(
            file,
            "[backup] format",
            b.format,
            |f| match f {
                wfctl::config::BackupFormat::SqlGz => "sql-gz".to_owned(),
                wfctl::config::BackupFormat::Custom => "custom".to_owned(),
            },
            Some("sql-gz".to_owned()),
        ),
        from_file(
            file,
            "[backup] level",
            b.level,
            |n| n.to_string(),
            Some(super::db::DEFAULT_LEVEL.to_string()),
        ),
        from_file(
            file,
            "[backup] keep_days",
            b.keep_days,
            // a retention age in the form --keep takes
            |n| format!("{n}d"),
            Some(format!("{}d", super::db::DEFAULT_KEEP_DAYS)),
        ),
        from_file(
            file,
            "[backup] keep_min",
            b.keep_min,
            |n| n.to_string(),
            Some(super::db::DEFAULT_KEEP_MIN.to_string()),
        ),
    ]
}

/// `[repository]`: where backups and archived WAL go (its URL redacted), and how objects are
/// encrypted (recipients are public keys; the identity file is named, never read).
fn repository_settings(ctx: &Context, file: &str) -> Vec<Setting> {
    let r = &ctx.config.repository;
    // the URL the repository commands open, from wherever it is set
    let url = match ctx.repository_url() {
        Some((url, source)) => setting(
            "[repository] url",
            Some(wfctl::repo::open::redact_url(&url)),
            source,
        ),
        None => setting("[repository] url", None, "default"),
    };
    let identity = match std::env::var("WFCTL_AGE_IDENTITY") {
        Ok(value) => setting(
            "[repository] identity_file",
            Some(value),
            "WFCTL_AGE_IDENTITY",
        ),
        Err(_) => from_file(
            file,
            "[repository] identity_file",
            r.identity_file.as_ref(),
            |p| p.display().to_string(),
            None,
        ),
    };
    vec![
        url,
        from_file(
            file,
            "[repository] read_only",
            r.read_only.then_some(true),
            |b| b.to_string(),
            Some("false".to_owned()),
        ),
        from_file(
            file,
            "[repository] wal_archive",
            r.wal_archive.as_ref(),
            |p| p.display().to_string(),
            None,
        ),
        from_file(
            file,
            "[repository] encrypt",
            r.encrypt.map(|_| "age"),
            str::to_owned,
            Some("none".to_owned()),
        ),
        from_file(
            file,
            "[repository] recipients",
            (!r.recipients.is_empty()).then(|| r.recipients.join(", ")),
            |s| s,
            None,
        ),
        identity,
    ]
}

/// `[sla.actions."KEY"]`: each action's program (its env values may be secrets: names only).
fn sla_settings(c: &wfctl::config::Config, file: &str) -> Vec<Setting> {
    if c.sla.actions.is_empty() {
        return vec![setting(
            "[sla.actions]",
            None,
            "none configured: CORR, DECLINE, RAISE_INC and CUSTOM actions fail",
        )];
    }
    c.sla
        .actions
        .iter()
        .map(|(key, action)| {
            let timeout = action.timeout.map_or_else(
                || "timeout 30s (default)".to_owned(),
                |t| format!("timeout {}", duration(t)),
            );
            let env: Vec<&str> = action.env.keys().map(String::as_str).collect();
            let env = if env.is_empty() {
                String::new()
            } else {
                format!(", env {}", env.join(" "))
            };
            let name = format!("[sla.actions.\"{key}\"]");
            setting(
                &name,
                Some(format!("exec {:?}, {timeout}{env}", action.exec)),
                format!("{file} {name}"),
            )
        })
        .collect()
}

/// `[variables]`: the sensitive names and the key file (its path and key id, never the key).
fn variables_settings(ctx: &Context, file: &str) -> Vec<Setting> {
    let v = &ctx.config.variables;
    let sensitive = if v.sensitive.is_empty() {
        setting("[variables] sensitive", None, "default (none)")
    } else {
        setting(
            "[variables] sensitive",
            Some(v.sensitive.join(", ")),
            format!("{file} [variables] sensitive"),
        )
    };
    let key = match super::runtime::key_file(ctx) {
        Some((path, source)) => {
            let id = match wfctl::crypto::Key::load(&path) {
                Ok(key) => format!("key {}", key.id()),
                Err(e) => format!("unusable: {e}"),
            };
            setting(
                "[variables] key_file",
                Some(format!("{} ({id})", path.display())),
                source,
            )
        }
        None => setting(
            "[variables] key_file",
            None,
            format!(
                "not set ({} or [variables] key_file)",
                super::runtime::KEY_FILE_VAR
            ),
        ),
    };
    vec![sensitive, key]
}

pub(crate) fn run(args: &ConfigArgs, ctx: &Context) -> anyhow::Result<()> {
    let ConfigCommand::Show = args.command;
    let all = settings(ctx)?;
    let out = &ctx.output;
    if out.json() {
        out.print_json(&serde_json::json!({ "settings": all }))?;
        return Ok(());
    }
    let mut table = out.table(["setting", "value", "source"]);
    for s in &all {
        table.add_row(vec![
            s.name.clone(),
            s.value.clone().unwrap_or_else(|| "(not set)".to_owned()),
            s.source.clone(),
        ]);
    }
    out.print_table(&table)?;
    Ok(())
}
