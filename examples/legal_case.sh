#!/usr/bin/env bash
# A legal case walked through its main path in virtual time: an owner sues over late delivery
# (逾期交房违约金 286,000 元); litigation handled by an external lawyer, engaged through its own
# lawyer_engagement case (LS-...), opened as a sub-case when the VP authorises an external lawyer.
# Usage: examples/legal_case.sh [path/to/caseflow]
set -euo pipefail
source "$(dirname "$0")/walkthrough.bash" "$@"

id=$(CASEFLOW_USER=zhou.min "$caseflow" --now 2026-03-09T10:00+08:00 start legal_case \
      --set summary="业主以逾期交房为由起诉，索赔违约金" --set counterparty="王建国" --set source_case=TS-2026-00031)
echo "opened $id"
step zhou.min  2026-03-09T11:00+08:00 do "$id" legal_case --set kind=litigation
step zhou.min  2026-03-11T16:00+08:00 do "$id" submit --set handling=external_lawyer --set claim=286000 \
  --set plan="应诉：交房延期系政府规划调整所致，主张不可抗力并协商调解" --set evidence="规划调整批文、交房通知书、往来函件"
step wang.fang 2026-03-12T10:00+08:00 do "$id" opinion --set cs_opinion="同意外聘律师应诉，争取调解"
step feng.tao  2026-03-12T15:00+08:00 do "$id" opinion --set finance_opinion="预提诉讼费用5万元"
step zhao.lei  2026-03-13T09:30+08:00 do "$id" authorise_lawyer --set vp_opinion="同意方案，授权客户服务中心选聘律师"
engagement=$("$caseflow" show "$id" --json | sed -n 's/.*"id": "\(LS-[^"]*\)".*/\1/p' | head -1)
echo "sub-case $engagement (lawyer_engagement) opened by the legal case"
step wang.fang 2026-03-16T11:00+08:00 do "$id" engaged --comment "律师已聘定，见外聘律师案件 $engagement"
step zhou.min  2026-06-22T15:00+08:00 do "$id" concluded --set outcome="法院调解结案，支付违约金8万元" --comment "调解书已生效"
echo
"$caseflow" history "$id"
echo
"$caseflow" verify
