//! The bounds: the recorded writes without the engine.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use diesel::pg::PgConnection;
use diesel::sql_types::{BigInt, Bool, Text};
use diesel::{QueryableByName, RunQueryDsl};
use serde_json::Value;
use wfctl::db::{self, DatabaseUrl};
use wfctl::store::pg::rows::{
    DefinitionRows, InfoRows, MilestoneOps, definition_rows, info_rows, milestone_ops,
};
use wfctl::store::pg::sql::{self, PointParts};

use super::record::Recorded;

struct PreparedPoint {
    info: Option<InfoRows>,
    audits: Vec<(String, i64, Value)>,
    milestones: MilestoneOps,
}

/// One case's rows, built before the clock starts.
pub struct PreparedCase {
    case_id: String,
    definition: DefinitionRows,
    points: Vec<PreparedPoint>,
}

/// The rows of the recorded case under every id.
pub fn pg_prepare(recorded: &Recorded, ids: &[String]) -> Result<Vec<PreparedCase>, String> {
    ids.iter()
        .map(|id| {
            let points = recorded
                .points
                .iter()
                .map(|p| {
                    Ok(PreparedPoint {
                        info: p
                            .info
                            .as_ref()
                            .map(|i| info_rows(id, None, i))
                            .transpose()
                            .map_err(|e| e.to_string())?,
                        audits: p
                            .audit
                            .iter()
                            .map(|a| (a.unit.clone(), a.document.ts, a.document.to_document()))
                            .collect(),
                        milestones: milestone_ops(id, &p.milestones, 0),
                    })
                })
                .collect::<Result<_, String>>()?;
            Ok(PreparedCase {
                case_id: id.clone(),
                definition: definition_rows(id, &recorded.journey, None, Some(0)),
                points,
            })
        })
        .collect()
}

/// A lock session and a work session, as the store has.
pub fn pg_connections(url: &DatabaseUrl) -> Result<(PgConnection, PgConnection), String> {
    let connect = || db::connect(url, Duration::from_secs(5)).map_err(|e| e.to_string());
    Ok((connect()?, connect()?))
}

#[derive(QueryableByName)]
struct LastSeq {
    #[diesel(sql_type = BigInt)]
    #[allow(
        dead_code,
        reason = "the statement returns it; the bound does not need it"
    )]
    last_seq: i64,
}

#[derive(QueryableByName)]
struct Locked {
    #[diesel(sql_type = Bool)]
    locked: bool,
}

/// Per case: lock, journey, every point's statement, unlock.
pub fn pg_run(
    (lock, work): &mut (PgConnection, PgConnection),
    cases: &[PreparedCase],
) -> Result<(), String> {
    let err = |e: diesel::result::Error| e.to_string();
    for case in cases {
        let got: Locked = diesel::sql_query(sql::CASE_LOCK)
            .bind::<Text, _>(&case.case_id)
            .get_result(lock)
            .map_err(err)?;
        if !got.locked {
            return Err(format!("case {} is locked", case.case_id));
        }
        sql::create_case(&case.definition)
            .finish()
            .load::<LastSeq>(work)
            .map_err(err)?;
        for point in &case.points {
            let parts = PointParts {
                case_id: &case.case_id,
                info: point.info.as_ref(),
                counter: wfctl::model::counter_key(&case.case_id),
                audits: point.audits.clone(),
                milestones: &point.milestones,
                now: 0,
                cancel: None,
            };
            sql::save_point(&parts).load::<LastSeq>(work).map_err(err)?;
        }
        diesel::sql_query(sql::CASE_UNLOCK)
            .bind::<Text, _>(&case.case_id)
            .execute(lock)
            .map_err(err)?;
    }
    Ok(())
}

/// The document each recorded point would make durable: its process info, else its audit
/// record.
pub fn file_documents(recorded: &Recorded) -> Vec<Vec<u8>> {
    recorded
        .points
        .iter()
        .filter_map(|p| {
            p.info
                .as_ref()
                .or(p.audit.first().map(|a| &a.document))
                .map(|i| i.to_json_pretty().into_bytes())
        })
        .collect()
}

/// Per point one durable atomic replace: temp file, fdatasync, rename, directory fsync.
pub fn file_run(dir: &Path, ids: &[String], documents: &[Vec<u8>]) -> Result<(), String> {
    let err = |e: std::io::Error| e.to_string();
    let directory = File::open(dir).map_err(err)?;
    let tmp = dir.join(format!(".tmp-{}", std::process::id()));
    for id in ids {
        let target = dir.join(format!("{id}.json"));
        for document in documents {
            let mut file = OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .open(&tmp)
                .map_err(err)?;
            file.write_all(document).map_err(err)?;
            file.sync_data().map_err(err)?;
            std::fs::rename(&tmp, &target).map_err(err)?;
            directory.sync_all().map_err(err)?;
        }
    }
    Ok(())
}
