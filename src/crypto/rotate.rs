//! `keys rotate`: every sealed value of a case, in its process info and in each audit record,
//! sealed again under the new key. One case at a time under its case lock, each record
//! rewritten whole and atomically; a value already under the new key is left alone, so a run
//! that stopped part way is finished by running it again.

use super::{Error, Sensitive};
use crate::store::{self, AuditRewrite, LockWait, PersistPoint, Store};

/// Why a case could not be rotated.
#[derive(Debug, thiserror::Error)]
pub enum RotateError {
    /// A value does not open (another key, altered).
    #[error(transparent)]
    Crypto(#[from] Error),
    /// The store failed (or the case is locked).
    #[error(transparent)]
    Store(#[from] store::Error),
}

/// Re-seals the values of case `case_id` in `store` under the sealing key of `sensitive` (whose
/// ring also holds the keys that open the old values); returns how many records changed.
pub fn rotate_case(
    store: &dyn Store,
    rewrite: &dyn AuditRewrite,
    sensitive: &Sensitive,
    case_id: &str,
    wait: LockWait,
) -> Result<usize, RotateError> {
    let _lock = store.lock_case(case_id, wait)?;
    let mut changed = 0;
    for mut record in store.audit_records(case_id)? {
        if let Some(vars) =
            sensitive.reseal_variables(case_id, &record.document.process_variables)?
        {
            record.document.process_variables = vars;
            rewrite.rewrite_audit(&record)?;
            changed += 1;
        }
    }
    // the process info last: a case whose info is under the new key has every record there
    if let Some(mut info) = store.process_info(case_id)?
        && let Some(vars) = sensitive.reseal_variables(case_id, &info.process_variables)?
    {
        info.process_variables = vars;
        store.save_point(
            case_id,
            &PersistPoint {
                process_info: Some(&info),
                audit: &[],
                milestones: &[],
            },
        )?;
        changed += 1;
    }
    if changed > 0 {
        rewrite.forget_previous(case_id)?;
    }
    Ok(changed)
}
