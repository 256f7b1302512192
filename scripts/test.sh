#!/usr/bin/env bash
# The full test suite against one throwaway PostgreSQL cluster (started here, removed on exit).
#
#   scripts/test.sh                 # cargo test --locked (everything)
#   scripts/test.sh cargo test db_  # any other command, with WFCTL_TEST_PG_URL set
#
# Installs Debian's postgresql when the server binaries are missing (as root).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pg-cluster.sh

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
