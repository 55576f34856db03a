#!/usr/bin/env bash
# The property fee slips of a month, a periodic duty: the tick of 1 December 2026 08:00 opens
# December's case (SF-2026-12), due by the 25th; the front desk issues the slips on the 20th.
# Usage: examples/property_fee_slips.sh [path/to/caseflow]
set -euo pipefail
source "$(dirname "$0")/walkthrough.bash" "$@"

echo "\$ caseflow --now 2026-12-01T08:00+08:00 tick"
"$caseflow" --now 2026-12-01T08:00+08:00 tick
"$caseflow" --now 2026-12-01T08:05+08:00 show SF-2026-12
step jiang.tao 2026-12-20T10:00+08:00 do SF-2026-12 issued --set slips_issued=412
echo
"$caseflow" history SF-2026-12
echo
"$caseflow" verify
