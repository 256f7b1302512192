//! Workflow rows written directly with SQL, following the store's row conventions (the stores are
//! written in parallel; these tests need the rows, not the engine), and helpers shared by the diag
//! tests.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Bool, Integer, Text};
use diesel::{PgConnection, QueryableByName, RunQueryDsl};

use super::{Run, TestDb, poll_until, wfctl};

/// A case's state.
pub enum State<'a> {
    Running,
    Pended(&'a str),
    Completed { took_ms: i64 },
}

fn now_ms() -> i64 {
    i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

/// Inserts a case (journey, process info, one exec path `.`) last written `age` ago.
pub fn case(conn: &mut PgConnection, id: &str, state: State, age: Duration) {
    let ts = now_ms() - i64::try_from(age.as_millis()).unwrap();
    let (complete, pend_path, basket, status, urt, started) = match state {
        State::Running => (false, "", None, "started", None, ts - 1000),
        State::Pended(b) => (
            false,
            ".",
            Some(b.to_string()),
            "started",
            Some("ok_pend"),
            ts - 1000,
        ),
        State::Completed { took_ms } => (true, "", None, "completed", None, ts - took_ms),
    };
    diesel::sql_query(
        "INSERT INTO workflow_definition (hibid, case_id, ts, def_name, flow_json) \
         VALUES ('journey-' || $1, $1, $2, 'order', '{}')",
    )
    .bind::<Text, _>(id)
    .bind::<BigInt, _>(ts)
    .execute(conn)
    .unwrap();
    diesel::sql_query(
        "INSERT INTO workflow_info (hibid, case_id, ts, is_complete, pend_exec_path, \
         last_executed_step, journey_name, started_ts, completed_ts) \
         VALUES ('workflow_process_info-' || $1, $1, $2, $3, $4, 'step_2', 'order', $5, \
                 CASE WHEN $3 THEN $2 END)",
    )
    .bind::<Text, _>(id)
    .bind::<BigInt, _>(ts)
    .bind::<Bool, _>(complete)
    .bind::<Text, _>(pend_path)
    .bind::<BigInt, _>(started)
    .execute(conn)
    .unwrap();
    diesel::sql_query(
        "INSERT INTO exec_path (workflow_info_hibid, name, status, step, unit_response_type, \
         pend_workbasket, error_code, error_desc) \
         VALUES ('workflow_process_info-' || $1, '.', $2, 'step_2', $3, $4, \
                 CASE WHEN $4 = 'workflow_error' THEN 500 END, \
                 CASE WHEN $4 = 'workflow_error' THEN 'component failed' END)",
    )
    .bind::<Text, _>(id)
    .bind::<Text, _>(status)
    .bind::<diesel::sql_types::Nullable<Text>, _>(urt)
    .bind::<diesel::sql_types::Nullable<Text>, _>(basket)
    .execute(conn)
    .unwrap();
    diesel::sql_query(
        "INSERT INTO workflow_counters (name, value) VALUES ('workflow_audit_log_counter-' || $1, 2)",
    )
    .bind::<Text, _>(id)
    .execute(conn)
    .unwrap();
    diesel::sql_query(
        "INSERT INTO audit_log (case_id, sequence, step_name, ts, log_data) \
         SELECT $1, s, 'step_' || s, $2, jsonb_build_object('case_id', $1, 'seq', s) \
         FROM generate_series(1, 2) s",
    )
    .bind::<Text, _>(id)
    .bind::<BigInt, _>(ts)
    .execute(conn)
    .unwrap();
}

/// Inserts an SLA milestone due `due_in` seconds from now (negative: overdue).
pub fn milestone(
    conn: &mut PgConnection,
    case_id: &str,
    name: &str,
    basket: &str,
    status: &str,
    due_in: i64,
) {
    diesel::sql_query(
        "INSERT INTO milestone (case_id, name, target_ts, status, work_basket_name, setup_on, milestone_type) \
         VALUES ($1, $2, $3, $4, $5, 'work_basket_entry', 'work_basket')",
    )
    .bind::<Text, _>(case_id)
    .bind::<Text, _>(name)
    .bind::<BigInt, _>(now_ms() + due_in * 1000)
    .bind::<Text, _>(status)
    .bind::<Text, _>(basket)
    .execute(conn)
    .unwrap();
}

/// The backend pid of a connection.
pub fn pid(conn: &mut PgConnection) -> i32 {
    #[derive(QueryableByName)]
    struct Pid {
        #[diesel(sql_type = Integer)]
        pid: i32,
    }
    diesel::sql_query("SELECT pg_backend_pid() AS pid")
        .get_result::<Pid>(conn)
        .unwrap()
        .pid
}

/// Waits (up to 10 s) until `pid` waits for a lock.
pub fn wait_until_blocked(conn: &mut PgConnection, pid: i32) {
    #[derive(QueryableByName)]
    struct Waiting {
        #[diesel(sql_type = Bool)]
        waiting: bool,
    }
    poll_until(
        &format!("pid {pid} to wait for a lock"),
        Duration::from_secs(10),
        || {
            let w: Waiting = diesel::sql_query(
                "SELECT coalesce(cardinality(pg_blocking_pids($1)) > 0, false) AS waiting",
            )
            .bind::<Integer, _>(pid)
            .get_result(conn)
            .unwrap();
            w.waiting
        },
    );
}

/// `wfctl --database-url URL diag ARGS... --json`, expecting `code`, parsed.
pub fn diag_json(url: &str, args: &[&str], code: i32) -> serde_json::Value {
    let run = Run::of(
        wfctl()
            .args(["--database-url", url, "--json", "diag"])
            .args(args),
    )
    .expect_code(code);
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr))
}

/// A login role for one test (trust authentication on the test cluster), dropped afterwards.
pub struct Role {
    pub name: String,
    pub url: String,
    admin_url: String,
    database: String,
}

impl Role {
    /// A role that may read the workflow tables of `db` and nothing more.
    pub fn read_only(db: &TestDb) -> Self {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "diag_ro_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        let mut conn = db.conn();
        conn.batch_execute(&format!(
            "CREATE ROLE {name} LOGIN; GRANT CONNECT ON DATABASE {} TO {name}; \
             GRANT USAGE ON SCHEMA public TO {name}; GRANT SELECT ON ALL TABLES IN SCHEMA public TO {name};",
            db.name
        ))
        .unwrap();
        let (_, rest) = db.url.split_once('@').unwrap();
        Self {
            url: format!("postgres://{name}@{rest}"),
            name,
            admin_url: db.admin_url(),
            database: db.url.clone(),
        }
    }
}

impl Drop for Role {
    fn drop(&mut self) {
        use diesel::Connection;
        if let Ok(mut conn) = PgConnection::establish(&self.database) {
            let _ = conn.batch_execute(&format!("DROP OWNED BY {}", self.name));
        }
        if let Ok(mut conn) = PgConnection::establish(&self.admin_url) {
            let _ = conn.batch_execute(&format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{}'",
                self.name
            ));
            let _ = conn.batch_execute(&format!("DROP ROLE IF EXISTS {}", self.name));
        }
    }
}

/// Waits (up to 15 s) until the statistics show `rows` rows changed in `table` since its last
/// analyze (sessions report their counts up to a second after commit), then analyzes it, so
/// the counts cannot land after the ANALYZE and make its statistics look stale.
pub fn analyze_when_counted(db: &TestDb, table: &str, rows: i64) {
    #[derive(QueryableByName)]
    struct Changed {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let mut conn = db.conn();
    poll_until(
        &format!("{rows} changed rows of {table} in the statistics"),
        Duration::from_secs(15),
        || {
            let changed: Changed = diesel::sql_query(
                "SELECT coalesce(n_mod_since_analyze, 0) AS n FROM pg_stat_user_tables WHERE relname = $1",
            )
            .bind::<Text, _>(table)
            .get_result(&mut conn)
            .unwrap();
            changed.n >= rows
        },
    );
    conn.batch_execute(&format!("ANALYZE {table}")).unwrap();
}
