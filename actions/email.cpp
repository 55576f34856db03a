// The `email` channel: one message per recipient address over SMTP (libcurl), from
// CASEFLOW_SMTP_FROM via CASEFLOW_SMTP_URL, logging in with CASEFLOW_SMTP_USER /
// CASEFLOW_SMTP_PASSWORD when given (STARTTLS is used when the server offers it). UTF-8 text;
// the subject is RFC 2047 encoded so Chinese survives. The message carries the idempotency
// key as its Message-ID. Errors never repeat the server URL or the credentials.
#include <curl/curl.h>
#include <fmt/format.h>
#include <openssl/evp.h>

#include "builtins.h"

namespace caseflow::actions {

namespace {

std::string base64(std::string_view text) {
  std::string out(4 * ((text.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

struct upload {
  std::string_view data;
  std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t n, void* user) {
  auto* u = static_cast<upload*>(user);
  const std::size_t len = std::min(size * n, u->data.size() - u->offset);
  std::copy_n(u->data.data() + u->offset, len, buffer);
  u->offset += len;
  return len;
}

class email_sender final : public channel_sender {
 public:
  explicit email_sender(const delivery_config& config)
      : url_(config.smtp_url), from_(config.smtp_from), user_(config.smtp_user), password_(config.smtp_password),
        timeout_seconds_(config.smtp_timeout_seconds) {
    ensure_curl();
  }

  std::string_view channel() const override { return "email"; }

  delivery_result send(const outbox_entry& message) override {
    const std::string text = fmt::format(
        "From: <{}>\r\nTo: <{}>\r\nSubject: =?UTF-8?B?{}?=\r\nMessage-ID: <{}@caseflow>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n",
        from_, message.recipient, base64(message.payload.value("subject", "")), message.idempotency_key,
        base64(message.payload.value("body", "")));
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) return delivery_result::failed("email: cannot create an SMTP client");
    curl_slist* rcpt = curl_slist_append(nullptr, fmt::format("<{}>", message.recipient).c_str());
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt_list(rcpt, curl_slist_free_all);
    upload body{text};
    CURL* h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, fmt::format("<{}>", from_).c_str());
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(h, CURLOPT_READDATA, &body);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
    curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout_seconds_);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (!user_.empty()) {
      curl_easy_setopt(h, CURLOPT_USERNAME, user_.c_str());
      curl_easy_setopt(h, CURLOPT_PASSWORD, password_.c_str());
    }
    const CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK) return delivery_result::failed(fmt::format("email: {}", curl_easy_strerror(rc)));
    return delivery_result::ok();
  }

 private:
  std::string url_;
  std::string from_;
  std::string user_;
  std::string password_;
  long timeout_seconds_;
};

}  // namespace

std::unique_ptr<channel_sender> make_email_sender(const delivery_config& config) {
  return std::make_unique<email_sender>(config);
}

}  // namespace caseflow::actions
