// Comparing personal values for erasure. See erasure/person_match.h.
#include "erasure/person_match.h"

#include <algorithm>
#include <vector>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace caseflow::detail {

namespace {

icu::UnicodeString normalised(const icu::Normalizer2* (*instance)(UErrorCode&), std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = instance(status);
  const icu::UnicodeString source = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  if (U_FAILURE(status)) return source;
  icu::UnicodeString out = n->normalize(source, status);
  return U_FAILURE(status) ? source : out;
}

const icu::Normalizer2* nfkc(UErrorCode& status) { return icu::Normalizer2::getNFKCInstance(status); }
const icu::Normalizer2* nfkc_casefold(UErrorCode& status) { return icu::Normalizer2::getNFKCCasefoldInstance(status); }

// The letters and digits of `text`, case folded, as code points.
std::vector<UChar32> loose_form(std::string_view text) {
  const icu::UnicodeString folded = normalised(nfkc_casefold, text);
  std::vector<UChar32> out;
  for (int32_t i = 0; i < folded.length();) {
    const UChar32 c = folded.char32At(i);
    if (u_isalnum(c)) out.push_back(c);
    i = folded.moveIndex32(i, 1);
  }
  return out;
}

// Whether one substitution, insertion or deletion turns `a` into `b`.
bool one_edit_apart(const std::vector<UChar32>& a, const std::vector<UChar32>& b) {
  const auto& shorter = a.size() <= b.size() ? a : b;
  const auto& longer = a.size() <= b.size() ? b : a;
  if (longer.size() - shorter.size() > 1) return false;
  std::size_t i = 0;
  while (i < shorter.size() && shorter[i] == longer[i]) ++i;
  if (i == shorter.size()) return longer.size() == shorter.size() + 1;  // equal when sizes match: not "apart"
  const std::size_t skip = longer.size() == shorter.size() ? 1 : 0;
  return std::equal(shorter.begin() + static_cast<std::ptrdiff_t>(i + skip), shorter.end(),
                    longer.begin() + static_cast<std::ptrdiff_t>(i + 1));
}

constexpr std::size_t k_min_typo_length = 6;

}  // namespace

std::string lookup_form(std::string_view text) {
  const icu::UnicodeString n = normalised(nfkc, text);
  int32_t begin = 0;
  int32_t end = n.length();
  while (begin < end && u_isUWhiteSpace(n.char32At(begin))) begin = n.moveIndex32(begin, 1);
  while (end > begin) {
    const int32_t last = n.moveIndex32(end, -1);
    if (!u_isUWhiteSpace(n.char32At(last))) break;
    end = last;
  }
  std::string out;
  n.tempSubStringBetween(begin, end).toUTF8String(out);
  return out;
}

person_match match_person(std::string_view wanted, std::string_view stored) {
  if (lookup_form(wanted) == lookup_form(stored)) return person_match::same;
  const auto a = loose_form(wanted);
  const auto b = loose_form(stored);
  if (a.empty() || b.empty()) return person_match::none;
  if (a == b) return person_match::near;
  if (std::min(a.size(), b.size()) >= k_min_typo_length && one_edit_apart(a, b)) return person_match::near;
  return person_match::none;
}

}  // namespace caseflow::detail
