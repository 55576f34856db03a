#!/usr/bin/env bash
# The property supervisor's monthly complaint analysis, a periodic duty: the tick of 1 December
# 2026 09:00 opens December's case (WYTJ-2026-12), due by the 25th; the supervisor sends the
# figures of the month's repeat, major and important-owner complaints on the 24th.
# Usage: examples/property_report.sh [path/to/caseflow]
set -euo pipefail
source "$(dirname "$0")/walkthrough.bash" "$@"

echo "\$ caseflow --now 2026-12-01T09:00+08:00 tick"
"$caseflow" --now 2026-12-01T09:00+08:00 tick
step lu.xin 2026-12-24T16:00+08:00 do WYTJ-2026-12 submit --set repeat_complaints=2 --set major_complaints=0 \
  --set important_owner_complaints=1 --set analysis="二次投诉均为电梯故障，已督促维保单位整改"
echo
"$caseflow" history WYTJ-2026-12
echo
"$caseflow" verify
