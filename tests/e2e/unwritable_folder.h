// unwritable_folder.h — a folder the caseflow under test may read but not write, as an auditor's
// copy on read-only storage or another user's folder is. Root writes anywhere, so when the tests
// run as root the folder and every file in it are given to nobody (65534), the folder's mode drops
// to 0555 and the child runs as nobody through setpriv(1) (util-linux), from a copy of the binary
// in a folder nobody may enter (the build tree may sit under root's home); otherwise only the
// mode drops. The destructor makes the folder writable again, so scratch_dir can remove it.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "e2e/cli_runner.h"

namespace caseflow::test {

class unwritable_folder {
 public:
  explicit unwritable_folder(std::filesystem::path folder) : folder_(std::move(folder)) {
    if (as_root_) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(folder_))
        REQUIRE(::chown(entry.path().c_str(), k_nobody, k_nobody) == 0);
      REQUIRE(::chown(folder_.c_str(), k_nobody, k_nobody) == 0);
      std::filesystem::permissions(binary_dir_.path(), std::filesystem::perms(0755));
      std::filesystem::copy_file(CASEFLOW_BINARY, binary_dir_.file("caseflow"));
    }
    REQUIRE(::chmod(folder_.c_str(), 0555) == 0);
  }
  ~unwritable_folder() { ::chmod(folder_.c_str(), 0755); }
  unwritable_folder(const unwritable_folder&) = delete;
  unwritable_folder& operator=(const unwritable_folder&) = delete;

  // Runs the caseflow binary under test as a user who may not write the folder; its output goes
  // to `output` (a folder of its own: the child cannot create files in this one).
  run_result run_caseflow(const std::vector<std::string>& args, const scratch_dir& output,
                          const env_list& env = {}) const {
    if (!as_root_) return run(CASEFLOW_BINARY, args, env, output.path());
    std::vector<std::string> as_nobody{"--reuid=65534", "--regid=65534", "--clear-groups", binary_dir_.file("caseflow")};
    as_nobody.insert(as_nobody.end(), args.begin(), args.end());
    return run("/usr/bin/setpriv", as_nobody, env, output.path());
  }

 private:
  static constexpr uid_t k_nobody = 65534;
  std::filesystem::path folder_;
  bool as_root_ = ::geteuid() == 0;
  scratch_dir binary_dir_;
};

}  // namespace caseflow::test
