//! A store whose lock of one case is already held by the caller: the engine's own
//! `lock_case` of that case succeeds at once, so an action runs under the lock the runner took
//! to check and record the milestone (nobody can act on the case in between).

use crate::store::{self, CaseLock, LockWait, Store};

/// `inner`, with the lock of `case_id` held by the caller.
pub struct Held<'a> {
    inner: &'a dyn Store,
    case_id: &'a str,
}

impl<'a> Held<'a> {
    /// Wraps `inner`; the caller holds the lock of `case_id` for as long as this lives.
    pub fn new(inner: &'a dyn Store, case_id: &'a str) -> Self {
        Self { inner, case_id }
    }
}

/// The held lock, seen by the engine; releasing it is the caller's business.
#[derive(Debug)]
struct Borrowed(String);

impl CaseLock for Borrowed {
    fn case_id(&self) -> &str {
        &self.0
    }
}

impl Held<'_> {
    fn lock_held(&self, case_id: &str, wait: LockWait) -> store::Result<Box<dyn CaseLock>> {
        if case_id == self.case_id {
            return Ok(Box::new(Borrowed(case_id.to_owned())));
        }
        self.inner.lock_case(case_id, wait)
    }
}

store::case_store_over_inner!(Held<'_>, lock_case = lock_held);
