#!/usr/bin/env bash
# Benchmark of `wfctl metrics` and `wfctl diag all` at 30,000, 300,000 and 1,000,000 generated
# cases (examples/diag_bench), each next to its bound (reading every workflow table once, timed
# in the same run): a throwaway cluster (removed on exit) and a release build. Takes 10-20
# minutes and ~3 GB in /dev/shm.
#
#   scripts/bench-diag.sh                              # 30000,300000,1000000 cases
#   WFCTL_BENCH_CASES=100000 scripts/bench-diag.sh     # one size
#   WFCTL_BIN=/path/to/other/wfctl scripts/bench-diag.sh   # time another build (its own schema)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pg-cluster.sh
trap 'pg_cluster_stop' EXIT
cargo build --release --locked --bin wfctl --example diag_bench
pg_cluster_start
WFCTL_BENCH_ADMIN_URL=$WFCTL_TEST_PG_URL WFCTL_BIN=${WFCTL_BIN:-target/release/wfctl} \
  target/release/examples/diag_bench
