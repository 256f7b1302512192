//! One contract for every command, checked by walking every subcommand `wfctl --help` lists (so
//! a new command cannot be missed): help has the global options apart and examples; `--json`
//! prints one object that matches tests/schemas/<command>.json (or is refused with exit 2);
//! `-q` prints nothing or only data; a closed stdout is not a failure; hostile settings (bad
//! config values, bad URLs, a missing or symlinked store) give one line on stderr, the
//! documented exit code, no panic and nothing written.
//!
//! `WFCTL_BLESS=1 cargo test --test it contract::` widens the schemas by what the output shows
//! (review the diff: a new key or type is a change of every script's input).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Map, Value, json};

use crate::support::case_env::{Env, INBOX_JOURNEY};
use crate::support::{Run, wfctl};

/// The exit codes the README documents.
const DOCUMENTED: &[i32] = &[0, 1, 2, 3, 69, 75, 78];

/// Every subcommand path (`["case", "start"]`), from the help of the binary itself.
pub(crate) fn command_paths() -> Vec<Vec<String>> {
    fn walk(path: &[String], out: &mut Vec<Vec<String>>) {
        let run = Run::of(wfctl().args(path).arg("--help")).expect_code(0);
        let subs: Vec<String> = run
            .stdout
            .lines()
            .skip_while(|l| !l.starts_with("Commands:"))
            .skip(1)
            .take_while(|l| !l.trim().is_empty())
            .filter(|l| l.starts_with("  ") && !l.starts_with("    "))
            .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
            .filter(|name| name != "help")
            .collect();
        for sub in subs {
            let mut next = path.to_vec();
            next.push(sub);
            out.push(next.clone());
            walk(&next, out);
        }
    }
    let mut out = vec![Vec::new()];
    walk(&[], &mut out);
    out
}

/// The leaves: commands that run something.
pub(crate) fn leaves(paths: &[Vec<String>]) -> Vec<Vec<String>> {
    paths
        .iter()
        .filter(|p| !p.is_empty() && !paths.iter().any(|q| q.len() > p.len() && q.starts_with(p)))
        .cloned()
        .collect()
}

#[test]
fn every_command_has_global_options_apart_and_examples() {
    let mut missing = Vec::new();
    for path in command_paths() {
        let run = Run::of(wfctl().args(&path).arg("--help")).expect_code(0);
        let name = format!("wfctl {}", path.join(" "));
        for heading in ["Global options:", "Examples:\n  wfctl"] {
            if !run.stdout.contains(heading) {
                missing.push(format!("{name}: no {heading:?}"));
            }
        }
        // the global options are not mixed into the command's own
        let own = run
            .stdout
            .split("Global options:")
            .next()
            .unwrap_or_default();
        if own
            .lines()
            .any(|l| l.trim_start().starts_with("--database-url"))
        {
            missing.push(format!("{name}: --database-url among its own options"));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn version_names_the_commit() {
    let run = Run::of(wfctl().arg("--version")).expect_code(0);
    assert!(
        run.stdout
            .starts_with(&format!("wfctl {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{}",
        run.stdout
    );
}

/// How a command is expected to behave with `-q`.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    /// An action: nothing on stdout on success.
    Action,
    /// A check or report: nothing on stdout whatever it found; a failure is one line on
    /// stderr and the exit code.
    Check,
    /// A listing: under `-q` its ids only, one a line (no table, no heading).
    Listing,
    /// A list or show: only its data.
    Data,
    /// Its output is for another program and has no JSON form (`--json` exits 2).
    NoJson,
}

/// One way to run a command successfully (or with a documented failure) on the fixtures.
struct Invocation {
    args: Vec<String>,
    kind: Kind,
    /// The exit codes a run may end with (a check may find problems: 3).
    codes: &'static [i32],
}

/// The world the walk runs in: a database with migrations, a journey with components, a file
/// store and a backup directory.
struct World {
    env: Env,
    url: String,
    next_case: std::cell::Cell<u32>,
}

impl World {
    fn new() -> Option<Self> {
        let env = Env::postgres()?;
        env.config(&format!(
            "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nexec = [\"./worker.sh\"]\n[repository]\nurl = \"file://{}\"\n",
            env.path("repo").display()
        ));
        env.write("000000010000000000000001", "a WAL segment");
        env.write(
            "worker.sh",
            "#!/bin/sh\ncat >/dev/null\necho '{\"response\":\"ok_proceed\"}'\n",
        );
        env.write("inbox.json", INBOX_JOURNEY);
        let url = match &env.backend {
            crate::support::case_env::Backend::Postgres(db) => db.url.clone(),
            crate::support::case_env::Backend::Files(_) => unreachable!("a database env"),
        };
        let world = Self {
            env,
            url,
            next_case: std::cell::Cell::new(0),
        };
        // a file store to import, and a backup to list, verify and restore
        Run::of(world.wf().args([
            "--store",
            "fs",
            "case",
            "start",
            "--journey",
            "inbox.json",
            "--case-id",
            "f1",
        ]))
        .expect_code(0);
        Run::of(world.wf().args(["db", "backup", "--dir", "backups"])).expect_code(0);
        Some(world)
    }

    fn wf(&self) -> Command {
        let mut cmd = wfctl();
        // from the environment: a command that reads no settings refuses --config typed
        cmd.current_dir(self.env.dir.path())
            .env("DATABASE_URL", &self.url)
            .env("WFCTL_CONFIG", self.env.path("wfctl.toml"));
        cmd
    }

    /// A new pended case for the commands that take one.
    fn new_case(&self) -> String {
        let n = self.next_case.get() + 1;
        self.next_case.set(n);
        let id = format!("walk-{n}");
        Run::of(
            self.wf()
                .args(["case", "start", "--journey", "inbox.json", "--case-id", &id]),
        )
        .expect_code(0);
        id
    }

    fn backup_file(&self) -> String {
        let dir = self.env.path("backups");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("the backup directory")
            .map(|e| e.expect("an entry").path())
            .filter(|p| p.to_string_lossy().ends_with(".sql.gz"))
            .collect();
        files.sort();
        files.pop().expect("a backup").display().to_string()
    }

    /// How to run the command at `path`; `None` for a command the walk does not know yet.
    fn invocation(&self, path: &[String]) -> Option<Invocation> {
        use Kind::{Action, Check, Data, Listing, NoJson};
        let p: Vec<&str> = path.iter().map(String::as_str).collect();
        let case = || self.new_case();
        let (args, kind, codes): (Vec<String>, Kind, &'static [i32]) = match p.as_slice() {
            ["journey", "validate"] => (v(&["inbox.json"]), Action, &[0]),
            ["journey", "show"] => (v(&["inbox.json"]), Data, &[0]),
            ["case", "start"] => {
                let n = self.next_case.get() + 1;
                self.next_case.set(n);
                let id = format!("walk-{n}");
                (
                    v(&["--journey", "inbox.json", "--case-id", &id]),
                    Data,
                    &[0],
                )
            }
            ["case", "resume"] => (vec![case()], Action, &[0]),
            ["case", "reopen"] => (v(&[&case(), "--ticket", "none"]), Action, &[1]),
            ["case", "change-workbasket"] => (v(&[&case(), "elsewhere"]), Action, &[0]),
            ["case", "set-var"] => (v(&[&case(), "--var", "note=string:x"]), Action, &[0]),
            ["case", "show"] => (vec![case()], Data, &[0]),
            ["case", "list"] => (vec![], Data, &[0]),
            ["case", "history"] => (vec![case()], Data, &[0]),
            ["case", "cancel"] => (v(&[&case(), "--reason", "walk"]), Action, &[0]),
            ["case", "wait"] => (v(&[&case(), "--until", "pended"]), Data, &[0]),
            ["case", "purge"] => (
                v(&["--completed-before", "0", "--archive", "purged"]),
                Action,
                &[0],
            ),
            ["sla", "due"] => (vec![], Data, &[0]),
            ["sla", "run"] => (vec![], Action, &[0]),
            ["db", "setup"] => (v(&["--print-sql"]), Data, &[0]),
            ["db", "migrate"] => (vec![], Action, &[0]),
            ["db", "status"] => (vec![], Data, &[0]),
            ["db", "backup"] => (v(&["--dir", "backups"]), Action, &[0]),
            ["db", "backups"] => (v(&["--dir", "backups"]), Listing, &[0]),
            ["db", "verify"] => (vec![self.backup_file()], Action, &[0]),
            ["db", "restore"] => {
                let n = self.next_case.get() + 1;
                self.next_case.set(n);
                let target = format!("walk_restore_{}_{n}", std::process::id());
                (
                    v(&[&self.backup_file(), "--target-db", &target, "--create"]),
                    Action,
                    &[0],
                )
            }
            ["db", "basebackup"] => (v(&["--dir", "base", "--dry-run"]), Action, &[0, 1, 3]),
            ["db", "restore-pitr"] => (
                v(&[
                    "--target-time",
                    "2000-01-01T00:00:00Z",
                    "--data-dir",
                    "restored",
                    "--dir",
                    "base",
                ]),
                Action,
                &[1],
            ),
            ["wal", "push"] => (v(&["000000010000000000000001"]), Action, &[0]),
            ["wal", "fetch"] => (
                v(&["000000010000000000000001", "fetched-segment"]),
                Action,
                &[0],
            ),
            ["diag", "locks" | "sizes" | "bloat" | "vacuum" | "indexes"] => {
                (vec![], Listing, &[0, 3])
            }
            [
                "diag",
                "long-running" | "cases" | "slow-queries" | "explain",
            ] => (vec![], Data, &[0, 3]),
            ["diag", "health" | "doctor"] => (vec![], Check, &[0, 3]),
            ["diag", "settings" | "wal" | "all"] => (v(&["--check"]), Check, &[0, 3]),
            ["config", "show"] => (vec![], Data, &[0]),
            // the first run writes the key; the others are refused: a key is never overwritten
            ["keys", "generate"] => (v(&["walk.key"]), Action, &[0, 1]),
            // the walk's key, when `keys generate` ran first; else the key file is missing
            ["keys", "rotate"] => (v(&["--new-key", "walk.key"]), Action, &[0, 78]),
            ["metrics"] => (vec![], NoJson, &[0]),
            ["completions"] => (v(&["bash"]), NoJson, &[0]),
            ["migrate-files"] => (v(&["fs"]), Action, &[0]),
            // no S3 server here: the repository commands answer with their configuration
            // error (tests/it/repo_s3.rs runs them against one)
            ["repo", "ls"] => (v(&["--repo", "s3://walk/x"]), Data, &[78]),
            ["repo", "get" | "put"] => {
                (v(&["--repo", "s3://walk/x", "k", "absent"]), Action, &[78])
            }
            ["repo", "rm"] => (v(&["--repo", "s3://walk/x", "k"]), Action, &[78]),
            ["repo", "keygen"] => {
                let n = self.next_case.get() + 1;
                self.next_case.set(n);
                (vec![format!("identity-{n}.txt")], Data, &[0])
            }
            _ => return None,
        };
        let mut all = path.to_vec();
        all.extend(args);
        Some(Invocation {
            args: all,
            kind,
            codes,
        })
    }
}

fn v(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| (*s).to_owned()).collect()
}

fn schema_path(path: &[String]) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/schemas")
        .join(format!("{}.json", path.join("-")))
}

#[test]
fn every_command_keeps_the_output_contract() {
    let Some(world) = World::new() else { return };
    let bless = std::env::var_os("WFCTL_BLESS").is_some();
    let mut problems = Vec::new();
    for path in leaves(&command_paths()) {
        let name = format!("wfctl {}", path.join(" "));
        let Some(call) = world.invocation(&path) else {
            problems.push(format!(
                "{name}: not in the contract walk; add it to invocation()"
            ));
            continue;
        };

        // --json: one object matching the command's schema, or refused with exit 2
        let run = Run::of(world.wf().arg("--json").args(&call.args));
        let doc: Option<Value> = serde_json::from_str(&run.stdout).ok();
        if call.kind == Kind::NoJson {
            let refused =
                run.code == 2 && doc.as_ref().is_some_and(|d| d["error"]["code"] == json!(2));
            if !refused {
                problems.push(format!(
                    "{name} --json: expected a refusal (exit 2, an error object), got exit {}: {}",
                    run.code, run.stdout
                ));
            }
        } else if let Some(doc) = doc.filter(Value::is_object) {
            if !call.codes.contains(&run.code) {
                problems.push(format!(
                    "{name} --json: exit {} ({})",
                    run.code,
                    run.stderr.trim()
                ));
            } else if let Some(error) = doc.get("error") {
                if error["code"] != json!(run.code) || !error["message"].is_string() {
                    problems.push(format!("{name} --json: bad error object {error}"));
                }
            } else {
                conventions(&name, &doc, "", &mut problems);
                let file = schema_path(&path);
                let owned: Vec<&str> = path.iter().map(String::as_str).collect();
                if bless && !schema_problems_only(&owned, &doc).is_empty() {
                    // blessing adds what this run saw to what earlier runs saw
                    let seen = loosen(infer(&doc));
                    let schema = match std::fs::read_to_string(&file) {
                        Ok(text) => merge(serde_json::from_str(&text).expect("a schema"), seen),
                        Err(_) => seen,
                    };
                    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
                    let text = serde_json::to_string_pretty(&schema).unwrap();
                    std::fs::write(&file, text + "\n").unwrap();
                }
                match std::fs::read_to_string(&file) {
                    Err(_) => problems.push(format!("{name}: no schema {}", file.display())),
                    Ok(text) => {
                        let schema: Value = serde_json::from_str(&text).expect("a JSON schema");
                        validate(&schema, &doc, "$", &mut problems, &name);
                    }
                }
            }
        } else {
            problems.push(format!(
                "{name} --json: stdout is not one JSON object (exit {}): {:.300}",
                run.code, run.stdout
            ));
        }

        // -q: an action prints nothing on success, a check nothing at all, a listing its ids;
        // no command chatters on stderr
        let call = world.invocation(&path).expect("known above");
        let run = Run::of(world.wf().arg("-q").args(&call.args));
        if call.kind == Kind::Check && !run.stdout.is_empty() {
            problems.push(format!("{name} -q: printed {:.200}", run.stdout));
        }
        if call.kind == Kind::Listing
            && let Some(line) = run.stdout.lines().find(|l| l.contains(char::is_whitespace))
        {
            problems.push(format!("{name} -q: {line:?} is not an id"));
        }
        if run.code != 0 && run.stderr.trim_end().lines().count() > 1 {
            problems.push(format!("{name} -q: exit {}: {}", run.code, run.stderr));
        }
        if run.code == 0 {
            if call.kind == Kind::Action && !run.stdout.is_empty() {
                problems.push(format!("{name} -q: printed {:.200}", run.stdout));
            }
            if !run.stderr.is_empty() {
                problems.push(format!("{name} -q: stderr {:.200}", run.stderr));
            }
        } else if !call.codes.contains(&run.code) {
            problems.push(format!(
                "{name} -q: exit {}: {}",
                run.code,
                run.stderr.trim()
            ));
        }

        // tables show one time format: UTC to the second, `2026-12-07 05:15:43Z`
        let call = world.invocation(&path).expect("known above");
        let run = Run::of(world.wf().args(&call.args));
        if call.kind != Kind::NoJson {
            for bad in times_not_in_table_format(&run.stdout) {
                problems.push(format!("{name}: time {bad:?} (say 2026-12-07 05:15:43Z)"));
            }
        }
        // messages too
        for bad in times_not_in_table_format(&run.stderr) {
            problems.push(format!(
                "{name}: stderr time {bad:?} (say 2026-12-07 05:15:43Z)"
            ));
        }

        // a closed stdout (`| head -0`) is not a failure and never a panic
        let call = world.invocation(&path).expect("known above");
        let mut child = world
            .wf()
            .args(&call.args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("wfctl starts");
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wfctl ends");
        let code = out.status.code().unwrap_or(-1);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if !call.codes.contains(&code) || stderr.contains("panicked") {
            problems.push(format!(
                "{name} with stdout closed: exit {code}: {}",
                stderr.trim()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The rules every JSON document keeps: one name per concept, units in key names, `null` for
/// absent, times in RFC 3339 UTC.
fn conventions(name: &str, value: &Value, at: &str, problems: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                let here = format!("{at}.{key}");
                if ["document", "variables", "manifest"].contains(&key.as_str()) {
                    continue; // stored data, in its file's own format
                }
                if key == "workbasket" || key.ends_with("_workbasket") {
                    problems.push(format!("{name}: {here}: say work_basket"));
                }
                // sizes in JSON are bytes (`read_bytes_per_second`), never kb/mb/gb
                if key.split('_').any(|w| ["kb", "mb", "gb"].contains(&w)) {
                    problems.push(format!("{name}: {here}: say kib/mib/gib"));
                }
                if key.ends_with("_s") {
                    problems.push(format!("{name}: {here}: say _seconds"));
                }
                // a quantity names its unit (`size_bytes`, `elapsed_seconds`)
                if ["size", "elapsed", "duration", "age", "lag", "secs", "nanos"]
                    .contains(&key.as_str())
                {
                    problems.push(format!("{name}: {here}: name the unit"));
                }
                if item == &json!("") {
                    problems.push(format!("{name}: {here}: \"\" for absent (say null)"));
                }
                conventions(name, item, &here, problems);
            }
        }
        Value::Array(items) => {
            // no tuples: a list holds values or objects that name their fields
            if items.iter().any(Value::is_array) {
                problems.push(format!("{name}: {at}: a list of lists (name the fields)"));
            }
            for (i, item) in items.iter().enumerate() {
                conventions(name, item, &format!("{at}[{i}]"), problems);
            }
        }
        Value::String(text)
            if looks_like_time(text)
                && (chrono::DateTime::parse_from_rfc3339(text).is_err()
                    || !text.ends_with('Z')
                    || text.contains('.')) =>
        {
            problems.push(format!(
                "{name}: {at}: {text:?} is not RFC 3339 UTC to the second"
            ));
        }
        _ => {}
    }
}

/// The times in `text` (`2026-12-07` followed by a time of day) not written as
/// `2026-12-07 05:15:43Z`.
fn times_not_in_table_format(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut bad = Vec::new();
    for start in 0..chars.len() {
        let rest: String = chars[start..chars.len().min(start + 32)].iter().collect();
        if (start == 0 || !chars[start - 1].is_ascii_digit()) && looks_like_time(&rest) {
            let b = rest.as_bytes();
            let good = b.len() >= 20
                && b[10] == b' '
                && b[16] == b':'
                && b[17..19].iter().all(u8::is_ascii_digit)
                && b[19] == b'Z';
            if !good {
                bad.push(
                    rest.split_whitespace()
                        .take(2)
                        .collect::<Vec<_>>()
                        .join(" "),
                );
            }
        }
    }
    bad
}

#[test]
fn the_table_time_check_sees_other_formats() {
    assert!(times_not_in_table_format("x 2026-12-07 05:15:43Z y\n12026-12-07").is_empty());
    for other in [
        "2026-12-07T05:15:43Z",
        "2026-12-07 05:15:43",
        "2026-12-07 05:15 UTC",
        "2026-12-07T05:15:43.120Z",
    ] {
        assert_eq!(times_not_in_table_format(other).len(), 1, "{other}");
    }
}

fn looks_like_time(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 16
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b'T' || b[10] == b' ')
        && b[13] == b':'
}

/// A schema that fits `value`: the keys it has (all required, no others), the types of its
/// values; `null` fits anything (absent values vary with the server).
fn infer(value: &Value) -> Value {
    match value {
        Value::Null => json!({"type": "null"}),
        Value::Bool(_) => json!({"type": "boolean"}),
        Value::Number(_) => json!({"type": "number"}),
        Value::String(s) if looks_like_time(s) => json!({"type": "string", "format": "date-time"}),
        Value::String(_) => json!({"type": "string"}),
        Value::Array(items) => {
            let mut schema = json!({"type": "array"});
            if let Some(first) = items.iter().map(infer).reduce(merge) {
                schema["items"] = first;
            }
            schema
        }
        Value::Object(map) => {
            let properties: Map<String, Value> =
                map.iter().map(|(k, v)| (k.clone(), infer(v))).collect();
            json!({
                "type": "object",
                "properties": properties,
                "required": map.keys().collect::<Vec<_>>(),
                "additionalProperties": false,
            })
        }
    }
}

/// A value seen only as `null` may be anything: absent values vary with the server.
fn loosen(schema: Value) -> Value {
    match schema {
        s if s == json!({"type": "null"}) => json!({}),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, loosen(v))).collect()),
        other => other,
    }
}

/// `schema` that also accepts `null`.
fn nullable(mut schema: Value) -> Value {
    match schema.get("type").cloned() {
        Some(Value::String(t)) => schema["type"] = json!([t, "null"]),
        Some(Value::Array(mut ts)) if !ts.contains(&json!("null")) => {
            ts.push(json!("null"));
            schema["type"] = Value::Array(ts);
        }
        Some(_) => {}
        None => {
            if let Some(any) = schema.get_mut("anyOf").and_then(Value::as_array_mut) {
                any.push(json!({"type": "null"}));
            }
        }
    }
    schema
}

/// Two inferred schemas as one: objects keep every key (required where both have it).
fn merge(a: Value, b: Value) -> Value {
    let null = json!({"type": "null"});
    if a == b || b == json!({}) {
        return a;
    }
    if a == json!({}) {
        return b;
    }
    if a == null {
        return nullable(b);
    }
    if b == null {
        return nullable(a);
    }
    let type_of = |s: &Value| s["type"].as_array().and_then(|t| t.first()).cloned();
    if type_of(&a).is_some_and(|t| t == b["type"]) || type_of(&b).is_some_and(|t| t == a["type"]) {
        let (mut typed, other) = if a["type"].is_array() { (a, b) } else { (b, a) };
        let ty = typed["type"].clone();
        typed["type"] = other["type"].clone();
        let mut merged = merge(typed, other);
        merged["type"] = ty;
        return merged;
    }
    if a["type"] == "object" && b["type"] == "object" {
        let mut props: BTreeMap<String, Value> = BTreeMap::new();
        for side in [&a, &b] {
            for (k, s) in side["properties"].as_object().into_iter().flatten() {
                let merged = match props.remove(k) {
                    Some(old) => merge(old, s.clone()),
                    None => s.clone(),
                };
                props.insert(k.clone(), merged);
            }
        }
        let req = |s: &Value| -> Vec<String> {
            s["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r.as_str().map(str::to_owned))
                .collect()
        };
        let (ra, rb) = (req(&a), req(&b));
        let required: Vec<&String> = ra.iter().filter(|k| rb.contains(k)).collect();
        return json!({
            "type": "object",
            "properties": props,
            "required": required,
            "additionalProperties": false,
        });
    }
    if a["type"] == "array" && b["type"] == "array" {
        let items = match (a.get("items"), b.get("items")) {
            (Some(x), Some(y)) => Some(merge(x.clone(), y.clone())),
            (x, y) => x.or(y).cloned(),
        };
        let mut schema = json!({"type": "array"});
        if let Some(items) = items {
            schema["items"] = items;
        }
        return schema;
    }
    // different types: either
    json!({"anyOf": [a, b]})
}

/// Checks `value` against the subset of JSON Schema that [`infer`] writes.
fn validate(schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>, name: &str) {
    if let Some(options) = schema.get("anyOf").and_then(Value::as_array) {
        let fits = options.iter().any(|s| {
            let mut p = Vec::new();
            validate(s, value, at, &mut p, name);
            p.is_empty()
        });
        if !fits {
            problems.push(format!("{name}: {at}: fits none of {schema}"));
        }
        return;
    }
    let Some(ty) = schema.get("type") else {
        return;
    };
    let types: Vec<&str> = match ty {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let actual = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let fits = types.iter().any(|t| {
        *t == actual || (*t == "integer" && value.is_i64()) || *t == "null" && value.is_null()
    });
    if !fits {
        problems.push(format!("{name}: {at}: a {actual}, the schema says {ty}"));
        return;
    }
    if schema.get("format") == Some(&json!("date-time"))
        && let Some(text) = value.as_str()
        && chrono::DateTime::parse_from_rfc3339(text).is_err()
    {
        problems.push(format!("{name}: {at}: {text:?} is not a date-time"));
    }
    match value {
        Value::Object(map) => {
            let props = schema.get("properties").and_then(Value::as_object);
            for key in schema["required"].as_array().into_iter().flatten() {
                if let Some(key) = key.as_str()
                    && !map.contains_key(key)
                {
                    problems.push(format!("{name}: {at}: missing {key:?}"));
                }
            }
            for (key, item) in map {
                match props.and_then(|p| p.get(key)) {
                    Some(sub) => validate(sub, item, &format!("{at}.{key}"), problems, name),
                    None if schema.get("additionalProperties") == Some(&json!(false)) => {
                        problems.push(format!("{name}: {at}: unexpected key {key:?}"));
                    }
                    None => {}
                }
            }
        }
        Value::Array(items) => {
            if let Some(sub) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    validate(sub, item, &format!("{at}[{i}]"), problems, name);
                }
            }
        }
        _ => {}
    }
}

/// `problems` of `doc` against the checked-in schema of `wfctl <path>`; `WFCTL_BLESS=1`
/// first widens the schema by what `doc` shows.
pub(crate) fn check_against_schema(path: &[&str], doc: &Value) -> Vec<String> {
    // blessing widens a schema only by a document it does not fit yet
    if std::env::var_os("WFCTL_BLESS").is_some() && !schema_problems_only(path, doc).is_empty() {
        let owned: Vec<String> = path.iter().map(|p| (*p).to_owned()).collect();
        let file = schema_path(&owned);
        let seen = loosen(infer(doc));
        let schema = match std::fs::read_to_string(&file) {
            Ok(text) => merge(serde_json::from_str(&text).expect("a schema"), seen),
            Err(_) => seen,
        };
        let text = serde_json::to_string_pretty(&schema).unwrap();
        std::fs::write(&file, text + "\n").unwrap();
    }
    schema_problems(path, doc)
}

/// What does not fit the schema file of `wfctl <path>` (all of it when there is none).
fn schema_problems_only(path: &[&str], doc: &Value) -> Vec<String> {
    let owned: Vec<String> = path.iter().map(|p| (*p).to_owned()).collect();
    let Ok(text) = std::fs::read_to_string(schema_path(&owned)) else {
        return vec!["no schema".to_owned()];
    };
    let schema: Value = serde_json::from_str(&text).expect("a JSON schema");
    let mut problems = Vec::new();
    validate(&schema, doc, "$", &mut problems, "");
    problems
}

/// `problems` of `doc` against the checked-in schema of `wfctl <path>`.
fn schema_problems(path: &[&str], doc: &Value) -> Vec<String> {
    let path: Vec<String> = path.iter().map(|p| (*p).to_owned()).collect();
    let text = std::fs::read_to_string(schema_path(&path)).expect("a schema");
    let schema: Value = serde_json::from_str(&text).expect("a JSON schema");
    let mut problems = Vec::new();
    let name = format!("wfctl {}", path.join(" "));
    validate(&schema, doc, "$", &mut problems, &name);
    conventions(&name, doc, "", &mut problems);
    problems
}

#[test]
fn a_completed_case_fits_the_same_schemas() {
    // the walk sees pended cases; a completed one has no basket, step or pend path
    let env = Env::files();
    env.config(
        "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nbuiltin = \"proceed\"\n",
    );
    env.write("inbox.json", INBOX_JOURNEY);
    env.run(&[
        "case",
        "start",
        "--journey",
        "inbox.json",
        "--case-id",
        "done-1",
    ])
    .expect_code(0);
    env.run(&["case", "resume", "done-1"]).expect_code(0);
    let mut problems = Vec::new();
    for path in [&["case", "show"][..], &["case", "history"]] {
        let doc = env.json(&[path, &["done-1"][..]].concat(), 0);
        problems.extend(schema_problems(path, &doc));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_schema_check_sees_a_change_of_shape() {
    let doc = json!({"cases": [{"case_id": "a", "updated_at": "2026-12-07T05:15:43Z"}], "next_after": null});
    let schema = loosen(infer(&doc));
    let mut problems = Vec::new();
    validate(&schema, &doc, "$", &mut problems, "t");
    assert!(problems.is_empty(), "{problems:?}");
    for changed in [
        json!({"cases": [{"case_id": 1, "updated_at": "2026-12-07T05:15:43Z"}], "next_after": null}),
        json!({"cases": [{"case_id": "a"}], "next_after": null}),
        json!({"cases": [{"case_id": "a", "updated_at": "x", "extra": 1}], "next_after": null}),
        json!([]),
    ] {
        let mut problems = Vec::new();
        validate(&schema, &changed, "$", &mut problems, "t");
        assert!(!problems.is_empty(), "{changed} passed");
    }
}

/// Hostile settings: each command meets bad config values, bad URLs, a missing store and a
/// symlinked store, and answers with one line on stderr and a documented exit code, writing
/// nothing.
#[test]
fn hostile_settings_give_one_line_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("zero-pool.toml"), "[database]\npool_size = 0\n").unwrap();
    std::fs::write(
        root.join("zero-timeout.toml"),
        "[database]\nconnect_timeout = \"0s\"\n",
    )
    .unwrap();
    std::fs::write(root.join("not-toml.toml"), "[database\nurl = 5\n").unwrap();
    std::fs::write(root.join("j.json"), INBOX_JOURNEY).unwrap();
    std::os::unix::fs::symlink("/nonexistent-target", root.join("linked-store")).unwrap();
    let settings: Vec<(&str, Vec<String>)> = vec![
        ("config pool_size = 0", v(&["--config", "zero-pool.toml"])),
        (
            "config connect_timeout 0s",
            v(&["--config", "zero-timeout.toml"]),
        ),
        ("config not TOML", v(&["--config", "not-toml.toml"])),
        ("missing config", v(&["--config", "absent.toml"])),
        ("bad URL", v(&["--database-url", "postgres://[::1"])),
        ("not a URL", v(&["--database-url", "nonsense"])),
        ("missing store", v(&["--store", "absent-store"])),
        ("symlinked store", v(&["--store", "linked-store"])),
    ];
    let before = listing(root);
    let mut problems = Vec::new();
    for path in leaves(&command_paths()) {
        let name = format!("wfctl {}", path.join(" "));
        let extra: &[&str] = match path
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["journey", _] => &["j.json"],
            ["case", "start"] => &["--journey", "j.json"],
            ["case", "resume" | "show" | "history"] => &["c1"],
            ["case", "reopen"] => &["c1", "--ticket", "t"],
            ["case", "change-workbasket"] => &["c1", "b"],
            ["case", "set-var"] => &["c1", "--var", "x=string:y"],
            ["case", "cancel"] => &["c1", "--reason", "r"],
            ["case", "wait"] => &["c1", "--until", "completed"],
            ["case", "purge"] => &["--completed-before", "0", "--no-archive"],
            ["db", "verify" | "restore"] => &["absent.sql.gz", "--target-db", "x"],
            ["db", "setup"] => &["--admin-url", "postgres://nobody@127.0.0.1:1/x"],
            ["db", "backup" | "backups" | "basebackup"] => &["--dir", "absent-backups"],
            ["db", "restore-pitr"] => &[
                "--target-time",
                "2000-01-01T00:00:00Z",
                "--data-dir",
                "restored",
                "--dir",
                "absent-backups",
            ],
            ["wal", "push"] => &["000000010000000000000001"],
            ["wal", "fetch"] => &["000000010000000000000001", "fetched"],
            ["completions"] => &["bash"],
            ["migrate-files"] => &["absent-source"],
            ["keys", "generate"] => &["absent-dir/new.key"],
            ["keys", "rotate"] => &["--new-key", "absent.key"],
            ["repo", "get" | "put"] => &["k", "absent"],
            ["repo", "rm"] => &["k"],
            // it reads no [database]: only an unwritable place stops it
            ["repo", "keygen"] => &["absent-dir/identity.txt"],
            _ => &[],
        };
        let mut extra = v(extra);
        if path == ["db", "verify"] {
            extra.truncate(1);
        }
        for (what, setting) in &settings {
            if *what == "missing store" && path == ["case", "start"] {
                continue; // the one command that creates a store
            }
            let run = Run::of(
                wfctl()
                    .current_dir(root)
                    .env("PGCONNECT_TIMEOUT", "2")
                    .args(setting)
                    .args(&path)
                    .args(&extra),
            );
            let lines = run.stderr.lines().filter(|l| !l.trim().is_empty()).count();
            if run.code == 101 || run.stderr.contains("panicked") {
                problems.push(format!("{name} ({what}): panic: {}", run.stderr.trim()));
            } else if !DOCUMENTED.contains(&run.code)
                // wal fetch, as restore_command, stops recovery on any failure but "absent"
                && (path != ["wal", "fetch"] || run.code != 126)
            {
                problems.push(format!("{name} ({what}): exit {}", run.code));
            } else if run.code != 0 && lines != 1 {
                problems.push(format!(
                    "{name} ({what}): {lines} lines on stderr: {}",
                    run.stderr.trim()
                ));
            }
            // under --json the failure is an error object on stdout with the same exit code
            // (a command without a JSON form refuses --json first: exit 2)
            if run.code != 0 {
                let json = Run::of(
                    wfctl()
                        .current_dir(root)
                        .env("PGCONNECT_TIMEOUT", "2")
                        .arg("--json")
                        .args(setting)
                        .args(&path)
                        .args(&extra),
                );
                let no_json = matches!(path[0].as_str(), "metrics" | "completions");
                let expected = if no_json { 2 } else { run.code };
                let error = serde_json::from_str::<Value>(&json.stdout)
                    .ok()
                    .and_then(|d| d.get("error").cloned());
                let fits = error.as_ref().is_some_and(|e| {
                    e["code"] == json!(json.code)
                        && e["message"].as_str().is_some_and(|m| !m.is_empty())
                });
                if json.code != expected || !fits {
                    problems.push(format!(
                        "{name} --json ({what}): exit {} (without --json {}), stdout {:.200}",
                        json.code, run.code, json.stdout
                    ));
                }
            }
            let after = listing(root);
            if after != before {
                problems.push(format!(
                    "{name} ({what}): wrote {:?}",
                    diff(&before, &after)
                ));
                for extra in after.iter().filter(|p| !before.contains(p)) {
                    let _ = std::fs::remove_dir_all(root.join(extra));
                    let _ = std::fs::remove_file(root.join(extra));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn listing(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn diff(before: &[String], after: &[String]) -> Vec<String> {
    after
        .iter()
        .filter(|p| !before.contains(p))
        .cloned()
        .collect()
}

/// Every flag that takes a DURATION (found in each command's help) refuses a huge, negative or
/// NaN value with exit 2 naming the flag, never a panic or an overflow later.
#[test]
fn every_duration_flag_refuses_huge_negative_and_nan() {
    let mut checked = 0;
    let mut wrong = Vec::new();
    for path in leaves(&command_paths()) {
        let help = Run::of(wfctl().args(&path).arg("--help")).expect_code(0);
        let flags: Vec<String> = help
            .stdout
            .lines()
            .filter(|l| l.contains("<DURATION>") || l.contains("<AGE>"))
            .filter_map(|l| l.split_whitespace().find(|w| w.starts_with("--")))
            .map(|w| w.trim_end_matches(',').to_owned())
            .collect();
        let mut cases: Vec<(String, Vec<String>)> = Vec::new();
        for flag in &flags {
            for value in ["1e300", "1e19", "18446744073709551615", "-1", "nan", "101y"] {
                cases.push((flag.clone(), vec![format!("{flag}={value}")]));
            }
            // a negative value after a space is still the flag's value, not an unknown flag
            cases.push((flag.clone(), vec![flag.clone(), "-5s".into()]));
        }
        if path == ["sla", "due"] {
            for value in ["+1e300", "-1e19", "+nan"] {
                cases.push(("--at".into(), vec![format!("--at={value}")]));
            }
        }
        for (flag, arg) in cases {
            checked += 1;
            let run = Run::of(wfctl().args(&path).args(&arg));
            if run.code != 2 || !run.stderr.contains(&flag) {
                wrong.push(format!(
                    "{} {arg:?}: exit {}: {}",
                    path.join(" "),
                    run.code,
                    run.stderr
                ));
            }
        }
    }
    assert!(checked > 20, "too few duration flags found: {checked}");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A store with two cases pended in the `inbox` work basket.
fn two_pended_in_inbox() -> Option<Env> {
    let env = Env::postgres()?;
    env.config(
        "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nbuiltin = \"pend\"\n",
    );
    env.write("inbox.json", INBOX_JOURNEY);
    for id in ["q-1", "q-2"] {
        env.run(&["case", "start", "--journey", "inbox.json", "--case-id", id])
            .expect_code(0);
    }
    Some(env)
}

fn sorted_lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.lines().collect();
    lines.sort_unstable();
    lines
}

#[test]
fn quiet_bulk_commands_print_the_ids_they_acted_on() {
    let Some(env) = two_pended_in_inbox() else {
        return;
    };
    let run = env
        .run(&[
            "-q",
            "case",
            "change-workbasket",
            "--all",
            "--workbasket",
            "inbox",
            "later",
        ])
        .expect_code(0);
    assert_eq!(sorted_lines(&run.stdout), ["q-1", "q-2"], "{}", run.stdout);
    assert_eq!(run.stderr, "");
    let run = env
        .run(&["-q", "case", "resume", "--all", "--workbasket", "later"])
        .expect_code(0);
    assert_eq!(sorted_lines(&run.stdout), ["q-1", "q-2"], "{}", run.stdout);
    assert_eq!(run.stderr, "");
    // nothing left in the basket: no table, no totals, one line on stderr
    let run = env
        .run(&["case", "resume", "--all", "--workbasket", "later"])
        .expect_code(0);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr.trim(), "no case matched");
}

#[test]
fn empty_listings_print_no_header_and_quiet_checks_no_table() {
    let Some(env) = Env::postgres() else { return };
    let run = env.run(&["sla", "due"]).expect_code(0);
    assert_eq!(run.stdout, "", "an empty listing has no header");
    assert_eq!(run.stderr.trim(), "no due milestones");
    let run = env.run(&["-q", "sla", "due"]).expect_code(0);
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
    let run = env
        .run(&["diag", "long-running", "--min", "1d"])
        .expect_code(0);
    assert_eq!(run.stdout, "", "an empty listing has no header");
    // nothing pended, stuck or overdue: no table header, with or without -q
    for args in [&["diag", "cases"][..], &["-q", "diag", "cases"]] {
        let run = env.run(args).expect_code(0);
        assert_eq!(run.stdout, "", "{args:?}: an empty listing has no header");
    }
    // a check under -q: nothing on stdout, pass or fail; a failure is one line on stderr
    let run = Run::of(env.wf().args(["-q", "diag", "all", "--check"]));
    assert!(
        [0, 3].contains(&run.code),
        "exit {}: {}",
        run.code,
        run.stderr
    );
    assert_eq!(run.stdout, "", "diag all --check -q printed data");
    if run.code == 3 {
        assert_eq!(run.stderr.trim_end().lines().count(), 1, "{}", run.stderr);
    }
}

#[test]
fn empty_diag_listings_print_nothing_on_stdout() {
    // a database with no tables at all: nothing to list, nothing waits
    let Some(db) = crate::support::TestDb::empty() else {
        return;
    };
    for args in [
        &["diag", "locks"][..],
        &["diag", "indexes", "--all"],
        &["diag", "bloat"],
        &["diag", "sizes"],
    ] {
        let run = Run::of(wfctl().env("DATABASE_URL", &db.url).args(args));
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{args:?}: an empty listing has no header");
        assert!(!run.stderr.trim().is_empty(), "{args:?}: says it is empty");
    }
}

#[test]
fn journey_show_prints_its_tickets_with_its_data() {
    let example = crate::support::case_env::example_dir();
    let run = Run::of(
        wfctl()
            .current_dir(&example)
            .args(["journey", "show", "journey.json"]),
    )
    .expect_code(0);
    assert!(run.stdout.contains("cancel_order"), "{}", run.stdout);
    assert_eq!(run.stderr, "", "data on stderr");
}

#[test]
fn a_log_filter_that_names_nothing_is_warned_about() {
    let run = Run::of(
        wfctl()
            .env("WFCTL_LOG", "garbage[[[")
            .args(["completions", "bash"]),
    )
    .expect_code(0);
    assert!(run.stderr.contains("WFCTL_LOG"), "{}", run.stderr);
}

#[test]
fn contradictory_output_formats_are_refused_naming_both() {
    let env = Env::files();
    env.write("inbox.json", INBOX_JOURNEY);
    for args in [
        &["diag", "all", "--nagios", "--json"][..],
        &["--json", "journey", "show", "inbox.json", "--format", "dot"],
        // a global --json before the subcommand is the same contradiction
        &["--json", "diag", "all", "--nagios"],
    ] {
        // no --store: `diag` would refuse that first
        let run = Run::of(wfctl().current_dir(env.dir.path()).args(args)).expect_code(2);
        let alternative = if args.contains(&"--nagios") {
            "--nagios"
        } else {
            "--format"
        };
        for flag in ["--json", alternative] {
            assert!(run.stderr.contains(flag), "{args:?}: {}", run.stderr);
        }
    }
}

#[test]
fn quiet_migrate_prints_nothing_and_a_dry_run_lists_names() {
    let Some(db) = crate::support::TestDb::empty() else {
        return;
    };
    let dry =
        Run::of(
            wfctl()
                .env("DATABASE_URL", &db.url)
                .args(["-q", "db", "migrate", "--dry-run"]),
        )
        .expect_code(0);
    assert!(!dry.stdout.is_empty(), "pending names are data");
    let run = Run::of(
        wfctl()
            .env("DATABASE_URL", &db.url)
            .args(["-q", "db", "migrate"]),
    )
    .expect_code(0);
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
}

#[test]
fn a_check_exits_the_same_whatever_the_output_format() {
    // a database without wfctl's schema: some checks fail, and say so in every format
    let Some(db) = crate::support::TestDb::empty() else {
        return;
    };
    let mut codes = Vec::new();
    for format in [&[][..], &["--json"], &["-q"]] {
        let run = Run::of(
            wfctl()
                .env("DATABASE_URL", &db.url)
                .args(format)
                .args(["diag", "all", "--check"]),
        );
        codes.push((format.to_vec(), run.code));
    }
    assert!(
        codes.iter().all(|(_, code)| *code == codes[0].1),
        "{codes:?}"
    );
}

#[test]
fn a_command_parses_only_the_settings_it_uses() {
    let env = Env::files();
    env.write("inbox.json", INBOX_JOURNEY);
    let bad_config = env.write("bad.toml", "[database]\npool_size = \"many\"\n");
    // completions need no settings at all
    let run = Run::of(
        wfctl()
            .current_dir(env.dir.path())
            .env("DATABASE_URL", "not a url")
            .env("WFCTL_CONFIG", &bad_config)
            .args(["completions", "bash"]),
    )
    .expect_code(0);
    assert!(run.stdout.contains("wfctl"), "{}", run.stdout);
    // a journey is checked without a database
    env.config(
        "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nbuiltin = \"pend\"\n",
    );
    let run = Run::of(
        wfctl()
            .current_dir(env.dir.path())
            .env("DATABASE_URL", "not a url")
            .args(["journey", "validate", "inbox.json"]),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // and a command that uses the URL still says what is wrong with it
    let run = Run::of(
        wfctl()
            .current_dir(env.dir.path())
            .env("DATABASE_URL", "not a url")
            .args(["db", "status"]),
    )
    .expect_code(78);
    assert!(run.stderr.contains("DATABASE_URL"), "{}", run.stderr);
    // a key is generated with no settings: a bad or missing file of them does not matter,
    // and --config is not offered
    let run = Run::of(
        wfctl()
            .current_dir(env.dir.path())
            .env("WFCTL_CONFIG", &bad_config)
            .args(["keys", "generate", "new.key"]),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = Run::of(wfctl().current_dir(env.dir.path()).args([
        "--config",
        "/nonexistent/wfctl.toml",
        "keys",
        "generate",
        "other.key",
    ]))
    .expect_code(2);
    assert!(run.stderr.contains("drop --config"), "{}", run.stderr);
    let help = Run::of(wfctl().args(["keys", "generate", "--help"])).expect_code(0);
    assert!(!help.stdout.contains("--config"), "{}", help.stdout);
}

/// A time or a rate is checked before anything runs, naming its flag; a time takes the
/// forms of `sla due --at` (offsets from now included) wherever it is asked for.
#[test]
fn rates_and_times_are_checked_before_any_work() {
    let env = Env::files();
    for rate in ["-1", "--max-rate=-16M", "0", "1x"] {
        let mut args = vec!["db", "basebackup", "--dir", "bb"];
        if rate.starts_with("--") {
            args.push(rate);
        } else {
            args.extend(["--max-rate", rate]);
        }
        let run = Run::of(
            wfctl()
                .current_dir(env.dir.path())
                .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/x")
                .args(&args),
        )
        .expect_code(2);
        assert!(run.stderr.contains("--max-rate"), "{rate}: {}", run.stderr);
    }
    // an offset is a time for --target-time too: the run gets past parsing to the backups
    for time in ["-30m", "+5h", "2030-01-31T12:00:00Z"] {
        let run = Run::of(wfctl().current_dir(env.dir.path()).args([
            "db",
            "restore-pitr",
            "--target-time",
            time,
            "--dir",
            "absent",
            "--data-dir",
            "y",
        ]));
        assert_ne!(run.code, 2, "{time}: {}", run.stderr);
        assert!(
            !run.stderr.contains("--target-time"),
            "{time}: {}",
            run.stderr
        );
    }
}

/// `-v` names the case store only for the commands that open one.
#[test]
fn verbose_names_a_store_only_where_one_is_used() {
    let env = Env::files();
    env.write("inbox.json", INBOX_JOURNEY);
    env.config(
        "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nbuiltin = \"pend\"\n",
    );
    let repo = env.path("repo");
    std::fs::create_dir_all(&repo).unwrap();
    for args in [
        &["keys", "generate", "v.key"][..],
        &["db", "status"],
        &["journey", "validate", "inbox.json"],
        &["repo", "ls"],
        &["wal", "fetch", "000000010000000000000001", "seg"],
    ] {
        let run = Run::of(
            wfctl()
                .current_dir(env.dir.path())
                .env_remove("DATABASE_URL")
                .env("WFCTL_REPOSITORY", format!("file://{}", repo.display()))
                .arg("-v")
                .args(args),
        );
        assert!(!run.stderr.contains("store:"), "{args:?}: {}", run.stderr);
    }
    let run = Run::of(
        wfctl()
            .current_dir(env.dir.path())
            .env_remove("DATABASE_URL")
            .args(["-v", "case", "list"]),
    );
    assert!(run.stderr.contains("store: files in"), "{}", run.stderr);
}

#[test]
fn an_empty_variable_is_named_not_its_flag() {
    let env = Env::files();
    for (var, args, flag) in [
        ("WFCTL_STORE", &["case", "list"][..], "--store"),
        ("WFCTL_CONFIG", &["case", "list"], "--config"),
        ("WFCTL_BACKUP_DIR", &["db", "backups"], "--dir"),
        (
            "WFCTL_PG_BINDIR",
            &["db", "backup", "--dir", "b"],
            "--pg-bindir",
        ),
    ] {
        let run =
            Run::of(wfctl().current_dir(env.dir.path()).env(var, "").args(args)).expect_code(78);
        assert!(
            run.stderr
                .starts_with(&format!("error: {var} is set but empty")),
            "{var}: {}",
            run.stderr
        );
        assert_eq!(run.stderr.trim_end().lines().count(), 1, "{}", run.stderr);
        // typed on the command line, the flag is what is named
        let mut typed = args.to_vec();
        typed.push(flag);
        typed.push("");
        let run = Run::of(wfctl().current_dir(env.dir.path()).args(&typed));
        assert!(!run.stderr.contains(var), "{var}: {}", run.stderr);
    }
}

#[test]
fn help_does_not_offer_what_a_command_refuses() {
    // a command line of each family that parses, so that the refusal itself is seen
    let refused: &[(&str, &[&str], &str)] = &[
        ("--store", &["--store", "x", "db", "status"], "db"),
        ("--store", &["--store", "x", "diag", "sizes"], "diag"),
        ("--store", &["--store", "x", "metrics"], "metrics"),
        (
            "--store",
            &["--store", "x", "completions", "bash"],
            "completions",
        ),
        ("--json", &["--json", "metrics"], "metrics"),
        ("--json", &["--json", "completions", "bash"], "completions"),
        (
            "--database-url",
            &[
                "--database-url",
                "postgres://x/y",
                "journey",
                "validate",
                "j",
            ],
            "journey",
        ),
        (
            "--database-url",
            &["--database-url", "postgres://x/y", "completions", "bash"],
            "completions",
        ),
        (
            "--config",
            &["--config", "c.toml", "completions", "bash"],
            "completions",
        ),
    ];
    let paths = command_paths();
    let mut offered = Vec::new();
    for (flag, args, family) in refused {
        let run = Run::of(wfctl().args(*args)).expect_code(2);
        assert!(run.stderr.contains(flag), "{args:?}: {}", run.stderr);
        for path in leaves(&paths).iter().filter(|p| p[0] == *family) {
            let help = Run::of(wfctl().args(path).arg("--help")).expect_code(0);
            if help
                .stdout
                .lines()
                .any(|l| l.trim_start().starts_with(&format!("{flag} ")) || l.trim() == *flag)
            {
                offered.push(format!("wfctl {} --help offers {flag}", path.join(" ")));
            }
        }
    }
    assert!(offered.is_empty(), "{}", offered.join("\n"));
}

/// The commands whose output is for another program (Prometheus, a shell): `--json` is refused.
const NO_JSON: &[&str] = &["metrics", "completions"];

/// Every command but those of [`NO_JSON`] has a checked-in schema, and every schema belongs to
/// a command: a new command cannot ship a JSON form nobody wrote down.
#[test]
fn every_command_with_a_json_form_has_a_schema() {
    let commands = leaves(&command_paths());
    let mut problems = Vec::new();
    for path in &commands {
        let name = path.join(" ");
        if NO_JSON.contains(&name.as_str()) {
            continue;
        }
        if !schema_path(path).exists() {
            problems.push(format!("wfctl {name}: no {}", schema_path(path).display()));
        }
    }
    for no_json in NO_JSON {
        if !commands.iter().any(|p| p.join(" ") == *no_json) {
            problems.push(format!("NO_JSON names {no_json:?}, which is not a command"));
        }
        let mut args: Vec<&str> = vec!["--json"];
        args.extend(no_json.split(' '));
        if *no_json == "completions" {
            args.push("bash");
        }
        let run = Run::of(wfctl().args(&args));
        if run.code != 2 {
            problems.push(format!(
                "wfctl --json {no_json}: exit {}, not refused",
                run.code
            ));
        }
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas");
    for entry in std::fs::read_dir(&dir).expect("tests/schemas") {
        let file = entry.expect("an entry").path();
        let stem = file.file_stem().unwrap_or_default().to_string_lossy();
        if !commands.iter().any(|p| p.join("-") == stem) {
            problems.push(format!("{}: no such command", file.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The keys of a schema as docs/json.md shows them: `{"a", "b": [{"c"}]}`.
fn outline(schema: &Value) -> String {
    // a command with modes of different shapes: each mode's keys
    if let Some(modes) = schema.get("anyOf").and_then(Value::as_array) {
        return modes.iter().map(outline).collect::<Vec<_>>().join(" or ");
    }
    let items = |s: &Value| s.get("items").map(outline).filter(|o| !o.is_empty());
    match schema.get("properties").and_then(Value::as_object) {
        Some(properties) => {
            let keys: Vec<String> = properties
                .iter()
                .map(|(key, value)| {
                    // stored documents keep their own format: not part of the contract
                    let stored = ["document", "variables", "manifest"].contains(&key.as_str());
                    let inner = if stored {
                        None
                    } else if value.get("properties").is_some() {
                        Some(outline(value))
                    } else {
                        items(value).map(|o| format!("[{o}]"))
                    };
                    match inner {
                        Some(inner) => format!("\"{key}\": {inner}"),
                        None => format!("\"{key}\""),
                    }
                })
                .collect();
            format!("{{{}}}", keys.join(", "))
        }
        None => items(schema).map(|o| format!("[{o}]")).unwrap_or_default(),
    }
}

/// docs/json.md lists every key of every command's schema, so the page cannot drift from what
/// the commands print (`WFCTL_BLESS=1` rewrites the list from tests/schemas).
#[test]
fn json_doc_lists_every_schema_key() {
    const START: &str = "<!-- keys: generated from tests/schemas -->\n";
    const END: &str = "<!-- end of keys -->\n";
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("tests/schemas"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut listed = String::new();
    for file in files {
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        listed.push_str(&format!(
            "- `{stem}`: `{}`\n",
            outline(&schema).replace('`', "'")
        ));
    }
    let page_path = root.join("docs/json.md");
    let page = std::fs::read_to_string(&page_path).unwrap();
    let (before, rest) = page.split_once(START).unwrap_or((page.as_str(), END));
    let after = rest.split_once(END).map_or("", |(_, a)| a);
    let expected = format!("{before}{START}{listed}{END}{after}");
    if std::env::var_os("WFCTL_BLESS").is_some() {
        std::fs::write(&page_path, &expected).unwrap();
    }
    assert!(
        page == expected,
        "docs/json.md does not list the keys of tests/schemas (WFCTL_BLESS=1 rewrites the list)"
    );
}

/// `sla run --every` (a service) stops when its reader closes stdout (`| head -1`) and exits
/// 0, as every other command does (before: it went on a pass a second until killed).
#[test]
fn a_service_loop_ends_when_stdout_is_closed() {
    use std::io::BufRead;
    let Some(env) = crate::support::case_env::Env::postgres() else {
        return;
    };
    let mut child = env
        .wf()
        .args(["--json", "sla", "run", "--dry-run", "--every", "1s"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("wfctl runs");
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with('{'), "{first}");
    // the reader is gone: the next pass finds the pipe closed
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert_eq!(
        status.and_then(|s| s.code()),
        Some(0),
        "still running 10 s after stdout closed"
    );
}

/// Every key of every checked-in schema (so every command's JSON, walked from the files the
/// schema test demands of every command) names one unit per concept: durations in
/// `_seconds` (never `_ms`, `_s`, `_secs`), sizes in `_bytes` (never kb/mb/kib/mib), and a
/// quantity never without its unit. Stored documents (`manifest`, `document`, `variables`)
/// keep the format of their files.
#[test]
fn every_schema_key_names_its_unit_one_way() {
    fn keys(schema: &Value, at: &str, out: &mut Vec<(String, String)>) {
        match schema {
            Value::Object(map) => {
                if let Some(Value::Object(props)) = map.get("properties") {
                    for (key, sub) in props {
                        if ["manifest", "document", "variables"].contains(&key.as_str()) {
                            continue;
                        }
                        out.push((key.clone(), format!("{at}.{key}")));
                        keys(sub, &format!("{at}.{key}"), out);
                    }
                }
                for (word, sub) in map {
                    if word != "properties" {
                        keys(sub, at, out);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| keys(i, at, out)),
            _ => {}
        }
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas");
    let mut problems = Vec::new();
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/schemas") {
        let file = entry.expect("an entry").path();
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let mut found = Vec::new();
        keys(&schema, "", &mut found);
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        for (key, at) in found {
            seen += 1;
            let words: Vec<&str> = key.split('_').collect();
            let last = words.last().copied().unwrap_or_default();
            let why = if ["ms", "s", "secs", "millis", "msec", "minutes", "hours"].contains(&last) {
                "a duration is _seconds"
            } else if words
                .iter()
                .any(|w| ["kb", "mb", "gb", "kib", "mib", "gib"].contains(w))
            {
                "a size is _bytes"
            } else if [
                "size",
                "elapsed",
                "duration",
                "age",
                "lag",
                "uncompressed_size",
            ]
            .contains(&key.as_str())
            {
                "a quantity names its unit"
            } else {
                continue;
            };
            problems.push(format!("{name}: {at}: {why}"));
        }
    }
    assert!(seen > 300, "too few keys: {seen}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
