#!/bin/sh
# An SLA action for `wfctl sla run`: stdin holds the case, the milestone and its user data.
# A real one would page someone or open an incident; this one writes a line to stderr, which
# `sla run -v` shows. Exit 0 means the action is done.
set -eu
request=$(cat)
echo "sla-notify: ${WFCTL_SLA_KEY:-?}: $(printf '%s' "$request" | head -c 200)" >&2
