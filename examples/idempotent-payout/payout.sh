#!/bin/sh
# An exec component that pays out once per unit execution, however often wfctl runs it.
#
# wfctl runs a unit again when the run that started it was interrupted (killed, or it lost
# the store) before the unit's result was saved. Each run of the same unit execution gets
# the same idempotency key (WFCTL_IDEMPOTENCY_KEY, and "idempotency_key" on stdin), so the
# component records the key together with its effect and skips a key it has seen.
#
# Here the effect is a line in the ledger ($PAYOUT_LEDGER, default payouts.log; a relative
# path is taken from this script's directory, not from wherever wfctl runs). Deduplication
# holds only if every worker and host that may run the unit, first run and recovery alike,
# reads and writes the same ledger: set it in the component's `env` in wfctl.toml (wfctl
# passes a component only that and the names in WFCTL_COMPONENT_ENV). A real component would
# pass the key to the payment service (an "Idempotency-Key" header) or write it in the same
# transaction as its own effect.
set -eu
ledger=${PAYOUT_LEDGER:-payouts.log}
case $ledger in
  /*) ;;
  *) ledger=$(dirname -- "$0")/$ledger ;;
esac
cat >/dev/null # the request; this component needs only the key

# check-and-record under a lock: two runs of one key never both pay
exec 9>>"$ledger.lock"
flock 9
# every run, paid or skipped, when asked (the soak test counts re-runs with it)
if [ -n "${PAYOUT_RUNS:-}" ]; then
  printf '%s %s\n' "$WFCTL_IDEMPOTENCY_KEY" "$WFCTL_ATTEMPT" >>"$PAYOUT_RUNS"
fi
touch "$ledger"
# 0: seen, 1: not seen; anything else (an unreadable ledger) must not be taken for "not paid"
seen=0
grep -qxF -e "$WFCTL_IDEMPOTENCY_KEY" -- "$ledger" || seen=$?
case $seen in
  0) echo "payout: $WFCTL_IDEMPOTENCY_KEY already paid (attempt $WFCTL_ATTEMPT); skipped" >&2 ;;
  1) printf '%s\n' "$WFCTL_IDEMPOTENCY_KEY" >>"$ledger" ;;
  *) echo "payout: cannot read the ledger $ledger" >&2; exit 1 ;;
esac
# For scripts/soak.sh: with WFCTL_SOAK_PAYOUT_DELAY=SECONDS, wait that long after paying and
# before answering, having written the key to $ledger.waiting, so that a kill -9 of wfctl
# lands mid-unit, after the effect (its re-run must then skip the payment). The ledger lock is
# released first: other payouts go on meanwhile.
if [ -n "${WFCTL_SOAK_PAYOUT_DELAY:-}" ]; then
  exec 9>&-
  printf '%s\n' "$WFCTL_IDEMPOTENCY_KEY" >"$ledger.waiting"
  sleep "$WFCTL_SOAK_PAYOUT_DELAY"
fi
echo '{"response":"ok_proceed","variables":{"paid":true}}'
