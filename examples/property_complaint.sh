#!/usr/bin/env bash
# A property-management complaint walked through its main path in virtual time: an owner
# phones the front desk at 09:12 about a lift stuck between floors; dispatched in 3 minutes,
# progress reported, fixed the next morning, checked by the department head, return visit the same day.
# Usage: examples/property_complaint.sh [path/to/caseflow]
set -euo pipefail
source "$(dirname "$0")/walkthrough.bash" "$@"

id=$(CASEFLOW_USER=jiang.tao "$caseflow" --now 2026-05-18T09:12+08:00 start property_complaint \
      --set owner=赵女士 --set unit="5栋2单元1801" --set channel=phone --set complaint="5栋2单元电梯频繁停运，今早困梯10分钟")
echo "opened $id"
step jiang.tao 2026-05-18T09:15+08:00 do "$id" dispatch --set department=engineering
step xie.jun   2026-05-18T16:30+08:00 do "$id" report_progress --set progress="已联系电梯维保单位，更换门机控制板，配件明早到货" \
  --comment "已电话告知业户"
step jiang.tao 2026-05-18T17:00+08:00 tick
step xie.jun   2026-05-19T10:40+08:00 do "$id" done --set result="更换门机控制板，试运行2小时正常"
step pan.yue   2026-05-19T11:00+08:00 do "$id" checked
step jiang.tao 2026-05-19T15:00+08:00 do "$id" satisfied --comment "电话回访，业户满意，回执存档"
echo
"$caseflow" history "$id"
echo
"$caseflow" verify
