// Digests of personal values. See caseflow/store.h (personal_value).
#include <stdexcept>

#include <fmt/format.h>

#include "caseflow/hash.h"
#include "caseflow/store.h"

namespace caseflow {

std::string personal_digest(std::string_view scheme, std::string_view key, std::string_view case_id,
                            std::string_view field, std::string_view value) {
  if (scheme == k_personal_hmac) return hmac_sha256_hex(key, fmt::format("{}\n{}\n{}", case_id, field, value));
  if (scheme == k_personal_salted) return sha256_hex(fmt::format("{}\n{}\n{}\n{}", key, case_id, field, value));
  throw std::invalid_argument(fmt::format("unknown personal-data digest scheme '{}'", scheme));
}

}  // namespace caseflow
