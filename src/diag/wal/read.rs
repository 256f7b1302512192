//! The queries of `diag wal`, each run only when the role may run it and the server has it.

use chrono::{DateTime, Utc};
use diesel::pg::PgConnection;
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Text, Timestamptz};
use diesel::{QueryableByName, RunQueryDsl};
use serde::Serialize;

use crate::db::Error;
use crate::diag::Limitation;

#[derive(QueryableByName)]
struct Access {
    #[diesel(sql_type = Text)]
    role_name: String,
    #[diesel(sql_type = Integer)]
    version_num: i32,
    #[diesel(sql_type = Bool)]
    control: bool,
    #[diesel(sql_type = Bool)]
    waldir: bool,
    #[diesel(sql_type = Bool)]
    statusdir: bool,
}

/// Where WAL is written now.
#[derive(Debug, Clone, QueryableByName)]
pub(super) struct Status {
    #[diesel(sql_type = Timestamptz)]
    pub now: DateTime<Utc>,
    #[diesel(sql_type = Bool)]
    pub in_recovery: bool,
    #[diesel(sql_type = Nullable<Text>)]
    pub current_wal: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub current_lsn: Option<i64>,
}

/// `pg_stat_archiver`.
#[derive(Debug, Clone, QueryableByName, Serialize)]
pub struct Archiver {
    /// Segments archived since `stats_reset`.
    #[diesel(sql_type = BigInt)]
    pub archived_count: i64,
    /// The last segment (or history/backup file) archived.
    #[diesel(sql_type = Nullable<Text>)]
    pub last_archived_wal: Option<String>,
    /// When.
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub last_archived_time: Option<DateTime<Utc>>,
    /// Failed attempts since `stats_reset`.
    #[diesel(sql_type = BigInt)]
    pub failed_count: i64,
    /// The last segment that failed.
    #[diesel(sql_type = Nullable<Text>)]
    pub last_failed_wal: Option<String>,
    /// When.
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub last_failed_time: Option<DateTime<Utc>>,
    /// When these counters began.
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub stats_reset: Option<DateTime<Utc>>,
}

/// One snapshot of both.
#[derive(QueryableByName)]
struct StatusRow {
    #[diesel(embed)]
    status: Status,
    #[diesel(embed)]
    archiver: Archiver,
}

#[derive(Debug, Clone, QueryableByName)]
pub(super) struct Checkpoint {
    #[diesel(sql_type = BigInt)]
    pub redo_lsn: i64,
    #[diesel(sql_type = Timestamptz)]
    pub checkpoint_time: DateTime<Utc>,
}

#[derive(Debug, Clone, QueryableByName)]
pub(super) struct Ready {
    #[diesel(sql_type = BigInt)]
    pub ready: i64,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub oldest: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, QueryableByName)]
pub(super) struct Dir {
    #[diesel(sql_type = BigInt)]
    pub files: i64,
    #[diesel(sql_type = BigInt)]
    pub bytes: i64,
}

/// `pg_stat_wal` (PostgreSQL 14+).
#[derive(Debug, Clone, QueryableByName, Serialize)]
pub struct WalStat {
    /// WAL records written since `stats_reset`.
    #[diesel(sql_type = BigInt)]
    pub wal_records: i64,
    /// Full-page images among them (many after each checkpoint).
    #[diesel(sql_type = BigInt)]
    pub wal_fpi: i64,
    /// Bytes of WAL.
    #[diesel(sql_type = BigInt)]
    pub wal_bytes: i64,
    /// When these counters began.
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub stats_reset: Option<DateTime<Utc>>,
}

/// Checkpoints by cause (`pg_stat_bgwriter`, `pg_stat_checkpointer` on 17+).
#[derive(Debug, Clone, QueryableByName, Serialize)]
pub struct CheckpointCounters {
    /// Started by `checkpoint_timeout`.
    #[diesel(sql_type = BigInt)]
    pub timed: i64,
    /// Started by WAL volume (`max_wal_size`), `CHECKPOINT`, base backups, ...
    #[diesel(sql_type = BigInt)]
    pub requested: i64,
    /// When these counters began.
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub stats_reset: Option<DateTime<Utc>>,
}

/// Everything read from the server.
pub(super) struct Raw {
    pub status: Status,
    pub archiver: Archiver,
    pub checkpoint: Option<Checkpoint>,
    pub ready: Option<Ready>,
    pub dir: Option<Dir>,
    pub stat: Option<WalStat>,
    pub checkpoints: Option<CheckpointCounters>,
}

/// Runs every query the role may run; the others become limitations.
pub(super) fn all(
    conn: &mut PgConnection,
    limitations: &mut Vec<Limitation>,
) -> Result<Raw, Error> {
    let access: Access = diesel::sql_query(include_str!("../sql/wal_access.sql"))
        .get_result(conn)
        .map_err(Error::query("checking what the role may read"))?;
    let StatusRow { status, archiver } = diesel::sql_query(include_str!("../sql/wal_status.sql"))
        .get_result(conn)
        .map_err(Error::query("reading pg_stat_archiver"))?;
    let primary = !status.in_recovery;
    let monitor = format!("GRANT pg_monitor TO {};", access.role_name);

    let checkpoint = if access.control && primary {
        Some(
            diesel::sql_query(include_str!("../sql/wal_checkpoint.sql"))
                .get_result::<Checkpoint>(conn)
                .map_err(Error::query("reading pg_control_checkpoint()"))?,
        )
    } else {
        if primary {
            limitations.push(Limitation {
                what: "WAL written since the last checkpoint".into(),
                why: "no EXECUTE on pg_control_checkpoint()".into(),
                enable: Some(format!(
                    "GRANT EXECUTE ON FUNCTION pg_control_checkpoint() TO {};",
                    access.role_name
                )),
            });
        }
        None
    };
    let ready = if access.statusdir {
        Some(
            diesel::sql_query(include_str!("../sql/wal_ready.sql"))
                .get_result::<Ready>(conn)
                .map_err(Error::query("listing pg_wal/archive_status"))?,
        )
    } else {
        limitations.push(Limitation {
            what: "segments waiting in pg_wal/archive_status and how long they wait (estimated \
                   from segment numbers instead)"
                .into(),
            why: if access.version_num < 120000 {
                "pg_ls_archive_statusdir() needs PostgreSQL 12".into()
            } else {
                "pg_ls_archive_statusdir() needs superuser or pg_monitor".into()
            },
            enable: (access.version_num >= 120000).then(|| monitor.clone()),
        });
        None
    };
    let dir = if access.waldir {
        Some(
            diesel::sql_query(include_str!("../sql/wal_dir.sql"))
                .get_result::<Dir>(conn)
                .map_err(Error::query("listing pg_wal"))?,
        )
    } else {
        limitations.push(Limitation {
            what: "the number and size of files in pg_wal".into(),
            why: "pg_ls_waldir() needs superuser or pg_monitor".into(),
            enable: Some(monitor),
        });
        None
    };
    let stat = if access.version_num >= 140000 {
        Some(
            diesel::sql_query(include_str!("../sql/wal_stat.sql"))
                .get_result::<WalStat>(conn)
                .map_err(Error::query("reading pg_stat_wal"))?,
        )
    } else {
        limitations.push(Limitation {
            what: "WAL volume since the statistics reset (using WAL since the last checkpoint)"
                .into(),
            why: format!(
                "pg_stat_wal is not available on PostgreSQL {} (it needs 14)",
                access.version_num / 10_000
            ),
            enable: None,
        });
        None
    };
    let checkpoints_sql = if access.version_num >= 170000 {
        include_str!("../sql/wal_checkpoints_17.sql")
    } else {
        include_str!("../sql/wal_checkpoints.sql")
    };
    let checkpoints = Some(
        diesel::sql_query(checkpoints_sql)
            .get_result::<CheckpointCounters>(conn)
            .map_err(Error::query("reading checkpoint statistics"))?,
    );
    Ok(Raw {
        status,
        archiver,
        checkpoint,
        ready,
        dir,
        stat,
        checkpoints,
    })
}
