#!/bin/sh
# Component "fulfilment": the parallel route "fulfil" (packing and invoicing at once) and the
# tasks of its two branches. $WAREHOUSE comes from the component's env in wfctl.toml.
set -eu
cat >/dev/null  # the step context; this component only needs the step name
case "$WFCTL_STEP" in
  fulfil)  printf '{"response":"ok_proceed","branches":["packing","invoicing"]}\n' ;;
  pack)    printf '{"response":"ok_proceed","variables":{"packed_at":"%s"}}\n' "${WAREHOUSE:-unknown}" ;;
  invoice) printf '{"response":"ok_proceed","variables":{"invoice_no":"INV-%s"}}\n' "$WFCTL_CASE_ID" ;;
  *)       echo "fulfilment: unexpected step $WFCTL_STEP" >&2; exit 2 ;;
esac
