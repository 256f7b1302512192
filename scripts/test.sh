#!/usr/bin/env bash
# The full test suite against one throwaway PostgreSQL cluster (started here, removed on exit).
#
#   scripts/test.sh                 # cargo test --locked (everything)
#   scripts/test.sh cargo test db_  # any other command, with WFCTL_TEST_PG_URL set
#
# Installs Debian's postgresql when the server binaries are missing (as root), and diesel_cli
# (for the schema drift test) when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pg-cluster.sh
. scripts/build-deps.sh
ensure_build_deps

# diesel_cli checks that src/db/schema.rs matches the migrations (test
# schema_rs_matches_the_migrations); installed for this user when missing.
cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$PATH:$cargo_bin"
if ! command -v diesel >/dev/null; then
  echo "test.sh: installing diesel_cli into $cargo_bin (once)" >&2
  cargo install diesel_cli --version 2.3.14 --no-default-features --features postgres --locked -q
fi

trap 'status=$?; [ $status -ne 0 ] && [ -n "${PGC_DIR:-}" ] && tail -n 15 "$PGC_DIR/server.log" >&2; pg_cluster_stop; exit $status' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pg_cluster_start
# CI treats a skipped database test as a failure.
export WFCTL_REQUIRE_PG=1
echo "test.sh: PostgreSQL $("$PGC_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGC_PORT (data in $PGC_DIR)" >&2

if [ $# -eq 0 ]; then
  set -- cargo test --locked
fi
"$@"
