#!/usr/bin/env bash
# Upload throughput to an S3-compatible server (moto_server, local) through `wfctl repo put`,
# plain and age-encrypted, next to the bound: the same bytes uploaded by boto3 (which moto
# installs) in parts of the same size, one at a time. Prints MB/s and the ratios.
# Then `wfctl wal push` of 16 MiB segments into the bucket (segments/s), next to boto3 PUTs
# of the same files; and, with a database (DATABASE_URL, or WFCTL_TEST_PG_URL as
# scripts/test.sh sets it), `db backup --repo --level 0` (pg_dump streamed into the bucket)
# next to boto3 uploading a file of the size it stored.
#
#   scripts/bench-s3.sh                  # 256 MB, 10 segments, target/debug/wfctl
#   scripts/bench-s3.sh --mb 512 --segments 20 --wfctl target/release/wfctl
#   scripts/test.sh scripts/bench-s3.sh --wfctl target/release/wfctl   # with db backup
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/moto.sh

MB=256
SEGMENTS=10
WFCTL=target/debug/wfctl
while [ $# -gt 0 ]; do
  case "$1" in
    --mb) MB=$2; shift 2 ;;
    --segments) SEGMENTS=$2; shift 2 ;;
    --wfctl) WFCTL=$2; shift 2 ;;
    *) echo "usage: $0 [--mb N] [--segments N] [--wfctl PATH]" >&2; exit 2 ;;
  esac
done
[ -x "$WFCTL" ] || cargo build -q --bin wfctl
ensure_moto

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wfctl-bench-s3.XXXXXX")
MOTO_PID=
cleanup() {
  [ -n "$MOTO_PID" ] && kill "$MOTO_PID" 2>/dev/null && wait "$MOTO_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$PORT" >"$WORK/moto.log" 2>&1 &
MOTO_PID=$!
export AWS_ENDPOINT_URL="http://127.0.0.1:$PORT" AWS_REGION=us-east-1
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret
unset AWS_PROFILE AWS_SESSION_TOKEN
for _ in $(seq 100); do
  curl -fsS -o /dev/null "$AWS_ENDPOINT_URL/" 2>/dev/null && break
  python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1])" "$AWS_ENDPOINT_URL/" 2>/dev/null && break
  sleep 0.2
done
python3 -c "import urllib.request,sys; urllib.request.urlopen(urllib.request.Request(sys.argv[1], method='PUT'))" "$AWS_ENDPOINT_URL/bench"

head -c "$((MB * 1024 * 1024))" /dev/urandom >"$WORK/data.bin"
"$WFCTL" repo keygen "$WORK/identity.txt" >"$WORK/public.txt" 2>/dev/null
printf '[repository]\nencrypt = "age"\nrecipients = ["%s"]\n' "$(cat "$WORK/public.txt")" >"$WORK/enc.toml"
printf '' >"$WORK/plain.toml"

now() { python3 -c 'import time; print(time.monotonic())'; }
rate() { python3 -c "import sys; print(f'{$MB / ($2 - $1):.1f}')" "$1" "$2"; }

t0=$(now)
python3 - "$WORK/data.bin" <<'PY'
import sys, boto3
from boto3.s3.transfer import TransferConfig
s3 = boto3.client("s3")
cfg = TransferConfig(multipart_threshold=8 << 20, multipart_chunksize=8 << 20, use_threads=False)
s3.upload_file(sys.argv[1], "bench", "bound/data.bin", Config=cfg)
PY
t1=$(now)
"$WFCTL" --config "$WORK/plain.toml" repo --repo s3://bench/wfctl put plain/data.bin "$WORK/data.bin" 2>/dev/null
t2=$(now)
"$WFCTL" --config "$WORK/enc.toml" repo --repo s3://bench/wfctl put enc/data.bin "$WORK/data.bin" 2>/dev/null
t3=$(now)
WFCTL_AGE_IDENTITY="$WORK/identity.txt" "$WFCTL" --config "$WORK/enc.toml" repo --repo s3://bench/wfctl get enc/data.bin - | cmp -s - "$WORK/data.bin" \
  || { echo "bench-s3.sh: the encrypted object did not come back identical" >&2; exit 1; }

bound=$(rate "$t0" "$t1"); plain=$(rate "$t1" "$t2"); enc=$(rate "$t2" "$t3")
echo "upload of $MB MB to moto_server on 127.0.0.1 ($("$WFCTL" --version | head -1), $WFCTL)"
printf '  %-34s %8s MB/s\n' "boto3 upload_file (bound)" "$bound" \
  "wfctl repo put" "$plain" "wfctl repo put, age-encrypted" "$enc"
python3 -c "print(f'  ratio plain/bound {$plain/$bound:.2f}, encrypted/bound {$enc/$bound:.2f}')"

# wal push: one process per segment, as archive_command runs it
mkdir -p "$WORK/pg_wal"
for i in $(seq 1 "$SEGMENTS"); do
  name=$(printf '0000000100000000%08X' "$i")
  { head -c 5592405 /dev/urandom; head -c $((16777216 - 5592405)) /dev/zero; } >"$WORK/pg_wal/$name"
done
printf '[repository]\nurl = "s3://bench/walplain"\n' >"$WORK/walplain.toml"
printf '[repository]\nurl = "s3://bench/walenc"\nencrypt = "age"\nrecipients = ["%s"]\n' "$(cat "$WORK/public.txt")" >"$WORK/walenc.toml"
w0=$(now)
python3 - "$WORK/pg_wal" <<'PY'
import os, sys, boto3
s3 = boto3.client("s3")
for name in sorted(os.listdir(sys.argv[1])):
    with open(os.path.join(sys.argv[1], name), "rb") as f:
        s3.put_object(Bucket="bench", Key="walbound/" + name, Body=f.read())
PY
w1=$(now)
for f in "$WORK"/pg_wal/*; do "$WFCTL" --config "$WORK/walplain.toml" wal push "$f"; done
w2=$(now)
for f in "$WORK"/pg_wal/*; do "$WFCTL" --config "$WORK/walenc.toml" wal push "$f"; done
w3=$(now)
segs() { python3 -c "import sys; print(f'{$SEGMENTS / ($2 - $1):.1f}')" "$1" "$2"; }
wb=$(segs "$w0" "$w1"); wp=$(segs "$w1" "$w2"); we=$(segs "$w2" "$w3")
echo "wal push of $SEGMENTS segments of 16 MiB (a third random, the rest zeros) to the same server"
printf '  %-34s %8s segments/s\n' "boto3 put_object per segment (bound)" "$wb" \
  "wfctl wal push" "$wp" "wfctl wal push, age-encrypted" "$we"
python3 -c "print(f'  ratio plain/bound {$wp/$wb:.2f}, encrypted/bound {$we/$wb:.2f}')"

# db backup --repo: pg_dump streamed through gzip (level 0) and age into the bucket
DB_URL=${DATABASE_URL:-${WFCTL_TEST_PG_URL:-}}
if [ -n "$DB_URL" ]; then
  DB_MB=${DB_MB:-200}
  psql -q -d "$DB_URL" -v ON_ERROR_STOP=1 >/dev/null <<SQL
DROP TABLE IF EXISTS wfctl_bench_s3;
CREATE TABLE wfctl_bench_s3 AS
  SELECT g AS id, md5(g::text) || repeat(md5((g * 7)::text), 7) AS payload
  FROM generate_series(1, $DB_MB * 4000) g;
SQL
  printf '[repository]\nurl = "s3://bench/backups"\nencrypt = "age"\nrecipients = ["%s"]\n' "$(cat "$WORK/public.txt")" >"$WORK/backup.toml"
  b0=$(now)
  DATABASE_URL="$DB_URL" "$WFCTL" --config "$WORK/backup.toml" --json db backup --repo --level 0 --keep 365 >"$WORK/backup.json"
  b1=$(now)
  stored=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["manifest"]; print(m["encryption"]["stored_size"])' "$WORK/backup.json")
  head -c "$stored" /dev/urandom >"$WORK/same-size.bin"
  b2=$(now)
  python3 - "$WORK/same-size.bin" <<'PY'
import sys, boto3
from boto3.s3.transfer import TransferConfig
s3 = boto3.client("s3")
cfg = TransferConfig(multipart_threshold=8 << 20, multipart_chunksize=8 << 20, use_threads=False)
s3.upload_file(sys.argv[1], "bench", "bound/backup.bin", Config=cfg)
PY
  b3=$(now)
  psql -q -d "$DB_URL" -c 'DROP TABLE wfctl_bench_s3' >/dev/null
  smb=$(python3 -c "print(f'{$stored / 1048576:.1f}')")
  brate=$(python3 -c "print(f'{$stored / 1048576 / ($b1 - $b0):.1f}')")
  bbound=$(python3 -c "print(f'{$stored / 1048576 / ($b3 - $b2):.1f}')")
  echo "db backup --repo --level 0, age-encrypted: $smb MB stored"
  printf '  %-34s %8s MB/s\n' "boto3 upload_file of as many bytes" "$bbound" "wfctl db backup --repo" "$brate"
  python3 -c "print(f'  ratio backup/bound {$brate/$bbound:.2f}')"
else
  echo "db backup --repo: skipped (no DATABASE_URL; run under scripts/test.sh for it)"
fi
