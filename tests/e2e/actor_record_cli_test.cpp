// One actor, one record (issue: trust): notes and assignments are for the people of the case's
// procedure, not for everyone in org.yaml, and an assignment can be taken back.
#include <string>

#include <doctest/doctest.h>

#include "e2e/cli_runner.h"
#include "e2e/cli_session.h"

namespace caseflow::test {
namespace {

const std::string k_at = "2026-03-02T10:00+08:00";

TEST_CASE("actors: a person without a role of the procedure may neither note, assign nor unassign") {
  cli_session s;
  const std::string id = s.start("zhang.wei", k_at, "complaint", {"customer=张三", "channel=phone", "summary=漏水"});
  // 周敏 is the legal advisor; complaint.yaml's roles (its `roles:`) do not include legal_advisor.
  s.refused("zhou.min", k_at, {"note", id, "我来看看"},
            "caseflow: zhou.min may not add a note to case " + id +
                ": it needs a role of procedure complaint (cs_specialist, cs_manager, dept_handler, dept_head, vp, "
                "group_coordinator), which zhou.min does not hold\n");
  s.refused("zhou.min", k_at, {"assign", id, "li.na"},
            "caseflow: zhou.min may not assign case " + id +
                ": it needs a role of procedure complaint (cs_specialist, cs_manager, dept_handler, dept_head, vp, "
                "group_coordinator), which zhou.min does not hold\n");
  // A specialist may: the note, then the case given to 李娜 and taken back.
  s.must("zhang.wei", k_at, {"note", id, "客户来电"});
  CHECK(s.must("zhang.wei", k_at, {"assign", id, "li.na"}) == id + ": assigned to li.na\n");
  s.refused("zhou.min", k_at, {"unassign", id},
            "caseflow: zhou.min may not unassign case " + id +
                ": it needs a role of procedure complaint (cs_specialist, cs_manager, dept_handler, dept_head, vp, "
                "group_coordinator), which zhou.min does not hold\n");
  CHECK(s.must("wang.fang", k_at, {"unassign", id}) == id + ": unassigned\n");
  CHECK(s.show(id, k_at)["assignee"] == "");
  s.refused("wang.fang", k_at, {"unassign", id}, "caseflow: case " + id + " is not assigned to anyone\n");
  CHECK(s.at(k_at, {"verify"}).exit_code == 0);
}

}  // namespace
}  // namespace caseflow::test
