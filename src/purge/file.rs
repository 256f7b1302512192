//! Purging on the file store: each case of a batch is locked (one another process holds is
//! left for a later run), read and archived under its lock, and removed under it
//! ([`FileStore::remove_case`]), so nothing can change it in between.

use super::{Deleted, Held, Target};
use crate::store::{CaseLock, CaseStore, Error, FileStore, LockWait, Result, Store};

/// The file store as a purge target.
pub struct FileTarget<'a> {
    store: &'a FileStore,
    locks: Vec<Box<dyn CaseLock>>,
}

impl<'a> FileTarget<'a> {
    /// Purges from `store`.
    pub fn new(store: &'a FileStore) -> Self {
        Self {
            store,
            locks: Vec::new(),
        }
    }
}

impl Target for FileTarget<'_> {
    fn store(&self) -> &dyn Store {
        self.store
    }

    fn resume(&mut self) -> Result<usize> {
        Ok(self.store.finish_interrupted_removals()?.len())
    }

    fn hold(&mut self, ids: &[String]) -> Result<(Vec<Held>, Vec<String>)> {
        self.release();
        let mut held = Vec::new();
        let mut busy = Vec::new();
        for id in ids {
            match self.store.lock_case(id, LockWait::Try) {
                Ok(lock) => {
                    self.locks.push(lock);
                    held.push(Held {
                        case_id: id.clone(),
                        token: String::new(),
                    });
                }
                Err(Error::Locked { .. }) => busy.push(id.clone()),
                Err(e) => return Err(e),
            }
        }
        Ok((held, busy))
    }

    fn delete(&mut self, held: &[Held]) -> Result<Deleted> {
        let mut deleted = Deleted::default();
        for h in held {
            self.store.remove_case(&h.case_id)?;
            deleted.deleted.push(h.case_id.clone());
        }
        self.release();
        Ok(deleted)
    }

    fn release(&mut self) {
        self.locks.clear();
    }
}
