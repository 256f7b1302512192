//! A test that needs PostgreSQL and finds none returns early. That must never pass unnoticed:
//! with `WFCTL_REQUIRE_PG` set it fails instead, and otherwise every such test is named in a
//! report printed on stderr as the test process exits.

use std::collections::BTreeSet;
use std::io::Write;
use std::sync::{Mutex, Once, PoisonError};

/// Names of the tests that skipped, and why.
static SKIPPED: Mutex<(BTreeSet<String>, BTreeSet<String>)> =
    Mutex::new((BTreeSet::new(), BTreeSet::new()));
static REPORT_AT_EXIT: Once = Once::new();

/// The calling test cannot have the PostgreSQL it needs (`why`): it fails when the run requires
/// PostgreSQL; otherwise it is recorded (by its thread's name, which is the test's) so the
/// caller can return.
#[track_caller]
pub fn unavailable(why: &str) {
    if std::env::var_os("WFCTL_REQUIRE_PG").is_some() {
        panic!("PostgreSQL required (WFCTL_REQUIRE_PG) but unavailable: {why}");
    }
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("(a test on an unnamed thread)");
    {
        let mut skipped = SKIPPED.lock().unwrap_or_else(PoisonError::into_inner);
        skipped.0.insert(test.to_owned());
        skipped.1.insert(why.to_owned());
    }
    REPORT_AT_EXIT.call_once(|| {
        #[allow(
            unsafe_code,
            reason = "atexit is the only hook that runs after libtest's summary"
        )]
        // SAFETY: `report` is an `extern "C" fn()` that never unwinds; registering it has no
        // other requirement.
        unsafe {
            atexit(report);
        }
    });
}

#[allow(
    unsafe_code,
    reason = "the C library's atexit, declared as POSIX defines it"
)]
unsafe extern "C" {
    fn atexit(callback: extern "C" fn()) -> std::ffi::c_int;
}

/// Prints the skipped tests; runs once, as the process exits. Write errors are ignored (there
/// is nowhere left to report them, and unwinding out of here would abort).
extern "C" fn report() {
    let skipped = SKIPPED.lock().unwrap_or_else(PoisonError::into_inner);
    let (tests, reasons) = &*skipped;
    let mut text = format!(
        "\n######## {} test(s) did not run against PostgreSQL (skipped, or ran only their \
         file-store half) ########\n",
        tests.len()
    );
    for why in reasons {
        let why = why.split_whitespace().collect::<Vec<_>>().join(" ");
        text.push_str(&format!("  because: {why}\n"));
    }
    for test in tests {
        text.push_str(&format!("  {test}\n"));
    }
    text.push_str(
        "  Install the PostgreSQL server (initdb under /usr/lib/postgresql/*/bin) or set \
         WFCTL_TEST_PG_URL; WFCTL_REQUIRE_PG=1 makes every skip a failure.\n\n",
    );
    let _ = std::io::stderr().write_all(text.as_bytes());
}
