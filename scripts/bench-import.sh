#!/usr/bin/env bash
# migrate-files benchmark (examples/bench_import.rs) on a throwaway PostgreSQL cluster with
# durable settings (fsync on), its data on disk. Arguments go to the benchmark:
#
#   scripts/bench-import.sh                      # 200,000 cases (and 20,000 for the RSS check)
#   scripts/bench-import.sh --cases 20000 --work /var/tmp/wfctl-bench-import
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pg-cluster.sh
cargo build --release --bin wfctl --example bench_import

trap 'pg_cluster_stop' EXIT
PGC_BASE=${PGC_BASE:-/var/tmp} pg_cluster_start
# pg-cluster.sh tunes the server for tests (fsync off); a benchmark measures durable loads
printf '%s\n' "fsync = on" "synchronous_commit = on" "full_page_writes = on" \
  >>"$PGC_DIR/data/postgresql.conf"
(cd "$PGC_DIR" && pg_cluster_as_owner "$PGC_BIN/pg_ctl" -D "$PGC_DIR/data" -w restart \
  -o "-p $PGC_PORT" >/dev/null)
echo "bench-import: PostgreSQL $("$PGC_BIN/postgres" --version | awk '{print $3}'), data in $PGC_DIR" >&2
target/release/examples/bench_import --admin-url "$WFCTL_TEST_PG_URL" --pg-bin "$PGC_BIN" "$@"
