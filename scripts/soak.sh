#!/usr/bin/env bash
# Soak test: wfctl on PostgreSQL under mixed load, with a worker killed and the server restarted.
#
#   scripts/soak.sh                          # 10 minutes, release binary
#   scripts/soak.sh --minutes 2 --profile debug   # what CI runs (reuses the tests' debug build)
#
# Starts its own throwaway cluster (scripts/pg-cluster.sh) and runs at once: 2 case starters,
# 3 bulk workers (`case resume --all --workbasket inbox`), a backup every minute, `diag all`
# every 20 s, `metrics` every 10 s and `case list` every second. A third of the way in one bulk
# worker is killed (kill -9) while its payout component runs, after it paid (the payout waits
# WFCTL_SOAK_PAYOUT_DELAY seconds there, default 5, in that worker only); two thirds in the
# server is restarted (`pg_ctl restart -m fast`). Then everything stops, `case resume --all
# --stuck-for 0s` recovers the interrupted cases (at least one, or the soak fails: its payout
# runs again as attempt 2 and skips the payment), and the invariants are checked:
#
#   - every case whose `case start` exited 0 is present;
#   - no case is left running, and none has a path parked in workflow_temp_hold (where
#     recovery parks an interrupted branch and nobody works);
#   - no case's audit log has a gap (sequences 1..n);
#   - the payout component (examples/idempotent-payout, which deduplicates by the idempotency
#     key) paid every completed case exactly once and no other case;
#   - every backup passes `db verify --restore-test`.
#
# Prints a table (throughput, `case list` latency p50/p95 under load and idle, exit codes seen)
# and exits 1 when an invariant fails. The work directory is kept on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export LC_ALL=C

minutes=10
profile=release
# how long the armed worker's payout waits after paying (the kill lands in that window)
PAYOUT_DELAY=${WFCTL_SOAK_PAYOUT_DELAY:-5}
unset WFCTL_SOAK_PAYOUT_DELAY # only the armed worker's wfctl passes it on
while [ $# -gt 0 ]; do
  case $1 in
    --minutes) minutes=${2-}; shift; [ $# -gt 0 ] && shift ;;
    --minutes=*) minutes=${1#*=}; shift ;;
    --profile) profile=${2-}; shift; [ $# -gt 0 ] && shift ;;
    --profile=*) profile=${1#*=}; shift ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "soak: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
# whole numbers in decimal (10#: a leading zero is not octal), bounded so arithmetic stays exact
[[ $minutes =~ ^[0-9]{1,5}$ ]] && [ $((10#$minutes)) -ge 1 ] && [ $((10#$minutes)) -le 1440 ] ||
  { echo "soak: --minutes takes a whole number of minutes from 1 to 1440, not '$minutes'" >&2; exit 2; }
minutes=$((10#$minutes))
# decimal seconds, digits before any point, and some digit other than 0 (00, 0.00, 0. are 0)
[[ $PAYOUT_DELAY =~ ^[0-9]+(\.[0-9]+)?$ && $PAYOUT_DELAY =~ [1-9] ]] ||
  { echo "soak: WFCTL_SOAK_PAYOUT_DELAY is a number of seconds above 0 (5 by default), not '$PAYOUT_DELAY'" >&2; exit 2; }
case $profile in debug|release) ;; *) echo "soak: --profile is debug or release, not '$profile'" >&2; exit 2 ;; esac

. scripts/pg-cluster.sh
. scripts/build-deps.sh
ensure_build_deps

build_flag=()
[ "$profile" = release ] && build_flag=(--release)
t_wall=$(date +%s)
echo "soak: building wfctl ($profile)" >&2
WFCTL=$(cargo build --locked "${build_flag[@]}" --quiet --bin wfctl --message-format=json-render-diagnostics |
  grep '"kind":\["bin"\]' | grep -o '"executable":"[^"]*"' | tail -n 1 | cut -d'"' -f4)
[ -x "$WFCTL" ] || { echo "soak: cargo did not report the wfctl binary" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wfctl-soak.XXXXXX")
keep_work=0
cleanup() {
  local status=$?
  touch "$WORK/stop" 2>/dev/null || true
  # only the jobs this script started
  local pids
  pids=$(jobs -p)
  [ -n "$pids" ] && kill $pids 2>/dev/null || true
  wait 2>/dev/null || true
  pg_cluster_stop
  if [ $status -ne 0 ] || [ $keep_work = 1 ]; then
    echo "soak: work directory kept: $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pg_cluster_start
DB_URL="${WFCTL_TEST_PG_URL%/postgres}/soak"
psql_admin() { "$PGC_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$WFCTL_TEST_PG_URL" "$@"; }
psql_soak() { "$PGC_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 "$DB_URL" "$@"; }
psql_admin -c "CREATE DATABASE soak"

EX=$ROOT/examples/idempotent-payout
cat >"$WORK/wfctl.toml" <<EOF
[components.manual]
builtin = "pend"

[components.approve]
builtin = "proceed"

[components.payout]
exec = ["$EX/payout.sh"]
env = { PAYOUT_LEDGER = "$WORK/payouts.log", PAYOUT_RUNS = "$WORK/payout-runs.log" }
EOF
cat >"$WORK/journey.json" <<'EOF'
{"journey": {"name": "soak_payout", "flow": [
  {"name": "start", "component": "manual", "user_data": "inbox", "next": "approve"},
  {"name": "approve", "component": "approve", "next": "pay"},
  {"name": "pay", "component": "payout", "next": "end"}]}}
EOF
wf() { "$WFCTL" --config "$WORK/wfctl.toml" --database-url "$DB_URL" "$@"; }
wf db migrate >/dev/null

now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
# record KIND CMD...: runs a wfctl command, appends "KIND EXIT MS" to results.log
record() {
  local kind=$1; shift
  local t0 code=0
  t0=$(now_ms)
  wf "$@" >/dev/null 2>>"$WORK/$kind.err" || code=$?
  echo "$kind $code $(($(now_ms) - t0))" >>"$WORK/results.log"
  return 0
}
running() { [ ! -e "$WORK/stop" ]; }
# every SECONDS seconds until stopped (the stop is noticed within a second)
every() {
  local seconds=$1; shift
  local next
  while running; do
    next=$(($(now_ms) + seconds * 1000))
    "$@"
    while running && [ "$(now_ms)" -lt "$next" ]; do sleep 0.2; done
  done
}

starter() {
  local n=0 code
  while running; do
    n=$((n + 1))
    code=0
    local id="s$1-$n" t0
    t0=$(now_ms)
    wf case start --journey "$WORK/journey.json" --case-id "$id" >/dev/null 2>>"$WORK/start.err" || code=$?
    echo "start $code $(($(now_ms) - t0))" >>"$WORK/results.log"
    echo "$id $code" >>"$WORK/started.log"
  done
}

# The soak's kill -9 is done by the worker loop itself, on its own wfctl: a child not yet
# waited for, so its pid cannot have been reused by another process. Once kill-request exists,
# the first worker to arm (mkdir) runs its wfctl with WFCTL_SOAK_PAYOUT_DELAY: its payout pays,
# writes payouts.log.waiting and waits, and the worker kills wfctl then, mid-unit after the
# payment, so recovery re-runs that payout (attempt 2) and it must skip the payment. If no
# armed payout runs within 30 s, any worker's wfctl is killed (kill-any); kill-done makes it
# one kill.
worker() {
  local code pid state killed= armed= delay
  while running; do
    code=0
    local t0
    t0=$(now_ms)
    if [ -z "$armed" ] && [ -e "$WORK/kill-request" ] && mkdir "$WORK/kill-armed" 2>/dev/null; then
      armed=1
    fi
    delay=
    [ -n "$armed" ] && [ ! -e "$WORK/kill-done" ] && delay=$PAYOUT_DELAY
    WFCTL_SOAK_PAYOUT_DELAY=$delay WFCTL_COMPONENT_ENV=WFCTL_SOAK_PAYOUT_DELAY "$WFCTL" --config "$WORK/wfctl.toml" --database-url "$DB_URL" \
      case resume --all --workbasket inbox --limit 10 >/dev/null 2>>"$WORK/worker.err" &
    pid=$!
    while read -r _ _ state _ 2>/dev/null <"/proc/$pid/stat" && [ "$state" != Z ]; do
      if { { [ -n "$delay" ] && [ -e "$WORK/payouts.log.waiting" ]; } ||
        { [ -e "$WORK/kill-any" ] && pgrep -P "$pid" >/dev/null; }; } \
        && mkdir "$WORK/kill-done" 2>/dev/null; then
        kill -9 "$pid" 2>/dev/null || true
        killed=$pid
      fi
      sleep 0.05
    done
    # (a worker killed by the soak is reported in the table, not by the shell)
    { wait "$pid" || code=$?; } 2>/dev/null
    if [ "$killed" = "$pid" ]; then
      # it may have finished just before the signal: then the next one is killed instead
      if [ $code = 137 ]; then
        echo "kill9 worker$1 wfctl pid $pid (payout of $(cat "$WORK/payouts.log.waiting" 2>/dev/null || echo '?') waiting)" >>"$WORK/events.log"
        touch "$WORK/kill-confirmed"
      else
        rm -f "$WORK/payouts.log.waiting"
        rmdir "$WORK/kill-done"
      fi
    fi
    echo "worker $code $(($(now_ms) - t0))" >>"$WORK/results.log"
    [ $code = 0 ] || sleep 0.2
  done
}

list_latency() { # PHASE
  local t0 code=0
  t0=$(now_ms)
  wf case list >/dev/null 2>>"$WORK/list.err" || code=$?
  echo "list $code $(($(now_ms) - t0))" >>"$WORK/results.log"
  echo "$1 $(($(now_ms) - t0))" >>"$WORK/latency.log"
}

echo "soak: $minutes minute(s) on $DB_URL, work in $WORK" >&2
# idle latency first, on an empty store, then again after the load on the full one
for _ in $(seq 10); do list_latency idle-empty; done

t_start=$(now_ms)
duration_ms=$((minutes * 60 * 1000))
starter 1 & starter 2 &
worker 1 & worker 2 & worker 3 &
every 60 record backup db backup --dir "$WORK/backups" &
every 20 record diag diag all &
every 10 record metrics metrics &
every 1 list_latency load &

sleep_until() { while [ "$(now_ms)" -lt "$1" ]; do sleep 0.2; done; }

# one kill -9 of a bulk worker, while its payout component runs (after 30 s: whatever it does)
sleep_until $((t_start + duration_ms / 3))
touch "$WORK/kill-request"
deadline=$(($(now_ms) + 30000))
while [ ! -e "$WORK/kill-confirmed" ] && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.2; done
touch "$WORK/kill-any"
echo "soak: a bulk worker is killed (kill -9)" >&2

sleep_until $((t_start + 2 * duration_ms / 3))
echo "soak: pg_ctl restart -m fast" >&2
restart_code=0
(cd "$PGC_DIR" && pg_cluster_as_owner "$PGC_BIN/pg_ctl" -D "$PGC_DIR/data" -l "$PGC_DIR/server.log" \
  -m fast -w -t 60 restart >/dev/null) || restart_code=$?
echo "restart $restart_code" >>"$WORK/events.log"

sleep_until $((t_start + duration_ms))
touch "$WORK/stop"
wait
t_end=$(now_ms)
echo "soak: load stopped; recovering interrupted cases" >&2

recover_code=0
wf --json case resume --all --stuck-for 0s >"$WORK/recover.json" 2>>"$WORK/recover.err" || recover_code=$?
recovered=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("done", 0))' "$WORK/recover.json" 2>/dev/null || echo "?")
for _ in $(seq 10); do list_latency idle-full; done

# --- invariants ------------------------------------------------------------------------------
failures=()
fail() { failures+=("$1"); }
[ -e "$WORK/kill-confirmed" ] || fail "no bulk worker was killed"
case $recovered in ''|*[!0-9]*|0) fail "no interrupted case was recovered (case resume --all --stuck-for 0s did $recovered)" ;; esac
[ "$recover_code" = 0 ] || fail "case resume --all --stuck-for 0s exited $recover_code: $(tail -n 1 "$WORK/recover.err")"

psql_soak -c "SELECT case_id FROM workflow_definition UNION SELECT case_id FROM workflow_info" >"$WORK/present.txt"
awk '$2 == 0 { print $1 }' "$WORK/started.log" | sort >"$WORK/started-ok.txt"
missing=$(sort "$WORK/present.txt" | comm -23 "$WORK/started-ok.txt" - | wc -l)
[ "$missing" = 0 ] || fail "$missing started case(s) missing, e.g. $(sort "$WORK/present.txt" | comm -23 "$WORK/started-ok.txt" - | head -n 3 | tr '\n' ' ')"

still_running=$(wf --json case list --status running --limit 0 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["cases"]))')
[ "$still_running" = 0 ] || fail "$still_running case(s) still running after recovery"

parked=$(psql_soak -c "SELECT count(DISTINCT w.case_id) FROM workflow_info w
  JOIN exec_path e ON e.workflow_info_hibid = w.hibid
  WHERE e.pend_workbasket = 'workflow_temp_hold' AND NOT w.is_complete")
[ "$parked" = 0 ] || fail "$parked case(s) with a path parked in workflow_temp_hold after recovery"

gaps=$(psql_soak -c "SELECT count(*) FROM (SELECT case_id FROM audit_log GROUP BY case_id
  HAVING min(sequence) <> 1 OR max(sequence) <> count(*) OR count(DISTINCT sequence) <> count(*)) g")
[ "$gaps" = 0 ] || fail "$gaps case(s) with a gap in their audit log"

psql_soak -c "SELECT case_id FROM workflow_info WHERE is_complete" | sort >"$WORK/completed.txt"
touch "$WORK/payouts.log" "$WORK/payout-runs.log"
payout_check=$(python3 - "$WORK/completed.txt" "$WORK/payouts.log" <<'PY'
import sys
from collections import Counter
completed = set(open(sys.argv[1]).read().split())
keys = [line.strip() for line in open(sys.argv[2]) if line.strip()]
# a key is case:path:step:seq; these case ids have no ':'
paid = Counter(key.split(":")[0] for key in keys)
twice = sorted(c for c, n in paid.items() if n > 1)
unpaid = sorted(completed - set(paid))
stray = sorted(set(paid) - completed)
problems = []
if twice:
    problems.append(f"{len(twice)} case(s) paid more than once, e.g. {' '.join(twice[:3])}")
if unpaid:
    problems.append(f"{len(unpaid)} completed case(s) never paid, e.g. {' '.join(unpaid[:3])}")
if stray:
    problems.append(f"{len(stray)} paid case(s) not completed, e.g. {' '.join(stray[:3])}")
print("; ".join(problems))
PY
)
[ -z "$payout_check" ] || fail "payout: $payout_check"

# the backups are verified side by side (each restores into its own throwaway database)
backups=0
for f in "$WORK"/backups/*.sql.gz; do
  [ -e "$f" ] || continue
  backups=$((backups + 1))
  (code=0; wf db verify --restore-test "$f" >/dev/null 2>>"$WORK/verify.err" || code=$?
   echo "verify $code 0" >>"$WORK/results.log"; echo "$code" >>"$WORK/verify.codes") &
done
wait
bad_backups=$(grep -cv '^0$' "$WORK/verify.codes" 2>/dev/null || true)
bad_backups=${bad_backups:-0}
[ "$backups" -gt 0 ] || fail "no backup was taken"
[ "$bad_backups" = 0 ] || fail "$bad_backups of $backups backup(s) failed db verify --restore-test"

# --- report ----------------------------------------------------------------------------------
python3 - "$WORK" "$((t_end - t_start))" "$recovered" "$backups" <<'PY'
import sys
from collections import Counter, defaultdict
work, load_ms, recovered, backups = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
seconds = load_ms / 1000
codes = defaultdict(Counter)
for line in open(f"{work}/results.log"):
    kind, code, _ms = line.split()
    codes[kind][code] += 1
lat = defaultdict(list)
for line in open(f"{work}/latency.log"):
    phase, ms = line.split()
    lat[phase].append(int(ms))
def pct(values, p):
    if not values:
        return "-"
    values = sorted(values)
    return f"{values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]} ms"
started = sum(1 for l in open(f"{work}/started.log") if l.split()[1] == "0")
completed = sum(1 for l in open(f"{work}/completed.txt") if l.strip())
run_lines = [l.split() for l in open(f"{work}/payout-runs.log") if l.strip()]
runs = Counter(attempt for _key, attempt in run_lines)
# a run of a key that an earlier run paid: the payout skipped it (the re-run of a killed unit)
seen_keys, skipped = set(), Counter()
for key, attempt in run_lines:
    if key in seen_keys:
        skipped[attempt] += 1
    seen_keys.add(key)
rows = [
    ("load", f"{seconds:.0f} s"),
    ("cases started", f"{started} ({started / seconds:.1f}/s)"),
    ("cases completed", f"{completed} ({completed / seconds:.1f}/s)"),
    ("recovered (stuck-for 0s)", recovered),
    ("payout runs by attempt", " ".join(f"{a}:{n}" for a, n in sorted(runs.items())) or "-"),
    ("payout re-runs skipped (paid)", " ".join(f"attempt {a}:{n}" for a, n in sorted(skipped.items())) or "none"),
    ("backups", backups),
    ("case list idle (empty) p50/p95", f"{pct(lat['idle-empty'], 50)} / {pct(lat['idle-empty'], 95)}"),
    ("case list under load p50/p95", f"{pct(lat['load'], 50)} / {pct(lat['load'], 95)} ({len(lat['load'])} runs)"),
    ("case list idle (after) p50/p95", f"{pct(lat['idle-full'], 50)} / {pct(lat['idle-full'], 95)}"),
]
for kind in sorted(codes):
    rows.append((f"exit codes: {kind}", " ".join(f"{c}×{n}" for c, n in sorted(codes[kind].items()))))
width = max(len(k) for k, _ in rows)
print(f"{'measure':<{width}}  value")
print(f"{'-' * width}  {'-' * 40}")
for k, v in rows:
    print(f"{k:<{width}}  {v}")
PY
sed 's/^/event: /' "$WORK/events.log"
echo "wall time: $(($(date +%s) - t_wall)) s (build, cluster, load, recovery, checks)"

if [ ${#failures[@]} -gt 0 ]; then
  for f in "${failures[@]}"; do echo "soak: FAILED: $f" >&2; done
  exit 1
fi
echo "soak: every invariant held" >&2
