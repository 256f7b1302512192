#!/usr/bin/env bash
# Store benchmark (examples/bench_stores) against a throwaway PostgreSQL cluster that is durable
# like production: data on disk (not tmpfs), fsync, synchronous_commit and full_page_writes on.
# The file store is measured in the system temp dir (also on disk).
#
#   scripts/bench-stores.sh                     # all stores, 200 cases, 1/2/4 processes
#   scripts/bench-stores.sh --store pg --cases 400
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pg-cluster.sh

BENCH_DIR=
cleanup() {
  if [ -n "$BENCH_DIR" ]; then
    (cd / && pg_cluster_as_owner "$PGC_BIN/pg_ctl" -D "$BENCH_DIR/data" -m immediate -w stop >/dev/null 2>&1) || true
    rm -rf "$BENCH_DIR"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pg_cluster_find_bin
base=${BENCH_PG_BASE:-/var/tmp}
BENCH_DIR=$(mktemp -d "$base/wfctl-bench-pg.XXXXXX")
if [ "$(id -u)" = 0 ]; then chown "${WFCTL_TEST_PG_USER:-postgres}" "$BENCH_DIR"; fi
(cd "$BENCH_DIR" && pg_cluster_as_owner "$PGC_BIN/initdb" -D "$BENCH_DIR/data" -A trust -U postgres \
    -E UTF8 --locale=C --no-instructions >"$BENCH_DIR/initdb.log" 2>&1) || { cat "$BENCH_DIR/initdb.log" >&2; exit 1; }
cat >>"$BENCH_DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$BENCH_DIR'
max_connections = 100
CONF
port=$(pg_cluster_free_port)
(cd "$BENCH_DIR" && pg_cluster_as_owner "$PGC_BIN/pg_ctl" -D "$BENCH_DIR/data" -l "$BENCH_DIR/server.log" \
    -w -t 60 -o "-p $port" start >/dev/null)
cargo build --release --quiet --example bench_stores
if [ -n "${BENCH_CMD:-}" ]; then DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres" $BENCH_CMD; else DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres" target/release/examples/bench_stores "$@"; fi
