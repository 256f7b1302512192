#!/usr/bin/env bash
# Benchmark: `wfctl case list` on 1,000,000 cases in PostgreSQL.
#
# Starts a throwaway cluster, migrates it with wfctl, generates the cases in SQL
# (generate_series; a realistic mix: 70% completed, 25% pended in 20 work baskets of skewed
# size, 5% running; random 16-hex case ids; a third of the cases with two parallel exec paths;
# last writes spread over 90 days), then times work-basket-filtered listings and compares each
# with the bound of 1 s ("well under a second") and with the cost of a bare wfctl call
# (`case list --limit 1 --status completed`) measured in the same run.
#
#   scripts/bench-case-list.sh            # N=1000000
#   N=100000 scripts/bench-case-list.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pg-cluster.sh
trap pg_cluster_stop EXIT
N=${N:-1000000}

cargo build --release --quiet
WFCTL=$PWD/target/release/wfctl
pg_cluster_start
export DATABASE_URL="${WFCTL_TEST_PG_URL%/postgres}/bench"
psql -X -q "$WFCTL_TEST_PG_URL" -c 'CREATE DATABASE bench'
"$WFCTL" -q db migrate >/dev/null
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL" "$@"; }

echo "generating $N cases ..." >&2
t0=$(date +%s.%N)
psql -v cases="$N" -f scripts/case-list-data.sql
t1=$(date +%s.%N)
printf 'generated %s cases in %.1f s (%s)\n' "$N" "$(echo "$t1 - $t0" | bc)" \
  "$(psql -At -c "SELECT pg_size_pretty(pg_database_size(current_database()))")" >&2
psql -At -F ' ' -c "SELECT 'pended per basket (largest, smallest):', max(c), min(c) FROM
  (SELECT pend_workbasket, count(*) c FROM exec_path WHERE pend_workbasket IS NOT NULL GROUP BY 1) x" >&2

ms() { # wall-clock ms of a command, output discarded
  local a b
  a=$(date +%s%N); "$@" >/dev/null 2>&1; b=$(date +%s%N)
  echo $(( (b - a) / 1000000 ))
}
large=$(psql -At -c "SELECT pend_workbasket FROM exec_path WHERE pend_workbasket IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
small=$(psql -At -c "SELECT pend_workbasket FROM exec_path WHERE pend_workbasket IS NOT NULL GROUP BY 1 ORDER BY count(*) LIMIT 1")
last=$(psql -At -c "SELECT max(case_id) FROM workflow_info WHERE NOT is_complete")
mid=$(psql -At -c "SELECT case_id FROM workflow_info ORDER BY case_id OFFSET $((N / 2)) LIMIT 1")
"$WFCTL" case list --limit 1 >/dev/null   # warm the cache once

base=$(ms "$WFCTL" case list --limit 1 --status completed)
printf '\n%-62s %8s %8s %8s\n' "command (N=$N)" "ms" "/1s" "/bare"
printf '%-62s %8s %8s %8s\n' "wfctl case list --limit 1 --status completed (bare call)" "$base" "-" "1.00"
row() {
  local label=$1; shift
  local t; t=$(ms "$WFCTL" "$@")
  printf '%-62s %8s %8.3f %8.2f\n' "$label" "$t" "$(echo "$t / 1000" | bc -l)" "$(echo "$t / ($base + 0.001)" | bc -l)"
}
row "case list --workbasket $large --limit 100 (largest basket)" case list --workbasket "$large" --limit 100
row "case list --workbasket $large --limit 100 --after <middle id>" case list --workbasket "$large" --limit 100 --after "$mid"
row "case list --workbasket $small --limit 100 (smallest basket)" case list --workbasket "$small" --limit 100
row "case list --workbasket $large --limit 1000" case list --workbasket "$large" --limit 1000
row "case list --workbasket $small --limit 0 (all of it)" case list --workbasket "$small" --limit 0
row "case list --status pended --limit 100" case list --status pended --limit 100
row "case list --status running --after <last incomplete id>" case list --status running --after "$last"
row "case list --stuck-for 60d --limit 100" case list --stuck-for 60d --limit 100
