//! `wfctl wal push %p` and `wfctl wal fetch %f %p` against a file repository, as PostgreSQL
//! runs them: the same segment twice succeeds, different content under the same name fails and
//! leaves the stored one untouched, an absent file is exit 1 without a word, a killed push
//! leaves nothing that `wal fetch` takes for a segment.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::support::backup::signal;
use crate::support::{Run, poll_for, wfctl};

const SEG: &str = "000000010000000000000007";

/// A directory with a wfctl.toml naming a file repository inside it.
struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::write(
            dir.path().join("wfctl.toml"),
            format!("[repository]\nurl = \"file://{}\"\n", repo.display()),
        )
        .unwrap();
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn wal(&self, args: &[&str]) -> Command {
        let mut cmd = wfctl();
        cmd.arg("--config")
            .arg(self.path("wfctl.toml"))
            .arg("wal")
            .args(args)
            .current_dir(self.dir.path());
        cmd
    }

    /// A segment-like file: `len` bytes that compress a little, different per `seed`.
    fn segment(&self, dir: &str, seed: u8, len: usize) -> PathBuf {
        let dir = self.path(dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(SEG);
        let bytes: Vec<u8> = (0..len)
            .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_be_bytes()[0] ^ seed)
            .collect();
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn fetch(&self) -> (Run, Option<Vec<u8>>) {
        let dest = self.path("RECOVERYXLOG");
        let _ = std::fs::remove_file(&dest);
        let run = Run::of(&mut self.wal(&["fetch", SEG, dest.to_str().unwrap()]));
        (run, std::fs::read(&dest).ok())
    }
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn the_same_segment_twice_succeeds_and_a_different_one_fails_without_overwriting() {
    let s = Setup::new();
    let first = s.segment("pg_wal", 1, 1 << 20);
    Run::of(&mut s.wal(&["push", arg(&first)])).expect_code(0);
    let stored = s.path("repo/wal").join(format!("{SEG}.gz"));
    let stored_bytes = std::fs::read(&stored).unwrap();
    assert!(stored_bytes.len() < 1 << 20, "compressed");

    // archive_command retried after a success it did not see
    let again = Run::of(&mut s.wal(&["push", arg(&first)])).expect_code(0);
    assert_eq!(again.stderr, "");

    // another server (or a damaged pg_wal) with different bytes under the same name
    let other = s.segment("other", 2, 1 << 20);
    let run = Run::of(&mut s.wal(&["push", arg(&other)])).expect_code(1);
    assert!(
        run.stderr.contains("different content") && run.stderr.contains("not overwritten"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(&stored).unwrap(), stored_bytes);
    let (run, fetched) = s.fetch();
    run.expect_code(0);
    assert_eq!(fetched.unwrap(), std::fs::read(&first).unwrap());
}

#[test]
fn fetch_of_a_file_the_archive_lacks_is_exit_1_quietly_and_damage_is_fatal() {
    let s = Setup::new();
    // an archive directory that is not there (an unmounted disk) is no empty archive: any
    // status up to 125 would let PostgreSQL end recovery and promote
    let (run, _) = s.fetch();
    let run = run.expect_code(126);
    assert!(run.stderr.contains("no such directory"), "{}", run.stderr);
    assert!(
        !s.path("repo").exists(),
        "fetch created the archive directory"
    );
    std::fs::create_dir(s.path("repo")).unwrap();
    let (run, fetched) = s.fetch();
    let run = run.expect_code(1);
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
    assert!(fetched.is_none());

    let seg = s.segment("pg_wal", 3, 1 << 16);
    Run::of(&mut s.wal(&["push", arg(&seg)])).expect_code(0);
    let stored = s.path("repo/wal").join(format!("{SEG}.gz"));
    let mut bytes = std::fs::read(&stored).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&stored, bytes).unwrap();
    // a damaged segment must stop recovery (exit > 125), not pass for the end of the archive
    let (run, fetched) = s.fetch();
    let run = run.expect_code(126);
    assert!(run.stderr.contains(SEG), "{}", run.stderr);
    assert!(fetched.is_none());
}

#[test]
fn the_guides_plain_archive_is_read_and_never_written() {
    let s = Setup::new();
    let archive = s.path("wal_archive");
    let seg = s.segment("wal_archive", 4, 1 << 16);
    std::fs::write(
        s.path("wfctl.toml"),
        format!(
            "[repository]\nurl = \"file://{}\"\nread_only = true\n",
            archive.display()
        ),
    )
    .unwrap();
    let (run, fetched) = s.fetch();
    run.expect_code(0);
    assert_eq!(fetched.unwrap(), std::fs::read(&seg).unwrap());
    let other = s.segment("pg_wal", 5, 1 << 16);
    let run = Run::of(&mut s.wal(&["push", arg(&other)])).expect_code(1);
    assert!(run.stderr.contains("read-only"), "{}", run.stderr);
    let names: Vec<_> = std::fs::read_dir(&archive)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, [SEG]);
}

#[test]
fn a_killed_push_leaves_nothing_that_fetch_takes_for_the_segment() {
    let s = Setup::new();
    // large enough that the write is still under way when it is killed
    let seg = s.segment("pg_wal", 6, 128 << 20);
    let mut child = s
        .wal(&["push", arg(&seg)])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let wal_dir = s.path("repo/wal");
    let temp = poll_for(
        "wal push to start writing its temporary file",
        Duration::from_secs(120),
        || {
            std::fs::read_dir(&wal_dir).ok()?.find_map(|e| {
                let name = e.ok()?.file_name().into_string().ok()?;
                name.starts_with(".wfctl-tmp.").then_some(name)
            })
        },
    );
    signal(child.id(), "KILL");
    let status = child.wait().unwrap();
    assert!(status.code().is_none(), "killed, not finished: {status:?}");
    assert!(
        wal_dir.join(&temp).exists(),
        "the partial write is still there"
    );
    let (run, fetched) = s.fetch();
    run.expect_code(1);
    assert!(fetched.is_none());
    // the leftover does not stop the next push
    Run::of(&mut s.wal(&["push", arg(&seg)])).expect_code(0);
    let (run, fetched) = s.fetch();
    run.expect_code(0);
    assert_eq!(fetched.unwrap().len(), 128 << 20);
}

#[test]
fn repo_commands_never_follow_a_link_out_of_the_repository() {
    let s = Setup::new();
    let outside = s.path("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("precious"), "keep me").unwrap();
    let seg = s.segment("pg_wal", 7, 1 << 16);
    Run::of(&mut s.wal(&["push", arg(&seg)])).expect_code(0);
    // someone plants links inside the repository: a directory and a file
    std::os::unix::fs::symlink(&outside, s.path("repo/backups")).unwrap();
    std::os::unix::fs::symlink(outside.join("precious"), s.path("repo/wal/x")).unwrap();
    let repo = |args: &[&str]| {
        let mut cmd = wfctl();
        cmd.arg("--config")
            .arg(s.path("wfctl.toml"))
            .arg("repo")
            .args(args);
        Run::of(&mut cmd)
    };
    for args in [
        &["rm", "backups/precious"][..],
        &["get", "backups/precious", "-"],
        &["rm", "wal/x"],
        &["get", "wal/x", "-"],
        &["ls", "backups/"],
    ] {
        let run = repo(args);
        assert_ne!(run.code, 0, "{args:?}");
        assert!(
            run.stderr.contains("symbolic link") && run.stderr.trim().lines().count() == 1,
            "{args:?}: {}",
            run.stderr
        );
        assert!(!run.stdout.contains("keep me"), "{args:?}");
    }
    assert_eq!(
        std::fs::read_to_string(outside.join("precious")).unwrap(),
        "keep me"
    );
    // a link where a segment should be is refused by fetch, never followed (exit 126)
    std::fs::remove_file(s.path("repo/wal").join(format!("{SEG}.gz"))).unwrap();
    std::os::unix::fs::symlink(
        outside.join("precious"),
        s.path("repo/wal").join(format!("{SEG}.gz")),
    )
    .unwrap();
    let (run, fetched) = s.fetch();
    let run = run.expect_code(126);
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert!(fetched.is_none());
}

#[test]
fn read_only_refuses_every_write_path() {
    let s = Setup::new();
    let seg = s.segment("pg_wal", 8, 1 << 16);
    Run::of(&mut s.wal(&["push", arg(&seg)])).expect_code(0);
    let repo_dir = s.path("repo");
    std::fs::write(
        s.path("wfctl.toml"),
        format!(
            "[repository]\nurl = \"file://{}\"\nread_only = true\n",
            repo_dir.display()
        ),
    )
    .unwrap();
    let key = format!("wal/{SEG}.gz");
    let repo = |args: &[&str]| {
        let mut cmd = wfctl();
        cmd.arg("--config")
            .arg(s.path("wfctl.toml"))
            .arg("repo")
            .args(args);
        Run::of(&mut cmd)
    };
    for args in [
        &["rm", key.as_str()][..],
        &["put", "backups/new", arg(&seg)],
        &["put", key.as_str(), arg(&seg), "--replace"],
    ] {
        let run = repo(args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("read-only"), "{args:?}: {}", run.stderr);
    }
    assert!(repo_dir.join(&key).exists());
    assert!(!repo_dir.join("backups").exists());
    // reading still works
    repo(&["get", key.as_str(), "-"]).expect_code(0);
}

#[test]
fn credentials_in_the_configured_url_are_never_echoed() {
    let s = Setup::new();
    std::fs::write(
        s.path("wfctl.toml"),
        "[repository]\nurl = \"s3://AKIAINCONFIG:cfgSecretValue77@bucket/p\"\n",
    )
    .unwrap();
    let seg = s.segment("pg_wal", 9, 1 << 12);
    let mut show = wfctl();
    show.arg("--config")
        .arg(s.path("wfctl.toml"))
        .args(["config", "show"]);
    // a configuration error, except for fetch, which must stop recovery
    for (run, code) in [
        (Run::of(&mut show), 78),
        (Run::of(&mut s.wal(&["push", arg(&seg)])), 78),
        (s.fetch().0, 126),
    ] {
        let all = format!("{}{}", run.stdout, run.stderr);
        assert!(
            !all.contains("cfgSecretValue77") && !all.contains("AKIAINCONFIG"),
            "{all}"
        );
        assert_eq!(run.code, code, "{all}");
    }
}

/// As `restore_command`, whatever keeps `wal fetch` from answering must stop recovery (> 125),
/// never read as "not in the archive" (1..=125): a broken wfctl.toml, no repository configured,
/// a command line that does not parse.
#[test]
fn fetch_that_cannot_even_start_stops_recovery() {
    let s = Setup::new();
    std::fs::create_dir(s.path("repo")).unwrap();
    let dest = s.path("RECOVERYXLOG");
    let dest = dest.to_str().unwrap();

    std::fs::write(s.path("wfctl.toml"), "[repository\nurl = 3\n").unwrap();
    let broken = Run::of(&mut s.wal(&["fetch", SEG, dest])).expect_code(126);
    assert!(broken.stderr.contains("wfctl.toml"), "{}", broken.stderr);

    std::fs::write(s.path("wfctl.toml"), "").unwrap();
    let none = Run::of(&mut s.wal(&["fetch", SEG, dest])).expect_code(126);
    assert!(none.stderr.contains("repository"), "{}", none.stderr);

    // `restore_command = 'wfctl wal fetch %f'`: the destination is missing
    let misspelt = Run::of(&mut s.wal(&["fetch", SEG])).expect_code(126);
    assert_eq!(misspelt.stderr.lines().count(), 1, "{}", misspelt.stderr);
    // push keeps the ordinary codes
    Run::of(&mut s.wal(&["push"])).expect_code(2);
    assert!(!Path::new(dest).exists());
}

/// A `wal fetch` or `repo get` killed mid-write (kill -9) leaves its temporary beside the
/// destination, named `.tmp-PID-N` like every wfctl temporary: the next run into that
/// directory removes those of dead PIDs, and nothing else (a live writer's, a stranger's).
#[test]
fn temporaries_of_a_killed_fetch_or_get_are_removed_by_the_next_run_and_nothing_else() {
    let s = Setup::new();
    let seg = s.segment("pg_wal", 1, 4096);
    Run::of(&mut s.wal(&["push", arg(&seg)])).expect_code(0);
    let mut gone = Command::new("true").spawn().unwrap();
    let dead = gone.id();
    gone.wait().unwrap();
    let live = std::process::id();
    let plant = |dir: &Path| {
        std::fs::create_dir_all(dir).unwrap();
        for name in [
            format!(".tmp-{dead}-0"),
            format!(".tmp-{live}-0"),
            ".tmpAbC123".to_owned(),
        ] {
            std::fs::write(dir.join(name), b"partial").unwrap();
        }
    };
    let temps = |dir: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".tmp"))
            .collect();
        names.sort();
        names
    };
    let kept = vec![".tmpAbC123".to_owned(), format!(".tmp-{live}-0")];
    let mut kept_sorted = kept.clone();
    kept_sorted.sort();

    let fetched = s.path("fetched");
    plant(&fetched);
    let dest = fetched.join("RECOVERYXLOG");
    Run::of(&mut s.wal(&["fetch", SEG, arg(&dest)])).expect_code(0);
    assert_eq!(std::fs::read(&dest).unwrap(), std::fs::read(&seg).unwrap());
    assert_eq!(temps(&fetched), kept_sorted, "wal fetch");

    let got = s.path("got");
    plant(&got);
    Run::of(
        wfctl()
            .arg("--config")
            .arg(s.path("wfctl.toml"))
            .args(["repo", "put", "k"])
            .arg(&seg),
    )
    .expect_code(0);
    let dest = got.join("k");
    Run::of(
        wfctl()
            .arg("--config")
            .arg(s.path("wfctl.toml"))
            .args(["repo", "get", "k"])
            .arg(&dest),
    )
    .expect_code(0);
    assert_eq!(std::fs::read(&dest).unwrap(), std::fs::read(&seg).unwrap());
    assert_eq!(temps(&got), kept_sorted, "repo get");
}
