#!/usr/bin/env bash
# An urgent manufacturing complaint walked through its main path in virtual time: 华东汽配 finds
# connector pins bent in lot 20260328-02 and wants a written reply within 8 hours; containment
# in 2 hours, cause analysed by production, QE accepts, 8D report sent, effectiveness confirmed.
# The report number is 8D + date + serial: 8D20260331001 (the documents' example: 8D20170331001).
# Usage: examples/complaint_8d.sh [path/to/caseflow]
set -euo pipefail
source "$(dirname "$0")/walkthrough.bash" "$@"

id=$(CASEFLOW_USER=bai.xue "$caseflow" --now 2026-03-31T08:40+08:00 start complaint_8d \
      --set customer="华东汽配有限公司" --set product="JX-12连接器 批号20260328-02" --set channel=email \
      --set defect="来料抽检3000件，端子弯针42件" --set urgency=urgent)
echo "opened $id"
step bai.xue 2026-03-31T08:50+08:00 do "$id" urgent --set customer_deadline=8h --comment "批量性不良，已电话转QE专案处理"
step shi.lei 2026-03-31T10:45+08:00 do "$id" contained --set containment="在库及在途2万件全检隔离，派2人到客户端挑选" \
  --comment "品保部经理、生产部经理会议确定补救方案"
step yu.hai  2026-03-31T13:30+08:00 do "$id" analysed --set root_cause="插针工位治具磨损，定位偏移" --set responsibility=internal \
  --set corrective_action="更换治具并纳入每班点检，增加弯针全检工序"
step shi.lei 2026-03-31T14:00+08:00 do "$id" accepted
step shi.lei 2026-03-31T15:30+08:00 do "$id" sent --set written_reply="8D报告已邮件回复客户"
step shi.lei 2026-04-14T10:00+08:00 do "$id" effective --comment "连续两周来料零弯针，治具点检纳入作业标准"
echo
"$caseflow" history "$id"
echo
"$caseflow" verify
