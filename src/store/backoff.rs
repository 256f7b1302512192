//! Waiting for a lock held elsewhere: poll with a growing pause up to a limit. Shared by the
//! file store (flock) and the PostgreSQL store (advisory lock), neither of which can block on
//! the lock with a timeout.

use std::time::{Duration, Instant};

use super::{LockWait, Result};

/// The first pause; doubled after every miss up to [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(2);
/// The longest pause, so that a released lock is noticed within this time.
const MAX_PAUSE: Duration = Duration::from_millis(100);

/// Calls `attempt` until it returns `Some` or `wait` runs out (`Ok(None)`).
pub fn poll_with_backoff<T>(
    wait: LockWait,
    mut attempt: impl FnMut() -> Result<Option<T>>,
) -> Result<Option<T>> {
    let deadline = match wait {
        LockWait::Try => None,
        LockWait::Wait(limit) => Some(Instant::now() + limit),
    };
    let mut pause = FIRST_PAUSE;
    loop {
        if let Some(value) = attempt()? {
            return Ok(Some(value));
        }
        let now = Instant::now();
        match deadline {
            Some(deadline) if now < deadline => {
                std::thread::sleep(pause.min(deadline - now));
                pause = (pause * 2).min(MAX_PAUSE);
            }
            _ => return Ok(None),
        }
    }
}
