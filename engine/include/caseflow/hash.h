// caseflow/hash.h — SHA-256, as used for definition identities, the event chain and
// attachments, and HMAC-SHA-256 for keyed digests (personal data). Thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace caseflow {

// Lower-case hex SHA-256 of `data` (64 characters).
std::string sha256_hex(std::string_view data);

// Lower-case hex HMAC-SHA-256 of `data` under `key` (64 characters). Without the key, the
// digest confirms no guess of `data`.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// `count` bytes from the operating system's random source, as lower-case hex. Throws
// std::runtime_error when none are available.
std::string random_hex(std::size_t count);

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
