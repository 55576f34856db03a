// caseflow/hash.h — SHA-256, as used for definition identities, the event chain,
// attachments and personal-data digests. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace caseflow {

// Lower-case hex SHA-256 of `data` (64 characters).
std::string sha256_hex(std::string_view data);

// Incremental SHA-256 for data that arrives in parts. Non-copyable handle.
class sha256 {
 public:
  sha256();
  ~sha256();
  sha256(const sha256&) = delete;
  sha256& operator=(const sha256&) = delete;
  void update(std::string_view data);
  // REQUIRES: called once; the object cannot be updated afterwards.
  std::string finish_hex();

 private:
  void* context_;
};

}  // namespace caseflow
