#!/bin/sh
# Task component "check_order": reads the step context (JSON) on stdin and answers on stdout.
# An order needs a manager's approval above 1000; an order without an amount is an error.
set -eu
request=$(cat)
amount=$(printf '%s' "$request" | sed -n 's/.*"amount":\(-\{0,1\}[0-9][0-9]*\).*/\1/p')
if [ -z "$amount" ]; then
  echo "check_order: no amount in case $WFCTL_CASE_ID" >&2
  printf '{"response":"error_pend","error":{"code":1,"message":"order has no amount","retryable":false}}\n'
  exit 0
fi
if [ "$amount" -gt 1000 ]; then needed=yes; else needed=no; fi
printf '{"response":"ok_proceed","variables":{"approval_needed":"%s","checked_by":"check-order.sh"}}\n' "$needed"
