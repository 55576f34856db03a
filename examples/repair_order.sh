#!/usr/bin/env bash
# A repair work order walked through its main path in virtual time: a leaking bay window in
# 7栋603室, surveyed the next morning, order type A (in warranty, the contractor's deposit),
# 3,600 CNY approved by the deputy chief engineer and the VP, single-trade repair in 3 working
# days, checked, signed by the customer, return call the next working day, settled.
# Usage: examples/repair_order.sh [path/to/caseflow]
set -euo pipefail
source "$(dirname "$0")/walkthrough.bash" "$@"

id=$(CASEFLOW_USER=li.na "$caseflow" --now 2026-07-06T16:20+08:00 start repair_order \
      --set customer=刘女士 --set phone=13700002222 --set address="7栋603室" --set problem="飘窗窗框雨天渗水，窗台石材发黑")
echo "opened $id"
step li.na     2026-07-07T10:30+08:00 do "$id" surveyed --set order_type=A --set trades=single \
  --set responsible="上海华美门窗工程有限公司" --set cost=3600 --set contractor_attended=true --comment "现场查勘：窗框与墙体打胶开裂，门窗单位负责"
step tang.wen  2026-07-07T14:00+08:00 do "$id" approve --comment "审核同意"
step zhao.lei  2026-07-07T16:00+08:00 do "$id" approve --comment "批准"
step huang.bin 2026-07-09T17:00+08:00 do "$id" completed
step huang.bin 2026-07-10T09:30+08:00 do "$id" passed
step li.na     2026-07-10T10:00+08:00 do "$id" signed
step li.na     2026-07-13T10:00+08:00 do "$id" called --comment "回访：淋水试验无渗漏，客户满意"
step li.na     2026-07-14T11:00+08:00 do "$id" settled --set settlement=3600
echo
"$caseflow" history "$id"
echo
"$caseflow" verify
