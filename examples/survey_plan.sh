#!/usr/bin/env bash
# The yearly satisfaction-survey plan, a periodic duty: the tick of 1 January 2027 opens the
# 2027 plan (MYJH-2027), due by the end of January; the manager proposes it and the VP approves.
# Usage: examples/survey_plan.sh [path/to/caseflow]
set -euo pipefail
source "$(dirname "$0")/walkthrough.bash" "$@"

echo "\$ caseflow --now 2026-12-31T18:00+08:00 tick"
"$caseflow" --now 2026-12-31T18:00+08:00 tick
echo "\$ caseflow --now 2027-01-01T09:00+08:00 tick"
"$caseflow" --now 2027-01-01T09:00+08:00 tick
step wang.fang 2027-01-15T10:00+08:00 do MYJH-2027 propose --set plan="上半年、下半年各一次入户调查，每次抽样不少于入住户数的10%"
step zhao.lei  2027-01-18T11:00+08:00 do MYJH-2027 approve
echo
"$caseflow" history MYJH-2027
echo
"$caseflow" verify
