#!/usr/bin/env bash
# A complaint handling cost walked through its main path in virtual time: the settlement of
# complaint TS-2026-00088 costs 42,000 CNY (above 35,000), so the consumer-association advisor
# reviews it first; then finance, the CS center manager and the VP approve (below 50,000).
# Usage: examples/complaint_cost.sh [path/to/caseflow]
set -euo pipefail
source "$(dirname "$0")/walkthrough.bash" "$@"

id=$(CASEFLOW_USER=zhang.wei "$caseflow" --now 2026-09-07T10:00+08:00 start complaint_cost \
      --set complaint=TS-2026-00088 --set customer=周先生)
echo "opened $id"
step zhang.wei 2026-09-07T15:00+08:00 do "$id" refer_to_panel --set plan="补偿车位使用费两年并修复地库渗水" \
  --set cost=42000 --set review_reason=high_compensation --comment "费用超过35,000元，提请特约顾问审议"
step xu.ming   2026-09-10T11:00+08:00 do "$id" consumer_association_report --set report="客户索赔95,000元依据不足，建议按42,000元方案调解"
step feng.tao  2026-09-11T10:00+08:00 do "$id" approve --comment "费用测算无误"
step wang.fang 2026-09-11T15:00+08:00 do "$id" approve --comment "同意"
step zhao.lei  2026-09-14T09:30+08:00 do "$id" approve --comment "批准"
step zhang.wei 2026-09-18T16:00+08:00 do "$id" done --comment "客户签署和解协议，款项已支付"
echo
"$caseflow" history "$id"
echo
"$caseflow" verify
