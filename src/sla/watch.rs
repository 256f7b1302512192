//! The watchdog of a claim while an action program runs: a thread asks the claim's session
//! whether it is still there, every [`WATCH_EVERY`]; the program is stopped when the session is
//! gone (the server ended it: its claim went with it) or has not answered for
//! [`WATCH_DEADLINE`] (a lost network: the server will end it).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How often the claim's session is asked.
pub const WATCH_EVERY: Duration = Duration::from_millis(250);
/// A session that has not answered for this long counts as lost.
pub const WATCH_DEADLINE: Duration = Duration::from_secs(5);
/// How long a worker waits before it runs again an action another worker started and never
/// recorded: longer than that worker's watchdog takes to stop the program once its claim is
/// gone, so the two runs never overlap.
pub const RERUN_GRACE: Duration = Duration::from_secs(6);

#[derive(Debug)]
struct State {
    lost: Option<String>,
    last_answer: Instant,
}

/// A running watchdog; it stops when dropped.
#[derive(Debug)]
pub struct Watch {
    state: Arc<Mutex<State>>,
    done: Arc<AtomicBool>,
}

impl Watch {
    /// Starts asking `check` (an `Err` says why the claim is lost).
    pub fn start(mut check: impl FnMut() -> Result<(), String> + Send + 'static) -> Self {
        let state = Arc::new(Mutex::new(State {
            lost: None,
            last_answer: Instant::now(),
        }));
        let done = Arc::new(AtomicBool::new(false));
        let (s, d) = (Arc::clone(&state), Arc::clone(&done));
        std::thread::spawn(move || {
            while !d.load(Ordering::SeqCst) {
                let answer = check();
                let mut state = s.lock().unwrap_or_else(PoisonError::into_inner);
                match answer {
                    Ok(()) => state.last_answer = Instant::now(),
                    Err(reason) => {
                        state.lost = Some(reason);
                        return;
                    }
                }
                drop(state);
                let next = Instant::now() + WATCH_EVERY;
                while !d.load(Ordering::SeqCst) && Instant::now() < next {
                    std::thread::sleep(Duration::from_millis(25));
                }
            }
        });
        Self { state, done }
    }

    /// `Err(why)` once the claim is lost.
    pub fn status(&self) -> Result<(), String> {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(reason) = &state.lost {
            return Err(reason.clone());
        }
        if state.last_answer.elapsed() > WATCH_DEADLINE {
            return Err(format!(
                "its database session has not answered for {}",
                crate::conventions::duration_text(WATCH_DEADLINE)
            ));
        }
        Ok(())
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.done.store(true, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_check_is_reported() {
        let watch = Watch::start(|| Err("gone".to_owned()));
        let deadline = Instant::now() + Duration::from_secs(10);
        while watch.status().is_ok() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(watch.status(), Err("gone".to_owned()));
    }
}
