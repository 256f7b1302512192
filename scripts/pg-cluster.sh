# Sourced by scripts/test.sh and benchmarks: start one throwaway PostgreSQL cluster.
#
# After `pg_cluster_start`: PGC_DIR (data + socket), PGC_PORT, PGC_BIN, and
# WFCTL_TEST_PG_URL (superuser URL to the `postgres` database). `pg_cluster_stop` removes it.
# As root the server runs as the `postgres` OS user (initdb refuses root).
#
# The server is Debian's newest unless WFCTL_TEST_PG_BIN names a server bin directory or
# PG_MAJOR a major version (12..18, fetched by scripts/pg-versions.sh). Such a server has no
# client programs (psql, pg_dump): the PostgreSQL 18 ones are fetched too and
# WFCTL_TEST_PG_CLIENT_BIN names them.

pg_cluster_find_bin() {
  local bin
  if [ -z "${WFCTL_TEST_PG_BIN:-}" ] && [ -n "${PG_MAJOR:-}" ]; then
    WFCTL_TEST_PG_BIN=$("$(dirname "${BASH_SOURCE[0]}")/pg-versions.sh" "$PG_MAJOR") || return 1
  fi
  if [ -n "${WFCTL_TEST_PG_BIN:-}" ]; then
    [ -x "$WFCTL_TEST_PG_BIN/initdb" ] || {
      echo "pg-cluster: WFCTL_TEST_PG_BIN=$WFCTL_TEST_PG_BIN has no initdb" >&2; return 1; }
    PGC_BIN=$WFCTL_TEST_PG_BIN
    export WFCTL_TEST_PG_BIN
    pg_cluster_find_client || return 1
    return 0
  fi
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "pg-cluster: PostgreSQL server binaries missing; installing Debian's postgresql" >&2
      mkdir -p /etc/postgresql-common
      # No system cluster on 5432: the tests start their own.
      echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >&2
      bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    fi
  fi
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "pg-cluster: no PostgreSQL server binaries (initdb) under /usr/lib/postgresql/*/bin; install the postgresql package" >&2
    return 1
  fi
  PGC_BIN=$bin
}

# A registry server comes without client programs: the PostgreSQL 18 ones serve every major
# (a newer pg_dump reads an older server, which is what operators whose distribution ships a
# newer client meet).
pg_cluster_find_client() {
  [ -x "$PGC_BIN/psql" ] && return 0
  WFCTL_TEST_PG_CLIENT_BIN=${WFCTL_TEST_PG_CLIENT_BIN:-$("$(dirname "${BASH_SOURCE[0]}")/pg-versions.sh" --client)} || return 1
  # Not put on this PATH: cargo would rebuild (pq-sys looks for pg_config there); the test
  # support puts it first on the PATH of the wfctl it runs.
  export WFCTL_TEST_PG_CLIENT_BIN
}

pg_cluster_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "${WFCTL_TEST_PG_USER:-postgres}" -- "$@"
  else
    "$@"
  fi
}

pg_cluster_free_port() {
  python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}

pg_cluster_start() {
  pg_cluster_find_bin || return 1
  local base=${PGC_BASE:-/dev/shm}
  [ -w "$base" ] || base=${TMPDIR:-/tmp}
  PGC_DIR=$(mktemp -d "$base/wfctl-pg.XXXXXX")
  if [ "$(id -u)" = 0 ]; then
    id -u "${WFCTL_TEST_PG_USER:-postgres}" >/dev/null 2>&1 \
      || useradd --system --no-create-home "${WFCTL_TEST_PG_USER:-postgres}"
    chown "${WFCTL_TEST_PG_USER:-postgres}" "$PGC_DIR"
  fi
  (cd "$PGC_DIR" && pg_cluster_as_owner "$PGC_BIN/initdb" -D "$PGC_DIR/data" -A trust -U postgres \
      -E UTF8 --locale=C --no-sync >"$PGC_DIR/initdb.log" 2>&1) || {
    cat "$PGC_DIR/initdb.log" >&2; return 1; }
  cat >>"$PGC_DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PGC_DIR'
shared_preload_libraries = 'pg_stat_statements'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
CONF
  local try
  for try in 1 2 3 4 5; do
    PGC_PORT=$(pg_cluster_free_port)
    if (cd "$PGC_DIR" && pg_cluster_as_owner "$PGC_BIN/pg_ctl" -D "$PGC_DIR/data" -l "$PGC_DIR/server.log" \
        -w -t 60 -o "-p $PGC_PORT" start >/dev/null); then
      WFCTL_TEST_PG_URL="postgres://postgres@127.0.0.1:$PGC_PORT/postgres"
      export WFCTL_TEST_PG_URL PGC_DIR PGC_PORT PGC_BIN
      return 0
    fi
  done
  tail -n 20 "$PGC_DIR/server.log" >&2
  return 1
}

pg_cluster_stop() {
  [ -n "${PGC_DIR:-}" ] || return 0
  (cd / && pg_cluster_as_owner "$PGC_BIN/pg_ctl" -D "$PGC_DIR/data" -m immediate -w stop >/dev/null 2>&1)
  rm -rf "$PGC_DIR"
  PGC_DIR=
}
