//! The JSON contract in the states the walk of every command does not reach: completed and
//! reopened cases, routes that took branches, bulk runs (done, dry run, nothing matched), the
//! other modes of a command (`db setup` that runs, `diag indexes --all`, `diag vacuum --run`,
//! `migrate-files --verify`) and a database without pg_stat_statements. Each document must
//! match the same checked-in schema as the walk's (`WFCTL_BLESS=1` widens them; review the diff).

use diesel::connection::SimpleConnection;

use crate::contract::check_against_schema;
use crate::support::case_env::{Backend, Env};
use crate::support::{Run, wfctl};

/// A journey with a comment, user data, a ticket, a variable, an s_route and a p_route that
/// joins: `start` pends in `inbox`; resumed with `go=string:yes` it runs to the end.
const ROUTED_JOURNEY: &str = r#"{"journey": {"name": "routed",
  "tickets": [{"name": "again", "step": "start"}, {"name": "finish", "step": "last"}],
  "process_variables": [{"name": "currency", "type": "string", "value": "EUR", "comment": "amounts"}],
  "flow": [
  {"name": "start", "component": "manual", "user_data": "inbox", "next": "choose",
   "comment": "waits for an operator"},
  {"name": "choose", "type": "s_route", "component": "by_variable", "user_data": "go",
   "branches": [{"name": "yes", "next": "fan"}, {"name": "no", "next": "last"}]},
  {"name": "fan", "type": "p_route", "component": "fan_out",
   "branches": [{"name": "a", "next": "left"}, {"name": "b", "next": "right"}]},
  {"name": "left", "component": "record", "next": "join"},
  {"name": "right", "component": "record", "next": "join"},
  {"name": "join", "type": "p_join", "next": "last"},
  {"name": "last", "component": "record", "next": "end"}]}}"#;

const CONFIG: &str = "[components.manual]\nbuiltin = \"pend\"\n\
[components.by_variable]\nbuiltin = \"route-by-variable\"\n\
[components.record]\nbuiltin = \"proceed\"\n\
[components.fan_out]\nexec = [\"./fan.sh\"]\n";

/// The p_route's program: both branches.
const FAN: &str =
    "#!/bin/sh\ncat >/dev/null\necho '{\"response\":\"ok_proceed\",\"branches\":[\"a\",\"b\"]}'\n";

fn args(a: &[String]) -> Vec<&str> {
    a.iter().map(String::as_str).collect()
}

struct Checked<'a> {
    env: &'a Env,
    problems: Vec<String>,
}

impl Checked<'_> {
    /// Runs `wfctl --json ARGS`, expects `code`, checks the document against `schema`'s file.
    fn json(&mut self, schema: &[&str], args: &[&str], code: i32) {
        let run = Run::of(self.env.wf().arg("--json").args(args));
        let label = format!("wfctl --json {}", args.join(" "));
        if run.code != code {
            self.problems.push(format!(
                "{label}: exit {} (expected {code}): {}",
                run.code,
                run.stderr.trim()
            ));
            return;
        }
        match serde_json::from_str(&run.stdout) {
            Ok(doc) => self.problems.extend(
                check_against_schema(schema, &doc)
                    .into_iter()
                    .map(|p| format!("{label}: {p}")),
            ),
            Err(e) => self
                .problems
                .push(format!("{label}: not JSON ({e}): {:.300}", run.stdout)),
        }
    }
}

#[test]
fn case_states_and_bulk_runs_match_their_schemas() {
    let Some(env) = Env::postgres() else { return };
    env.config(CONFIG);
    env.write("fan.sh", FAN);
    env.write("routed.json", ROUTED_JOURNEY);
    let mut c = Checked {
        env: &env,
        problems: Vec::new(),
    };
    let start = |id: &str| {
        ["case", "start", "--journey", "routed.json", "--case-id", id].map(str::to_owned)
    };
    c.json(&["journey", "show"], &["journey", "show", "routed.json"], 0);
    c.json(&["case", "start"], &args(&start("r1")), 0);
    c.json(&["case", "show"], &["case", "show", "r1"], 0);
    // runs both routes to the end: no pend, branches in the history
    c.json(
        &["case", "resume"],
        &["case", "resume", "r1", "--var", "go=string:yes"],
        0,
    );
    c.json(&["case", "show"], &["case", "show", "r1"], 0);
    c.json(&["case", "history"], &["case", "history", "r1"], 0);
    // reopened: pended again, then run to the end from another ticket
    c.json(
        &["case", "reopen"],
        &["case", "reopen", "r1", "--ticket", "again"],
        0,
    );
    c.json(
        &["case", "set-var"],
        &["case", "set-var", "r1", "--var", "note=string:x"],
        0,
    );
    c.json(
        &["case", "change-workbasket"],
        &["case", "change-workbasket", "r1", "elsewhere"],
        0,
    );
    c.json(
        &["case", "resume"],
        &["case", "resume", "r1", "--var", "go=string:no"],
        0,
    );
    c.json(
        &["case", "reopen"],
        &["case", "reopen", "r1", "--ticket", "finish"],
        0,
    );
    // a step whose component fails: an error pend
    env.write(
        "broken.json",
        &ROUTED_JOURNEY.replace("\"component\": \"fan_out\"", "\"component\": \"record\""),
    );
    Run::of(env.wf().args([
        "case",
        "start",
        "--journey",
        "broken.json",
        "--case-id",
        "e1",
    ]))
    .expect_code(0);
    c.json(
        &["case", "resume"],
        &["case", "resume", "e1", "--var", "go=string:yes"],
        0,
    );
    c.json(&["case", "show"], &["case", "show", "e1"], 0);
    c.json(&["case", "history"], &["case", "history", "e1"], 0);
    c.json(&["case", "history"], &["case", "history", "r1"], 0);
    // a completed case whose parallel paths ended (no work basket): the case-show shape
    c.json(
        &["case", "wait"],
        &["case", "wait", "r1", "--until", "completed"],
        0,
    );

    // bulk: a dry run, a run, and nothing left to match
    for id in ["b1", "b2"] {
        Run::of(env.wf().args(args(&start(id)))).expect_code(0);
    }
    let basket = ["--all", "--workbasket", "inbox"];
    for extra in [&["--dry-run"][..], &[]] {
        let mut a = vec!["case", "change-workbasket"];
        a.extend(basket);
        a.extend(extra);
        a.push("inbox2");
        c.json(&["case", "change-workbasket"], &a, 0);
    }
    for extra in [&["--dry-run"][..], &[], &[]] {
        let mut a = vec!["case", "resume", "--all", "--workbasket", "inbox2"];
        a.extend(extra);
        a.extend(["--var", "go=string:no"]);
        c.json(&["case", "resume"], &a, 0);
    }
    c.json(
        &["case", "resume"],
        &["case", "resume", "--all", "--stuck-for", "1h", "--dry-run"],
        0,
    );
    assert!(c.problems.is_empty(), "{}", c.problems.join("\n"));
}

#[test]
fn other_modes_of_a_command_match_their_schemas() {
    let Some(env) = Env::postgres() else { return };
    env.config(CONFIG);
    env.write("fan.sh", FAN);
    env.write("routed.json", ROUTED_JOURNEY);
    let mut c = Checked {
        env: &env,
        problems: Vec::new(),
    };
    // a file store to import and verify
    Run::of(wfctl().current_dir(env.dir.path()).args([
        "--config",
        "wfctl.toml",
        "--store",
        "fs",
        "case",
        "start",
        "--journey",
        "routed.json",
        "--case-id",
        "f1",
    ]))
    .expect_code(0);
    c.json(&["migrate-files"], &["migrate-files", "fs", "--verify"], 0);
    // a first import, then a re-run with everything unchanged: the rows carry every key
    c.json(&["migrate-files"], &["migrate-files", "fs"], 0);
    c.json(&["migrate-files"], &["migrate-files", "fs"], 0);
    // a backup's dry run (the retention it would apply) and a real one: one schema, two modes
    c.json(
        &["db", "backup"],
        &["db", "backup", "--dir", "bk", "--dry-run"],
        0,
    );
    c.json(&["db", "backup"], &["db", "backup", "--dir", "bk"], 0);
    // indexes never scanned while the statistics are young: not yet judged, listed
    if let Backend::Postgres(db) = &env.backend {
        db.conn()
            .batch_execute(
                "CREATE TABLE t14 (a int, b text); CREATE INDEX t14_a ON t14 (a);
                 CREATE INDEX t14_a2 ON t14 (a);
                 INSERT INTO t14 SELECT g, 'x' FROM generate_series(1, 1000) g; ANALYZE t14",
            )
            .unwrap();
    }
    c.json(&["diag", "indexes"], &["diag", "indexes"], 0);
    c.json(&["diag", "indexes"], &["diag", "indexes", "--all"], 0);
    c.json(&["diag", "vacuum"], &["diag", "vacuum", "--run"], 0);
    c.json(
        &["diag", "vacuum"],
        &["diag", "vacuum", "--run", "--analyze"],
        0,
    );

    // db setup that runs (not --print-sql): a database and two roles of its own
    let admin_url = match &env.backend {
        Backend::Postgres(db) => db.admin_url(),
        Backend::Files(_) => unreachable!(),
    };
    let id = std::process::id();
    let (database, user, ro) = (
        format!("wf_cs_{id}"),
        format!("wf_cs_user_{id}"),
        format!("wf_cs_ro_{id}"),
    );
    let run = Run::of(
        wfctl()
            .env("WFCTL_ADMIN_URL", &admin_url)
            .env("WFCTL_USER_PASSWORD", "UserPw-123")
            .env("WFCTL_READONLY_PASSWORD", "ReadPw-456")
            .args([
                "--json",
                "db",
                "setup",
                "--database",
                &database,
                "--user",
                &user,
                "--readonly-user",
                &ro,
            ]),
    );
    let mut admin = diesel::Connection::establish(&admin_url).map(|c: diesel::PgConnection| c);
    if let Ok(admin) = admin.as_mut() {
        let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {database}"));
        let _ = admin.batch_execute(&format!(
            "DROP OWNED BY {ro}, {user}; DROP ROLE IF EXISTS {ro}; DROP ROLE IF EXISTS {user}"
        ));
    }
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("UserPw-123"), "{}", run.stdout);
    let doc = serde_json::from_str(&run.stdout).expect("JSON");
    c.problems
        .extend(check_against_schema(&["db", "setup"], &doc));

    // without pg_stat_statements every key is still there (null: unknown)
    if let Backend::Postgres(db) = &env.backend {
        db.conn()
            .batch_execute("DROP EXTENSION IF EXISTS pg_stat_statements")
            .unwrap();
    }
    c.json(&["diag", "slow-queries"], &["diag", "slow-queries"], 0);
    assert!(c.problems.is_empty(), "{}", c.problems.join("\n"));
}

#[test]
fn a_finding_that_reports_a_problem_is_never_ok() {
    let Some(env) = Env::postgres() else { return };
    if let Backend::Postgres(db) = &env.backend {
        db.conn()
            .batch_execute("DROP INDEX idx_milestone_due")
            .unwrap();
    }
    let run = env.run(&["diag", "all", "--skip", "explain"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let row = run
        .stdout
        .lines()
        .find(|l| l.contains("idx_milestone_due"))
        .unwrap_or_else(|| panic!("no row names the missing index:\n{}", run.stdout));
    assert!(row.contains("WARNING"), "{row}");
    assert!(row.contains("CREATE INDEX"), "no fix: {row}");
    // a note is labelled as one, never OK
    for line in run.stdout.lines() {
        let first = line.trim_start_matches(['|', '│', ' ']);
        assert!(!first.starts_with("OK "), "an OK finding: {line}");
    }
    let doc = env.json(&["diag", "all", "--skip", "explain"], 0);
    let missing = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["message"]
                .as_str()
                .unwrap_or("")
                .contains("idx_milestone_due")
        })
        .cloned()
        .unwrap_or_default();
    assert_eq!(missing["severity"], "warning", "{doc}");
}

/// Every duration, age and count flag of every command, given a negative value either way
/// (`--limit -1`, `--limit=-1`): one line that names the flag and the rule, exit 2.
#[test]
fn negative_values_name_the_flag_and_the_rule() {
    use crate::contract::{command_paths, leaves};
    let mut wrong = Vec::new();
    let mut checked = 0;
    for path in leaves(&command_paths()) {
        let help = Run::of(wfctl().args(&path).arg("--help")).expect_code(0);
        for line in help.stdout.lines() {
            let value = if line.contains("<DURATION>") || line.contains("<AGE>") {
                "-5s"
            } else if line.contains("<N>") {
                "-1"
            } else {
                continue;
            };
            let Some(flag) = line
                .split_whitespace()
                .find(|w| w.starts_with("--"))
                .map(|w| w.trim_end_matches(','))
            else {
                continue;
            };
            for args in [
                vec![flag.to_owned(), value.to_owned()],
                vec![format!("{flag}={value}")],
            ] {
                checked += 1;
                let run = Run::of(wfctl().args(&path).args(&args));
                let told =
                    run.stderr.contains("must not be negative") || run.stderr.contains("is not in");
                if run.code != 2
                    || !run.stderr.contains(flag)
                    || !told
                    || run.stderr.trim_end().lines().count() != 1
                {
                    wrong.push(format!(
                        "wfctl {} {}: exit {}: {}",
                        path.join(" "),
                        args.join(" "),
                        run.code,
                        run.stderr.trim_end()
                    ));
                }
            }
        }
    }
    assert!(checked > 20, "too few flags found: {checked}");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A usage error is one line and a hint, exit 2; it does not print a usage line that makes
/// options look required, and a bulk option without `--all` names `--all` alone.
#[test]
fn usage_errors_are_one_line_with_a_hint() {
    let cases: &[&[&str]] = &[
        &["case", "list", "--bogus"],
        &["case", "bogus"],
        &["case", "start"],
        &["case", "show"],
        &["case", "change-workbasket", "x"],
        &["case", "resume", "--step", "s"],
        &["case", "wait", "x"],
        &["diag", "all", "--include", "nope"],
        &["--nope"],
    ];
    let mut wrong = Vec::new();
    for args in cases {
        let run = Run::of(wfctl().args(*args));
        let err = run.stderr.trim_end();
        if run.code != 2 || err.lines().count() != 1 || err.contains("Usage:") {
            wrong.push(format!(
                "wfctl {}: exit {}:\n{err}",
                args.join(" "),
                run.code
            ));
        }
    }
    let run = Run::of(wfctl().args(["case", "resume", "--step", "s"])).expect_code(2);
    assert!(run.stderr.contains("--all"), "{}", run.stderr);
    assert!(!run.stderr.contains("--stuck-for"), "{}", run.stderr);
    // the help's usage line lists no option as required that is not
    let help = Run::of(wfctl().args(["case", "change-workbasket", "--help"])).expect_code(0);
    let usage = help
        .stdout
        .lines()
        .find(|l| l.starts_with("Usage:"))
        .unwrap_or_default();
    assert!(!usage.contains("--store"), "{usage}");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A usage error's one line keeps what the user needs: the missing argument's name, the valid
/// values, the help to read. A command without its subcommand (`wfctl`, `wfctl case`) is a
/// usage error (exit 2, one line, the JSON object under `--json`), whatever other flags are
/// given (before: help on stderr and exit 0, but exit 2 with `--json` or `-q` alone).
#[test]
fn usage_errors_name_the_missing_argument_and_the_valid_values() {
    let cases: &[(&[&str], &str)] = &[
        (&[], "'wfctl' requires a subcommand"),
        (&["case"], "'wfctl case' requires a subcommand"),
        (&["-q"], "'wfctl' requires a subcommand"),
        (&["db"], "(see 'wfctl db --help')"),
        (
            &["case", "show"],
            "not provided: <ID> (see 'wfctl case show --help')",
        ),
        (&["keys", "generate"], "not provided: <FILE>"),
        (&["case", "start"], "not provided: --journey <FILE>"),
        (
            &["case", "list", "--status", "foo"],
            "[possible values: running, pended, completed, cancelled]",
        ),
        (
            &["--color", "sometimes", "case", "list"],
            "[possible values: auto, always, never]",
        ),
        (
            &["case", "list", "--limt", "3"],
            "'--limit'; see 'wfctl case list --help')",
        ),
    ];
    let mut wrong = Vec::new();
    for (args, expected) in cases {
        for json in [false, true] {
            let mut cmd = wfctl();
            if json {
                cmd.arg("--json");
            }
            let run = Run::of(cmd.args(*args));
            let err = run.stderr.trim_end();
            let stdout_ok = !json || run.stdout.contains("\"code\":2");
            if run.code != 2 || err.lines().count() != 1 || !err.contains(expected) || !stdout_ok {
                wrong.push(format!(
                    "wfctl{} {}: exit {}: {err} | {}",
                    if json { " --json" } else { "" },
                    args.join(" "),
                    run.code,
                    run.stdout.trim()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// An id no store could hold: the same exit code and words for every command that takes one,
/// reads included; the id echoed escaped and shortened.
#[test]
fn an_invalid_case_id_is_refused_alike_by_every_command() {
    let env = Env::files();
    let long = format!("{}\u{1b}[31m", "x".repeat(5000));
    let commands: &[&[&str]] = &[
        &["case", "show"],
        &["case", "history"],
        &["case", "resume"],
        &["case", "set-var", "ID", "--var", "a=string:b"],
        &["case", "change-workbasket", "ID", "b"],
        &["case", "reopen", "ID", "--ticket", "t"],
        &["case", "cancel", "ID", "--reason", "r"],
        &["case", "wait", "ID", "--until", "completed"],
        &["case", "start", "--journey", "j.json", "--case-id", "ID"],
    ];
    let mut wrong = Vec::new();
    for bad in ["../x", long.as_str(), "a\nb"] {
        for command in commands {
            let mut args: Vec<&str> = command
                .iter()
                .map(|a| if *a == "ID" { bad } else { a })
                .collect();
            if !command.contains(&"ID") {
                args.push(bad);
            }
            let run = env.run(&args);
            let err = run.stderr.trim_end();
            let ok = run.code == 2
                && err.contains("invalid case id")
                && err.lines().count() == 1
                && err.len() < 400
                && !err.contains('\u{1b}');
            if !ok {
                wrong.push(format!(
                    "wfctl {}: exit {}: {err:.300}",
                    command.join(" "),
                    run.code
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The words of `text` that break the one form of durations, ages, sizes and times in human
/// output: whole units `850ms`, `45s`, `12m`, `3h 5m`, `2d 4h`; 1024-based sizes `512 B`,
/// `1.50 KiB`; times `2026-12-07 05:15:43Z` (never RFC 3339's `T`, never a unit after a space).
fn off_form(text: &str) -> Vec<String> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || "|,;()[]\"'=".contains(c))
        .filter(|w| !w.is_empty())
        .collect();
    let mut bad = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let next = words.get(i + 1).copied().unwrap_or("");
        let bytes = word.as_bytes();
        if bytes.len() >= 13 && bytes[4] == b'-' && bytes[10] == b'T' && bytes[0].is_ascii_digit() {
            bad.push(format!("{word} (RFC 3339 in a table or message)"));
            continue;
        }
        // a table row labelled with a unit (`| seconds | 0.3 |`, `| cases/s | 12 |`)
        let unit_label = ["seconds", "secs", "ms"].contains(word)
            || (word.ends_with("/s") && !word.starts_with(|c: char| c.is_ascii_digit()));
        if unit_label && next.starts_with(|c: char| c.is_ascii_digit()) {
            bad.push(format!("{word} {next} (a unit as a label)"));
            continue;
        }
        let split = word
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(word.len());
        let (number, unit) = word.split_at(split);
        if !number.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let decimals = number.split_once('.').map(|(_, d)| d.len());
        let wrong = match (unit, next) {
            ("ms" | "s" | "m" | "h" | "d", _) if decimals.is_some() => "a fraction of a unit",
            ("m", n)
                if n.strip_suffix('s')
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) =>
            {
                "seconds after minutes"
            }
            ("s", n)
                if n.strip_suffix("ms")
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) =>
            {
                "milliseconds after seconds"
            }
            ("sec" | "secs" | "bytes" | "kB" | "KB" | "MB" | "GB", _) => "another unit",
            ("", "s" | "ms" | "sec" | "seconds" | "bytes" | "kB" | "KB" | "MB" | "GB") => {
                "another unit"
            }
            ("", "B") if decimals.is_some() => "a fraction of a byte",
            ("", "KiB" | "MiB" | "GiB" | "TiB") if decimals != Some(2) => "not two decimals",
            _ => continue,
        };
        bad.push(format!("{word} {next} ({wrong})"));
    }
    bad
}

#[test]
fn the_form_checker_tells_the_forms_apart() {
    let good =
        "oldest 2h 0m, median 5m; 850ms 0s 45s 2d 4h; 512 B, 37.92 KiB; 2026-12-07 05:15:43Z";
    assert_eq!(off_form(good), Vec::<String>::new());
    assert_eq!(off_form("| seconds | 0.3 |").len(), 1);
    assert_eq!(off_form("| cases/s | 12 |").len(), 1);
    assert_eq!(
        off_form("| read per second | 1.50 MiB/s |"),
        Vec::<String>::new()
    );
    let bad =
        "510 s | 5m 17s | 5.9s | 38828 bytes | 12 kB | 2026-12-07T05:15:43Z | 1.5 KiB | 1s 500ms";
    assert_eq!(off_form(bad).len(), 8, "{:?}", off_form(bad));
}

/// Durations, ages, sizes and times read one way in every human output: `diag all`, `diag
/// cases`, `diag long-running`, `diag health`, `case list`, `case show` of an interrupted case,
/// the summaries of `db backup`, `db verify` and `db restore`, and the
/// message of a `case wait` that runs out.
#[test]
fn human_output_has_one_form_for_durations_sizes_and_times() {
    use std::time::Duration;

    use crate::support::diag::{State, case, milestone};

    let db = crate::pg_or_skip!(crate::support::TestDb::new());
    let mut conn = db.conn();
    case(
        &mut conn,
        "F-STUCK",
        State::Running,
        Duration::from_secs(3_700),
    );
    case(
        &mut conn,
        "F-OLD",
        State::Pended("review"),
        Duration::from_secs(7_250),
    );
    case(
        &mut conn,
        "F-NEW",
        State::Pended("review"),
        Duration::from_secs(317),
    );
    case(
        &mut conn,
        "F-ERR",
        State::Pended("workflow_error"),
        Duration::from_secs(95),
    );
    milestone(&mut conn, "F-OLD", "review_sla", "review", "enqueued", -130);
    // `case show` reads the case's journey: give the stuck case a real one
    conn.batch_execute(
        r#"UPDATE workflow_definition SET flow_json = '{"journey": {"name": "order", "flow": [
             {"name": "start", "component": "work", "next": "step_2"},
             {"name": "step_2", "component": "work", "next": "end"}]}}' WHERE case_id = 'F-STUCK'"#,
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    let backed_up = Run::of(
        wfctl()
            .args(["--database-url", &db.url, "db", "backup", "--dir", dir_arg])
            .env_remove("DATABASE_URL"),
    )
    .expect_code(0);
    let backup = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".sql.gz"))
        .expect("a backup file");
    let backup = backup.to_str().unwrap();

    let restored_db = format!("{}_restored", db.name);
    let mut problems: Vec<String> = off_form(&backed_up.stderr)
        .into_iter()
        .map(|p| format!("db backup: stderr: {p}"))
        .collect();
    for (command, code) in [
        (
            vec![
                "case",
                "wait",
                "F-STUCK",
                "--until",
                "completed",
                "--timeout",
                "1.5",
            ],
            Some(3),
        ),
        (
            vec![
                "db",
                "restore",
                backup,
                "--target-db",
                &restored_db,
                "--create",
            ],
            Some(0),
        ),
        (vec!["diag", "all"], None),
        (vec!["diag", "cases", "--stuck-for", "10m"], Some(0)),
        (vec!["diag", "long-running"], Some(0)),
        (vec!["diag", "health"], None),
        (vec!["case", "list"], Some(0)),
        (vec!["case", "show", "F-STUCK"], Some(0)),
        (vec!["db", "verify", backup], Some(0)),
    ] {
        let run = Run::of(
            wfctl()
                .args(["--database-url", &db.url])
                .args(&command)
                .env_remove("DATABASE_URL"),
        );
        if let Some(code) = code {
            assert_eq!(run.code, code, "{command:?}: {}", run.stderr);
        }
        assert!(
            run.code != 2 && run.code != 101,
            "{command:?}: {}",
            run.stderr
        );
        for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
            problems.extend(
                off_form(text)
                    .into_iter()
                    .map(|p| format!("{}: {stream}: {p}", command.join(" "))),
            );
        }
    }
    crate::support::backup::drop_database(&db, &restored_db);
    // migrate-files' summary: elapsed time and rate in the one form (a file store of one case)
    let files = Env::files().with_example_config();
    let journey = crate::support::case_env::example_dir().join("journey.json");
    files.json(
        &[
            "case",
            "start",
            "--journey",
            journey.to_str().unwrap(),
            "--case-id",
            "m1",
            "--var",
            "amount=long:1500",
        ],
        0,
    );
    let Backend::Files(store) = &files.backend else {
        unreachable!("a file store")
    };
    let imported_db = crate::support::TestDb::new().expect("a server");
    let migrated = Run::of(
        wfctl()
            .args(["--database-url", &imported_db.url, "migrate-files"])
            .arg(store)
            .env_remove("DATABASE_URL"),
    );
    assert_eq!(migrated.code, 0, "{}", migrated.stderr);
    for (stream, text) in [("stdout", &migrated.stdout), ("stderr", &migrated.stderr)] {
        problems.extend(
            off_form(text)
                .into_iter()
                .map(|p| format!("migrate-files: {stream}: {p}")),
        );
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// A bad section of `wfctl.toml` fails only the commands that read it, with one line naming the
/// file and the key (`sla.x`, `diag`); the others run as without it.
#[test]
fn a_bad_config_section_fails_only_the_commands_that_read_it() {
    let journey = r#"{"journey": {"name": "j", "flow": [{"name": "start", "component": "manual", "next": "end"}]}}"#;
    let good = "[components.manual]\nbuiltin = \"pend\"\n";
    // (section text, the key the error names, commands that must fail, commands that must not)
    type Commands<'a> = &'a [&'a [&'a str]];
    let cases: &[(&str, &str, Commands, Commands)] = &[
        (
            "[diag]\nstuck_for = \"1h\"\n",
            "`diag`",
            &[&["diag", "sizes"]],
            &[&["journey", "validate", "j.json"], &["case", "list"]],
        ),
        (
            "[repository]\nurl = 5\n",
            "`repository.url`",
            &[&["db", "backups"]],
            &[&["journey", "validate", "j.json"], &["case", "list"]],
        ),
        // `wal` and `keys` read only their own sections; `diag` other than `diag wal` and
        // `diag all` does not read [repository] (before: all of them failed on it)
        (
            "[repository]\nurl = 5\n",
            "`repository.url`",
            &[
                &["diag", "wal"],
                &["wal", "push", "000000010000000000000001"],
            ],
            &[&["keys", "generate", "k.key"], &["diag", "sizes"]],
        ),
        (
            "[backup]\nkeep_min = \"x\"\n",
            "`backup.keep_min`",
            &[&["db", "backups"]],
            &[
                &["keys", "generate", "k2.key"],
                &["journey", "validate", "j.json"],
                &["case", "list"],
            ],
        ),
        // [variables] and [tools] are sections like any other (before: a bad one failed
        // every command, as a typo does)
        (
            "[variables]\nsensitive = 5\n",
            "`variables.sensitive`",
            &[&["case", "list"]],
            &[&["journey", "validate", "j.json"], &["diag", "sizes"]],
        ),
        (
            "[tools]\nbin_dir = 5\n",
            "`tools.bin_dir`",
            &[&["db", "backups"]],
            &[&["journey", "validate", "j.json"], &["case", "list"]],
        ),
        // [database] fails what uses PostgreSQL, not a listing of a file store named elsewhere
        (
            "[database]\npool_size = 0\n",
            "`database.pool_size`",
            &[&["sla", "due"], &["db", "status"]],
            &[&["journey", "validate", "j.json"], &["case", "list"]],
        ),
        (
            "[database]\npool_size = \"x\"\n",
            "`database.pool_size`",
            &[&["db", "status"], &["diag", "sizes"]],
            &[
                &["case", "list"],
                &["case", "show", "nope-absent"],
                &["keys", "generate", "k3.key"],
            ],
        ),
        // [sla] is read by what runs or checks SLA actions, not by listings
        (
            "[sla]\nx = 1\n",
            "`sla.x`",
            &[
                &["journey", "validate", "j.json", "--sla", "j.json"],
                &["sla", "due"],
            ],
            &[
                &["diag", "sizes"],
                &["case", "list"],
                &["journey", "validate", "j.json"],
            ],
        ),
        // [components] is read by what runs or checks a journey, not by listings
        (
            "[components.x]\nexec = 5\n",
            "`components.x.exec`",
            &[&["journey", "validate", "j.json"]],
            &[&["case", "list"], &["case", "history", "nope-absent"]],
        ),
        // repo commands read [repository] only
        (
            "[backup]\nkeep_days = \"abc\"\n",
            "`backup.keep_days`",
            &[&["db", "backups"]],
            &[&["repo", "ls"]],
        ),
    ];
    for (section, key, failing, working) in cases {
        let env = Env::files();
        env.write("j.json", journey);
        env.config(&format!("{good}{section}"));
        std::fs::create_dir(env.path("workflow-data")).unwrap();
        // the config found in the current directory, the store named by the environment
        let wf = |args: &[&str]| {
            let mut cmd = wfctl();
            cmd.current_dir(env.dir.path()).args(args);
            if args[0] == "case" {
                cmd.env("WFCTL_STORE", env.path("workflow-data"));
            }
            if args[0] == "repo" {
                let repo = env.path("repo");
                std::fs::create_dir_all(&repo).unwrap();
                cmd.env("WFCTL_REPOSITORY", format!("file://{}", repo.display()));
            }
            cmd
        };
        for args in *failing {
            let run = Run::of(wf(args).env("DATABASE_URL", "postgres://127.0.0.1:1/x"));
            let label = format!("{section:?} {args:?}");
            assert_eq!(run.code, 78, "{label}: {}", run.stderr);
            assert!(
                run.stderr.contains("wfctl.toml") && run.stderr.contains(key),
                "{label}: {}",
                run.stderr
            );
            assert_eq!(
                run.stderr.trim().lines().count(),
                1,
                "{label}: {}",
                run.stderr
            );
        }
        for args in *working {
            let run = Run::of(&mut wf(args));
            // diag without a database says so (exit 69 or 78), not the config's section
            assert!(
                !run.stderr.contains(key),
                "{section:?} {args:?}: {}",
                run.stderr
            );
            // a case that is not there is the command's own answer (exit 1), after the settings
            let not_found = args.contains(&"nope-absent") && run.stderr.contains("not found");
            assert!(
                run.code == 0 || args[0] == "diag" || not_found,
                "{section:?} {args:?}: {}",
                run.stderr
            );
        }
        let run = Run::of(
            wfctl()
                .current_dir(env.dir.path())
                .args(["completions", "bash"]),
        );
        assert_eq!(run.code, 0, "{section:?}: {}", run.stderr);
    }
}

/// One vocabulary for levels: JSON's words (`ok`, `info`, `warning`, `critical`, `unknown`),
/// upper-case in tables. A finding below every warning level is `info` in JSON and `INFO` in the
/// table alike (never `ok`: that is the word of a figure, a setting or a whole run).
#[test]
fn a_finding_reads_the_same_level_in_json_and_in_tables() {
    let db = crate::pg_or_skip!(crate::support::TestDb::new());
    // an unused index whose statistics are too recent to judge: a note
    db.conn()
        .batch_execute("CREATE INDEX idx_contract_note ON milestone(name)")
        .unwrap();
    let wf = |json: bool| {
        let mut cmd = wfctl();
        cmd.args(["--database-url", &db.url])
            .env_remove("DATABASE_URL");
        if json {
            cmd.arg("--json");
        }
        Run::of(cmd.args(["diag", "all", "--skip", "explain"]))
    };
    let doc: serde_json::Value = serde_json::from_str(&wf(true).stdout).expect("JSON");
    let table = wf(false).stdout;
    let findings = doc["findings"].as_array().expect("findings");
    assert!(
        findings.iter().any(|f| f["severity"] == "info"),
        "no note among {findings:#?}"
    );
    for f in findings {
        let word = f["severity"].as_str().unwrap();
        assert!(
            ["info", "warning", "critical", "unknown"].contains(&word),
            "a finding's level {word:?}: {f}"
        );
        // the two runs see live figures (connections, ages) that may move in between
        let message = without_figures(f["message"].as_str().unwrap());
        let row = table
            .lines()
            .find(|l| without_figures(l).contains(&message))
            .unwrap_or_else(|| panic!("{message:?} not in\n{table}"));
        let cell = row
            .trim_start_matches('|')
            .split('|')
            .next()
            .unwrap()
            .trim();
        assert_eq!(cell, word.to_uppercase(), "{row}");
    }
    assert!(["ok", "warning", "critical", "unknown"].contains(&doc["status"].as_str().unwrap()));
}

/// `text` with each run of digits as one `#`.
fn without_figures(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if !c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('#') {
            out.push('#');
        }
    }
    out
}

/// `case resume` (one case or `--all`) and `case reopen` without the component mapping refuse
/// as `case start` does: exit 78 naming the components, and the case stays where it was
/// (before, resume ran and error-pended the case in `workflow_error`, silently under `-q`).
#[test]
fn resume_without_the_component_mapping_is_refused_like_start() {
    for env in Env::all() {
        env.config(CONFIG);
        env.write("fan.sh", FAN);
        env.write("routed.json", ROUTED_JOURNEY);
        env.run(&[
            "case",
            "start",
            "--journey",
            "routed.json",
            "--case-id",
            "u1",
        ])
        .expect_code(0);
        std::fs::remove_file(env.path("wfctl.toml")).unwrap();
        for args in [
            &["-q", "case", "resume", "u1", "--var", "go=string:no"][..],
            &["case", "resume", "--all", "--workbasket", "inbox"][..],
        ] {
            let run = env.run(args);
            assert_eq!(run.code, 78, "{}: {args:?}: {}", env.name(), run.stderr);
            assert!(
                run.stderr.contains("no mapping") && run.stderr.contains("by_variable"),
                "{}: {args:?}: {}",
                env.name(),
                run.stderr
            );
        }
        let shown = env.json(&["case", "show", "u1"], 0);
        let text = shown.to_string();
        assert!(
            text.contains("\"inbox\"") && !text.contains("workflow_error"),
            "{}: the case moved: {text:.600}",
            env.name()
        );
    }
}

/// `-q` on a listing prints each id once: a case with two due milestones is one line of
/// `sla due -q` (what a script feeds to `case resume --ids-file -`).
#[test]
fn quiet_listings_print_each_id_once() {
    use crate::support::case_env::example_dir;
    for env in Env::all() {
        let env = env.with_example_config();
        let who = env.name();
        let journey = example_dir().join("journey.json");
        let sla = example_dir().join("sla.json");
        for id in ["s1", "s2"] {
            env.json(
                &[
                    "case",
                    "start",
                    "--journey",
                    journey.to_str().unwrap(),
                    "--sla",
                    sla.to_str().unwrap(),
                    "--case-id",
                    id,
                    "--var",
                    "amount=long:1500",
                ],
                0,
            );
        }
        let due = env.json(&["sla", "due", "--at", "+3d"], 0);
        assert_eq!(
            due["milestones"].as_array().map(Vec::len),
            Some(4),
            "{who}: two milestones per case: {due}"
        );
        let quiet = env.run(&["-q", "sla", "due", "--at", "+3d"]).expect_code(0);
        assert_eq!(quiet.stdout, "s1\ns2\n", "{who}");
    }
}

/// What `-vv` logs is text for people, `key=value` where it lists settings: never a Rust
/// Debug struct (`PoolOptions { max_size: 5, .. }`, `Some(..)`, `Fired { .. }`).
#[test]
fn verbose_logs_are_text_not_debug_structs() {
    let db = crate::pg_or_skip!(crate::support::TestDb::new());
    let mut logged = String::new();
    for command in [
        &["case", "list"][..],
        &["sla", "due"],
        &["sla", "run", "--dry-run"],
        &["diag", "health"],
        &["db", "status"],
    ] {
        let run = Run::of(
            wfctl()
                .args(["-vv", "--database-url", &db.url])
                .args(command)
                .env_remove("DATABASE_URL")
                .env_remove("WFCTL_LOG"),
        );
        assert!(
            run.code != 2 && run.code != 101,
            "{command:?}: {}",
            run.stderr
        );
        logged.push_str(&run.stderr);
    }
    assert!(logged.contains("debug: pool for "), "{logged}");
    let debug_struct = |line: &str| {
        let words: Vec<&str> = line.split_whitespace().collect();
        words
            .windows(2)
            .any(|w| w[0].starts_with(|c: char| c.is_ascii_uppercase()) && w[1] == "{")
            || line.contains("Some(")
            || line.contains(": None")
            || line.contains("{ secs:")
    };
    let wrong: Vec<&str> = logged.lines().filter(|l| debug_struct(l)).collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// `-q` on a check: nothing on stdout, pass or fail; a failure is one error line on stderr
/// that names what failed, exit 3 (the same for every check, not a table for some).
#[test]
fn a_quiet_failed_check_is_one_line_naming_what_failed() {
    let db = crate::pg_or_skip!(crate::support::TestDb::new());
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"journey": {"name": "x", "flow": [{"name": "a", "component": "c", "next": "zz"}]}}"#,
    )
    .unwrap();
    let good = crate::support::case_env::example_dir().join("journey.json");
    let garbage = dir.path().join("wf_20260101_000000.sql.gz");
    std::fs::write(&garbage, b"not gzip at all").unwrap();
    let checks: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                "journey".into(),
                "validate".into(),
                good.display().to_string(),
                bad.display().to_string(),
            ],
            "bad.json",
        ),
        (
            vec![
                "diag".into(),
                "health".into(),
                "--warn".into(),
                "connections=0%".into(),
            ],
            "connections",
        ),
        (
            vec![
                "diag".into(),
                "all".into(),
                "--check".into(),
                "--warn".into(),
                "connections=0%".into(),
            ],
            "WARNING",
        ),
        (
            vec!["db".into(), "verify".into(), garbage.display().to_string()],
            "wf_20260101_000000.sql.gz",
        ),
    ];
    let mut wrong = Vec::new();
    for (command, names) in &checks {
        let run = Run::of(wfctl().arg("-q").args(command).env("DATABASE_URL", &db.url));
        let lines: Vec<&str> = run.stderr.lines().collect();
        if run.code != 3 || !run.stdout.is_empty() || lines.len() != 1 || !lines[0].contains(names)
        {
            wrong.push(format!(
                "wfctl -q {}: exit {}, stdout {:?}, stderr {:?} (want exit 3, no stdout, one line naming {names})",
                command.join(" "),
                run.code,
                run.stdout,
                run.stderr
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A database built by hand from the guide and adopted (`db migrate --adopt`) is advised in
/// terms of what it has: every index a diag fix drops, rebuilds or alters exists in it (a fix
/// never names one of wfctl's own index names that this database does not have).
#[test]
fn diag_fixes_on_an_adopted_database_name_its_own_indexes() {
    let db = crate::pg_or_skip!(crate::support::TestDb::empty());
    let mut conn = db.conn();
    conn.batch_execute(include_str!("../fixtures/seed_schema.sql"))
        .unwrap();
    conn.batch_execute(
        "CREATE INDEX idx_wf_info_active ON workflow_info(case_id, ts) WHERE is_complete = FALSE",
    )
    .unwrap();
    Run::of(
        wfctl()
            .args(["db", "migrate", "--adopt"])
            .env("DATABASE_URL", &db.url),
    )
    .expect_code(0);
    let existing: Vec<String> = {
        #[derive(diesel::QueryableByName)]
        struct Name {
            #[diesel(sql_type = diesel::sql_types::Text)]
            indexname: String,
        }
        use diesel::RunQueryDsl;
        diesel::sql_query("SELECT indexname::text AS indexname FROM pg_indexes")
            .load::<Name>(&mut conn)
            .unwrap()
            .into_iter()
            .map(|n| n.indexname)
            .collect()
    };
    let mut fixes = Vec::new();
    for command in [
        &["diag", "all"][..],
        &["diag", "indexes"],
        &["diag", "doctor"],
    ] {
        let run = Run::of(
            wfctl()
                .arg("--json")
                .args(command)
                .env("DATABASE_URL", &db.url),
        );
        let doc: serde_json::Value = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("{command:?}: {e}: {}", run.stdout));
        collect_fixes(&doc, &mut fixes);
    }
    let mut wrong = Vec::new();
    for fix in &fixes {
        let words: Vec<&str> = fix
            .split(|c: char| c.is_whitespace() || c == ';' || c == '(')
            .filter(|w| !w.is_empty())
            .collect();
        for (i, w) in words.iter().enumerate() {
            let names_index = matches!(w.to_ascii_uppercase().as_str(), "INDEX")
                && i > 0
                && ["DROP", "REINDEX", "ALTER"]
                    .contains(&words[i - 1].to_ascii_uppercase().as_str());
            if !names_index {
                continue;
            }
            let name = words[i + 1..]
                .iter()
                .find(|n| {
                    !["CONCURRENTLY", "IF", "EXISTS"].contains(&n.to_ascii_uppercase().as_str())
                })
                .map(|n| n.rsplit('.').next().unwrap_or(n).trim_matches('"'))
                .unwrap_or_default();
            if !existing.iter().any(|e| e == name) {
                wrong.push(format!("{fix}: no index {name:?} in this database"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}\nfixes: {fixes:#?}");
}

fn collect_fixes(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                match (key.as_str(), item) {
                    ("fix" | "create" | "sql" | "enable", serde_json::Value::String(s)) => {
                        out.push(s.clone());
                    }
                    ("enable", serde_json::Value::Array(items)) => {
                        out.extend(items.iter().filter_map(|i| i.as_str().map(str::to_owned)))
                    }
                    _ => collect_fixes(item, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| collect_fixes(i, out)),
        _ => {}
    }
}
