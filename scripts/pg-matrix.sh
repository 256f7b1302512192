#!/usr/bin/env bash
# The integration tests that depend on the server's version, once per PostgreSQL major, each
# on a throwaway cluster of that version (servers from scripts/pg-versions.sh).
#
#   scripts/pg-matrix.sh               # 12 13 14 15 16 17 18
#   scripts/pg-matrix.sh 12 18         # just these
#   PG_MATRIX_TESTS="diag_ pg_versions::" scripts/pg-matrix.sh 12   # another subset
#
# Prints `PG <major>: N passed, N failed (S s)` per version, then a table and the totals.
# Exit status: 0 when every version passed.
set -euo pipefail
cd "$(dirname "$0")/.."

majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(12 13 14 15 16 17 18)
# Migrations and --adopt; case start/resume/list on PostgreSQL; migrate-files; the diag
# commands that read version-specific views, on a primary and a standby; metrics; backup,
# verify, restore, --restore-test; basebackup and PITR; client-tool choice across versions.
default_tests="pg_versions:: db_migrate:: case_flow:: import_files:: diag_wal:: diag_settings::
diag_slow_queries:: diag_health:: diag_vacuum_run:: diag_metrics:: diag_doctor::
backup_roundtrip::verify_restore_test_restores backup_roundtrip::backup_restore_sql_gz
backup_base::basebackup_plain backup_pitr::"
read -r -a tests <<<"$(echo ${PG_MATRIX_TESTS:-$default_tests})"

# Built once, outside the timings.
cargo test --locked --test it --no-run -q 2>&1 | grep -v '^ *Executable' >&2 || true

declare -A passed failed seconds
total_passed=0
total_failed=0
for major in "${majors[@]}"; do
  # Fetched outside the timings too (once; cached afterwards).
  scripts/pg-versions.sh "$major" >/dev/null
  log=$(mktemp)
  start=$SECONDS
  skip=()
  if [ "$major" -lt 13 ]; then
    # PostgreSQL 12 writes no backup_manifest: `db basebackup` refuses it in one line.
    skip=(--skip backup_base:: --skip backup_pitr::)
  fi
  PG_MAJOR=$major scripts/test.sh cargo test --locked --test it -- "${tests[@]}" "${skip[@]}" >"$log" 2>&1 || true
  seconds[$major]=$((SECONDS - start))
  passed[$major]=$(sed -n 's/^test result: .* \([0-9][0-9]*\) passed; \([0-9][0-9]*\) failed.*/\1/p' "$log" | tail -n 1)
  failed[$major]=$(sed -n 's/^test result: .* \([0-9][0-9]*\) passed; \([0-9][0-9]*\) failed.*/\2/p' "$log" | tail -n 1)
  if [ -z "${passed[$major]}" ]; then
    # No result line: the cluster or the build failed; count the run as one failure.
    passed[$major]=0
    failed[$major]=1
  fi
  if [ "${failed[$major]}" != 0 ]; then
    grep -E '^test .* FAILED$|^---- |panicked|^pg-cluster|^pg-versions' "$log" | head -n 40 >&2 || true
    echo "pg-matrix: full log of PostgreSQL $major kept in $log" >&2
  else
    rm -f "$log"
  fi
  echo "PG $major: ${passed[$major]} passed, ${failed[$major]} failed (${seconds[$major]} s)"
  total_passed=$((total_passed + passed[$major]))
  total_failed=$((total_failed + failed[$major]))
done

echo
printf '| %-10s | %6s | %6s | %7s |\n' PostgreSQL passed failed seconds
printf '| %-10s | %6s | %6s | %7s |\n' ---------- ------ ------ -------
for major in "${majors[@]}"; do
  printf '| %-10s | %6s | %6s | %7s |\n' "$major" "${passed[$major]}" "${failed[$major]}" "${seconds[$major]}"
done
echo
echo "matrix: $total_passed passed, $total_failed failed"
[ "$total_failed" = 0 ]
