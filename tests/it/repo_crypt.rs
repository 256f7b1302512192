//! Repository encryption with age, through `wfctl repo` against a real S3-compatible server:
//! what is stored is ciphertext, the identity brings it back, and without it (or with the
//! wrong one) the error says what to do and never shows a key.

use std::path::Path;
use std::process::Command;

use age::secrecy::ExposeSecret;

use crate::support::s3::{S3Server, assert_no_secrets};
use crate::support::{Run, wfctl};

struct Keys {
    public: String,
    secret: String,
}

fn key_pair() -> Keys {
    let identity = age::x25519::Identity::generate();
    Keys {
        public: identity.to_public().to_string(),
        secret: identity.to_string().expose_secret().to_string(),
    }
}

fn write_config(dir: &Path, recipients: &[&str]) -> std::path::PathBuf {
    let quoted: Vec<String> = recipients.iter().map(|r| format!("{r:?}")).collect();
    let config = dir.join("wfctl.toml");
    std::fs::write(
        &config,
        format!(
            "[repository]\nencrypt = \"age\"\nrecipients = [{}]\n",
            quoted.join(", ")
        ),
    )
    .unwrap();
    config
}

fn repo(s3: &S3Server, config: &Path) -> Command {
    let mut cmd = wfctl();
    s3.env(&mut cmd)
        .env_remove("WFCTL_AGE_IDENTITY")
        .arg("--config")
        .arg(config)
        .args(["repo", "--repo", &s3.url("enc")]);
    cmd
}

#[track_caller]
fn run(cmd: &mut Command, code: i32, secrets: &[&str]) -> Run {
    let run = Run::of(cmd).expect_code(code);
    assert_no_secrets(&run.stdout, secrets);
    assert_no_secrets(&run.stderr, secrets);
    run
}

#[test]
fn encrypted_objects_round_trip_and_need_their_identity() {
    let Some(s3) = S3Server::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let ours = key_pair();
    let theirs = key_pair();
    let secrets = [ours.secret.as_str(), theirs.secret.as_str()];
    let config = write_config(dir.path(), &[&ours.public]);
    let plain = b"INSERT INTO cases VALUES ('secret customer row');\n".repeat(5000);
    let file = dir.path().join("dump.sql");
    std::fs::write(&file, &plain).unwrap();

    run(
        repo(&s3, &config)
            .args(["put", "backups/dump.sql"])
            .arg(&file),
        0,
        &secrets,
    );
    // the bucket holds an age file and none of the rows
    let stored = s3.raw_object("enc/backups/dump.sql");
    assert!(stored.starts_with(b"age-encryption.org/v1\n"));
    assert!(!stored.windows(20).any(|w| w == &plain[..20]));

    // with the identity (by the environment): the rows come back
    let identity = dir.path().join("identity.txt");
    std::fs::write(&identity, format!("# test key\n{}\n", ours.secret)).unwrap();
    let back = dir.path().join("back.sql");
    run(
        repo(&s3, &config)
            .env("WFCTL_AGE_IDENTITY", &identity)
            .args(["get", "backups/dump.sql"])
            .arg(&back),
        0,
        &secrets,
    );
    assert_eq!(std::fs::read(&back).unwrap(), plain);

    // without an identity: exit 78, naming the object and where an identity is given
    let none = run(
        repo(&s3, &config).args(["get", "backups/dump.sql", "-"]),
        78,
        &secrets,
    );
    assert!(
        none.stderr.contains("backups/dump.sql") && none.stderr.contains("WFCTL_AGE_IDENTITY"),
        "{}",
        none.stderr
    );
    assert!(none.stdout.is_empty());

    // another key: refused, naming the identity file
    let wrong = dir.path().join("wrong.txt");
    std::fs::write(&wrong, &theirs.secret).unwrap();
    let refused = run(
        repo(&s3, &config)
            .env("WFCTL_AGE_IDENTITY", &wrong)
            .args(["get", "backups/dump.sql", "-"]),
        1,
        &secrets,
    );
    assert!(refused.stderr.contains("wrong.txt"), "{}", refused.stderr);
    assert!(refused.stdout.is_empty());
}

#[test]
fn a_secret_key_given_as_a_recipient_is_refused_without_echoing_it() {
    let Some(s3) = S3Server::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let keys = key_pair();
    let config = write_config(dir.path(), &[&keys.secret]);
    let refused = run(repo(&s3, &config).arg("ls"), 78, &[&keys.secret]);
    assert!(
        refused.stderr.contains("recipients") && refused.stderr.contains("wfctl.toml"),
        "{}",
        refused.stderr
    );
}

/// The path backups and WAL take through the library: an encrypting reader into
/// `Repository::put`, `get` back through the identity, as the backup commands call them.
#[test]
fn the_repository_trait_stores_ciphertext_and_its_checksum() {
    use std::io::Read;
    use wfctl::repo::Repository;
    use wfctl::repo::crypt::{Identities, Recipients};
    use wfctl::repo::s3::{S3Repository, S3Settings};

    let Some(s3) = S3Server::start() else { return };
    let settings = S3Settings {
        endpoint: Some(s3.endpoint()),
        region: None,
        access_key: Some(crate::support::s3::ACCESS_KEY.into()),
        secret_key: Some(crate::support::s3::SECRET_KEY.into()),
        session_token: None,
    };
    let repo = S3Repository::open_with(&s3.url("lib"), &settings).unwrap();
    let keys = key_pair();
    let dir = tempfile::tempdir().unwrap();
    let identity = dir.path().join("id.txt");
    std::fs::write(&identity, &keys.secret).unwrap();
    let recipients = Recipients::parse(std::slice::from_ref(&keys.public)).unwrap();
    assert_eq!(recipients.public_keys(), std::slice::from_ref(&keys.public));

    let plain = b"segment bytes ".repeat(100_000);
    let mut encrypting = recipients.encrypt(&plain[..]).unwrap();
    let stored = repo
        .put("wal/000000010000000000000001", &mut encrypting, false)
        .unwrap();
    // what `put` measured is what the bucket holds: the ciphertext
    let raw = s3.raw_object("lib/wal/000000010000000000000001");
    assert_eq!(stored.size, raw.len() as u64);
    let raw_file = dir.path().join("raw");
    std::fs::write(&raw_file, &raw).unwrap();
    let sum = std::process::Command::new("sha256sum")
        .arg(&raw_file)
        .output()
        .unwrap();
    let sum = String::from_utf8_lossy(&sum.stdout);
    assert_eq!(sum.split_whitespace().next(), Some(stored.sha256.as_str()));

    let info = repo.head("wal/000000010000000000000001").unwrap().unwrap();
    assert_eq!(info.size, stored.size);
    assert!(info.modified.is_some());
    assert_eq!(repo.list("wal/").unwrap(), vec![info.clone()]);
    assert!(repo.list("backups/").unwrap().is_empty());
    assert!(repo.head("wal/absent").unwrap().is_none());

    // never replaced unasked
    let err = repo
        .put("wal/000000010000000000000001", &mut &b"other"[..], false)
        .unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");

    let identities = Identities::load(&identity).unwrap();
    let mut back = Vec::new();
    identities
        .decrypt("segment", repo.get("wal/000000010000000000000001").unwrap())
        .unwrap()
        .read_to_end(&mut back)
        .unwrap();
    assert!(back == plain, "decrypted bytes differ");

    repo.delete("wal/000000010000000000000001").unwrap();
    assert!(repo.list("").unwrap().is_empty());
    assert!(matches!(
        repo.get("wal/000000010000000000000001"),
        Err(wfctl::repo::Error::NotFound { .. })
    ));
}

/// WAL goes through the same encryption as every other object: the repository holds an age
/// file, `wal fetch` with the identity gives back the segment, and without it recovery stops
/// (126) instead of taking the segment for absent.
#[test]
fn archived_wal_is_encrypted_and_fetched_back_with_the_identity() {
    let dir = tempfile::tempdir().unwrap();
    let keys = key_pair();
    let repo_dir = dir.path().join("repo");
    let config = dir.path().join("wfctl.toml");
    std::fs::write(
        &config,
        format!(
            "[repository]\nurl = \"file://{}\"\nencrypt = \"age\"\nrecipients = [{:?}]\n",
            repo_dir.display(),
            keys.public
        ),
    )
    .unwrap();
    let seg_name = "000000010000000000000003";
    let segment = dir.path().join(seg_name);
    let plain = b"wal record of a secret customer row\n".repeat(4000);
    std::fs::write(&segment, &plain).unwrap();
    let wal = |args: &[&str]| {
        let mut cmd = wfctl();
        cmd.env_remove("WFCTL_AGE_IDENTITY")
            .arg("--config")
            .arg(&config)
            .arg("wal")
            .args(args);
        cmd
    };
    let secrets = [keys.secret.as_str()];
    run(&mut wal(&["push", segment.to_str().unwrap()]), 0, &secrets);
    let stored = std::fs::read(repo_dir.join(format!("wal/{seg_name}.gz"))).unwrap();
    assert!(stored.starts_with(b"age-encryption.org/v1\n"));
    assert!(!stored.windows(20).any(|w| w == &plain[..20]));

    let dest = dir.path().join("RECOVERYXLOG");
    let dest = dest.to_str().unwrap();
    run(&mut wal(&["fetch", seg_name, dest]), 126, &secrets);
    assert!(!Path::new(dest).exists());
    let identity = dir.path().join("identity.txt");
    std::fs::write(&identity, &keys.secret).unwrap();
    run(
        wal(&["fetch", seg_name, dest]).env("WFCTL_AGE_IDENTITY", &identity),
        0,
        &secrets,
    );
    assert_eq!(std::fs::read(dest).unwrap(), plain);
}

/// On an encrypting S3 repository, the archiving host has only the public key: `wal push`
/// of the same segment twice succeeds without the identity (the stored sha256 record of the
/// plaintext decides), a different segment under the same name fails as a conflict, and the
/// stored segment is left as it was.
#[test]
fn encrypted_wal_is_pushed_twice_without_the_identity_and_a_different_one_conflicts() {
    let Some(s3) = S3Server::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let keys = key_pair();
    let config = dir.path().join("wfctl.toml");
    std::fs::write(
        &config,
        format!(
            "[repository]\nurl = \"{}\"\nencrypt = \"age\"\nrecipients = [{:?}]\n",
            s3.url("walenc"),
            keys.public
        ),
    )
    .unwrap();
    let seg_name = "000000010000000000000007";
    let wal = |args: &[&str]| {
        let mut cmd = wfctl();
        s3.env(&mut cmd)
            .env_remove("WFCTL_AGE_IDENTITY")
            .env_remove("WFCTL_REPOSITORY")
            .arg("--config")
            .arg(&config)
            .arg("wal")
            .args(args);
        cmd
    };
    let first_dir = dir.path().join("pg_wal");
    let other_dir = dir.path().join("other");
    std::fs::create_dir_all(&first_dir).unwrap();
    std::fs::create_dir_all(&other_dir).unwrap();
    let first = first_dir.join(seg_name);
    let other = other_dir.join(seg_name);
    std::fs::write(&first, b"first server's wal record\n".repeat(20_000)).unwrap();
    std::fs::write(&other, b"other server's wal record\n".repeat(20_000)).unwrap();
    let secrets = [keys.secret.as_str()];

    run(&mut wal(&["push", first.to_str().unwrap()]), 0, &secrets);
    let key = format!("walenc/wal/{seg_name}.gz");
    let stored = s3.raw_object(&key);
    assert!(stored.starts_with(b"age-encryption.org/v1\n"));
    let again = run(&mut wal(&["push", first.to_str().unwrap()]), 0, &secrets);
    assert_eq!(again.stderr, "");
    let conflict = run(&mut wal(&["push", other.to_str().unwrap()]), 1, &secrets);
    assert!(
        conflict.stderr.contains("different content")
            && conflict.stderr.contains("not overwritten"),
        "{}",
        conflict.stderr
    );
    assert_eq!(s3.raw_object(&key), stored);
    // the record beside the ciphertext is the plaintext's digest, nothing more
    let record = String::from_utf8(s3.raw_object(&format!("{key}.sha256"))).unwrap();
    let digest = {
        use sha2::Digest;
        let d = sha2::Sha256::digest(std::fs::read(&first).unwrap());
        d.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    assert_eq!(record.trim(), format!("sha256:{digest}"));
}
