#!/usr/bin/env bash
# case purge on PostgreSQL beside its bound: N completed cases (default 100,000) purged with
# --archive (every case written and fsynced in the file store's layout, then deleted one
# transaction per batch), and the same rows removed by plain DELETE statements in one
# transaction, on a throwaway durable cluster (data on disk, fsync on). The cases are one case
# run by wfctl, copied under N ids and loaded by migrate-files into two databases.
#
#   scripts/bench-purge.sh [CASES] [BATCH]      # default 100000 500
#   WFCTL=target/debug/wfctl scripts/bench-purge.sh 5000   # another build (not rebuilt)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pg-cluster.sh
. scripts/lib/durable-cluster.sh

cases=${1:-100000}
batch=${2:-500}
if [ -n "${WFCTL:-}" ]; then
  wf=$(realpath "$WFCTL")
else
  cargo build -q --release --bin wfctl
  wf=$PWD/target/release/wfctl
fi
durable_cluster_start purge 20
url() { echo "postgres://postgres@127.0.0.1:$BENCH_PORT/$1"; }
psql_db() {
  local db=$1; shift
  "${PGC_BIN:+$PGC_BIN/}psql" -X -q -h 127.0.0.1 -p "$BENCH_PORT" -U postgres -v ON_ERROR_STOP=1 -d "$db" "$@"
}
now() { date +%s.%N; }
work=$BENCH_DIR/work
mkdir -p "$work/seed"

# the seed: a completed case with two audit records and two variables
cat >"$work/seed/wfctl.toml" <<'TOML'
[components.worker]
exec = ["./worker.sh"]
TOML
printf '#!/bin/sh\ncat >/dev/null\necho '"'"'{"response":"ok_proceed"}'"'"'\n' >"$work/seed/worker.sh"
chmod +x "$work/seed/worker.sh"
cat >"$work/seed/quick.json" <<'JSON'
{"journey": {"name": "quick", "flow": [
  {"name": "start", "component": "worker", "next": "work"},
  {"name": "work", "component": "worker", "next": "end"}]}}
JSON
(cd "$work/seed" && "$wf" -q --config wfctl.toml --store data case start --journey quick.json \
  --case-id seed --var n=long:1 --var note=string:hello)
python3 - "$work/seed/data" "$work/source" "$cases" <<'PY'
import os, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(dst)
files = {f: open(os.path.join(src, f), 'rb').read()
         for f in os.listdir(src) if f.endswith('.json') and f != 'counters.json'}
for i in range(n):
    case = 'b-%07d' % i
    for name, body in files.items():
        with open(os.path.join(dst, name.replace('seed', case)), 'wb') as out:
            out.write(body)
PY
for db in purge bound; do
  psql_db postgres -c "CREATE DATABASE $db"
  DATABASE_URL=$(url $db) "$wf" -q db migrate >/dev/null
  DATABASE_URL=$(url $db) "$wf" -q migrate-files "$work/source" --jobs 2 >/dev/null
  psql_db "$db" -c "VACUUM ANALYZE" -c "CHECKPOINT"
done
rm -rf "$work/source"

t0=$(now)
DATABASE_URL=$(url purge) "$wf" --json case purge --completed-before 0 --batch "$batch" \
  --archive "$work/archive" >"$work/purge.json"
t1=$(now)
psql_db bound <<'SQL'
BEGIN;
DELETE FROM process_variable_value WHERE workflow_variables_id IN
  (SELECT id FROM workflow_variables WHERE workflow_info_hibid LIKE 'workflow_process_info-b-%');
DELETE FROM workflow_variables WHERE workflow_info_hibid LIKE 'workflow_process_info-b-%';
DELETE FROM exec_path WHERE workflow_info_hibid LIKE 'workflow_process_info-b-%';
DELETE FROM workflow_info WHERE case_id LIKE 'b-%';
DELETE FROM step WHERE workflow_definition_hibid LIKE 'journey-b-%';
DELETE FROM route_branch WHERE route_id IN (SELECT id FROM route WHERE workflow_definition_hibid LIKE 'journey-b-%');
DELETE FROM route WHERE workflow_definition_hibid LIKE 'journey-b-%';
DELETE FROM workflow_definition WHERE case_id LIKE 'b-%';
DELETE FROM milestone WHERE case_id LIKE 'b-%';
DELETE FROM audit_log WHERE case_id LIKE 'b-%';
DELETE FROM workflow_counters WHERE name LIKE 'workflow_audit_log_counter-b-%';
COMMIT;
SQL
t2=$(now)
left=$(psql_db purge -At -c "SELECT count(*) FROM workflow_definition")
left_bound=$(psql_db bound -At -c "SELECT count(*) FROM workflow_definition")
purged=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["purged"])' "$work/purge.json")
bytes=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["archive_bytes"])' "$work/purge.json")
[ "$purged" = "$cases" ] && [ "$left" = 0 ] && [ "$left_bound" = 0 ] || {
  echo "bench-purge: purged $purged of $cases ($left and $left_bound rows left)" >&2; exit 1; }
awk -v n="$cases" -v b="$bytes" -v t0="$t0" -v t1="$t1" -v t2="$t2" -v batch="$batch" 'BEGIN {
  p = t1 - t0; d = t2 - t1
  printf "cases %d, batch %d, archive %.1f MB\n", n, batch, b / 1e6
  printf "%-28s %8.1f s %10.0f cases/s %8.2f MB/s\n", "case purge --archive", p, n / p, b / 1e6 / p
  printf "%-28s %8.1f s %10.0f cases/s\n", "plain DELETE (bound)", d, n / d
  printf "ratio purge/bound: %.3f\n", d / p
}'
