#!/usr/bin/env bash
# A move-in handover walked through its main path in virtual time: 翠湖天地三期, 320 households,
# concentrated handover from Saturday 2026-06-27; preparation team formed 1.5 months before,
# mock inspection 45 days before, two on-site days with debriefs, repairs tracked, feedback report.
# Usage: examples/move_in.sh [path/to/caseflow]
set -euo pipefail
source "$(dirname "$0")/walkthrough.bash" "$@"

id=$(CASEFLOW_USER=wang.fang "$caseflow" --now 2026-05-06T10:00+08:00 start move_in \
      --set project="翠湖天地三期" --set move_in_date=2026-06-27 --set households=320)
echo "opened $id"
step wang.fang  2026-05-08T15:00+08:00 do "$id" form_team --set team_formed_on=2026-05-08 \
  --set plan="入住工作计划安排表：营销、财务、物业、项目、设计各部门任务及完成时间" --comment "入住前期准备工作小组成立"
step zheng.hui  2026-05-11T11:00+08:00 do "$id" lists_ready --set households_ready=312 --set households_owing=46
step tang.ming 2026-05-12T17:00+08:00 do "$id" inspected --set mock_inspection_on=2026-05-12 --set defects_found=87 \
  --comment "模拟验房发现87项问题，已移交项目经理部"
step zhu.hong   2026-06-10T16:00+08:00 do "$id" repaired --set defects_repaired_on=2026-06-10 --comment "87项全部返修完毕"
step zheng.hui  2026-06-12T10:00+08:00 do "$id" notices_sent --set notices_sent_on=2026-06-12
step tang.ming 2026-06-26T16:00+08:00 do "$id" site_ready --comment "现场清洁布置完毕；住户手册、质量保证书到位"
step wang.fang  2026-06-27T08:30+08:00 do "$id" open_day
step wang.fang  2026-06-27T18:30+08:00 do "$id" debrief --set households_moved_in=146 --set repairs_raised=23 \
  --set repair_orders="WX-2026-00101至WX-2026-00123" --comment "入住快报：办理146户，面积补差结清21户，现场报修23项"
step wang.fang  2026-06-28T08:30+08:00 do "$id" open_day
step wang.fang  2026-06-28T18:20+08:00 do "$id" debrief --set households_moved_in=268 --set repairs_raised=35 \
  --set repair_orders="WX-2026-00101至WX-2026-00135" --comment "入住快报：累计办理268户，新增报修12项"
step wang.fang  2026-06-28T18:40+08:00 do "$id" handover_ended
step zhang.wei  2026-07-03T17:00+08:00 do "$id" repairs_update --set repairs_completed=26 --comment "26项维修已完成并经业主签认"
step zhang.wei  2026-07-10T17:00+08:00 do "$id" all_repaired --set repairs_completed=35
step zhang.wei  2026-07-15T10:00+08:00 do "$id" report --set feedback_report="入住客户反馈分析：交付满意度较高，主要问题为门窗密封与墙面空鼓"
step zhao.lei   2026-07-16T09:30+08:00 do "$id" accepted --comment "同意，报告发各相关部门"
echo
"$caseflow" history "$id"
echo
"$caseflow" verify
