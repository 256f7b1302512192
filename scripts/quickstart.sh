#!/usr/bin/env bash
# Quick start: run the order-approval example (examples/order-approval/) on the file store in
# one command. A case is started, pends in the "approvals" work basket (a manual step), is
# resumed with approved=true, runs its parallel fulfilment block and completes.
#
#   scripts/quickstart.sh                 # builds wfctl (release), uses a fresh temporary store
#   STORE=./workflow-data scripts/quickstart.sh
#   WFCTL=/path/to/wfctl scripts/quickstart.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${WFCTL:-}" ]; then
  . scripts/build-deps.sh
  ensure_build_deps
  # the binary's path comes from cargo (CARGO_TARGET_DIR, build.target-dir ... are honoured)
  WFCTL=$(cargo build --release --quiet --bin wfctl --message-format=json-render-diagnostics |
    grep '"kind":\["bin"\]' | grep -o '"executable":"[^"]*"' | tail -n 1 | cut -d'"' -f4)
  if [ -z "$WFCTL" ] || [ ! -x "$WFCTL" ]; then
    echo "quickstart: cargo did not report the wfctl binary" >&2
    exit 1
  fi
fi
EX=examples/order-approval
STORE=${STORE:-$(mktemp -d "${TMPDIR:-/tmp}/wfctl-quickstart.XXXXXX")}
CASE=${CASE:-order-1001}
wfctl() { "$WFCTL" --config "$EX/wfctl.toml" --store "$STORE" "$@"; }
step() { printf '\n== %s\n' "$*" >&2; }

step "file store: $STORE"
step "wfctl journey validate $EX/journey.json --sla $EX/sla.json"
wfctl journey validate "$EX/journey.json" --sla "$EX/sla.json"

step "wfctl case start (an order of 1500 EUR needs a manager's approval)"
wfctl case start --journey "$EX/journey.json" --sla "$EX/sla.json" --case-id "$CASE" \
  --var order_id=string:1001 --var amount=long:1500

step "wfctl case show $CASE (pended in the approvals work basket, SLA milestones queued)"
wfctl case show "$CASE"

step "wfctl case list --workbasket approvals"
wfctl case list --workbasket approvals

step "wfctl case resume $CASE --var approved=boolean:true"
wfctl case resume "$CASE" --var approved=boolean:true

step "wfctl case history $CASE"
wfctl case history "$CASE"

# the case's own status is the first "status" of the document (exec paths follow)
status=$(wfctl --json case show "$CASE" | grep -o '"status":"[a-z_]*"' | head -n 1 | cut -d'"' -f4)
if [ "$status" != completed ]; then
  echo "quickstart: case $CASE is $status, expected completed" >&2
  exit 1
fi
step "case $CASE completed"
echo "store kept at $STORE; try: $WFCTL --config $EX/wfctl.toml --store $STORE case show $CASE" >&2
