//! Sensitive variables: sealed by wfctl before any store sees them (PostgreSQL rows and JSON,
//! audit records, the file store), opened for components and `--reveal`, masked otherwise;
//! a wrong key and an altered ciphertext are refused with the case, the variable and the key id.

use std::process::Command;

use crate::support::case_env::{Backend, Env, INBOX_JOURNEY};
use crate::support::{Run, cluster};

const SSN: &str = "987-65-4321";
const CARD: &str = "4111111111111111";
const PIN: &str = "pin-7305";

/// The worker keeps what it got on stdin and answers with a sensitive variable of its own.
const WORKER: &str = "#!/bin/sh\ncat > got.json\necho '{\"response\":\"ok_pend\",\"workbasket\":\"done\",\"variables\":{\"card_pin\":\"pin-7305\"}}'\n";

/// The value `case show --json` gives variable `name`.
fn var<'a>(shown: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    shown["variables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .map_or(&serde_json::Value::Null, |v| &v["value"])
}

/// `wfctl keys generate FILE` in the env's directory (the command takes no store).
pub(crate) fn keygen(env: &Env, file: &str) -> Run {
    Run::of(
        crate::support::wfctl()
            .current_dir(env.path("."))
            .args(["keys", "generate", file]),
    )
}

/// [`keygen`] with `--json`, expected to succeed: its document.
pub(crate) fn keygen_json(env: &Env, file: &str) -> serde_json::Value {
    let run = Run::of(
        crate::support::wfctl()
            .current_dir(env.path("."))
            .args(["--json", "keys", "generate", file]),
    )
    .expect_code(0);
    serde_json::from_str(&run.stdout).unwrap()
}

fn setup(env: &Env) -> String {
    let made = keygen_json(env, "k1.key");
    let key_id = made["key_id"].as_str().unwrap().to_owned();
    env.config(
        "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nexec = [\"./worker.sh\"]\n\
         [variables]\nsensitive = [\"ssn\", \"card_*\"]\nkey_file = \"k1.key\"\n",
    );
    env.write("worker.sh", WORKER);
    env.write("journey.json", INBOX_JOURNEY);
    key_id
}

/// Everything the store holds, as text: the file store's files, or `pg_dump` of the database.
fn stored_text(env: &Env) -> String {
    match &env.backend {
        Backend::Files(dir) => {
            let out = Command::new("grep")
                .args(["-r", "-a", "-h", "", dir.to_str().unwrap()])
                .output()
                .unwrap();
            String::from_utf8_lossy(&out.stdout).into_owned()
        }
        Backend::Postgres(db) => {
            let bin = cluster::client_bin().expect("pg_dump for the test server");
            let out = Command::new(bin.join("pg_dump"))
                .args(["--data-only", "--dbname", &db.url])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8_lossy(&out.stdout).into_owned()
        }
    }
}

#[test]
fn sensitive_values_reach_no_store_and_no_output_in_clear() {
    for env in Env::all() {
        let who = env.name();
        let key_id = setup(&env);
        env.write("vars.json", r#"{"card_holder": "J. Doe Holder"}"#);
        let started = env.json(
            &[
                "case",
                "start",
                "--case-id",
                "s1",
                "--journey",
                "journey.json",
                "--var",
                &format!("ssn=string:{SSN}"),
                "--var",
                "plain=string:visible-value",
                "--vars-file",
                "vars.json",
            ],
            0,
        );
        assert!(!started.to_string().contains(SSN), "{who}: {started}");
        env.json(
            &[
                "case",
                "set-var",
                "s1",
                "--var",
                &format!("card_number=string:{CARD}"),
            ],
            0,
        );
        env.json(&["case", "resume", "s1"], 0);

        // the component got the plaintext on stdin
        let got = std::fs::read_to_string(env.path("got.json")).unwrap();
        assert!(got.contains(SSN) && got.contains(CARD), "{who}: {got}");

        let stored = stored_text(&env);
        for secret in [SSN, CARD, PIN, "J. Doe Holder"] {
            assert!(!stored.contains(secret), "{who}: {secret} stored in clear");
        }
        assert!(
            stored.contains("visible-value"),
            "{who}: the store was read"
        );
        assert!(
            stored.contains(&format!("wfctl:enc:v1:{key_id}:")),
            "{who}: sealed values name their key"
        );

        // masked unless --reveal
        let shown = env.json(&["case", "show", "s1"], 0);
        assert_eq!(var(&shown, "ssn"), "***", "{who}: {shown}");
        assert_eq!(var(&shown, "card_pin"), "***", "{who}: {shown}");
        assert_eq!(var(&shown, "plain"), "visible-value", "{who}");
        let history = env.run(&["--json", "case", "history", "s1"]).expect_code(0);
        for secret in [SSN, CARD, PIN] {
            assert!(
                !history.stdout.contains(secret),
                "{who}: {secret} in history"
            );
        }
        let revealed = env.json(&["case", "show", "s1", "--reveal"], 0);
        assert_eq!(var(&revealed, "ssn"), SSN, "{who}: {revealed}");
        assert_eq!(var(&revealed, "card_number"), CARD, "{who}");
        assert_eq!(var(&revealed, "card_pin"), PIN, "{who}");
        assert_eq!(var(&revealed, "card_holder"), "J. Doe Holder", "{who}");
        let waited = env.json(&["case", "wait", "s1", "--until", "pended"], 0);
        assert_eq!(var(&waited, "ssn"), "***", "{who}: {waited}");
        if let Backend::Postgres(_) = &env.backend {
            // a backup holds what the database holds: ciphertext
            env.run(&["db", "backup", "--dir", "backups"])
                .expect_code(0);
            let out = Command::new("sh")
                .arg("-c")
                .arg("zcat backups/*.sql.gz")
                .current_dir(env.dir.path())
                .output()
                .unwrap();
            let dump = String::from_utf8_lossy(&out.stdout);
            assert!(dump.contains("visible-value"), "{who}: the backup was read");
            for secret in [SSN, CARD, PIN] {
                assert!(!dump.contains(secret), "{who}: {secret} in the backup");
            }
        }
        let log = env.run(&["-vv", "case", "show", "s1"]).expect_code(0);
        assert!(
            !log.stderr.contains(SSN) && !log.stdout.contains(SSN),
            "{who}"
        );
    }
}

#[test]
fn a_wrong_key_and_an_altered_value_are_refused_by_name() {
    for env in Env::all() {
        let who = env.name();
        let key_id = setup(&env);
        env.json(
            &[
                "case",
                "start",
                "--case-id",
                "w1",
                "--journey",
                "journey.json",
                "--var",
                &format!("ssn=string:{SSN}"),
            ],
            0,
        );
        // another key: the error names the key the value needs
        keygen_json(&env, "k2.key");
        let wrong = Run::of(
            env.wf()
                .env("WFCTL_KEY_FILE", env.path("k2.key"))
                .args(["case", "show", "w1", "--reveal"]),
        )
        .expect_code(1);
        assert!(
            wrong.stderr.contains(&key_id) && wrong.stderr.contains("ssn"),
            "{who}: {}",
            wrong.stderr
        );
        // a key that is configured and cannot be read is a configuration error
        let masked = Run::of(
            env.wf()
                .env("WFCTL_KEY_FILE", env.path("missing.key"))
                .args(["case", "show", "w1"]),
        );
        assert_eq!(
            masked.code, 78,
            "{who}: a configured key that cannot be read: {}",
            masked.stderr
        );

        // a keys file readable by others is refused
        let kept = env.write(
            "open.key",
            &std::fs::read_to_string(env.path("k1.key")).unwrap(),
        );
        let open = Run::of(
            env.wf()
                .env("WFCTL_KEY_FILE", &kept)
                .args(["case", "show", "w1"]),
        )
        .expect_code(78);
        assert!(open.stderr.contains("chmod 600"), "{who}: {}", open.stderr);

        // one sealed value moved onto another variable does not open
        let store = env.store();
        let mut info = store.process_info("w1").unwrap().unwrap();
        let sealed = info.process_variables.get("ssn").unwrap().clone();
        info.process_variables
            .set(wfctl::model::Variable::new("card_number", sealed));
        store
            .save_point(
                "w1",
                &wfctl::store::PersistPoint {
                    process_info: Some(&info),
                    audit: &[],
                    milestones: &[],
                },
            )
            .unwrap();
        let tampered = env.run(&["case", "show", "w1", "--reveal"]).expect_code(1);
        assert!(
            tampered.stderr.contains("case w1") && tampered.stderr.contains("card_number"),
            "{who}: {}",
            tampered.stderr
        );
    }
}

#[test]
fn keys_generate_never_overwrites_a_key() {
    let env = Env::files();
    let first = keygen_json(&env, "k.key");
    let before = std::fs::read_to_string(env.path("k.key")).unwrap();
    let again = keygen(&env, "k.key").expect_code(1);
    assert!(
        again.stderr.contains("never overwritten"),
        "{}",
        again.stderr
    );
    assert_eq!(std::fs::read_to_string(env.path("k.key")).unwrap(), before);
    assert!(!before.is_empty() && first["key_id"].is_string());
    let shown = keygen(&env, "k2.key").expect_code(0);
    let text = std::fs::read_to_string(env.path("k2.key")).unwrap();
    let secret = text.split_whitespace().nth(2).unwrap();
    assert!(!shown.stdout.contains(secret), "the key is never printed");
    // a directory or a symbolic link in the way: one line naming it and saying what it is
    std::fs::create_dir(env.path("keys.d")).unwrap();
    let dir = keygen(&env, "keys.d").expect_code(1);
    assert_eq!(
        dir.stderr.trim(),
        "error: key file keys.d: is a directory: name the new key file"
    );
    std::os::unix::fs::symlink("k.key", env.path("link.key")).unwrap();
    let link = keygen(&env, "link.key").expect_code(1);
    assert_eq!(
        link.stderr.trim(),
        "error: key file link.key: exists already (a symbolic link): a key is never overwritten"
    );
}

#[test]
fn config_show_lists_sla_actions_and_variables_with_their_source() {
    let env = Env::files();
    let made = keygen_json(&env, "k1.key");
    let config = env.config(
        "[sla.actions.\"RAISE_INC\"]\nexec = [\"./raise.sh\"]\ntimeout = \"10s\"\nenv = { TOKEN = \"tok-s3cret\" }\n\
         [variables]\nsensitive = [\"ssn\", \"card_*\"]\nkey_file = \"k1.key\"\n",
    );
    let run = env.run(&["--json", "config", "show"]).expect_code(0);
    assert!(!run.stdout.contains("s3cret"), "{}", run.stdout);
    let shown: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let setting = |name: &str| {
        shown["settings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("no {name}: {shown}"))
            .clone()
    };
    let action = setting("[sla.actions.\"RAISE_INC\"]");
    let value = action["value"].as_str().unwrap();
    assert!(
        value.contains("./raise.sh") && value.contains("10s") && value.contains("TOKEN"),
        "{action}"
    );
    assert_eq!(
        action["source"],
        format!("{} [sla.actions.\"RAISE_INC\"]", config.display())
    );
    let sensitive = setting("[variables] sensitive");
    assert_eq!(sensitive["value"], "ssn, card_*");
    assert_eq!(
        sensitive["source"],
        format!("{} [variables] sensitive", config.display())
    );
    let key = setting("[variables] key_file");
    assert!(
        key["value"]
            .as_str()
            .unwrap()
            .contains(made["key_id"].as_str().unwrap()),
        "{key}"
    );
    // the environment wins over the file
    let other = keygen_json(&env, "k2.key");
    let run = Run::of(
        env.wf()
            .env("WFCTL_KEY_FILE", env.path("k2.key"))
            .args(["--json", "config", "show"]),
    )
    .expect_code(0);
    let shown: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let key = shown["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "[variables] key_file")
        .unwrap()
        .clone();
    assert_eq!(key["source"], "WFCTL_KEY_FILE");
    assert!(
        key["value"]
            .as_str()
            .unwrap()
            .contains(other["key_id"].as_str().unwrap()),
        "{key}"
    );
}

/// Whatever a component prints about the values it got (stderr, an answer that does not
/// parse, an error pend's own message) is scrubbed before it is stored, shown or logged.
#[test]
fn what_a_failing_component_echoes_is_scrubbed_everywhere() {
    const ECHOES: [(&str, &str); 3] = [
        // stdin echoed to stderr, then a failure
        ("stderr", "#!/bin/sh\ncat >&2\nexit 1\n"),
        // stdin echoed as the answer: not a valid answer, its head is kept in the details
        ("answer", "#!/bin/sh\ncat\n"),
        // an error pend whose message quotes the value
        (
            "error_pend",
            "#!/bin/sh\nssn=$(sed 's/.*987/987/; s/4321.*/4321/')\nprintf '{\"response\":\"error_pend\",\"workbasket\":\"err\",\"error\":{\"code\":3,\"message\":\"bad ssn %s\",\"details\":\"got %s\"}}' \"$ssn\" \"$ssn\"\n",
        ),
    ];
    for env in Env::all() {
        let who = env.name();
        setup(&env);
        for (i, (what, script)) in ECHOES.iter().enumerate() {
            env.write("worker.sh", script);
            let id = format!("e{i}");
            env.json(
                &[
                    "case",
                    "start",
                    "--case-id",
                    &id,
                    "--journey",
                    "journey.json",
                    "--var",
                    &format!("ssn=string:{SSN}"),
                ],
                0,
            );
            let resumed = env.run(&["-vv", "--json", "case", "resume", &id]);
            assert!(
                resumed.stdout.contains("\"error\""),
                "{who} {what}: the case error-pends: {}",
                resumed.stdout
            );
            assert!(
                !resumed.stdout.contains(SSN) && !resumed.stderr.contains(SSN),
                "{who} {what}: resume printed the value: {} {}",
                resumed.stdout,
                resumed.stderr
            );
            let shown = env.run(&["--json", "case", "show", &id]).expect_code(0);
            assert!(
                shown.stdout.contains("***"),
                "{who} {what}: the echo is kept, masked: {}",
                shown.stdout
            );
            let history = env.run(&["--json", "case", "history", &id]).expect_code(0);
            for text in [&shown.stdout, &history.stdout] {
                assert!(!text.contains(SSN), "{who} {what}: {text}");
            }
        }
        assert!(
            !stored_text(&env).contains(SSN),
            "{who}: a component's echo stored in clear"
        );
    }
}

/// A value that merely looks sealed is sealed like any other when its variable is sensitive,
/// and is its own text when it is not: it neither bypasses sealing nor fails to "open".
#[test]
fn a_value_that_only_looks_sealed_is_treated_as_plain_text() {
    for env in Env::all() {
        let who = env.name();
        let key_id = setup(&env);
        let fake_secret = format!("wfctl:enc:v1:{key_id}:SECRETxPLAIN");
        let fake_plain = "wfctl:enc:v1:0000:bm90IHNlYWxlZA==";
        env.json(
            &[
                "case",
                "start",
                "--case-id",
                "f1",
                "--journey",
                "journey.json",
                "--var",
                &format!("ssn=string:{fake_secret}"),
                "--var",
                &format!("plain=string:{fake_plain}"),
            ],
            0,
        );
        assert!(
            !stored_text(&env).contains("SECRETxPLAIN"),
            "{who}: a fake-sealed sensitive value stored in clear"
        );
        let revealed = env.json(&["case", "show", "f1", "--reveal"], 0);
        assert_eq!(var(&revealed, "ssn"), fake_secret.as_str(), "{who}");
        assert_eq!(var(&revealed, "plain"), fake_plain, "{who}");
        // the case still runs: nothing fails to open
        env.json(&["case", "resume", "f1"], 0);
        let got = std::fs::read_to_string(env.path("got.json")).unwrap();
        assert!(
            got.contains(&fake_secret) && got.contains(fake_plain),
            "{who}: {got}"
        );
    }
}

/// A `--var` or `--vars-file` that does not parse names the variable, never its value.
#[test]
fn a_bad_variable_is_named_and_its_value_never_echoed() {
    let env = Env::files();
    setup(&env);
    let start = |extra: &[&str]| {
        let mut args = vec!["case", "start", "--journey", "journey.json"];
        args.extend_from_slice(extra);
        env.run(&args)
    };
    for (arg, code) in [
        ("ssn=long:987-65-4321", 2),
        ("ssn=list_of_string:987-65-4321", 2),
        ("ssn=987-65-4321", 2),
        ("ssn=987:65-4321", 2),
    ] {
        let run = start(&["--var", arg]).expect_code(code);
        assert!(
            run.stderr.contains("ssn") && !run.stderr.contains("65-4321"),
            "{arg}: {}",
            run.stderr
        );
        assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    }
    for file in [
        r#"[{"name": "ssn", "type": "long", "value": "987-65-4321"}]"#,
        r#"[{"name": "ssn", "type": "integer", "value": ["987-65-4321"]}]"#,
        r#"[{"name": "card_x", "type": "list_of_long", "value": ["987-65-4321"]}]"#,
    ] {
        env.write("bad.json", file);
        let run = start(&["--vars-file", "bad.json"]);
        assert_ne!(run.code, 0, "{file}");
        assert!(
            !run.stderr.contains("65-4321") && run.stderr.contains("bad.json"),
            "{file}: {}",
            run.stderr
        );
    }
}

/// `keys rotate` seals every value again under the new key, in the process info and in every
/// audit record: the new key reads them all, the old one none; a second run finds nothing.
#[test]
fn a_rotated_key_reads_every_value_and_the_old_key_none() {
    for env in Env::all() {
        let who = env.name();
        let old_id = setup(&env);
        env.json(
            &[
                "case",
                "start",
                "--case-id",
                "r1",
                "--journey",
                "journey.json",
                "--var",
                &format!("ssn=string:{SSN}"),
            ],
            0,
        );
        env.json(&["case", "resume", "r1"], 0);
        let new_id = keygen_json(&env, "k2.key")["key_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let rotated = env.json(&["keys", "rotate", "--new-key", "k2.key"], 0);
        assert_eq!(rotated["key_id"], new_id.as_str(), "{who}: {rotated}");
        assert!(
            rotated["records"].as_u64().unwrap() >= 2,
            "{who}: {rotated}"
        );
        let stored = stored_text(&env);
        assert!(
            !stored.contains(&format!("wfctl:enc:v1:{old_id}:")),
            "{who}: a value is still under the old key"
        );
        assert!(stored.contains(&format!("wfctl:enc:v1:{new_id}:")), "{who}");
        for secret in [SSN, PIN] {
            assert!(!stored.contains(secret), "{who}: {secret} in clear");
        }
        // the new key reads everything
        let with_new = |args: &[&str]| {
            Run::of(
                env.wf()
                    .env("WFCTL_KEY_FILE", env.path("k2.key"))
                    .args(args),
            )
        };
        let shown = with_new(&["--json", "case", "show", "r1", "--reveal"]).expect_code(0);
        let shown: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
        assert_eq!(var(&shown, "ssn"), SSN, "{who}");
        assert_eq!(var(&shown, "card_pin"), PIN, "{who}");
        let history = with_new(&["--json", "case", "history", "r1", "--reveal"]).expect_code(0);
        assert!(history.stdout.contains(SSN), "{who}: {}", history.stdout);
        // the old key reads none
        for args in [
            &["case", "show", "r1", "--reveal"][..],
            &["case", "history", "r1", "--reveal"][..],
        ] {
            let old = env.run(args).expect_code(1);
            assert!(old.stderr.contains(&new_id), "{who}: {}", old.stderr);
        }
        // nothing left to do
        let again = with_new(&["--json", "keys", "rotate", "--new-key", "k2.key"]).expect_code(0);
        assert!(
            again.stdout.contains("\"records\":0"),
            "{who}: {}",
            again.stdout
        );
    }
}

/// `migrate-files` seals sensitive variables on import: a value a file store holds in clear
/// ends sealed in PostgreSQL, and `--verify` compares the opened values.
#[test]
fn migrate_files_seals_sensitive_values_on_import() {
    let Some(env) = Env::postgres() else { return };
    keygen_json(&env, "k1.key");
    env.write("journey.json", INBOX_JOURNEY);
    env.config(
        "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nbuiltin = \"proceed\"\n",
    );
    // written by a wfctl that knew of no sensitive variable: in clear in the files
    Run::of(env.wf().args([
        "--store",
        "fs",
        "case",
        "start",
        "--case-id",
        "m1",
        "--journey",
        "journey.json",
        "--var",
        &format!("ssn=string:{SSN}"),
    ]))
    .expect_code(0);
    env.config(
        "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nbuiltin = \"proceed\"\n\
         [variables]\nsensitive = [\"ssn\"]\nkey_file = \"k1.key\"\n",
    );
    env.run(&["migrate-files", "fs", "--verify"]).expect_code(0);
    let dump = stored_text(&env);
    assert!(!dump.contains(SSN), "imported in clear");
    assert!(dump.contains("wfctl:enc:v1:"), "sealed");
    let revealed = env.json(&["case", "show", "m1", "--reveal"], 0);
    assert_eq!(var(&revealed, "ssn"), SSN, "{revealed}");
    env.run(&["db", "backup", "--dir", "backups"])
        .expect_code(0);
    let out = Command::new("sh")
        .arg("-c")
        .arg("zcat backups/*.sql.gz")
        .current_dir(env.dir.path())
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains(SSN),
        "in the backup"
    );
}

/// Inbox (a manual step), then `prep`, which declares it reads `plain` only, then `work`,
/// which declares nothing and so reads every variable, the sealed `ssn` among them.
const PREP_THEN_WORK: &str = r#"{"journey": {"name": "prep_then_work", "flow": [
  {"name": "start", "component": "manual", "user_data": "inbox", "next": "prep"},
  {"name": "prep", "component": "prep", "next": "work"},
  {"name": "work", "component": "worker", "next": "end"}]}}"#;

/// `prep` keeps what it got and proceeds with a non-sensitive answer.
const PREP: &str = "#!/bin/sh\ncat > prep.json\necho '{\"response\":\"ok_proceed\",\"variables\":{\"prepared\":\"yes\"}}'\n";
/// `worker` keeps what it got and proceeds.
const PROCEED_WORKER: &str = "#!/bin/sh\ncat > got.json\necho '{\"response\":\"ok_proceed\"}'\n";

/// The stored (sealed) value of `ssn` in the process info and in every audit record, as the
/// store holds it.
fn stored_ssn(env: &Env, case_id: &str) -> Vec<String> {
    let store = env.store();
    let info = store.process_info(case_id).unwrap().unwrap();
    let mut texts = vec![info.process_variables.get("ssn").unwrap().as_text()];
    for record in store.audit_records(case_id).unwrap() {
        if let Some(v) = record.document.process_variables.get("ssn") {
            texts.push(v.as_text());
        }
    }
    texts
}

/// Without the key, `after` is `before` with the same sealed text carried on: the process
/// info's text unchanged byte for byte, the old audit records as they were, every new one
/// holding that same text (never sealed again, never lost, never masked).
fn assert_carried(who: &str, before: &[String], after: &[String]) {
    assert_eq!(after[0], before[0], "{who}: the sealed value changed");
    assert_eq!(
        after[..before.len()],
        before[..],
        "{who}: an old record changed"
    );
    assert!(
        after[before.len()..].iter().all(|t| t == &before[0]),
        "{who}: a new record holds another text: {after:?}"
    );
}

#[test]
fn without_the_key_a_case_runs_until_a_step_needs_a_sensitive_value() {
    for env in Env::all() {
        let who = env.name();
        keygen_json(&env, "k1.key");
        // no key_file: the key only comes with WFCTL_KEY_FILE
        env.config(
            "[components.manual]\nbuiltin = \"pend\"\n\
             [components.prep]\nexec = [\"./prep.sh\"]\nreads = [\"plain\"]\n\
             [components.worker]\nexec = [\"./worker.sh\"]\n\
             [variables]\nsensitive = [\"ssn\"]\n",
        );
        env.write("prep.sh", PREP);
        env.write("worker.sh", PROCEED_WORKER);
        env.write("journey.json", PREP_THEN_WORK);
        let with_key = |args: &[&str]| {
            Run::of(
                env.wf()
                    .env("WFCTL_KEY_FILE", env.path("k1.key"))
                    .arg("--json")
                    .args(args),
            )
        };
        with_key(&[
            "case",
            "start",
            "--case-id",
            "n1",
            "--journey",
            "journey.json",
            "--var",
            &format!("ssn=string:{SSN}"),
            "--var",
            "plain=string:visible-value",
        ])
        .expect_code(0);
        let sealed = stored_ssn(&env, "n1");
        assert!(sealed[0].starts_with("wfctl:enc:v1:"), "{who}: {sealed:?}");

        // a non-sensitive variable set without the key leaves the sealed one as it was
        env.json(
            &[
                "case",
                "set-var",
                "n1",
                "--var",
                "plain=string:changed-value",
            ],
            0,
        );
        let after_set = stored_ssn(&env, "n1");
        assert_carried(who, &sealed, &after_set);
        // a sensitive one cannot be sealed without the key: refused by name, nothing written
        let refused = env
            .run(&["case", "set-var", "n1", "--var", "ssn=string:111-22-3333"])
            .expect_code(1);
        assert!(
            refused.stderr.contains("ssn") && refused.stderr.contains("no key is loaded"),
            "{who}: {}",
            refused.stderr
        );
        assert_eq!(stored_ssn(&env, "n1"), after_set, "{who}");

        // without the key: prep runs (without the ciphertext), work error-pends naming ssn
        let resumed = env.run(&["--json", "case", "resume", "n1"]);
        assert_eq!(resumed.code, 0, "{who}: {}", resumed.stderr);
        let prep_got = std::fs::read_to_string(env.path("prep.json")).unwrap();
        assert!(
            prep_got.contains("changed-value") && !prep_got.contains("wfctl:enc"),
            "{who}: {prep_got}"
        );
        assert!(
            !env.path("got.json").exists(),
            "{who}: work ran without the key"
        );
        let shown = env.run(&["case", "show", "n1"]).expect_code(0);
        assert!(
            shown.stdout.contains("ssn") && shown.stdout.contains("no key is loaded"),
            "{who}: {}",
            shown.stdout
        );
        let shown = env.json(&["case", "show", "n1"], 0);
        assert_eq!(var(&shown, "prepared"), "yes", "{who}: {shown}");
        assert_eq!(var(&shown, "ssn"), "***", "{who}: {shown}");
        let after_run = stored_ssn(&env, "n1");
        assert!(after_run.len() > after_set.len(), "{who}: nothing recorded");
        assert_carried(who, &after_set, &after_run);
        assert!(!stored_text(&env).contains(SSN), "{who}: stored in clear");

        // with the key, the resume runs work with the plaintext and completes
        let done = with_key(&["case", "resume", "n1"]).expect_code(0);
        let got = std::fs::read_to_string(env.path("got.json")).unwrap();
        assert!(got.contains(SSN), "{who}: {got}");
        let shown = env.json(&["case", "show", "n1"], 0);
        assert_eq!(
            shown["status"], "completed",
            "{who}: {shown}\n{}",
            done.stdout
        );
    }
}

/// An `sla run` action program gets every variable: without the key it does not run, the
/// milestone fails naming the variable and stays due; the next pass with the key runs it.
#[test]
fn without_the_key_an_sla_action_program_waits_for_it() {
    for env in Env::all() {
        let who = env.name();
        keygen_json(&env, "k1.key");
        env.config(
            "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nbuiltin = \"proceed\"\n\
             [sla.actions.\"CUSTOM\"]\nexec = [\"./act.sh\"]\n\
             [variables]\nsensitive = [\"ssn\"]\n",
        );
        env.write("act.sh", "#!/bin/sh\ncat > act.json\n");
        env.write("journey.json", INBOX_JOURNEY);
        env.write(
            "sla.json",
            r#"{"milestones": [{"name": "m", "setup_on": "case_start", "type": "case_level",
                "applied_at_age": "0m", "clock_starts": "immediately", "action": "CUSTOM:x"}]}"#,
        );
        let with_key = |args: &[&str]| {
            Run::of(
                env.wf()
                    .env("WFCTL_KEY_FILE", env.path("k1.key"))
                    .args(args),
            )
        };
        with_key(&[
            "case",
            "start",
            "--case-id",
            "a1",
            "--journey",
            "journey.json",
            "--sla",
            "sla.json",
            "--var",
            &format!("ssn=string:{SSN}"),
        ])
        .expect_code(0);
        env.run(&["sla", "run"]).expect_code(3);
        assert!(!env.path("act.json").exists(), "{who}: ran without the key");
        let due = env.json(&["sla", "due"], 0);
        let error = due["milestones"][0]["error"].as_str().unwrap_or_default();
        assert!(
            error.contains("ssn") && error.contains("no key is loaded"),
            "{who}: {due}"
        );
        with_key(&["sla", "run"]).expect_code(0);
        let got = std::fs::read_to_string(env.path("act.json")).unwrap();
        assert!(got.contains(SSN), "{who}: {got}");
    }
}

/// Error texts that escaped the scrubber (break19 #1, #3, #4, #14): a stderr tail whose cut
/// falls inside a secret, the ASCII-only JSON spelling of a value, an unusable answer carrying
/// a new sensitive value, and the engine's own "unknown branch" message quoting a routed value.
#[test]
fn error_texts_keep_no_piece_of_a_sensitive_value() {
    const NAME: &str = "S\u{e9}cret-ABCDEFGHIJ";
    const NEW: &str = "NEWPIN-SECRET";
    for env in Env::all() {
        let who = env.name();
        setup(&env);
        env.config(
            "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nexec = [\"./worker.sh\"]\n\
             [components.by_variable]\nbuiltin = \"route-by-variable\"\n\
             [variables]\nsensitive = [\"ssn\", \"card_*\"]\nkey_file = \"k1.key\"\n",
        );
        let mut workers = Vec::new();
        // the value, then padding: the 2 KiB tail starts inside the value
        for pad in [2030, 2035, 2040, 2047] {
            workers.push(format!(
                "#!/bin/sh\ncat >/dev/null\nprintf '{SSN}' >&2\nhead -c {pad} /dev/zero | tr '\\0' x >&2\nexit 1\n"
            ));
        }
        // the ASCII-only JSON form, as Python's json.dumps prints it
        workers.push("#!/bin/sh\ncat >/dev/null\nprintf '\"S\\\\u00e9cret-ABCDEFGHIJ\" \"S\\\\u00E9cret-ABCDEFGHIJ\"' >&2\nexit 1\n".to_owned());
        // unusable answers carrying a new sensitive value
        for answer in [
            format!(
                "{{\"response\":\"ok_pend\",\"workbasket\":\"done\",\"variables\":{{\"card_pin\":\"{NEW}\"}}"
            ),
            format!(
                "{{\"response\":\"ok_pendX\",\"workbasket\":\"done\",\"variables\":{{\"card_pin\":\"{NEW}\"}}}}"
            ),
            format!(
                "{{\"response\":\"ok_pend\",\"workbasket\":\"\",\"variables\":{{\"card_pin\":\"{NEW}\"}}}}"
            ),
        ] {
            workers.push(format!(
                "#!/bin/sh\ncat >/dev/null\nprintf '%s' '{answer}'\n"
            ));
        }
        for (i, script) in workers.iter().enumerate() {
            env.write("worker.sh", script);
            let id = format!("t{i}");
            env.json(
                &[
                    "case",
                    "start",
                    "--case-id",
                    &id,
                    "--journey",
                    "journey.json",
                    "--var",
                    &format!("ssn=string:{SSN}"),
                    "--var",
                    &format!("card_name=string:{NAME}"),
                ],
                0,
            );
            let resumed = env.run(&["--json", "case", "resume", &id]);
            assert!(
                resumed.stdout.contains("\"error\""),
                "{who} {i}: {}",
                resumed.stdout
            );
        }
        env.write(
            "route.json",
            r#"{"journey": {"name": "r", "flow": [
              {"name": "start", "component": "manual", "user_data": "inbox", "next": "r"},
              {"name": "r", "type": "s_route", "component": "by_variable", "user_data": "ssn",
               "branches": [{"name": "yes", "next": "end"}, {"name": "no", "next": "end"}]}]}}"#,
        );
        env.json(
            &[
                "case",
                "start",
                "--case-id",
                "rt",
                "--journey",
                "route.json",
                "--var",
                &format!("ssn=string:{SSN}"),
            ],
            0,
        );
        let routed = env.run(&["--json", "case", "resume", "rt"]);
        assert!(
            routed.stdout.contains("unknown branch"),
            "{who}: {}",
            routed.stdout
        );
        let stored = stored_text(&env);
        for piece in [
            "5-4321",
            "ABCDEFGHIJ",
            "GHIJ",
            NEW,
            "\\u00e9cret",
            "\\u00E9cret",
        ] {
            assert!(!stored.contains(piece), "{who}: {piece} stored in clear");
        }
    }
}

/// A name taken out of `[variables] sensitive` does not unseal its values on the next save
/// (break19 #2): a value read sealed is written back sealed whatever the list says.
#[test]
fn a_value_read_sealed_stays_sealed_when_its_name_leaves_the_list() {
    for env in Env::all() {
        let who = env.name();
        setup(&env);
        env.write("worker.sh", "#!/bin/sh\ncat >/dev/null\necho '{\"response\":\"ok_pend\",\"workbasket\":\"done\"}'\n");
        env.json(
            &[
                "case",
                "start",
                "--case-id",
                "a1",
                "--journey",
                "journey.json",
                "--var",
                &format!("ssn=string:{SSN}"),
                "--var",
                &format!("card_b=string:{CARD}"),
            ],
            0,
        );
        env.config(
            "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nexec = [\"./worker.sh\"]\n\
             [variables]\nsensitive = [\"ssn\"]\nkey_file = \"k1.key\"\n",
        );
        env.json(&["case", "resume", "a1"], 0);
        assert!(
            !stored_text(&env).contains(CARD),
            "{who}: card_b written back in clear"
        );
        let shown = env.json(&["case", "show", "a1", "--reveal"], 0);
        assert_eq!(var(&shown, "card_b"), CARD, "{who}: the value still opens");
    }
}

/// The files of a file store that hold `text`, by name.
fn files_holding(dir: &std::path::Path, text: &str) -> Vec<String> {
    let out = Command::new("grep")
        .args(["-r", "-a", "-l", "-F", text, dir.to_str().unwrap()])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.rsplit('/').next().unwrap_or(l).to_owned())
        .collect()
}

/// A variable listed as sensitive after its value was written in clear: the save that first
/// seals it also replaces the file store's spare copy of the process info, says that the older
/// audit records keep the value in clear until `keys rotate`, and after `keys rotate` no file
/// of the store holds it.
#[test]
fn the_save_that_first_seals_a_value_leaves_no_spare_in_clear() {
    let env = Env::files();
    let Backend::Files(dir) = &env.backend else {
        unreachable!()
    };
    env.write("journey.json", INBOX_JOURNEY);
    env.config(
        "[components.manual]\nbuiltin = \"pend\"\n[components.worker]\nbuiltin = \"proceed\"\n",
    );
    env.json(
        &[
            "case",
            "start",
            "--case-id",
            "f1",
            "--journey",
            "journey.json",
            "--var",
            &format!("ssn=string:{SSN}"),
        ],
        0,
    );
    assert!(
        files_holding(dir, SSN)
            .iter()
            .any(|f| f.starts_with("workflow_process_info")),
        "written in clear: {:?}",
        files_holding(dir, SSN)
    );
    // `ssn` becomes sensitive
    setup(&env);
    let resumed = env.run(&["case", "resume", "f1"]).expect_code(0);
    let holding = files_holding(dir, SSN);
    assert!(
        holding.iter().all(|f| f.starts_with("audit_log-")),
        "only older audit records may hold it now: {holding:?}"
    );
    assert!(
        resumed.stderr.contains("case f1")
            && resumed.stderr.contains("older audit records")
            && resumed.stderr.contains("wfctl keys rotate"),
        "{}",
        resumed.stderr
    );
    keygen_json(&env, "k2.key");
    env.json(&["keys", "rotate", "--new-key", "k2.key"], 0);
    let holding = files_holding(dir, SSN);
    assert!(holding.is_empty(), "after keys rotate: {holding:?}");
}

/// The engine's own message of a route on a sensitive variable (`unknown branch "..."`) is
/// scrubbed in what `case start` / `case resume` print (table and `--json`) and in the `-v`
/// log, as it is in the store.
#[test]
fn a_route_on_a_sensitive_value_prints_and_logs_it_masked() {
    const SECRET: &str = "ROUTESECRET-4417";
    for env in Env::all() {
        let who = env.name();
        setup(&env);
        env.config(
            "[components.manual]\nbuiltin = \"pend\"\n\
             [components.by_variable]\nbuiltin = \"route-by-variable\"\n\
             [variables]\nsensitive = [\"ssn\"]\nkey_file = \"k1.key\"\n",
        );
        env.write(
            "first.json",
            r#"{"journey": {"name": "f", "flow": [
              {"name": "start", "type": "s_route", "component": "by_variable", "user_data": "ssn",
               "branches": [{"name": "yes", "next": "end"}, {"name": "no", "next": "end"}]}]}}"#,
        );
        env.write(
            "later.json",
            r#"{"journey": {"name": "l", "flow": [
              {"name": "start", "component": "manual", "user_data": "inbox", "next": "r"},
              {"name": "r", "type": "s_route", "component": "by_variable", "user_data": "ssn",
               "branches": [{"name": "yes", "next": "end"}, {"name": "no", "next": "end"}]}]}}"#,
        );
        let var = format!("ssn=string:{SECRET}");
        let mut runs = Vec::new();
        for (id, json) in [("rs1", false), ("rs2", true)] {
            let mut args = vec!["-v"];
            if json {
                args.push("--json");
            }
            args.extend(["case", "start", "--case-id", id, "--journey", "first.json"]);
            args.extend(["--var", &var]);
            runs.push(env.run(&args));
        }
        for (id, json) in [("rr1", false), ("rr2", true)] {
            env.json(
                &[
                    "case",
                    "start",
                    "--case-id",
                    id,
                    "--journey",
                    "later.json",
                    "--var",
                    &var,
                ],
                0,
            );
            let mut args = vec!["-v"];
            if json {
                args.push("--json");
            }
            args.extend(["case", "resume", id]);
            runs.push(env.run(&args));
        }
        for run in &runs {
            assert!(
                run.stdout.contains("unknown branch"),
                "{who}: {} {}",
                run.stdout,
                run.stderr
            );
            assert!(
                run.stderr.contains("component by_variable failed at "),
                "{who}: no -v log line: {}",
                run.stderr
            );
            for text in [&run.stdout, &run.stderr] {
                assert!(!text.contains(SECRET), "{who}: printed in clear: {text}");
                assert!(!text.contains("4417"), "{who}: printed in clear: {text}");
            }
        }
    }
}

/// `--reveal` without a key is refused (exit 78) instead of printing the ciphertext as if it
/// were the value.
#[test]
fn reveal_without_the_key_is_refused() {
    for env in Env::all() {
        let who = env.name();
        setup(&env);
        env.json(
            &[
                "case",
                "start",
                "--case-id",
                "rv",
                "--journey",
                "journey.json",
                "--var",
                &format!("ssn=string:{SSN}"),
            ],
            0,
        );
        env.config("[components.manual]\nbuiltin = \"pend\"\n");
        for args in [
            &["case", "show", "rv", "--reveal"][..],
            &["case", "history", "rv", "--reveal"][..],
        ] {
            let run = env.run(args);
            assert_eq!(
                run.code, 78,
                "{who} {args:?}: {} {}",
                run.stdout, run.stderr
            );
            assert!(
                run.stderr.contains("--reveal needs the key"),
                "{who}: {}",
                run.stderr
            );
            assert!(!run.stdout.contains("wfctl:enc:"), "{who}: {}", run.stdout);
        }
        // without --reveal the same command shows the mask
        let shown = env.json(&["case", "show", "rv"], 0);
        assert_eq!(var(&shown, "ssn"), "***", "{who}");
    }
}

/// A case written with the old key while `keys rotate` runs (after its first listing) is
/// rotated by its verification rounds: rotate ends with no value under the old key, or fails.
#[test]
fn a_case_written_with_the_old_key_during_a_rotation_is_rotated_too() {
    for env in Env::all() {
        let who = env.name();
        let old_id = setup(&env);
        for id in ["a0", "a1", "zz-held"] {
            env.json(
                &[
                    "case",
                    "start",
                    "--case-id",
                    id,
                    "--journey",
                    "journey.json",
                    "--var",
                    &format!("ssn=string:{SSN}"),
                ],
                0,
            );
        }
        let new_id = keygen_json(&env, "k2.key")["key_id"]
            .as_str()
            .unwrap()
            .to_owned();
        // the last case listed is held: rotate stops there, its listing taken
        let store = env.store();
        let held = store
            .lock_case("zz-held", wfctl::store::LockWait::Try)
            .unwrap();
        let rotate = env
            .wf()
            .args(["--json", "keys", "rotate", "--new-key", "k2.key"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let under_new = |id: &str| {
            stored_ssn(&env, id)
                .iter()
                .all(|t| t.starts_with(&format!("wfctl:enc:v1:{new_id}:")))
        };
        crate::support::poll_until(
            &format!("{who}: rotate rotated a0"),
            std::time::Duration::from_secs(60),
            || under_new("a0"),
        );
        // a writer still using the old key
        env.json(
            &[
                "case",
                "start",
                "--case-id",
                "m-new",
                "--journey",
                "journey.json",
                "--var",
                &format!("ssn=string:{SSN}"),
            ],
            0,
        );
        assert!(
            stored_ssn(&env, "m-new")[0].starts_with(&format!("wfctl:enc:v1:{old_id}:")),
            "{who}"
        );
        drop(held);
        let out = rotate.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{who}: {stdout} {stderr}");
        for id in ["a0", "a1", "zz-held", "m-new"] {
            assert!(under_new(id), "{who}: {id} not under the new key: {stdout}");
        }
    }
}

/// The key file's directories up to / are checked (and a symbolic link's own directory): a
/// directory others can write, without the sticky bit, is refused (exit 78) wherever it is;
/// `keys generate` refuses to write there, naming the file escaped.
#[test]
fn a_key_under_a_directory_others_can_write_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::files();
    setup(&env);
    env.json(
        &[
            "case",
            "start",
            "--case-id",
            "d1",
            "--journey",
            "journey.json",
            "--var",
            &format!("ssn=string:{SSN}"),
        ],
        0,
    );
    let ww = env.path("ww");
    std::fs::create_dir_all(ww.join("sub")).unwrap();
    std::fs::set_permissions(&ww, std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::set_permissions(ww.join("sub"), std::fs::Permissions::from_mode(0o700)).unwrap();
    std::fs::copy(env.path("k1.key"), ww.join("sub/k")).unwrap();
    std::fs::set_permissions(ww.join("sub/k"), std::fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::symlink(env.path("k1.key"), ww.join("link")).unwrap();
    let with_key = |key: &std::path::Path| {
        Run::of(
            env.wf()
                .env("WFCTL_KEY_FILE", key)
                .args(["case", "show", "d1", "--reveal"]),
        )
    };
    with_key(&env.path("k1.key")).expect_code(0);
    for key in [ww.join("sub/k"), ww.join("link")] {
        let run = with_key(&key);
        assert_eq!(
            run.code,
            78,
            "{}: {} {}",
            key.display(),
            run.stdout,
            run.stderr
        );
        assert!(
            run.stderr.contains("lets others replace it"),
            "{}",
            run.stderr
        );
        assert!(!run.stdout.contains(SSN));
    }
    // generate: refused where the key could never be used; a name is printed escaped
    let run = keygen(&env, ww.join("sub/new.key").to_str().unwrap());
    assert_eq!(run.code, 1, "{} {}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("lets others replace it"),
        "{}",
        run.stderr
    );
    assert!(!ww.join("sub/new.key").exists());
    let run = keygen(&env, "nl\nname.key").expect_code(0);
    assert!(run.stdout.contains("nl\\nname.key"), "{}", run.stdout);
}
