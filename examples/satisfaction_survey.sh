#!/usr/bin/env bash
# A project's first year of satisfaction surveys walked through in virtual time: 翠湖天地三期
# moved in on 2026-06-27; the first return visit reaches 291 of 312 households (93%); two
# surveys within the year: a phone survey (score 82, satisfied) and a home-visit survey that is
# topped up after 24% non-response (score 91, very satisfied).
# Usage: examples/satisfaction_survey.sh [path/to/caseflow]
set -euo pipefail
source "$(dirname "$0")/walkthrough.bash" "$@"

id=$(CASEFLOW_USER=zhang.wei "$caseflow" --now 2026-07-20T10:00+08:00 start satisfaction_survey \
      --set project="翠湖天地三期" --set move_in_date=2026-06-27)
echo "opened $id"
step zhang.wei 2026-08-14T17:00+08:00 do "$id" visited --set households_moved_in=312 --set households_visited=291
step zhang.wei 2026-08-17T10:00+08:00 do "$id" submit_plan --set topic="入住交付与物业服务" --set method=phone \
  --set sample_size=120 --comment "调查小组2组4人，8月24日至9月4日完成"
step zhao.lei  2026-08-18T09:30+08:00 do "$id" approve
step zhang.wei 2026-09-04T17:00+08:00 do "$id" results_in --set responses=103
step zhang.wei 2026-09-08T11:00+08:00 do "$id" scored --set score=82 --set band=satisfied
step wang.fang 2026-09-09T15:00+08:00 do "$id" published --set first_survey_on=2026-09-09 --comment "结果发布至工程、物业，要求门窗密封问题限期整改"
step wang.fang 2026-09-09T15:10+08:00 do "$id" next_survey
step zhang.wei 2026-12-01T10:00+08:00 do "$id" submit_plan --set topic="入住半年综合满意度" --set method=home_visit \
  --set sample_size=100 --comment "上门回访，12月15日前完成"
step zhao.lei  2026-12-02T09:30+08:00 do "$id" approve
step zhang.wei 2026-12-15T17:00+08:00 do "$id" top_up --set sample_size=100 --set responses=76 --comment "24户未回复超过20%，补访24户"
step zhang.wei 2026-12-18T17:00+08:00 do "$id" results_in --set responses=92
step zhang.wei 2026-12-21T11:00+08:00 do "$id" scored --set score=91 --set band=very_satisfied
step wang.fang 2026-12-22T15:00+08:00 do "$id" published --set second_survey_on=2026-12-22 --comment "结果发布至各部门"
step wang.fang 2026-12-22T15:10+08:00 do "$id" year_complete --comment "入伙后一年内完成两次有效调查"
echo
"$caseflow" history "$id"
echo
"$caseflow" verify
