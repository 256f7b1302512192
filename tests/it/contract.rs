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

use crate::case_support::{Env, INBOX_JOURNEY};
use crate::support::{Run, wfctl};

/// The exit codes the README documents.
const DOCUMENTED: &[i32] = &[0, 1, 2, 3, 69, 75, 78];

/// Every subcommand path (`["case", "start"]`), from the help of the binary itself.
fn command_paths() -> Vec<Vec<String>> {
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
fn leaves(paths: &[Vec<String>]) -> Vec<Vec<String>> {
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
    /// An action or a check: nothing on stdout on success.
    Action,
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
        env.config(
            "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nexec = [\"./worker.sh\"]\n",
        );
        env.write(
            "worker.sh",
            "#!/bin/sh\ncat >/dev/null\necho '{\"response\":\"ok_proceed\"}'\n",
        );
        env.write("inbox.json", INBOX_JOURNEY);
        let url = match &env.backend {
            crate::case_support::Backend::Postgres(db) => db.url.clone(),
            crate::case_support::Backend::Files(_) => unreachable!("a database env"),
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
        cmd.current_dir(self.env.dir.path())
            .env("DATABASE_URL", &self.url)
            .arg("--config")
            .arg(self.env.path("wfctl.toml"));
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
        use Kind::{Action, Data, NoJson};
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
            ["case", "set-var"] => (v(&[&case(), "note=string:x"]), Action, &[0]),
            ["case", "show"] => (vec![case()], Data, &[0]),
            ["case", "list"] => (vec![], Data, &[0]),
            ["case", "history"] => (vec![case()], Data, &[0]),
            ["sla", "due"] => (vec![], Data, &[0]),
            ["db", "setup"] => (v(&["--print-sql", "--admin-url", &self.url]), Data, &[0]),
            ["db", "migrate"] => (vec![], Action, &[0]),
            ["db", "status"] => (vec![], Data, &[0]),
            ["db", "backup"] => (v(&["--dir", "backups"]), Action, &[0]),
            ["db", "backups"] => (v(&["--dir", "backups"]), Data, &[0]),
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
            [
                "diag",
                "locks" | "long-running" | "sizes" | "bloat" | "vacuum" | "doctor",
            ] => (vec![], Data, &[0, 3]),
            [
                "diag",
                "health" | "cases" | "indexes" | "slow-queries" | "explain",
            ] => (vec![], Data, &[0, 3]),
            ["diag", "settings" | "wal" | "all"] => (vec![], Data, &[0, 3]),
            ["config", "show"] => (vec![], Data, &[0]),
            ["metrics"] => (vec![], NoJson, &[0]),
            ["completions"] => (v(&["bash"]), NoJson, &[0]),
            ["migrate-files"] => (v(&["fs"]), Action, &[0]),
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
                if bless {
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

        // -q: an action prints nothing on success, and no command chatters on stderr
        let call = world.invocation(&path).expect("known above");
        let run = Run::of(world.wf().arg("-q").args(&call.args));
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
                    || !text.ends_with('Z')) =>
        {
            problems.push(format!("{name}: {at}: {text:?} is not RFC 3339 UTC"));
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
            ["case", "set-var"] => &["c1", "x=string:y"],
            ["db", "verify" | "restore"] => &["absent.sql.gz", "--target-db", "x"],
            ["db", "setup"] => &["--admin-url", "postgres://nobody@127.0.0.1:1/x"],
            ["db", "backup" | "backups" | "basebackup"] => &["--dir", "absent-backups"],
            ["completions"] => &["bash"],
            ["migrate-files"] => &["absent-source"],
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
            } else if !DOCUMENTED.contains(&run.code) {
                problems.push(format!("{name} ({what}): exit {}", run.code));
            } else if run.code != 0 && lines != 1 {
                problems.push(format!(
                    "{name} ({what}): {lines} lines on stderr: {}",
                    run.stderr.trim()
                ));
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
            .filter(|l| l.contains("<DURATION>"))
            .filter_map(|l| l.split_whitespace().find(|w| w.starts_with("--")))
            .map(|w| w.trim_end_matches(',').to_owned())
            .collect();
        let mut cases: Vec<(String, String)> = Vec::new();
        for flag in &flags {
            for value in ["1e300", "1e19", "18446744073709551615", "-1", "nan"] {
                cases.push((flag.clone(), format!("{flag}={value}")));
            }
        }
        if path == ["sla", "due"] {
            for value in ["+1e300", "-1e19", "+nan"] {
                cases.push(("--at".into(), format!("--at={value}")));
            }
        }
        for (flag, arg) in cases {
            checked += 1;
            let run = Run::of(wfctl().args(&path).arg(&arg));
            if run.code != 2 || !run.stderr.contains(&flag) {
                wrong.push(format!(
                    "{} {arg}: exit {}: {}",
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
