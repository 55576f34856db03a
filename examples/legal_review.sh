#!/usr/bin/env bash
# A document legal review walked through its main path in virtual time: the engineering
# department's supplementary agreement to the main construction contract (合同价款调增 1,280,000 元),
# pre-registered the day before, reviewed within 2 working days, revised within 1, re-checked,
# confirmed by the VP.
# Usage: examples/legal_review.sh [path/to/caseflow]
set -euo pipefail
source "$(dirname "$0")/walkthrough.bash" "$@"

id=$(CASEFLOW_USER=liu.yang "$caseflow" --now 2026-04-13T09:30+08:00 start legal_review \
      --set document="《翠湖天地三期总包施工合同补充协议》（合同价款调增1,280,000元）" --set department=engineering)
echo "opened $id"
step liu.yang  2026-04-13T10:00+08:00 do "$id" finalise --set pages=6
step chen.jing 2026-04-13T14:00+08:00 do "$id" approve
step zhou.min  2026-04-14T09:10+08:00 do "$id" received --set preregistered=true
step zhou.min  2026-04-14T09:40+08:00 do "$id" conforms --set max_typos_per_page=1
step zhou.min  2026-04-15T16:00+08:00 do "$id" opinion_issued --set opinion="第5条违约责任约定不明确，补充逾期付款违约金计算方式；争议解决改为合同签订地法院"
step liu.yang  2026-04-15T17:00+08:00 do "$id" signed_for
step liu.yang  2026-04-16T15:00+08:00 do "$id" resubmit
step zhou.min  2026-04-17T10:00+08:00 do "$id" passed
step zhao.lei  2026-04-17T16:00+08:00 do "$id" confirmed --comment "同意按修改稿签署"
echo
"$caseflow" history "$id"
echo
"$caseflow" verify
