#!/usr/bin/env bash
# A compensation claim walked through its main path in virtual time: a burst heating pipe
# floods 3栋1202室 and ruins the owner's wooden floor; the plumbing contractor signs the
# acknowledgement, 15,800 CNY is approved by the CS center manager (contractor's share ≤ 20,000) and paid.
# Usage: examples/compensation_refund_exchange.sh [path/to/caseflow]
set -euo pipefail
source "$(dirname "$0")/walkthrough.bash" "$@"

id=$(CASEFLOW_USER=zhang.wei "$caseflow" --now 2026-11-09T10:00+08:00 start compensation_refund_exchange \
      --set customer=陈先生 --set phone=13900001111 --set address="3栋1202室" --set request=compensation \
      --set loss="地暖管爆裂，客厅及主卧实木地板泡水损坏约42平方米")
echo "opened $id"
step zhang.wei 2026-11-10T15:00+08:00 do "$id" compensation_claim --set responsibility=contractor
step zhang.wei 2026-11-11T10:00+08:00 do "$id" contractor_signed --set contractor="上海恒通水暖安装有限公司" \
  --comment "承包商签署责任确认书"
step zhang.wei 2026-11-11T16:00+08:00 do "$id" propose --set amount=15800 --set plan="承包商质保金中扣付地板更换费用15,800元" \
  --comment "报价依据：同品牌地板42平方米含安装"
step wang.fang 2026-11-12T10:00+08:00 do "$id" approve --comment "同意"
step zhang.wei 2026-11-16T15:00+08:00 do "$id" paid --comment "已从质保金转付客户，客户签收"
echo
"$caseflow" history "$id"
echo
"$caseflow" verify
