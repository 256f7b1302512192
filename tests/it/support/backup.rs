//! Helpers for the backup tests: realistic sample data, processes seen through /proc, the
//! rows of sample cases, and what a backup directory holds.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::sql_types::Text;
use diesel::{PgConnection, QueryableByName, RunQueryDsl};

use super::{TestDb, cluster, poll_until, wfctl};

/// A PostgreSQL client program for the test server.
pub fn pg_program(name: &str) -> PathBuf {
    cluster::client_bin()
        .expect("the client programs exist when a TestDb does")
        .join(name)
}

/// Loads `cases` realistic cases with the benchmark's own generator (benches/backup-data.sql).
pub fn load_cases(url: &str, cases: u32) {
    let sql = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/backup-data.sql");
    let out = Command::new(pg_program("psql"))
        // gen_random_uuid() is built in from PostgreSQL 13; pgcrypto has it before.
        .args(["-X", "-q", "-c"])
        .arg(
            "DO $$ BEGIN IF current_setting('server_version_num')::int < 130000 THEN \
             CREATE EXTENSION IF NOT EXISTS pgcrypto; END IF; END $$",
        )
        .args(["-v", &format!("cases={cases}"), "-f"])
        .arg(&sql)
        .arg(url)
        .output()
        .expect("psql runs");
    assert!(
        out.status.success(),
        "loading sample data: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A database with `cases` sample cases.
pub fn db_with_cases(cases: u32) -> Option<TestDb> {
    let db = TestDb::new()?;
    load_cases(&db.url, cases);
    Some(db)
}

#[derive(QueryableByName)]
struct TextRow {
    #[diesel(sql_type = Text)]
    v: String,
}

/// One text value from a query whose column is named `v`.
pub fn text(conn: &mut PgConnection, sql: &str) -> String {
    diesel::sql_query(sql)
        .get_result::<TextRow>(conn)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .v
}

/// Row counts of every user table, as `table=count` lines.
pub fn counts(conn: &mut PgConnection) -> String {
    let tables = text(
        conn,
        "SELECT string_agg(quote_ident(relname), ',' ORDER BY relname) AS v FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND relkind = 'r'",
    );
    let sql = tables
        .split(',')
        .map(|t| format!("SELECT '{t}=' || count(*) AS v FROM {t}"))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let rows: Vec<TextRow> = diesel::sql_query(format!(
        "SELECT string_agg(v, E'\\n' ORDER BY v) AS v FROM ({sql}) s"
    ))
    .load(conn)
    .unwrap();
    rows.into_iter().map(|r| r.v).collect()
}

/// Every column of the rows of workflow_info, exec_path and audit_log for the given cases,
/// as JSON text: what `case show` will compare once it exists.
pub fn case_rows(conn: &mut PgConnection, cases: &[String]) -> String {
    let list = cases
        .iter()
        .map(|c| format!("'{c}'"))
        .collect::<Vec<_>>()
        .join(",");
    text(
        conn,
        &format!(
            "SELECT json_build_object(\
               'workflow_info', (SELECT json_agg(w ORDER BY case_id) FROM workflow_info w WHERE case_id IN ({list})), \
               'exec_path', (SELECT json_agg(e ORDER BY id) FROM exec_path e \
                   WHERE workflow_info_hibid IN (SELECT hibid FROM workflow_info WHERE case_id IN ({list}))), \
               'audit_log', (SELECT json_agg(a ORDER BY case_id, sequence) FROM audit_log a WHERE case_id IN ({list})) \
             )::text AS v"
        ),
    )
}

/// md5 of a whole table's rows in key order.
pub fn table_md5(conn: &mut PgConnection, table: &str, order: &str) -> String {
    text(
        conn,
        &format!(
            "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY {order}), '')) AS v FROM {table} t"
        ),
    )
}

/// Some case ids of the sample data.
pub fn sample_cases(conn: &mut PgConnection, n: usize) -> Vec<String> {
    text(
        conn,
        &format!(
            "SELECT string_agg(case_id, ',' ORDER BY case_id) AS v FROM \
             (SELECT case_id FROM workflow_info ORDER BY md5(case_id) LIMIT {n}) s"
        ),
    )
    .split(',')
    .map(str::to_string)
    .collect()
}

/// A database URL for another database on the same server.
pub fn url_of(db: &TestDb, name: &str) -> String {
    let (head, _) = db.url.rsplit_once('/').unwrap();
    format!("{head}/{name}")
}

/// Drops a database (restore targets the test created).
pub fn drop_database(db: &TestDb, name: &str) {
    let mut admin = diesel::Connection::establish(&db.admin_url()).unwrap();
    let _ = wfctl::backup::server::drop_database(&mut admin, name);
}

/// Whether a database exists.
pub fn database_exists(db: &TestDb, name: &str) -> bool {
    let mut admin: PgConnection = diesel::Connection::establish(&db.admin_url()).unwrap();
    text(
        &mut admin,
        &format!("SELECT (count(*) > 0)::text AS v FROM pg_database WHERE datname = '{name}'"),
    ) == "true"
}

/// `wfctl db ...` against `url`.
pub fn wfctl_db(url: &str) -> Command {
    let mut cmd = wfctl();
    cmd.env("DATABASE_URL", url).arg("db");
    cmd
}

/// Names in a directory, sorted (the lock file left out).
pub fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|r| {
            r.filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| n != ".wfctl-backup.lock")
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Names in a directory that look like a finished backup or its manifest.
pub fn final_names(dir: &Path) -> Vec<String> {
    listing(dir)
        .into_iter()
        .filter(|n| !n.ends_with(".partial"))
        .collect()
}

/// The one backup file in `dir` with this extension.
pub fn only_backup(dir: &Path, ext: &str) -> PathBuf {
    let found: Vec<String> = listing(dir)
        .into_iter()
        .filter(|n| n.ends_with(ext))
        .collect();
    assert_eq!(found.len(), 1, "one {ext} in {}: {found:?}", dir.display());
    dir.join(&found[0])
}

/// pid, command name and state of every process whose parent is `parent`.
pub fn children(parent: u32) -> Vec<(u32, String, char)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if let Some((comm, state, ppid)) = stat(pid)
            && ppid == parent
        {
            found.push((pid, comm, state));
        }
    }
    found
}

/// [`children`] of `parent`, their children, and so on: wfctl starts each program under a
/// guardian process of its own.
pub fn descendants(parent: u32) -> Vec<(u32, String, char)> {
    let mut found = children(parent);
    let mut next = 0;
    while next < found.len() {
        let more = children(found[next].0);
        found.extend(more);
        next += 1;
    }
    found
}

/// (command name, state, parent pid) from /proc/PID/stat.
pub fn stat(pid: u32) -> Option<(String, char, u32)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let comm = text[open + 1..close].to_string();
    let mut rest = text[close + 2..].split_whitespace();
    let state = rest.next()?.chars().next()?;
    let ppid = rest.next()?.parse().ok()?;
    Some((comm, state, ppid))
}

/// Whether a process has exited (gone, or a zombie nobody reaps: PID 1 here does not).
pub fn exited(pid: u32) -> bool {
    stat(pid).is_none_or(|(_, state, _)| state == 'Z' || state == 'X')
}

/// The descendant of `parent` named `name` that has an argument starting with `marker`, once it
/// runs. The marker tells the real run (pg_dump `--snapshot=`) from the `--version` probes
/// wfctl makes while it looks for the right program.
pub fn child_named(parent: u32, name: &str, marker: &str) -> u32 {
    let mut pid = 0;
    poll_until(&format!("{name} to start"), Duration::from_secs(30), || {
        pid = descendants(parent)
            .into_iter()
            .filter(|(_, comm, _)| comm == name)
            .find(|(p, _, _)| cmdline(*p).iter().any(|a| a.starts_with(marker)))
            .map_or(0, |(p, _, _)| p);
        pid != 0
    });
    pid
}

/// A process's arguments.
pub fn cmdline(pid: u32) -> Vec<String> {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .unwrap_or_default()
        .split(|b| *b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect()
}

/// Whether a process is blocked writing into a full pipe (wchan, or the syscall it sits in:
/// write(2) on fd 1 on x86_64).
pub fn blocked_on_pipe(pid: u32) -> bool {
    let wchan = std::fs::read_to_string(format!("/proc/{pid}/wchan")).unwrap_or_default();
    let syscall = std::fs::read_to_string(format!("/proc/{pid}/syscall")).unwrap_or_default();
    wchan.contains("pipe_write") || (cfg!(target_arch = "x86_64") && syscall.starts_with("1 0x1 "))
}

/// Whether a process is blocked reading its stdin from a pipe (wchan, or read(2) on fd 0
/// on x86_64).
pub fn blocked_reading_stdin(pid: u32) -> bool {
    let wchan = std::fs::read_to_string(format!("/proc/{pid}/wchan")).unwrap_or_default();
    let syscall = std::fs::read_to_string(format!("/proc/{pid}/syscall")).unwrap_or_default();
    wchan.contains("pipe_read") || (cfg!(target_arch = "x86_64") && syscall.starts_with("0 0x0 "))
}

/// Kills a process (SIGKILL, after SIGCONT) when dropped: a test that freezes a process with
/// SIGSTOP and then fails must not leave it stopped. A stopped client in the middle of a COPY
/// keeps its server backend waiting, and `DROP DATABASE ... WITH (FORCE)` waits for it
/// indefinitely, holding up every other test.
pub struct KillOnDrop(pub u32);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        for sig in ["-CONT", "-KILL"] {
            let _ = Command::new("kill")
                .args([sig, &self.0.to_string()])
                .stderr(Stdio::null())
                .status();
        }
    }
}

/// The files a process has open (targets of /proc/PID/fd).
pub fn open_files(pid: u32) -> Vec<PathBuf> {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| std::fs::read_link(e.path()).ok())
        .collect()
}

/// Processes named `name` with an argument containing `needle` (e.g. a backup directory).
pub fn processes_with_arg(name: &str, needle: &str) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| stat(*pid).is_some_and(|(comm, state, _)| comm == name && state != 'Z'))
        .filter(|pid| cmdline(*pid).iter().any(|a| a.contains(needle)))
        .collect()
}

/// Sends a signal with kill(1).
pub fn signal(pid: u32, sig: &str) {
    let out = Command::new("kill")
        .args([&format!("-{sig}"), &pid.to_string()])
        .output()
        .expect("kill runs");
    assert!(
        out.status.success(),
        "kill -{sig} {pid} ({:?}): {}",
        stat(pid),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Starts a command with captured output.
pub fn spawn(cmd: &mut Command) -> Child {
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wfctl starts")
}

/// Waits for a started command; (exit code, stderr).
pub fn finish(child: Child) -> (i32, String) {
    let out = child.wait_with_output().expect("wfctl runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A connection that holds an ACCESS EXCLUSIVE lock on `table` until dropped or rolled back:
/// pg_dump waits for it, which keeps a backup running as long as a test needs.
pub fn hold_table_lock(url: &str, table: &str) -> PgConnection {
    let mut conn: PgConnection = diesel::Connection::establish(url).unwrap();
    conn.batch_execute(&format!(
        "BEGIN; LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"
    ))
    .unwrap();
    conn
}

/// Adds a table of ~`mb` MB of hard-to-compress text, so that a dump streams long enough to
/// be interrupted in the middle.
pub fn add_bulk(conn: &mut PgConnection, mb: u32) {
    let rows = mb * 1024 * 1024 / 330;
    conn.batch_execute(&format!(
        "CREATE TABLE bulk AS SELECT g, md5(g::text) || md5((g * 7)::text) || md5((g * 13)::text) \
         || md5((g * 17)::text) || md5((g * 19)::text) || md5((g * 23)::text) || md5((g * 29)::text) \
         || md5((g * 31)::text) || md5((g * 37)::text) || md5((g * 41)::text) AS t \
         FROM generate_series(1, {rows}) g"
    ))
    .unwrap();
}

/// 25 cases `{prefix}-1` .. `{prefix}-25` in one transaction (batches a point-in-time recovery
/// tells apart).
pub fn insert_cases(url: &str, prefix: &str) {
    let mut conn: diesel::PgConnection = diesel::Connection::establish(url).unwrap();
    conn.batch_execute(&format!(
        "INSERT INTO workflow_info (hibid, case_id, ts, is_complete) \
         SELECT 'workflow_process_info-{prefix}-' || g, '{prefix}-' || g, g, false \
         FROM generate_series(1, 25) g"
    ))
    .unwrap();
}

/// The case batches present and the number of cases: `A,B:50`.
pub fn case_ids(url: &str) -> String {
    let mut conn: diesel::PgConnection = diesel::Connection::establish(url).unwrap();
    text(
        &mut conn,
        "SELECT string_agg(DISTINCT split_part(case_id, '-', 1), ',' ORDER BY split_part(case_id, '-', 1)) || ':' || count(*) AS v FROM workflow_info",
    )
}

/// Switches to a new WAL segment and waits until the archiver has archived the one it closed;
/// returns that segment's name.
pub fn switch_and_wait_for_archive(url: &str) -> String {
    let mut conn: diesel::PgConnection = diesel::Connection::establish(url).unwrap();
    let segment = text(&mut conn, "SELECT pg_walfile_name(pg_switch_wal()) AS v");
    poll_until(
        "the archiver to archive the last segment",
        Duration::from_secs(60),
        || {
            text(
                &mut conn,
                "SELECT coalesce(last_archived_wal, '') AS v FROM pg_stat_archiver",
            ) >= segment
        },
    );
    segment
}

/// Writes cases B, takes a recovery target, writes cases C and waits until the archive holds
/// them (after cases A: `A,B,C:75`). Returns the target: a later transaction's start, so after
/// B's commit and before C's.
pub fn cases_b_target_c(url: &str) -> String {
    insert_cases(url, "B");
    let mut conn: diesel::PgConnection = diesel::Connection::establish(url).unwrap();
    let target = text(&mut conn, "SELECT now()::text AS v");
    insert_cases(url, "C");
    switch_and_wait_for_archive(url);
    assert_eq!(case_ids(url), "A,B,C:75");
    target
}

/// Removes a directory when the test ends.
pub struct RemoveOnDrop(pub PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
