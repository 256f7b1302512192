#!/usr/bin/env bash
# Benchmark of `wfctl diag all` on 1,000,000 generated cases (examples/diag_bench): a throwaway
# cluster (removed on exit) and a release build. Takes a few minutes and ~3 GB in /dev/shm.
#
#   scripts/bench-diag.sh                      # 1,000,000 cases
#   WFCTL_BENCH_CASES=100000 scripts/bench-diag.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pg-cluster.sh
trap 'pg_cluster_stop' EXIT
cargo build --release --locked --bin wfctl --example diag_bench
pg_cluster_start
WFCTL_BENCH_ADMIN_URL=$WFCTL_TEST_PG_URL WFCTL_BIN=target/release/wfctl target/release/examples/diag_bench
