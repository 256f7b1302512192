#!/usr/bin/env bash
# Benchmark of `wfctl wal push` (archive_command) and `wfctl wal fetch` (restore_command) on
# 16 MB segments into a file repository, next to the bound: `cp` + `sync` of the same bytes
# into the same file system (what the guide's `cp %p` does, plus the fsync it lacks).
# Each segment is one process, as PostgreSQL runs them. Release build; a minute or so.
#
#   scripts/bench-wal.sh                    # 20 segments in $TMPDIR (default /var/tmp)
#   SEGMENTS=50 TMPDIR=/srv/scratch scripts/bench-wal.sh
#
# Segments are 16 MB, a third random (incompressible) and the rest zeros, like the WAL of a
# busy server between checkpoints (full-page images compress, row data less so).
set -euo pipefail
cd "$(dirname "$0")/.."
SEGMENTS=${SEGMENTS:-20}
WFCTL=${WFCTL_BIN:-target/release/wfctl}
if [ -z "${WFCTL_BIN:-}" ]; then
    cargo build --release --locked --bin wfctl
fi
work=$(mktemp -d "${TMPDIR:-/var/tmp}/wfctl-bench-wal.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/pg_wal" "$work/cp" "$work/fetched"
printf '[repository]\nurl = "file://%s/repo"\n' "$work" >"$work/wfctl.toml"
for i in $(seq 1 "$SEGMENTS"); do
    name=$(printf '0000000100000000%08X' "$i")
    { head -c 5592405 /dev/urandom; head -c $((16777216 - 5592405)) /dev/zero; } \
        >"$work/pg_wal/$name"
done
sync

now() { date +%s.%N; }
rate() { awk -v n="$SEGMENTS" -v s="$1" -v e="$2" 'BEGIN { printf "%.1f", n / (e - s) }'; }
per() { awk -v n="$SEGMENTS" -v s="$1" -v e="$2" 'BEGIN { printf "%.3f", (e - s) / n }'; }

t0=$(now)
for f in "$work"/pg_wal/*; do cp "$f" "$work/cp/" && sync "$work/cp/$(basename "$f")"; done
t1=$(now)
for f in "$work"/pg_wal/*; do "$WFCTL" --config "$work/wfctl.toml" wal push "$f"; done
t2=$(now)
for f in "$work"/pg_wal/*; do
    n=$(basename "$f")
    "$WFCTL" --config "$work/wfctl.toml" wal fetch "$n" "$work/fetched/$n"
done
t3=$(now)
cmp -s "$work/pg_wal/$(basename "$f")" "$work/fetched/$(basename "$f")" || { echo "fetched segment differs" >&2; exit 1; }

stored=$(du -sb "$work/repo/wal" | cut -f1)
cp_rate=$(rate "$t0" "$t1")
push_rate=$(rate "$t1" "$t2")
fetch_rate=$(rate "$t2" "$t3")
echo "segments: $SEGMENTS x 16 MB in $work"
echo "cp + sync (bound): $cp_rate segments/s ($(per "$t0" "$t1") s each)"
echo "wal push:          $push_rate segments/s ($(per "$t1" "$t2") s each), stored $((stored / SEGMENTS / 1024)) KiB per segment"
echo "wal fetch:         $fetch_rate segments/s ($(per "$t2" "$t3") s each)"
awk -v p="$push_rate" -v c="$cp_rate" 'BEGIN { printf "push / bound: %.2fx\n", p / c }'
