#!/usr/bin/env bash
# Upload throughput to an S3-compatible server (moto_server, local) through `wfctl repo put`,
# plain and age-encrypted, next to the bound: the same bytes uploaded by boto3 (which moto
# installs) in parts of the same size, one at a time. Prints MB/s and the ratios.
#
#   scripts/bench-s3.sh                  # 256 MB, target/debug/wfctl
#   scripts/bench-s3.sh --mb 512 --wfctl target/release/wfctl
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/moto.sh

MB=256
WFCTL=target/debug/wfctl
while [ $# -gt 0 ]; do
  case "$1" in
    --mb) MB=$2; shift 2 ;;
    --wfctl) WFCTL=$2; shift 2 ;;
    *) echo "usage: $0 [--mb N] [--wfctl PATH]" >&2; exit 2 ;;
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
