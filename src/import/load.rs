//! The loader: one transaction per batch of cases. In it: claim the cases (case lock, conflict
//! check: a case's rows are replaced only while they are the ones an import wrote), delete the
//! rows of cases imported before, COPY the new rows table by table, write the ledger. A batch the database refuses is retried case by case, so one bad case is
//! rejected with the server's reason and the rest load.

use std::collections::{BTreeMap, HashMap, HashSet};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Nullable, Text};

use super::Error;
use super::encode::{self, Tables};
use super::ledger::{self, LedgerStatus, LedgerWrite};
use super::parse::{CaseOutcome, FileReject, ParsedCase};
use super::reject::{ErrorClass, Rejection};
use super::summary::BasketTally;

/// What a committed batch did.
#[derive(Debug, Default)]
pub(super) struct BatchResult {
    /// Cases whose rows were written.
    pub loaded: u64,
    /// Their statuses and baskets.
    pub tally: BasketTally,
    /// Cases not loaded, with one reject per file.
    pub rejected: Vec<(String, Vec<FileReject>)>,
    /// Rows written per table.
    pub rows: BTreeMap<&'static str, u64>,
}

/// Writes one batch (parsed and rejected cases) in one transaction; on a database error,
/// retries its cases one by one.
pub(super) fn write_batch(
    conn: &mut PgConnection,
    batch: Vec<CaseOutcome>,
    force: bool,
) -> Result<BatchResult, Error> {
    match conn.transaction(|conn| write_in_transaction(conn, &batch, force)) {
        Ok(result) => Ok(result),
        Err(e) if crate::db::is_connection_lost(&e) => {
            Err(Error::query("loading a batch of cases")(e))
        }
        Err(_) if batch.len() > 1 => {
            let mut all = BatchResult::default();
            for outcome in batch {
                let one = write_batch(conn, vec![outcome], force)?;
                all.loaded += one.loaded;
                all.tally.merge(one.tally);
                all.rejected.extend(one.rejected);
                for (table, n) in one.rows {
                    *all.rows.entry(table).or_default() += n;
                }
            }
            Ok(all)
        }
        Err(e) => {
            let Some(CaseOutcome::Parsed(case)) = batch.into_iter().next() else {
                return Err(Error::query("recording rejected files")(e));
            };
            let message = crate::db::pool::one_line(&e.to_string());
            let rejects = case_rejects(
                &case.files,
                &Rejection::new(
                    ErrorClass::Database,
                    format!("the database refused case {}: {message}", case.case_id),
                    None,
                ),
            );
            // record the failure so the next run retries it
            let writes = ledger_rows(&case.case_id, &case.files, Some(&rejects), None);
            conn.transaction(|conn| {
                ledger::write(conn, &writes).map_err(|e| match e {
                    Error::Db(crate::db::Error::Query { source, .. }) => source,
                    _ => diesel::result::Error::RollbackTransaction,
                })
            })
            .map_err(Error::query("recording a rejected case"))?;
            Ok(BatchResult {
                rejected: vec![(case.case_id.clone(), rejects)],
                ..BatchResult::default()
            })
        }
    }
}

#[derive(QueryableByName)]
struct Locked {
    #[diesel(sql_type = Text)]
    case_id: String,
    #[diesel(sql_type = Bool)]
    locked: bool,
}

#[derive(QueryableByName)]
struct InDatabase {
    #[diesel(sql_type = Text)]
    case_id: String,
    #[diesel(sql_type = Bool)]
    present: bool,
    #[diesel(sql_type = Nullable<Bool>)]
    moved: Option<bool>,
}

/// What the database holds of a case the batch would write.
struct Claim {
    /// Another process holds its case lock.
    locked: bool,
    /// Some row of the case exists.
    present: bool,
    /// Some row of the case was written or deleted after its last import (`None`: never
    /// imported).
    moved: Option<bool>,
}

/// Takes the case locks of `ids` (held until commit, so no engine runs a case while its rows
/// are replaced), then reads what the database holds of the ones it got. Two statements: the
/// second one's snapshot is taken after the locks, so it sees every write of a process that
/// released a lock before we took it.
fn claim(conn: &mut PgConnection, cases: &[&ParsedCase]) -> QueryResult<HashMap<String, Claim>> {
    let ids: Vec<String> = cases.iter().map(|c| c.case_id.clone()).collect();
    let locks: Vec<Locked> = diesel::sql_query(
        "SELECT /* wfctl:import_claim */ c.id AS case_id, \
           NOT pg_try_advisory_xact_lock(wfctl_case_lock_key(c.id)) AS locked \
         FROM unnest($1::text[]) AS c(id)",
    )
    .bind::<Array<Text>, _>(&ids)
    .load(conn)?;
    let mut claims: HashMap<String, Claim> = locks
        .into_iter()
        .map(|l| {
            let claim = Claim {
                locked: l.locked,
                present: false,
                moved: None,
            };
            (l.case_id, claim)
        })
        .collect();
    let free_cases: Vec<&&ParsedCase> = cases
        .iter()
        .filter(|c| claims.get(&c.case_id).is_some_and(|l| !l.locked))
        .collect();
    let free: Vec<String> = free_cases.iter().map(|c| c.case_id.clone()).collect();
    let xids: Vec<Option<i64>> = free_cases.iter().map(|c| c.imported_xid).collect();
    let counts: Vec<Option<i64>> = free_cases.iter().map(|c| c.imported_rows).collect();
    if free.is_empty() {
        return Ok(claims);
    }
    let present = encode::CASE_ROWS
        .iter()
        .map(|rows| format!("EXISTS (SELECT 1 FROM {rows})"))
        .collect::<Vec<_>>()
        .join(" OR ");
    // xmin is the transaction that last wrote the row; `c.xid` the one that imported it.
    // A deleted row leaves no xmin: the count the import wrote (`c.rows`) catches it.
    let written = encode::CASE_ROWS
        .iter()
        .map(|rows| format!("EXISTS (SELECT 1 FROM {rows} AND t.xmin::text::bigint <> c.xid)"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let count = encode::CASE_ROWS
        .iter()
        .map(|rows| format!("(SELECT count(*) FROM {rows})"))
        .collect::<Vec<_>>()
        .join(" + ");
    let moved = format!("({written}) OR coalesce(({count}) <> c.rows, false)");
    let keys = encode::CaseKeys::of(&free);
    let found: Vec<InDatabase> = diesel::sql_query(format!(
        "SELECT /* wfctl:import_claim */ c.id AS case_id, ({present}) AS present, \
           CASE WHEN c.xid IS NOT NULL THEN ({moved}) END AS moved \
         FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[]) \
           AS c(id, xid, journey, info, counter, rows)"
    ))
    .bind::<Array<Text>, _>(&free)
    .bind::<Array<Nullable<BigInt>>, _>(&xids)
    .bind::<Array<Text>, _>(&keys.journey)
    .bind::<Array<Text>, _>(&keys.info)
    .bind::<Array<Text>, _>(&keys.counter)
    .bind::<Array<Nullable<BigInt>>, _>(&counts)
    .load(conn)?;
    for row in found {
        if let Some(claim) = claims.get_mut(&row.case_id) {
            claim.present = row.present;
            claim.moved = row.moved;
        }
    }
    Ok(claims)
}

/// Why a case is not written, if it is not: its lock is held, or its rows in the database are
/// not (or no longer) what an import wrote and `force` does not say to replace them.
fn refusal(case_id: &str, claim: &Claim, force: bool) -> Option<Rejection> {
    let conflict = |why: &str| Some(conflict(case_id, why));
    if claim.locked {
        return Some(Rejection::new(
            ErrorClass::Locked,
            format!("case {case_id} is being run by another process; retry later"),
            None,
        ));
    }
    if force {
        return None;
    }
    if !claim.present {
        // Deleted in the database after it was imported: someone removed it on purpose.
        return claim.moved.and_then(|_| conflict(DELETED));
    }
    match claim.moved {
        None => conflict("already exists in the database and was not imported from files"),
        Some(true) => conflict("changed in the database since it was imported"),
        Some(false) => None,
    }
}

/// Why a case the ledger says was imported but the database no longer has is refused.
pub(super) const DELETED: &str = "was deleted from the database since it was imported";

/// A case not overwritten because its rows in the database are not what an import wrote.
pub(super) fn conflict(case_id: &str, why: &str) -> Rejection {
    Rejection::new(
        ErrorClass::Conflict,
        format!("case {case_id} {why}; not overwritten (--force replaces it)"),
        None,
    )
}

/// Which of these cases (imported before, by the ledger) have no `workflow_info` row any
/// more: one query for the whole chunk.
pub(super) fn deleted_cases(
    conn: &mut PgConnection,
    case_ids: &[String],
) -> Result<HashSet<String>, Error> {
    #[derive(QueryableByName)]
    struct Gone {
        #[diesel(sql_type = Text)]
        case_id: String,
    }
    if case_ids.is_empty() {
        return Ok(HashSet::new());
    }
    let gone: Vec<Gone> = diesel::sql_query(
        "SELECT /* wfctl:import_deleted */ c.id AS case_id FROM unnest($1::text[]) AS c(id) \
         WHERE NOT EXISTS (SELECT 1 FROM workflow_info t WHERE t.case_id = c.id)",
    )
    .bind::<Array<Text>, _>(case_ids)
    .load(conn)
    .map_err(Error::query("looking up imported cases in the database"))?;
    Ok(gone.into_iter().map(|g| g.case_id).collect())
}

fn write_in_transaction(
    conn: &mut PgConnection,
    batch: &[CaseOutcome],
    force: bool,
) -> QueryResult<BatchResult> {
    // the claim's second statement must see what committed before the locks were taken,
    // whatever the server's default isolation
    conn.batch_execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")?;
    let xid = ledger::current_xid(conn)?;
    let mut result = BatchResult::default();
    let parsed: Vec<&ParsedCase> = batch
        .iter()
        .filter_map(|o| match o {
            CaseOutcome::Parsed(c) => Some(&**c),
            _ => None,
        })
        .collect();
    let claims = claim(conn, &parsed)?;

    let unseen: std::collections::HashSet<&str> = batch
        .iter()
        .filter_map(|o| match o {
            CaseOutcome::Parsed(c) if !c.ledger_seen => Some(c.case_id.as_str()),
            CaseOutcome::Rejected { case_id, seen, .. } if !seen => Some(case_id.as_str()),
            _ => None,
        })
        .collect();
    let mut load: Vec<&ParsedCase> = Vec::new();
    let mut replace: Vec<String> = Vec::new();
    let mut ledger_writes: Vec<LedgerWrite> = Vec::new();
    for case in parsed {
        let claim = &claims[&case.case_id];
        let refuse = refusal(&case.case_id, claim, force);
        if let Some(rejection) = refuse {
            let rejects = case_rejects(&case.files, &rejection);
            // neither is recorded in the ledger: a ledger row would mark the case as ours
            result.rejected.push((case.case_id.clone(), rejects));
            continue;
        }
        if claim.present {
            replace.push(case.case_id.clone());
        }
        let written = Some((xid, encode::row_count(case)));
        ledger_writes.extend(ledger_rows(&case.case_id, &case.files, None, written));
        load.push(case);
    }
    delete_cases(conn, &replace)?;
    let mut tables = Tables::default();
    let ids = allocate_ids(conn, &load)?;
    for (case, ids) in load.iter().zip(ids) {
        encode::case_rows(case, ids, &mut tables);
    }
    for (table, n) in tables.copy_all(conn)? {
        *result.rows.entry(table).or_default() += n as u64;
    }
    for outcome in batch {
        if let CaseOutcome::Rejected {
            case_id,
            files,
            rejects,
            record,
            ..
        } = outcome
        {
            if *record {
                ledger_writes.extend(ledger_rows(case_id, files, Some(rejects), None));
            }
            result.rejected.push((case_id.clone(), rejects.clone()));
        }
    }
    let as_query = |e: Error| match e {
        Error::Db(crate::db::Error::Query { source, .. }) => source,
        _ => diesel::result::Error::RollbackTransaction,
    };
    // cases the ledger has never seen cannot conflict on a path: COPY them, upsert the rest
    let (fresh, known): (Vec<LedgerWrite>, Vec<LedgerWrite>) = ledger_writes
        .into_iter()
        .partition(|w| w.case_id.as_deref().is_some_and(|id| unseen.contains(id)));
    ledger::copy(conn, &fresh)?;

    ledger::write(conn, &known).map_err(as_query)?;
    let reimported: Vec<String> = load
        .iter()
        .filter(|c| c.ledger_seen)
        .map(|c| c.case_id.clone())
        .collect();
    let keep: Vec<String> = load
        .iter()
        .filter(|c| c.ledger_seen)
        .flat_map(|c| c.files.iter().map(|f| f.name.clone()))
        .collect();
    ledger::forget_removed(conn, &reimported, &keep).map_err(as_query)?;
    for case in &load {
        result.loaded += 1;
        result.tally.add(case.rows.status());
    }
    Ok(result)
}

/// A case-level rejection: reported once (on the case's first file); its other files are
/// marked as not loaded because of it.
fn case_rejects(files: &[super::parse::FileState], rejection: &Rejection) -> Vec<FileReject> {
    files
        .iter()
        .enumerate()
        .map(|(i, f)| FileReject {
            name: f.name.clone(),
            rejection: if i == 0 {
                rejection.clone()
            } else {
                Rejection::new(ErrorClass::CaseRejected, rejection.message.clone(), None)
            },
        })
        .collect()
}

/// The ledger rows of a case's files: failed with `rejects`, else imported by transaction
/// `written.0`, which wrote `written.1` rows of the case.
fn ledger_rows(
    case_id: &str,
    files: &[super::parse::FileState],
    rejects: Option<&[FileReject]>,
    written: Option<(i64, i64)>,
) -> Vec<LedgerWrite> {
    files
        .iter()
        .map(|f| {
            let reject = rejects.and_then(|r| r.iter().find(|r| r.name == f.name));
            LedgerWrite {
                path: f.name.clone(),
                size: f.size,
                sha256: f.sha256.clone(),
                status: if rejects.is_some() {
                    LedgerStatus::Failed
                } else {
                    LedgerStatus::Imported
                },
                case_id: Some(case_id.to_owned()),
                error_class: reject.map(|r| r.rejection.class.as_str().to_owned()),
                error: reject.map(|r| r.rejection.message.clone()),
                imported_xid: written.map(|w| w.0),
                imported_rows: written.map(|w| w.1),
            }
        })
        .collect()
}

/// Removes every row of these cases (children before parents), inside the transaction.
fn delete_cases(conn: &mut PgConnection, case_ids: &[String]) -> QueryResult<()> {
    if case_ids.is_empty() {
        return Ok(());
    }
    let keys = encode::CaseKeys::of(case_ids);
    for statement in encode::DELETE_STATEMENTS {
        diesel::sql_query(*statement)
            .bind::<Array<Text>, _>(case_ids)
            .bind::<Array<Text>, _>(&keys.journey)
            .bind::<Array<Text>, _>(&keys.info)
            .bind::<Array<Text>, _>(&keys.counter)
            .execute(conn)?;
    }
    Ok(())
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Takes serial ids for the rows that other rows point to, one statement per sequence.
fn allocate_ids(conn: &mut PgConnection, cases: &[&ParsedCase]) -> QueryResult<Vec<encode::Ids>> {
    let needs: Vec<encode::IdNeeds> = cases.iter().map(|c| encode::id_needs(c)).collect();
    let mut pools = Vec::new();
    for (i, sequence) in encode::SEQUENCES.iter().enumerate() {
        let n: i64 = needs.iter().map(|n| n.0[i] as i64).sum();
        let ids: Vec<Id> = if n == 0 {
            Vec::new()
        } else {
            diesel::sql_query(format!(
                "SELECT /* wfctl:import_ids */ nextval('{sequence}') AS id FROM generate_series(1, $1)"
            ))
            .bind::<BigInt, _>(n)
            .load(conn)?
        };
        pools.push(ids.into_iter().map(|r| r.id));
    }
    Ok(needs
        .iter()
        .map(|need| {
            let mut ids = encode::Ids::default();
            for (i, pool) in pools.iter_mut().enumerate() {
                ids.0[i] = pool.by_ref().take(need.0[i]).collect();
            }
            ids
        })
        .collect())
}

/// `ANALYZE` of the tables the import writes, so the planner knows their new sizes.
pub(super) fn analyze(conn: &mut PgConnection) -> Result<(), Error> {
    conn.batch_execute(&format!(
        "ANALYZE /* wfctl:import_analyze */ {}",
        encode::TABLES.join(", ") + ", wfctl_import_ledger"
    ))
    .map_err(Error::query("analysing the loaded tables"))
}
