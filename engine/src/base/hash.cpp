#include "caseflow/hash.h"

#include <memory>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace caseflow {

namespace {
std::string to_hex(const unsigned char* bytes, unsigned length) {
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string hex(std::size_t{length} * 2, '0');
  for (unsigned i = 0; i < length; ++i) {
    hex[2 * i] = k_digits[bytes[i] >> 4];
    hex[2 * i + 1] = k_digits[bytes[i] & 0xF];
  }
  return hex;
}
}  // namespace

sha256::sha256() : context_(EVP_MD_CTX_new()) {
  if (!context_ || EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(context_), EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 is not available from libcrypto");
}

sha256::~sha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(context_)); }

void sha256::update(std::string_view data) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(context_), data.data(), data.size());
}

std::string sha256::finish_hex() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(context_), digest, &length);
  return to_hex(digest, length);
}

std::string sha256_hex(std::string_view data) {
  // OpenSSL 3 looks the algorithm up on every EVP_sha256() digest; fetch it once and reuse
  // one context per thread (the event chain hashes once per event).
  static EVP_MD* const k_sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  if (!k_sha256 || !context || EVP_DigestInit_ex(context.get(), k_sha256, nullptr) != 1 ||
      EVP_DigestUpdate(context.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(context.get(), digest, &length) != 1)
    throw std::runtime_error("SHA-256 is not available from libcrypto");
  return to_hex(digest, length);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
            data.size(), digest, &length))
    throw std::runtime_error("HMAC-SHA-256 is not available from libcrypto");
  return to_hex(digest, length);
}

std::string random_hex(std::size_t count) {
  std::string bytes(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1)
    throw std::runtime_error("no random bytes are available from the operating system");
  return to_hex(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<unsigned>(count));
}

}  // namespace caseflow
