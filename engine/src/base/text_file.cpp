// Reading whole files. See caseflow/text_file.h.
#include "caseflow/text_file.h"

#include <fstream>
#include <sstream>

namespace caseflow {

std::optional<std::string> read_text_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) return std::nullopt;
  return text.str();
}

}  // namespace caseflow
