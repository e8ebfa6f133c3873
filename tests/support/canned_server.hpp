#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace leadsync::testing {

// What a CannedServer does with one request.
struct CannedReply {
  enum class Action {
    kAnswer,           // write `raw`, keep the connection
    kAnswerThenClose,  // write `raw`, then close the connection
    kClose,            // close the connection without answering
    kHang,             // never answer, keep the connection open
  };
  Action action = Action::kAnswer;
  std::string raw;  // the whole HTTP response, as bytes on the wire
};

// A complete HTTP/1.1 response with Content-Length.
[[nodiscard]] std::string HttpResponse(int status, const std::string& body,
                                       const std::vector<std::pair<std::string, std::string>>& headers = {});

// A scripted HTTP/1.1 server on 127.0.0.1:0 with its own thread, for client
// tests: request N gets reply N (the last one repeats). Counts connections
// and keeps every request's head (request line and headers) for assertions.
class CannedServer final {
 public:
  explicit CannedServer(std::vector<CannedReply> script);
  ~CannedServer();
  CannedServer(const CannedServer&) = delete;
  CannedServer& operator=(const CannedServer&) = delete;

  [[nodiscard]] std::uint16_t port() const;
  [[nodiscard]] int connections() const;
  // Connections the server closed on purpose (kClose, kAnswerThenClose).
  [[nodiscard]] int closed() const;
  [[nodiscard]] std::vector<std::string> request_heads() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace leadsync::testing
