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
. scripts/lib/durable-cluster.sh

durable_cluster_start pg 100
port=$BENCH_PORT
cargo build --release --quiet --example bench_stores
if [ -n "${BENCH_CMD:-}" ]; then DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres" $BENCH_CMD; else DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres" target/release/examples/bench_stores "$@"; fi
