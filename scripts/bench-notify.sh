#!/usr/bin/env bash
# What the pg_notify in every save point costs: pgbench on a throwaway durable cluster (data on
# disk, fsync and synchronous_commit on), one transaction per save point like wfctl's: an
# update of a case's row and the insert of an audit record, with and without
# `pg_notify('wfctl_case', case_id)` in the same statement, at 1, 4 and 8 clients.
#
#   scripts/bench-notify.sh [SECONDS]        # default 15 s per measurement
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pg-cluster.sh
. scripts/lib/durable-cluster.sh

secs=${1:-15}
durable_cluster_start notify 50
port=$BENCH_PORT
psql=("$PGC_BIN/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1)
if [ ! -x "$PGC_BIN/psql" ]; then psql=(psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1); fi
"${psql[@]}" <<'SQL'
CREATE TABLE info (case_id text PRIMARY KEY, ts bigint, doc text);
CREATE TABLE audit (id bigserial PRIMARY KEY, case_id text, ts bigint, doc text);
INSERT INTO info SELECT 'case-' || i, 0, repeat('x', 1500) FROM generate_series(1, 10000) i;
SQL
cat >"$BENCH_DIR/plain.sql" <<'SQL'
\set n random(1, 10000)
WITH u AS (UPDATE info SET ts = :n, doc = md5(random()::text) || repeat('y', 1468) WHERE case_id = 'case-' || :n),
     a AS (INSERT INTO audit (case_id, ts, doc) VALUES ('case-' || :n, :n, repeat('z', 1500)))
SELECT 1;
SQL
cat >"$BENCH_DIR/notify.sql" <<'SQL'
\set n random(1, 10000)
WITH u AS (UPDATE info SET ts = :n, doc = md5(random()::text) || repeat('y', 1468) WHERE case_id = 'case-' || :n),
     a AS (INSERT INTO audit (case_id, ts, doc) VALUES ('case-' || :n, :n, repeat('z', 1500)))
SELECT 1 FROM (SELECT pg_notify('wfctl_case', 'case-' || :n)) n;
SQL
tps() {
  "$PGC_BIN/pgbench" -h 127.0.0.1 -p "$port" -U postgres -n -M prepared -T "$secs" -c "$2" -j "$2" \
    -f "$BENCH_DIR/$1.sql" postgres 2>/dev/null | awk '/^tps/ {printf "%.0f", $3}'
}
printf '%-8s %16s %16s %8s\n' clients "plain saves/s" "notify saves/s" ratio
for c in 1 4 8; do
  # alternate, best of two: the machine is shared
  p1=$(tps plain $c); n1=$(tps notify $c); p2=$(tps plain $c); n2=$(tps notify $c)
  p=$(( p1 > p2 ? p1 : p2 )); n=$(( n1 > n2 ? n1 : n2 ))
  printf '%-8s %16s %16s %8s\n' "$c" "$p" "$n" "$(awk -v n="$n" -v p="$p" 'BEGIN {printf "%.2f", n / p}')"
done
