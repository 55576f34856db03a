// The `webhook` channel: HTTP POST of the message's JSON document (plus its idempotency key
// and outbox id) to CASEFLOW_WEBHOOK_URL, with a per-attempt timeout. Headers:
// Content-Type: application/json; Idempotency-Key: <key>; Authorization: Bearer <token>
// when CASEFLOW_WEBHOOK_TOKEN is set. Any 2xx answer is a delivery; errors never repeat the
// URL (it may hold credentials) or the token.
#include <curl/curl.h>
#include <fmt/format.h>

#include "builtins.h"

namespace caseflow::actions {

namespace {

std::size_t discard(char*, std::size_t size, std::size_t n, void*) { return size * n; }

class webhook_sender final : public channel_sender {
 public:
  explicit webhook_sender(const delivery_config& config)
      : url_(config.webhook_url), token_(config.webhook_token), timeout_seconds_(config.webhook_timeout_seconds) {
    ensure_curl();
  }

  std::string_view channel() const override { return "webhook"; }

  delivery_result send(const outbox_entry& message) override {
    nlohmann::json document = message.payload;
    document["idempotency_key"] = message.idempotency_key;
    document["outbox_id"] = message.id;
    const std::string body = document.dump();
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) return delivery_result::failed("webhook: cannot create an HTTP client");
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Content-Type: application/json; charset=utf-8");
    headers = curl_slist_append(headers, fmt::format("Idempotency-Key: {}", message.idempotency_key).c_str());
    if (!token_.empty()) headers = curl_slist_append(headers, fmt::format("Authorization: Bearer {}", token_).c_str());
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers, curl_slist_free_all);
    CURL* h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout_seconds_);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    const CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK) return delivery_result::failed(fmt::format("webhook: {}", curl_easy_strerror(rc)));
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299) return delivery_result::failed(fmt::format("webhook: HTTP {}", status));
    return delivery_result::ok();
  }

 private:
  std::string url_;
  std::string token_;
  long timeout_seconds_;
};

}  // namespace

std::unique_ptr<channel_sender> make_webhook_sender(const delivery_config& config) {
  return std::make_unique<webhook_sender>(config);
}

}  // namespace caseflow::actions
