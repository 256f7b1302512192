# A throwaway PostgreSQL cluster for benchmarks that is durable like production: data on disk
# (not tmpfs), fsync, synchronous_commit and full_page_writes on. Source after
# scripts/pg-cluster.sh:
#
#   durable_cluster_start NAME MAX_CONNECTIONS
#
# sets BENCH_DIR (the cluster's directory under $BENCH_PG_BASE, default /var/tmp) and BENCH_PORT,
# and stops and removes the cluster when the script exits.

BENCH_DIR=

durable_cluster_stop() {
  if [ -n "$BENCH_DIR" ]; then
    (cd / && pg_cluster_as_owner "$PGC_BIN/pg_ctl" -D "$BENCH_DIR/data" -m immediate -w stop >/dev/null 2>&1) || true
    rm -rf "$BENCH_DIR"
    BENCH_DIR=
  fi
}

durable_cluster_start() {
  local name=$1 max_connections=$2
  trap durable_cluster_stop EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  pg_cluster_find_bin
  local base=${BENCH_PG_BASE:-/var/tmp}
  BENCH_DIR=$(mktemp -d "$base/wfctl-bench-$name.XXXXXX")
  if [ "$(id -u)" = 0 ]; then chown "${WFCTL_TEST_PG_USER:-postgres}" "$BENCH_DIR"; fi
  (cd "$BENCH_DIR" && pg_cluster_as_owner "$PGC_BIN/initdb" -D "$BENCH_DIR/data" -A trust -U postgres \
      -E UTF8 --locale=C --no-instructions >"$BENCH_DIR/initdb.log" 2>&1) || { cat "$BENCH_DIR/initdb.log" >&2; exit 1; }
  cat >>"$BENCH_DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$BENCH_DIR'
max_connections = $max_connections
CONF
  BENCH_PORT=$(pg_cluster_free_port)
  (cd "$BENCH_DIR" && pg_cluster_as_owner "$PGC_BIN/pg_ctl" -D "$BENCH_DIR/data" -l "$BENCH_DIR/server.log" \
      -w -t 60 -o "-p $BENCH_PORT" start >/dev/null)
}
