#!/usr/bin/env bash
# Backup and restore benchmark (issue 9): wfctl db backup vs `pg_dump | gzip -6` and `-1`,
# wfctl db restore vs `gunzip | psql`, on a database of realistic workflow data (about 1 GB
# with the default 38000 cases: JSON audit documents with real entropy, the seed's GIN index).
# Prints one table of times, sizes and ratios, all measured in this run.
#
#   benches/backup.sh                 # ~1 GB; heavy: about 10 minutes on 2 cores
#   BENCH_CASES=4000 benches/backup.sh  # ~100 MB, to try it out
#
# Starts (and removes) its own PostgreSQL cluster; backup files go to target/bench-backup.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pg-cluster.sh

CASES=${BENCH_CASES:-38000}
OUT=$PWD/target/bench-backup
trap 'pg_cluster_stop; rm -rf "$OUT"' EXIT
cargo build --release --locked -q
WFCTL=$PWD/target/release/wfctl
pg_cluster_start
rm -rf "$OUT" && mkdir -p "$OUT"
export PGHOST=127.0.0.1 PGPORT=$PGC_PORT PGUSER=postgres
URL="postgres://postgres@127.0.0.1:$PGC_PORT"
PSQL="$PGC_BIN/psql -X -q"
PG_DUMP=$PGC_BIN/pg_dump

$PSQL -d postgres -c 'CREATE DATABASE bench'
DATABASE_URL=$URL/bench "$WFCTL" -q db migrate >/dev/null
echo "bench: loading $CASES cases..." >&2
$PSQL -d bench -v cases="$CASES" -f benches/backup-data.sql
DB_SIZE=$($PSQL -At -d bench -c "SELECT pg_database_size('bench')")
AUDIT=$($PSQL -At -d bench -c "SELECT count(*) FROM audit_log")

now() { date +%s.%N; }
size() { stat -c %s "$1"; }
declare -A T S
run() { # name, command...
  local name=$1; shift
  echo "bench: $name" >&2
  local t0; t0=$(now)
  "$@"
  T[$name]=$(echo "$(now) - $t0" | bc)
}

# Warm the cache once, and measure pg_dump alone (the floor for every backup).
run "pg_dump > /dev/null" bash -c "$PG_DUMP bench > /dev/null"
run "pg_dump | gzip -6" bash -c "set -o pipefail; $PG_DUMP bench | gzip -6 > '$OUT/g6.sql.gz'"
S["pg_dump | gzip -6"]=$(size "$OUT/g6.sql.gz")
run "pg_dump | gzip -1" bash -c "set -o pipefail; $PG_DUMP bench | gzip -1 > '$OUT/g1.sql.gz'"
S["pg_dump | gzip -1"]=$(size "$OUT/g1.sql.gz")
mkdir "$OUT/w6" "$OUT/w1"
run "wfctl db backup --level 6" env DATABASE_URL=$URL/bench "$WFCTL" -q db backup --dir "$OUT/w6" --level 6
S["wfctl db backup --level 6"]=$(size "$OUT"/w6/*.sql.gz)
run "wfctl db backup --level 1" env DATABASE_URL=$URL/bench "$WFCTL" -q db backup --dir "$OUT/w1" --level 1
S["wfctl db backup --level 1"]=$(size "$OUT"/w1/*.sql.gz)
RAW=$(python3 -c "import json,glob;print(json.load(open(glob.glob('$OUT/w6/*.manifest.json')[0]))['uncompressed_size'])")

$PSQL -d postgres -c 'CREATE DATABASE r_psql TEMPLATE template0'
run "gunzip | psql" bash -c "set -o pipefail; gunzip -c '$OUT/g6.sql.gz' | $PSQL -d r_psql >/dev/null"
run "wfctl db restore" env DATABASE_URL=$URL/postgres "$WFCTL" -q db restore "$(ls "$OUT"/w6/*.sql.gz)" --target-db r_wfctl --create --json > "$OUT/restore.json"
for db in r_psql r_wfctl; do
  n=$($PSQL -At -d $db -c "SELECT count(*) FROM audit_log")
  [ "$n" = "$AUDIT" ] || { echo "bench: $db has $n audit rows, expected $AUDIT" >&2; exit 1; }
done

printf '\ndatabase %s MB (%s cases, %s audit rows), %s MB of SQL; PostgreSQL %s, %s cores\n\n' \
  $((DB_SIZE / 1000000)) "$CASES" "$AUDIT" $((RAW / 1000000)) "$("$PGC_BIN/postgres" --version | awk '{print $3}')" "$(nproc)"
printf '%-28s %9s %10s %7s %12s\n' "command" "wall s" "size MB" "ratio" "vs bound"
row() { # name, bound name
  local t=${T[$1]} s=${S[$1]:-} vs="" sz="" ratio=""
  if [ -n "$s" ]; then sz=$(echo "scale=1; $s / 1000000" | bc); ratio=$(echo "scale=1; $RAW / $s" | bc)x; fi
  if [ -n "${2:-}" ]; then vs=$(echo "scale=2; $t / ${T[$2]}" | bc)x; fi
  printf '%-28s %9.1f %10s %7s %12s\n' "$1" "$t" "$sz" "$ratio" "$vs"
}
row "pg_dump > /dev/null"
row "pg_dump | gzip -6"
row "pg_dump | gzip -1"
row "wfctl db backup --level 6" "pg_dump | gzip -6"
row "wfctl db backup --level 1" "pg_dump | gzip -1"
row "gunzip | psql"
row "wfctl db restore" "gunzip | psql"
echo
python3 - "$OUT/restore.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["timings"]
print(f"wfctl db restore phases: checksum check {t['verify_s']:.1f} s, load in one transaction "
      f"{t['load_s']:.1f} s, ANALYZE + row-count check {t['analyze_and_count_s']:.1f} s")
PY
echo "(gunzip | psql does no check, commits statement by statement, and leaves no planner statistics)"
