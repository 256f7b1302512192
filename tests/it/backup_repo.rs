//! `db backup --repo` and its readers (`db backups|verify|restore --repo`) against a real
//! PostgreSQL and a real repository: a `file://` directory and a local S3 server (moto),
//! encrypted with age. What is stored never shows a row when encrypted, the round trip gives
//! the rows back, retention deletes exactly the expired backups, and no secret shows.

use std::path::Path;
use std::process::Command;

use age::secrecy::ExposeSecret;
use diesel::RunQueryDsl;

use crate::pg_or_skip;
use crate::support::backup::*;
use crate::support::s3::{S3Server, assert_no_secrets};
use crate::support::{Run, poll_until, wfctl};

/// A value no compressed or encrypted stream would show by chance.
const CANARY: &str = "canary-row-5f0c1e9a7b";

fn plant_canary(url: &str) {
    let mut conn: diesel::PgConnection = diesel::Connection::establish(url).unwrap();
    for sql in [
        "CREATE TABLE canary (v text)".to_string(),
        format!("INSERT INTO canary VALUES ('{CANARY}')"),
    ] {
        diesel::sql_query(sql).execute(&mut conn).unwrap();
    }
}

/// `wfctl --config CONFIG db ARGS` against `url`.
fn db(url: &str, config: &Path, args: &[&str]) -> Command {
    let mut cmd = wfctl();
    cmd.env("DATABASE_URL", url)
        .env_remove("WFCTL_AGE_IDENTITY")
        .env_remove("WFCTL_REPOSITORY")
        .env_remove("WFCTL_BACKUP_DIR")
        .arg("--config")
        .arg(config)
        .arg("db")
        .args(args);
    cmd
}

#[track_caller]
fn run(cmd: &mut Command, code: i32, secrets: &[&str]) -> Run {
    let run = Run::of(cmd).expect_code(code);
    assert_no_secrets(&run.stdout, secrets);
    assert_no_secrets(&run.stderr, secrets);
    run
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// The names `db backups --repo --json` lists.
fn listed(url: &str, config: &Path, secrets: &[&str], s3: Option<&S3Server>) -> Vec<String> {
    let mut cmd = db(url, config, &["--json", "backups", "--repo"]);
    if let Some(s3) = s3 {
        s3.env(&mut cmd);
    }
    let out = run(&mut cmd, 0, secrets);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    json["backups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn backup_to_a_file_repository_round_trips_and_retention_deletes_exactly_the_expired() {
    let db_ = pg_or_skip!(db_with_cases(20));
    plant_canary(&db_.url);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    let config = dir.path().join("wfctl.toml");
    std::fs::write(
        &config,
        format!("[repository]\nurl = \"file://{}\"\n", root.display()),
    )
    .unwrap();
    let local = dir.path().join("local");
    // level 0: gzip stores the SQL as it is, so the row shows in an unencrypted backup
    let first = run(
        db(
            &db_.url,
            &config,
            &["--json", "backup", "--repo", "--level", "0"],
        )
        .env("WFCTL_BACKUP_DIR", &local),
        0,
        &[],
    );
    let report: serde_json::Value = serde_json::from_str(&first.stdout).unwrap();
    let name = report["manifest"]["file"].as_str().unwrap().to_string();
    assert_eq!(report["backup"], format!("backups/{name}"));
    assert!(!local.exists(), "--repo wrote to the backup directory");
    let stored = std::fs::read(root.join("backups").join(&name)).unwrap();
    assert!(contains(&stored, CANARY), "plain backup lacks the row");
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join(format!("backups/{name}.manifest.json"))).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["size"], stored.len() as u64);
    assert_eq!(manifest["encryption"], serde_json::Value::Null);
    assert_eq!(listed(&db_.url, &config, &[], None), vec![name.clone()]);
    run(
        &mut db(&db_.url, &config, &["verify", "--repo", &name]),
        0,
        &[],
    );

    // a damaged copy fails verify, naming the backup
    let mut damaged = stored.clone();
    let at = damaged.len() / 2;
    damaged[at] ^= 0xff;
    std::fs::write(root.join("backups").join(&name), &damaged).unwrap();
    let bad = run(
        &mut db(&db_.url, &config, &["verify", "--repo", &name]),
        3,
        &[],
    );
    assert!(
        bad.stderr.contains(&name) || bad.stdout.contains(&name),
        "{}",
        bad.stderr
    );
    std::fs::write(root.join("backups").join(&name), &stored).unwrap();

    // a second backup a second later; --keep 0 --keep-min 1 lets exactly the first go, and
    // nothing else under backups/ (an object of someone else's) is touched
    std::fs::write(root.join("backups/notes.txt"), "not a backup").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = run(
        &mut db(
            &db_.url,
            &config,
            &[
                "--json",
                "backup",
                "--repo",
                "--keep",
                "0",
                "--keep-min",
                "1",
            ],
        ),
        0,
        &[],
    );
    let report: serde_json::Value = serde_json::from_str(&second.stdout).unwrap();
    let newer = report["manifest"]["file"].as_str().unwrap().to_string();
    let deleted = report["deleted"].as_array().unwrap();
    assert_eq!(deleted.len(), 1, "{report}");
    assert_eq!(deleted[0]["path"], format!("backups/{name}"));
    assert_eq!(listed(&db_.url, &config, &[], None), vec![newer.clone()]);
    let mut left: Vec<String> = std::fs::read_dir(root.join("backups"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(
        left,
        vec![
            "notes.txt".into(),
            newer.clone(),
            format!("{newer}.manifest.json"),
        ]
    );
}

#[test]
fn encrypted_backup_to_s3_shows_no_row_and_restores_with_the_identity() {
    let Some(s3) = S3Server::start() else { return };
    let db_ = pg_or_skip!(db_with_cases(20));
    plant_canary(&db_.url);
    let dir = tempfile::tempdir().unwrap();
    let identity = age::x25519::Identity::generate();
    let secret = identity.to_string().expose_secret().to_string();
    let public = identity.to_public().to_string();
    let id_file = dir.path().join("identity.txt");
    std::fs::write(&id_file, format!("{secret}\n")).unwrap();
    let config = dir.path().join("wfctl.toml");
    std::fs::write(
        &config,
        format!(
            "[repository]\nurl = \"{}\"\nencrypt = \"age\"\nrecipients = [\"{public}\"]\n",
            s3.url("enc")
        ),
    )
    .unwrap();
    let password = url::Url::parse(&db_.url)
        .ok()
        .and_then(|u| u.password().map(str::to_string))
        .filter(|p| !p.is_empty());
    let mut secrets = vec![secret.as_str()];
    if let Some(p) = password.as_deref().filter(|p| p.len() >= 6) {
        secrets.push(p);
    }

    let out = run(
        s3.env(&mut db(
            &db_.url,
            &config,
            &["--json", "backup", "--repo", "--level", "0"],
        )),
        0,
        &secrets,
    );
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let name = report["manifest"]["file"].as_str().unwrap().to_string();
    assert_eq!(report["manifest"]["encryption"]["recipients"][0], public);
    let stored = s3.raw_object(&format!("enc/backups/{name}"));
    assert!(stored.starts_with(b"age-encryption.org/v1\n"));
    assert!(
        !contains(&stored, CANARY),
        "the encrypted object shows a row"
    );
    let manifest = s3.raw_object(&format!("enc/backups/{name}.manifest.json"));
    assert!(contains(&manifest, &public) && !contains(&manifest, CANARY));
    assert_no_secrets(&String::from_utf8_lossy(&manifest), &secrets);

    // listing needs no identity; verify and restore do, and say so
    assert_eq!(
        listed(&db_.url, &config, &secrets, Some(&s3)),
        vec![name.clone()]
    );
    // without the identity: the ciphertext is checked against the manifest, and the
    // contents are said not to be; the result is recorded in the repository's manifest
    let partial = run(
        s3.env(&mut db(&db_.url, &config, &["verify", "--repo", &name])),
        0,
        &secrets,
    );
    assert!(
        partial.stderr.contains("contents not checked: no identity")
            && partial.stderr.contains("WFCTL_AGE_IDENTITY"),
        "{}",
        partial.stderr
    );
    for check in ["object", "stored size", "stored sha256", "recipients"] {
        assert!(partial.stdout.contains(check), "{}", partial.stdout);
    }
    let manifest_key = format!("enc/backups/{name}.manifest.json");
    let recorded: serde_json::Value =
        serde_json::from_slice(&s3.raw_object(&manifest_key)).unwrap();
    assert_eq!(
        recorded["verification"]["level"], "ciphertext",
        "{recorded}"
    );
    assert_eq!(recorded["verification"]["ok"], true);
    assert_eq!(recorded["file"], name.as_str());
    run(
        s3.env(&mut db(&db_.url, &config, &["verify", "--repo", &name]))
            .env("WFCTL_AGE_IDENTITY", &id_file),
        0,
        &secrets,
    );
    let recorded: serde_json::Value =
        serde_json::from_slice(&s3.raw_object(&manifest_key)).unwrap();
    assert_eq!(recorded["verification"]["level"], "checksum", "{recorded}");
    assert_eq!(recorded["encryption"]["recipients"][0], public);
    let target = format!("{}_from_s3", db_.name).replace('-', "_");
    run(
        s3.env(&mut db(
            &db_.url,
            &config,
            &[
                "restore",
                "--repo",
                &name,
                "--target-db",
                &target,
                "--create",
            ],
        ))
        .env("WFCTL_AGE_IDENTITY", &id_file),
        0,
        &secrets,
    );
    let mut restored: diesel::PgConnection =
        diesel::Connection::establish(&url_of(&db_, &target)).unwrap();
    assert_eq!(text(&mut restored, "SELECT v FROM canary"), CANARY);
    let mut source = db_.conn();
    assert_eq!(counts(&mut source), counts(&mut restored));
    drop(restored);
    drop_database(&db_, &target);

    // a replaced object fails the check of its ciphertext, without the identity too
    let other = dir.path().join("other");
    std::fs::write(&other, b"not the backup").unwrap();
    run(
        s3.env(&mut wfctl())
            .env_remove("WFCTL_REPOSITORY")
            .arg("--config")
            .arg(&config)
            .args(["repo", "put", &format!("backups/{name}"), "--replace"])
            .arg(&other),
        0,
        &secrets,
    );
    let failed = run(
        s3.env(&mut db(&db_.url, &config, &["verify", "--repo", &name])),
        3,
        &secrets,
    );
    assert!(failed.stderr.contains("stored s"), "{}", failed.stderr);
    let recorded: serde_json::Value =
        serde_json::from_slice(&s3.raw_object(&manifest_key)).unwrap();
    assert_eq!(recorded["verification"]["ok"], false, "{recorded}");
}

/// A process's environment, as `NAME=value` entries.
fn environ(pid: u32) -> Vec<String> {
    std::fs::read(format!("/proc/{pid}/environ"))
        .unwrap_or_default()
        .split(|b| *b == 0)
        .filter(|e| !e.is_empty())
        .map(|e| String::from_utf8_lossy(e).into_owned())
        .collect()
}

/// A backup to S3 killed mid-upload leaves nothing `db backups --repo` lists and no object
/// under `backups/`, and nothing in TMPDIR: the dump streams into the upload, never staged on
/// local disk. While it runs, neither pg_dump's arguments nor its environment hold a secret
/// (S3 keys, the age identity's file, the database URL).
#[test]
fn a_killed_upload_leaves_no_backup_nothing_in_tmpdir_and_no_secret_reaches_pg_dump() {
    let Some(s3) = S3Server::start() else { return };
    let db_ = pg_or_skip!(db_with_cases(20));
    add_bulk(&mut db_.conn(), 40);
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let identity = age::x25519::Identity::generate();
    let secret = identity.to_string().expose_secret().to_string();
    let id_file = dir.path().join("identity.txt");
    std::fs::write(&id_file, format!("{secret}\n")).unwrap();
    let config = dir.path().join("wfctl.toml");
    std::fs::write(
        &config,
        format!(
            "[repository]\nurl = \"{}\"\nencrypt = \"age\"\nrecipients = [\"{}\"]\n",
            s3.url("kill"),
            identity.to_public()
        ),
    )
    .unwrap();
    let password = url::Url::parse(&db_.url)
        .ok()
        .and_then(|u| u.password().map(str::to_string))
        .unwrap_or_default();

    let holder = hold_table_lock(&db_.url, "workflow_info");
    let child = spawn(
        s3.env(&mut db(
            &db_.url,
            &config,
            &["backup", "--repo", "--level", "0"],
        ))
        .env("WFCTL_AGE_IDENTITY", &id_file)
        .env("AWS_SESSION_TOKEN", "session-token-3c9d")
        .env("TMPDIR", &tmp),
    );
    let _guard = KillOnDrop(child.id());
    let pg_dump = child_named(child.id(), "pg_dump", "--snapshot=");
    for pid in [pg_dump, child.id()] {
        let argv = cmdline(pid).join(" ");
        assert_no_secrets(&argv, &[&secret]);
        assert!(password.is_empty() || !argv.contains(&password), "{argv}");
    }
    let env = environ(pg_dump);
    assert!(
        env.iter().any(|e| e.starts_with("PATH=")),
        "pg_dump's environment was read: {env:?}"
    );
    for e in &env {
        let name = e.split('=').next().unwrap_or_default();
        assert!(
            !name.starts_with("AWS_")
                && !["WFCTL_AGE_IDENTITY", "DATABASE_URL", "WFCTL_REPOSITORY"].contains(&name),
            "pg_dump inherited {name}"
        );
        assert_no_secrets(e, &[&secret, "session-token-3c9d"]);
        assert!(
            !e.contains(&*id_file.to_string_lossy()),
            "pg_dump was told where the identity is: {name}"
        );
    }
    drop(holder);
    poll_until(
        "the upload to start",
        std::time::Duration::from_secs(60),
        || s3.incomplete_uploads("kill/backups/") > 0,
    );
    signal(child.id(), "KILL");
    let (code, _) = finish(child);
    assert_ne!(code, 0);
    assert!(listed(&db_.url, &config, &[&secret], Some(&s3)).is_empty());
    let objects = run(
        s3.env(&mut wfctl())
            .args(["repo", "--repo", &s3.url("kill"), "ls"])
            .env_remove("WFCTL_REPOSITORY"),
        0,
        &[&secret],
    );
    assert!(
        !objects.stdout.contains("backups/"),
        "a killed backup left an object: {}",
        objects.stdout
    );
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "a killed backup left {left:?} in TMPDIR");
}
