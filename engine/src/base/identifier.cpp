// The rule for case and person ids. See caseflow/identifier.h.
#include "caseflow/identifier.h"

#include <cstdint>

#include <fmt/format.h>

namespace caseflow {

namespace {

constexpr std::size_t k_max_identifier = 64;

bool alphanumeric(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// The character at s[i] as a message shows it: printable ASCII quoted, anything else by its
// code point (a byte that does not start UTF-8 by its value).
std::string shown(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c >= 0x20 && c < 0x7F) return fmt::format("'{}'", static_cast<char>(c));
  const std::size_t length = c < 0x80 ? 1 : c >= 0xC2 && c < 0xE0 ? 2 : c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xF0 && c < 0xF5 ? 4 : 0;
  if (length == 0 || i + length > s.size()) return fmt::format("the byte 0x{:02X}", c);
  std::uint32_t cp = length == 1 ? c : (c & (0xFFu >> (length + 1)));
  for (std::size_t k = 1; k < length; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
  return fmt::format("U+{:04X}", cp);
}

}  // namespace

std::string identifier_problem(std::string_view id) {
  if (id.empty()) return "it is empty";
  if (!alphanumeric(id.front())) return fmt::format("it starts with {}", shown(id, 0));
  for (std::size_t i = 1; i < id.size(); ++i)
    if (!alphanumeric(id[i]) && id[i] != '.' && id[i] != '_' && id[i] != '-')
      return fmt::format("it has {} at position {}", shown(id, i), i + 1);
  if (id.size() > k_max_identifier) return fmt::format("it has {} characters, more than {}", id.size(), k_max_identifier);
  return "";
}

std::string look_alike_key(std::string_view id) {
  std::string key;
  key.reserve(id.size());
  for (char c : id) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    key += c == 'o' ? '0' : c == 'l' || c == 'i' ? '1' : c;
  }
  return key;
}

}  // namespace caseflow
