//! `wfctl repo` against a real S3-compatible server (moto): objects round trip, uploads go in
//! parts without holding the object in memory, an existing key is not replaced unasked, and
//! a killed upload leaves nothing that a listing shows. No output carries the credentials.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::support::s3::{S3Server, assert_no_secrets};
use crate::support::{Run, wfctl};

fn repo(s3: &S3Server, prefix: &str) -> Command {
    let mut cmd = wfctl();
    s3.env(&mut cmd).args(["repo", "--repo", &s3.url(prefix)]);
    cmd
}

#[track_caller]
fn run(cmd: &mut Command, code: i32) -> Run {
    let run = Run::of(cmd).expect_code(code);
    assert_no_secrets(&run.stdout, &[]);
    assert_no_secrets(&run.stderr, &[]);
    run
}

/// Bytes that do not compress and differ at every offset, so a misplaced part shows.
fn pattern(len: usize) -> Vec<u8> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

#[test]
fn objects_round_trip_and_are_listed_removed_and_not_replaced_unasked() {
    let Some(s3) = S3Server::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.bin");
    std::fs::write(&file, pattern(100_000)).unwrap();

    let put = run(
        repo(&s3, "site1").args(["put", "backups/a.bin"]).arg(&file),
        0,
    );
    assert!(put.stderr.contains("stored s3://"), "{}", put.stderr);

    let listed = run(repo(&s3, "site1").args(["--json", "ls"]), 0);
    let listed: serde_json::Value = serde_json::from_str(&listed.stdout).unwrap();
    assert_eq!(listed["objects"][0]["key"], "backups/a.bin", "{listed}");
    assert_eq!(listed["objects"][0]["size_bytes"], 100_000, "{listed}");
    assert_eq!(listed["objects"].as_array().unwrap().len(), 1, "{listed}");
    // the prefix confines the repository: another prefix sees nothing
    let other = run(repo(&s3, "site2").arg("ls"), 0);
    assert!(other.stdout.is_empty() && other.stderr.contains("no objects"));

    let back = dir.path().join("back.bin");
    run(
        repo(&s3, "site1").args(["get", "backups/a.bin"]).arg(&back),
        0,
    );
    assert_eq!(std::fs::read(&back).unwrap(), pattern(100_000));

    // the same key again: refused, and the object is untouched
    std::fs::write(&file, b"other").unwrap();
    let refused = run(
        repo(&s3, "site1").args(["put", "backups/a.bin"]).arg(&file),
        1,
    );
    assert!(
        refused.stderr.contains("backups/a.bin") && refused.stderr.contains("already exists"),
        "{}",
        refused.stderr
    );
    assert_eq!(s3.raw_object("site1/backups/a.bin"), pattern(100_000));
    run(
        repo(&s3, "site1")
            .args(["put", "--replace", "backups/a.bin"])
            .arg(&file),
        0,
    );
    assert_eq!(s3.raw_object("site1/backups/a.bin"), b"other");

    run(repo(&s3, "site1").args(["rm", "backups/a.bin"]), 0);
    let empty = run(repo(&s3, "site1").arg("ls"), 0);
    assert!(empty.stdout.is_empty(), "{}", empty.stdout);
    let missing = run(
        repo(&s3, "site1")
            .args(["get", "backups/a.bin"])
            .arg(dir.path().join("none")),
        1,
    );
    assert!(
        missing.stderr.contains("no such object"),
        "{}",
        missing.stderr
    );
    // removing what is absent is not an error
    run(repo(&s3, "site1").args(["rm", "backups/a.bin"]), 0);
    // a key that would leave the repository is refused before any request
    let escape = run(repo(&s3, "site1").args(["rm", "../site2/x"]), 78);
    assert!(
        escape.stderr.contains("invalid repository key"),
        "{}",
        escape.stderr
    );
}

/// Peak resident memory of a running process, from /proc.
fn peak_rss_bytes(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/PID/status");
    kb * 1024
}

/// Uploads `body` from a pipe and returns wfctl's peak resident memory once it has read all
/// of it: the input is still open then, so wfctl is still running.
fn upload_peak_rss(s3: &S3Server, key: &str, body: &[u8]) -> u64 {
    let mut child = repo(s3, "")
        .args(["put", key, "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(body).unwrap();
    let peak = peak_rss_bytes(child.id());
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_no_secrets(&stderr, &[]);
    peak
}

#[test]
fn a_40_mb_object_goes_up_in_parts_with_memory_far_below_its_size() {
    let Some(s3) = S3Server::start() else { return };
    const MIB: usize = 1024 * 1024;
    let body = pattern(40 * MIB);
    // the baseline: one full part and a short one, so every buffer has been used
    let small = upload_peak_rss(&s3, "small.bin", &body[..9 * MIB]);
    let big = upload_peak_rss(&s3, "big.bin", &body);
    // 31 MiB more of input costs less than one more part of memory
    assert!(
        big < small + 8 * MIB as u64,
        "peak RSS {big} bytes for 40 MiB, {small} for 9 MiB: memory grows with the object"
    );
    // 8 MiB parts: five of them, and the server's ETag says so
    assert!(s3.etag("big.bin").ends_with("-5"), "{}", s3.etag("big.bin"));
    let out = repo(&s3, "")
        .args(["get", "big.bin", "-"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout == body, "the object came back different");
}

/// `repo put KEY -` into the repository at `prefix`, killed once its multipart upload is under
/// way (an upload under `watch` exists): more than two parts read, and it cannot finish
/// without EOF.
fn kill_mid_upload(s3: &S3Server, prefix: &str, key: &str, watch: &str) {
    let mut child = repo(s3, prefix)
        .args(["put", key, "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(&pattern(20 * 1024 * 1024)).unwrap();
    crate::support::poll_until(
        "the multipart upload to start",
        std::time::Duration::from_secs(60),
        || s3.incomplete_uploads(watch) > 0,
    );
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdin);
}

#[test]
fn a_killed_upload_leaves_nothing_listed() {
    let Some(s3) = S3Server::start() else { return };
    kill_mid_upload(&s3, "", "wal/000000010000000000000001", "wal/");

    let listed = run(repo(&s3, "").arg("ls"), 0);
    assert!(listed.stdout.is_empty(), "{}", listed.stdout);
    let get = run(
        repo(&s3, "").args(["get", "wal/000000010000000000000001", "-"]),
        1,
    );
    assert!(get.stderr.contains("no such object"), "{}", get.stderr);
    // what is left is an incomplete upload, which no listing shows
    assert_eq!(s3.incomplete_uploads("wal/"), 1);
}

#[test]
fn bad_credentials_fail_in_one_line_without_them() {
    let Some(s3) = S3Server::start() else { return };
    let mut cmd = repo(&s3, "");
    cmd.env_remove("AWS_ACCESS_KEY_ID");
    let failed = run(cmd.arg("ls"), 78);
    assert!(
        failed.stderr.contains("AWS_ACCESS_KEY_ID") && failed.stderr.trim().lines().count() == 1,
        "{}",
        failed.stderr
    );
    // a server that is not there: one line naming the repository, exit 69 (unreachable)
    let mut cmd = repo(&s3, "");
    cmd.env("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    let failed = run(cmd.arg("ls"), 69);
    assert!(
        failed.stderr.contains(&s3.url("")) && failed.stderr.trim().lines().count() == 1,
        "{}",
        failed.stderr
    );
}

fn library_repo(s3: &S3Server, prefix: &str) -> wfctl::repo::s3::S3Repository {
    use crate::support::s3::{ACCESS_KEY, SECRET_KEY};
    let settings = wfctl::repo::s3::S3Settings {
        endpoint: Some(s3.endpoint()),
        access_key: Some(ACCESS_KEY.into()),
        secret_key: Some(SECRET_KEY.into()),
        ..Default::default()
    };
    wfctl::repo::s3::S3Repository::open_with(&s3.url(prefix), &settings).unwrap()
}

/// A body that, when it ends, first lets `at_end` run (another writer finishing first).
struct ThenRace<'a> {
    body: &'a [u8],
    at_end: Option<Box<dyn FnOnce() + 'a>>,
}

impl std::io::Read for ThenRace<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.body.is_empty()
            && let Some(race) = self.at_end.take()
        {
            race();
        }
        self.body.read(buf)
    }
}

#[test]
fn of_two_writers_racing_on_one_key_only_one_succeeds() {
    use wfctl::repo::Repository as _;
    let Some(s3) = S3Server::start() else { return };
    let repo = library_repo(&s3, "race");
    let key = "wal/000000010000000000000001.gz";
    // both found the key free; the other completes while this one is still uploading
    let mut first = ThenRace {
        body: b"first writer",
        at_end: Some(Box::new(|| {
            repo.put(key, &mut &b"second writer"[..], false).unwrap();
        })),
    };
    let err = repo.put(key, &mut first, false).unwrap_err();
    assert!(wfctl::repo::file::already_exists(&err), "{err}");
    assert_eq!(s3.raw_object(&format!("race/{key}")), b"second writer");
    // the loser left no upload behind
    assert_eq!(s3.incomplete_uploads("race/"), 0);
    // and a second writer that comes later is refused before uploading
    let err = repo.put(key, &mut &b"third"[..], false).unwrap_err();
    assert!(wfctl::repo::file::already_exists(&err), "{err}");
}

#[test]
fn a_killed_uploads_leftover_is_aborted_by_a_later_cleanup_and_only_it() {
    use wfctl::repo::Repository as _;
    let Some(s3) = S3Server::start() else { return };
    kill_mid_upload(&s3, "p", "backups/big", "p/");
    // another repository (prefix) leaves it alone
    assert_eq!(
        library_repo(&s3, "q")
            .clean_leftovers(std::time::Duration::ZERO)
            .unwrap(),
        0
    );
    assert_eq!(s3.incomplete_uploads("p/"), 1);
    // a later write to this repository aborts it (moto dates every upload 2010, so it is
    // stale at once; the age limit itself is tested on the file repository)
    let small = tempfile::NamedTempFile::new().unwrap();
    run(
        repo(&s3, "p")
            .args(["put", "backups/small"])
            .arg(small.path()),
        0,
    );
    assert_eq!(s3.incomplete_uploads("p/"), 0);
    let listed = run(repo(&s3, "p").arg("ls"), 0);
    assert!(listed.stdout.contains("backups/small"), "{}", listed.stdout);
}

#[test]
fn credentials_in_the_url_and_hidden_keys_are_refused_without_echo() {
    let Some(s3) = S3Server::start() else { return };
    let mut cmd = wfctl();
    s3.env(&mut cmd).args([
        "repo",
        "--repo",
        &format!("s3://AKIAINURL:urlSecretValue99@{}/p", s3.bucket),
        "ls",
    ]);
    let failed = Run::of(&mut cmd).expect_code(78);
    assert!(
        !failed.stderr.contains("urlSecretValue99") && !failed.stderr.contains("AKIAINURL"),
        "{}",
        failed.stderr
    );
    assert!(failed.stderr.contains("credentials"), "{}", failed.stderr);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x");
    std::fs::write(&file, "x").unwrap();
    for key in [".hidden", "wal/.wfctl-tmp.x", "a/../b", "wal/.."] {
        let failed = run(repo(&s3, "p").args(["put", key]).arg(&file), 78);
        assert!(
            failed.stderr.contains("invalid repository key"),
            "{key}: {}",
            failed.stderr
        );
        run(repo(&s3, "p").args(["get", key, "-"]), 78);
        run(repo(&s3, "p").args(["rm", key]), 78);
    }
    assert_eq!(s3.incomplete_uploads(""), 0);
}

/// A directory with a wfctl.toml naming the bucket as the repository.
fn wal_config(s3: &S3Server, dir: &std::path::Path, url: &str) -> std::path::PathBuf {
    let config = dir.join("wfctl.toml");
    std::fs::write(&config, format!("[repository]\nurl = \"{url}\"\n")).unwrap();
    let _ = s3;
    config
}

fn wal(s3: &S3Server, config: &std::path::Path, args: &[&str]) -> Command {
    let mut cmd = wfctl();
    s3.env(&mut cmd)
        .arg("--config")
        .arg(config)
        .arg("wal")
        .args(args);
    cmd
}

#[test]
fn wal_on_s3_conflicts_are_named_and_a_missing_bucket_is_no_end_of_the_archive() {
    let Some(s3) = S3Server::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let seg = "000000010000000000000003";
    let pg_wal = dir.path().join("pg_wal");
    std::fs::create_dir(&pg_wal).unwrap();
    let segment = pg_wal.join(seg);
    std::fs::write(&segment, pattern(1 << 20)).unwrap();
    let config = wal_config(&s3, dir.path(), &s3.url("site"));
    let path = segment.to_str().unwrap();
    run(&mut wal(&s3, &config, &["push", path]), 0);
    // PostgreSQL's retry of a push whose answer it missed
    run(&mut wal(&s3, &config, &["push", path]), 0);
    let stored = s3.raw_object(&format!("site/wal/{seg}.gz"));
    let mut other = pattern(1 << 20);
    other[5] ^= 1;
    std::fs::write(&segment, other).unwrap();
    let failed = run(&mut wal(&s3, &config, &["push", path]), 1);
    assert!(
        failed.stderr.contains("conflict") && failed.stderr.contains("not overwritten"),
        "{}",
        failed.stderr
    );
    assert_eq!(s3.raw_object(&format!("site/wal/{seg}.gz")), stored);

    // fetch: present, absent (1, quiet), bucket missing and server gone (126: stop recovery)
    let dest = dir.path().join("RECOVERYXLOG");
    let dest = dest.to_str().unwrap();
    run(&mut wal(&s3, &config, &["fetch", seg, dest]), 0);
    let absent = run(
        &mut wal(&s3, &config, &["fetch", "000000010000000000000009", dest]),
        1,
    );
    assert_eq!(absent.stderr, "");
    let missing = wal_config(&s3, dir.path(), "s3://no-such-bucket-wfctl/site");
    let failed = run(
        &mut wal(&s3, &missing, &["fetch", "000000010000000000000009", dest]),
        126,
    );
    assert!(
        failed.stderr.contains("no such bucket"),
        "{}",
        failed.stderr
    );
    let config = wal_config(&s3, dir.path(), &s3.url("site"));
    let mut gone = wal(&s3, &config, &["fetch", "000000010000000000000009", dest]);
    gone.env("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    let failed = run(&mut gone, 126);
    assert!(failed.stderr.contains("unreachable"), "{}", failed.stderr);
    let mut gone = wal(&s3, &config, &["push", path]);
    gone.env("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    run(&mut gone, 69);
}

/// Keys one backend would take and another would refuse or store elsewhere: characters that
/// change meaning in a URL or a shell, names too long for a file system or for S3.
fn keys_refused_everywhere() -> Vec<String> {
    let mut keys: Vec<String> = [
        "a b",
        "a?b",
        "a#b",
        "a%2e%2e/x",
        "a\tb",
        "caf\u{e9}",
        "a*",
        "a\\b",
        "/abs",
        "a//b",
        "wal/..",
        ".hidden",
        "a/.b/c",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    keys.push(format!("backups/{}", "n".repeat(256)));
    keys.push(["seg"; 300].join("/"));
    keys
}

/// `repo put`, `get` and `rm` of every key in [`keys_refused_everywhere`] through `repo`: 78,
/// one line naming the rule, nothing stored.
fn refuses_the_same_keys(mut repo: impl FnMut() -> Command, what: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x");
    std::fs::write(&file, "x").unwrap();
    for key in keys_refused_everywhere() {
        let failed = run(repo().args(["put", &key]).arg(&file), 78);
        assert!(
            failed.stderr.contains("invalid repository key") && failed.stderr.lines().count() == 1,
            "{what} {key:?}: {}",
            failed.stderr
        );
        run(repo().args(["get", &key, "-"]), 78);
        run(repo().args(["rm", &key]), 78);
    }
    let listed = run(repo().args(["--json", "ls"]), 0);
    assert!(
        !listed.stdout.contains("\"key\""),
        "{what}: {}",
        listed.stdout
    );
}

#[test]
fn the_file_repository_and_s3_refuse_the_same_keys() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("file://{}", dir.path().display());
    refuses_the_same_keys(
        || {
            let mut cmd = wfctl();
            cmd.args(["repo", "--repo", &url]);
            cmd
        },
        "file",
    );
    let Some(s3) = S3Server::start() else { return };
    refuses_the_same_keys(|| repo(&s3, "same"), "s3");
    assert_eq!(s3.incomplete_uploads(""), 0);
}
