// The `log` channel: appends the message's line to CASEFLOW_NOTIFY_LOG (one line per
// notification, "<time> <line>"; newlines inside are replaced by spaces).
#include <fstream>

#include <fmt/format.h>

#include "builtins.h"

namespace caseflow::actions {

namespace {

class log_sender final : public channel_sender {
 public:
  explicit log_sender(const delivery_config& config) : path_(config.log_path) {}

  std::string_view channel() const override { return "log"; }

  delivery_result send(const outbox_entry& message) override {
    std::string line = message.payload.value("line", "");
    for (char& ch : line)
      if (ch == '\n' || ch == '\r') ch = ' ';
    std::ofstream out(path_, std::ios::app | std::ios::binary);
    if (!out) return delivery_result::failed(fmt::format("log: cannot open {}", path_));
    out << fmt::format("{} {} {}\n", format_instant_utc(message.created_at), message.idempotency_key.substr(0, 12), line);
    out.flush();
    return out ? delivery_result::ok() : delivery_result::failed(fmt::format("log: cannot write {}", path_));
  }

 private:
  std::string path_;
};

}  // namespace

std::unique_ptr<channel_sender> make_log_sender(const delivery_config& config) {
  return std::make_unique<log_sender>(config);
}

}  // namespace caseflow::actions
