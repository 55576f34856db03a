#!/usr/bin/env bash
# The monthly complaint report, a periodic duty: two complaints come in during November 2026;
# the tick of 1 December 09:00 opens November's report case (CRM-2026-11) with `caseflow report
# monthly` of November attached — and the other reports whose periods have come — then the
# specialist writes the analysis and submits it before the 3rd.
# Usage: examples/complaint_report.sh [path/to/caseflow]
set -euo pipefail
source "$(dirname "$0")/walkthrough.bash" "$@"

step zhang.wei 2026-11-10T10:00+08:00 start complaint --set customer=张三 --set channel=phone --set summary="地下车库漏水"
step zhang.wei 2026-11-20T15:00+08:00 start complaint --set customer=李四 --set channel=visit --set summary="电梯噪音"
echo "\$ caseflow --now 2026-12-01T09:00+08:00 tick"
"$caseflow" --now 2026-12-01T09:00+08:00 tick
echo
"$caseflow" --now 2026-12-01T09:05+08:00 schedule
echo
"$caseflow" --now 2026-12-01T09:05+08:00 attachments CRM-2026-11
step li.na 2026-12-02T16:00+08:00 do CRM-2026-11 submit --set summary="11月共受理投诉2件，均在处理中"
echo
"$caseflow" history CRM-2026-11
echo
"$caseflow" verify
