//! A cancelled case: wfctl's own record beside the guide's, so the guide's records keep their
//! meaning. A store writes it together with the cancel's audit record and milestone dequeue
//! ([`super::Store::save_cancel`]); once written, the engine refuses every call on the case.

use serde::{Deserialize, Serialize};

/// Who cancelled a case, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cancellation {
    /// Why (given by the operator).
    pub reason: String,
    /// Who: the operating-system user (or `WFCTL_USER`) that ran the cancel.
    pub by: String,
    /// When (epoch ms).
    pub at: i64,
}
