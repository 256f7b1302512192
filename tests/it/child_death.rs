//! Every program wfctl starts dies with it, `kill -9` included, with all it started in turn:
//! an exec component's shell and its `sleep`, pg_basebackup and its WAL streamer. Within 2 s
//! nothing of them is left, no lock outlives wfctl, and the next run succeeds.

use std::time::Duration;

use crate::backup_base::repl_cluster;
use crate::support::backup::{
    child_named, exited, listing, processes_with_arg, signal, spawn, wfctl_db,
};
use crate::support::case_env::Env;
use crate::support::{Run, poll_until};

/// How long the children of a killed wfctl may take to go.
const DEATH_GRACE: Duration = Duration::from_secs(2);

/// The process group of `pid` (field 5 of /proc/PID/stat).
fn process_group(pid: u32) -> Option<u32> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &text[text.rfind(')')? + 2..];
    rest.split_whitespace().nth(2)?.parse().ok()
}

/// Live (not zombie) processes in process group `pgid`.
fn group_members(pgid: u32) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| !exited(*pid) && process_group(*pid) == Some(pgid))
        .collect()
}

fn read_pid(env: &Env, name: &str) -> Option<u32> {
    std::fs::read_to_string(env.path(name))
        .ok()?
        .trim()
        .parse()
        .ok()
}

#[test]
fn killing_wfctl_mid_component_kills_the_component_and_its_children() {
    for env in Env::all() {
        let who = env.name();
        env.config(
            "[components.stubborn]\nexec = [\"./scripts/stubborn.sh\"]\ntimeout = \"120s\"\n\n\
             [components.manual]\nbuiltin = \"pend\"\n",
        );
        // The first run starts a grandchild and waits for it; once fixed, it answers at once.
        env.write(
            "scripts/stubborn.sh",
            "#!/bin/sh\ncat >/dev/null\n\
             if [ -e fixed ]; then echo '{\"response\":\"ok_proceed\"}'; exit 0; fi\n\
             sleep 30 &\necho $! > sleep.pid.tmp && mv sleep.pid.tmp sleep.pid\n\
             echo $$ > sh.pid.tmp && mv sh.pid.tmp sh.pid\nwait\n",
        );
        let journey = env.write(
            "stubborn.json",
            r#"{"journey": {"name": "stubborn", "flow": [
              {"name": "start", "component": "stubborn", "next": "after"},
              {"name": "after", "component": "manual", "user_data": "done_basket", "next": "end"}]}}"#,
        );
        let mut wfctl = spawn(env.wf().args([
            "case",
            "start",
            "--journey",
            journey.to_str().unwrap(),
            "--case-id",
            "c1",
        ]));
        let mut pids = (None, None);
        poll_until(
            &format!("{who}: the component and its sleep"),
            Duration::from_secs(60),
            || {
                pids = (read_pid(&env, "sh.pid"), read_pid(&env, "sleep.pid"));
                pids.0.is_some() && pids.1.is_some()
            },
        );
        let (shell, sleep) = (pids.0.unwrap(), pids.1.unwrap());
        let group = process_group(shell).expect("the component runs");
        assert_ne!(
            Some(group),
            process_group(wfctl.id()),
            "{who}: the component has a process group of its own"
        );
        assert!(!exited(sleep), "{who}: the sleep runs");

        signal(wfctl.id(), "KILL");
        wfctl.wait().unwrap();
        poll_until(
            &format!("{who}: no process of the component's group"),
            DEATH_GRACE,
            || group_members(group).is_empty(),
        );
        assert!(exited(shell) && exited(sleep), "{who}");

        // The next run takes the case over and runs the step once, to its end.
        env.write("fixed", "");
        let resumed = env.json(&["case", "resume", "c1"], 0);
        assert_eq!(
            resumed["pend"]["work_basket"], "done_basket",
            "{who}: {resumed}"
        );
    }
}

#[test]
fn killing_wfctl_mid_basebackup_kills_pg_basebackup_and_frees_the_directory() {
    let Some(cluster) = repl_cluster() else {
        return;
    };
    let url = cluster.admin_url("postgres");
    let dir = tempfile::tempdir().unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    // 32 kB/s: the transfer takes minutes, so it is certainly running when killed.
    let mut wfctl = spawn(wfctl_db(&url).args([
        "basebackup",
        "--dir",
        dir_arg,
        "--fast-checkpoint",
        "--max-rate",
        "32k",
    ]));
    child_named(wfctl.id(), "pg_basebackup", "-D");
    // Data flows, so its WAL streamer runs too.
    poll_until(
        "pg_basebackup's WAL streamer",
        Duration::from_secs(60),
        || processes_with_arg("pg_basebackup", dir_arg).len() == 2,
    );
    signal(wfctl.id(), "KILL");
    wfctl.wait().unwrap();
    poll_until("no pg_basebackup left", DEATH_GRACE, || {
        processes_with_arg("pg_basebackup", dir_arg).is_empty()
    });
    let leftover = listing(dir.path());
    assert!(
        leftover
            .iter()
            .all(|n| n.ends_with(".partial") || n.starts_with('.')),
        "nothing complete-looking: {leftover:?}"
    );

    // No lock outlived wfctl: the next run removes the leftover and completes.
    let run = Run::of(wfctl_db(&url).args(["basebackup", "--dir", dir_arg, "--fast-checkpoint"]))
        .expect_code(0);
    assert!(
        run.stderr.contains("left by an interrupted backup"),
        "{}",
        run.stderr
    );
    assert!(!listing(dir.path()).iter().any(|n| n.ends_with(".partial")));
}

/// A component's descendant that leaves its process group and session (`setsid`), and whose
/// parent exits so it is nobody's child, still dies within 2 s of a `kill -9` of wfctl.
#[test]
fn killing_wfctl_kills_a_descendant_that_escaped_with_setsid() {
    let env = Env::files();
    env.config("[components.escape]\nexec = [\"./scripts/escape.sh\"]\ntimeout = \"120s\"\n");
    // The escapee is double-forked: its parent shell exits at once, so it is an orphan in a
    // session of its own; then the component itself waits.
    env.write(
        "scripts/escape.sh",
        "#!/bin/sh\ncat >/dev/null\n\
         (setsid sh -c 'echo $$ > escaped.pid.tmp && mv escaped.pid.tmp escaped.pid; exec sleep 1000' &)\n\
         setsid sleep 1000 &\necho $! > session.pid.tmp && mv session.pid.tmp session.pid\n\
         sleep 1000\n",
    );
    let journey = env.write(
        "escape.json",
        r#"{"journey": {"name": "escape", "flow": [
          {"name": "start", "component": "escape", "next": "end"}]}}"#,
    );
    let mut wfctl = spawn(env.wf().args([
        "case",
        "start",
        "--journey",
        journey.to_str().unwrap(),
        "--case-id",
        "c1",
    ]));
    let mut pids = (None, None);
    poll_until("the escaped processes", Duration::from_secs(60), || {
        pids = (read_pid(&env, "escaped.pid"), read_pid(&env, "session.pid"));
        pids.0.is_some() && pids.1.is_some()
    });
    let (escaped, session) = (pids.0.unwrap(), pids.1.unwrap());
    assert!(!exited(escaped) && !exited(session), "both escapees run");

    signal(wfctl.id(), "KILL");
    wfctl.wait().unwrap();
    poll_until("no escaped process left", DEATH_GRACE, || {
        exited(escaped) && exited(session)
    });
}
