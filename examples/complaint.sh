#!/usr/bin/env bash
# A complaint walked through its main (quality) path in virtual time:
# received by email on Friday 2026-02-13 at 17:50, just before the Spring Festival.
# Usage: examples/complaint.sh [path/to/caseflow]
set -euo pipefail
source "$(dirname "$0")/walkthrough.bash" "$@"

id=$(CASEFLOW_USER=zhang.wei "$caseflow" --now 2026-02-13T17:50+08:00 start complaint \
      --set customer=陈先生 --set phone=13900001111 --set channel=email \
      --set summary="3栋1202室卫生间渗水至楼下")
echo "opened $id"
step zhang.wei 2026-02-13T17:58+08:00 do "$id" forward --set category=engineering_quality --set department=engineering
step liu.yang  2026-02-14T10:30+08:00 do "$id" answer --set cause="卫生间防水层破损" --comment "已现场查看，确认渗水点"
step zhang.wei 2026-02-14T11:00+08:00 note "$id" "电话告知客户处理进度"
step zhang.wei 2026-02-14T15:00+08:00 do "$id" investigate
step zhang.wei 2026-02-24T10:00+08:00 do "$id" propose --set plan="重做防水层并修复楼下吊顶，工期5天"
step zhang.wei 2026-02-24T16:00+08:00 do "$id" agreed
step liu.yang  2026-03-02T17:00+08:00 do "$id" done --comment "维修完成，闭水试验48小时合格"
step zhang.wei 2026-03-03T10:00+08:00 do "$id" satisfied
echo
"$caseflow" history "$id"
echo
"$caseflow" verify
