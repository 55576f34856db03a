// notify_servers.h — tiny in-process receivers for the notification tests: an HTTP server
// that records webhook POSTs and an SMTP sink that records mail, both on 127.0.0.1 with an
// ephemeral port, each served by one thread; plus bodies(), the JSON documents a webhook
// server received. Header-only (the test glob builds *_test.cpp).
// Each object is a handle: non-copyable; the thread stops when it is destroyed.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace caseflow::test {

// A listening socket on 127.0.0.1 and a thread that serves one connection at a time.
class local_server {
 public:
  local_server() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int yes = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 16);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  virtual ~local_server() { ::close(fd_); }
  local_server(const local_server&) = delete;
  local_server& operator=(const local_server&) = delete;

  int port() const { return port_; }

 protected:
  // Starts the accept loop; call from the derived constructor.
  void start() {
    thread_ = std::thread([this] {
      while (!stop_) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        const int conn = ::accept(fd_, nullptr, nullptr);
        if (conn < 0) continue;
        serve(conn);
        ::close(conn);
      }
    });
  }
  // Stops the loop; call from the derived destructor.
  void finish() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  virtual void serve(int conn) = 0;

  // Reads until `end` appears (returns what was read, or "" when the peer went or we stop).
  std::string read_until(int conn, std::string& buffer, const std::string& end) {
    for (;;) {
      if (auto at = buffer.find(end); at != std::string::npos) {
        std::string head = buffer.substr(0, at + end.size());
        buffer.erase(0, at + end.size());
        return head;
      }
      pollfd p{conn, POLLIN, 0};
      if (stop_) return "";
      if (::poll(&p, 1, 50) <= 0) continue;
      char chunk[4096];
      const ssize_t n = ::read(conn, chunk, sizeof chunk);
      if (n <= 0) return "";
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
  }
  static void write_all(int conn, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = ::send(conn, text.data() + done, text.size() - done, MSG_NOSIGNAL);  // peer may be gone
      if (n <= 0) return;
      done += static_cast<std::size_t>(n);
    }
  }

  std::atomic<bool> stop_{false};

 private:
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

// Records every POST (headers and body). The first `fail_first` requests get HTTP 500;
// while `hang` is set a request is read but never answered (until `hang` is cleared).
class webhook_server final : public local_server {
 public:
  struct request {
    std::string head;
    std::string body;
  };
  webhook_server() { start(); }
  ~webhook_server() override { finish(); }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()) + "/hook"; }
  std::vector<request> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  std::atomic<int> fail_first{0};
  std::atomic<bool> hang{false};
  std::atomic<int> delay_ms{0};  // how long each answer takes (a slow receiver)

 private:
  void serve(int conn) override {
    std::string buffer;
    const std::string head = read_until(conn, buffer, "\r\n\r\n");
    if (head.empty()) return;
    std::size_t length = 0;
    for (const char* name : {"Content-Length: ", "content-length: "})
      if (auto at = head.find(name); at != std::string::npos) length = std::stoul(head.substr(at + std::strlen(name)));
    while (buffer.size() < length) {
      char chunk[4096];
      const ssize_t n = ::read(conn, chunk, sizeof chunk);
      if (n <= 0) break;
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
    int index = 0;
    {
      std::lock_guard lock(mutex_);
      requests_.push_back({head, buffer.substr(0, length)});
      index = static_cast<int>(requests_.size());
    }
    while (hang && !stop_) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms.load()));
    const bool fail = index <= fail_first;
    write_all(conn, fail ? "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\nConnection: close\r\n\r\noops"
                         : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
  }

  std::mutex mutex_;
  std::vector<request> requests_;
};

// The body of every request `hook` has received so far, in order, parsed as JSON.
inline std::vector<nlohmann::json> bodies(webhook_server& hook) {
  std::vector<nlohmann::json> out;
  for (const auto& r : hook.requests()) out.push_back(nlohmann::json::parse(r.body));
  return out;
}

// Accepts all mail (advertising AUTH PLAIN and accepting any credentials) and records it.
class smtp_sink final : public local_server {
 public:
  struct mail {
    std::string from;
    std::vector<std::string> to;
    std::string data;
  };
  smtp_sink() { start(); }
  ~smtp_sink() override { finish(); }

  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port()); }
  std::vector<mail> mails() {
    std::lock_guard lock(mutex_);
    return mails_;
  }

 private:
  void serve(int conn) override {
    std::string buffer;
    mail current;
    write_all(conn, "220 sink ESMTP\r\n");
    for (;;) {
      const std::string line = read_until(conn, buffer, "\r\n");
      if (line.empty()) return;
      const std::string verb = line.substr(0, 4);
      if (verb == "EHLO" || verb == "HELO") {
        write_all(conn, "250-sink\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n");
      } else if (verb == "AUTH") {
        if (line.find("PLAIN ") == std::string::npos || line.size() <= 12) {
          write_all(conn, "334 \r\n");
          read_until(conn, buffer, "\r\n");
        }
        write_all(conn, "235 ok\r\n");
      } else if (verb == "MAIL") {
        current = {};
        current.from = line;
        write_all(conn, "250 ok\r\n");
      } else if (verb == "RCPT") {
        current.to.push_back(line);
        write_all(conn, "250 ok\r\n");
      } else if (verb == "DATA") {
        write_all(conn, "354 go on\r\n");
        current.data = read_until(conn, buffer, "\r\n.\r\n");
        {
          std::lock_guard lock(mutex_);
          mails_.push_back(current);
        }
        write_all(conn, "250 queued\r\n");
      } else if (verb == "QUIT") {
        write_all(conn, "221 bye\r\n");
        return;
      } else {
        write_all(conn, "250 ok\r\n");
      }
    }
  }

  std::mutex mutex_;
  std::vector<mail> mails_;
};

}  // namespace caseflow::test
