#!/usr/bin/env bash
# An external lawyer engagement walked through its main path in virtual time: the CS center
# selects 李律师 of 上海明诚律师事务所 for a late-delivery suit, agrees a fixed fee of 60,000 CNY,
# finance and the VP approve, the lawyer reports monthly until the case ends.
# Usage: examples/lawyer_engagement.sh [path/to/caseflow]
set -euo pipefail
source "$(dirname "$0")/walkthrough.bash" "$@"

id=$(CASEFLOW_USER=wang.fang "$caseflow" --now 2026-03-13T10:00+08:00 start lawyer_engagement \
      --set legal_case=FL-2026-0001 --set matter="王建国诉逾期交房违约金案一审代理")
echo "opened $id"
step wang.fang 2026-03-13T16:00+08:00 do "$id" selected --set lawyer="李明律师" --set law_firm="上海明诚律师事务所" \
  --comment "比选三家律所，房地产诉讼经验最丰富"
step wang.fang 2026-03-16T10:00+08:00 do "$id" terms_agreed --set fee=60000 --set fee_terms="一审固定收费" --set contract=LS-HT-2026-007
step feng.tao  2026-03-16T15:00+08:00 do "$id" fees_approved --comment "符合律师收费标准"
step zhao.lei  2026-03-17T09:30+08:00 do "$id" authorised --comment "同意方案及律师人选"
step zhang.wei 2026-04-15T16:00+08:00 do "$id" monthly_report --set reports=1 --comment "3月工作汇报：已提交答辩状及证据"
step wang.fang 2026-04-16T10:00+08:00 do "$id" continue --comment "进度正常"
step zhang.wei 2026-05-15T16:00+08:00 do "$id" monthly_report --set reports=2 --comment "4月工作汇报：庭前调解一次"
step wang.fang 2026-05-18T10:00+08:00 do "$id" continue --comment "督促律师准备第二次调解方案"
step zhang.wei 2026-06-22T16:00+08:00 do "$id" case_ended --comment "法院调解结案"
step wang.fang 2026-06-23T10:00+08:00 do "$id" evaluated --set quality=good --comment "执业质量良好，按时汇报"
echo
"$caseflow" history "$id"
echo
"$caseflow" verify
