//! The test support itself: a test that finds no PostgreSQL is never a silent pass.

use std::process::Command;

use crate::support::Run;

/// This test binary running one PostgreSQL test against a server that does not answer.
fn without_postgres(require: bool) -> Run {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["store_contract::pg_store_keeps_the_contract", "--exact"])
        // port 1 on loopback: nothing listens there, the connection is refused at once
        .env(
            "WFCTL_TEST_PG_URL",
            "postgres://nobody@127.0.0.1:1/postgres",
        )
        .env_remove("WFCTL_REQUIRE_PG");
    if require {
        cmd.env("WFCTL_REQUIRE_PG", "1");
    }
    Run::of(&mut cmd)
}

#[test]
fn a_test_without_postgres_is_named_at_the_end_or_fails_when_required() {
    let skipped = without_postgres(false).expect_code(0);
    assert!(
        skipped
            .stderr
            .contains("1 test(s) did not run against PostgreSQL")
            && skipped
                .stderr
                .contains("  store_contract::pg_store_keeps_the_contract\n")
            && skipped.stderr.contains("cannot connect to the test server"),
        "{}",
        skipped.stderr
    );

    let required = without_postgres(true).expect_code(101);
    assert!(
        required
            .stdout
            .contains("PostgreSQL required (WFCTL_REQUIRE_PG) but unavailable"),
        "{}",
        required.stdout
    );
}
