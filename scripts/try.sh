#!/usr/bin/env bash
# Try wfctl against a throwaway PostgreSQL (started here, removed on exit): set up the schema
# and show its state. Needs no database of your own.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pg-cluster.sh
trap pg_cluster_stop EXIT
pg_cluster_start
cargo build --release --locked -q
export DATABASE_URL="${WFCTL_TEST_PG_URL%/postgres}/postgres"
./target/release/wfctl db migrate
./target/release/wfctl db status
