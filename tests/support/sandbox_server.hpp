#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "sandbox/sandbox.hpp"

namespace leadsync::testing {

// A Sandbox on 127.0.0.1:0 served by its own io_context thread, for tests
// that talk to it over a real socket. The destructor stops the thread.
class SandboxServer final {
 public:
  explicit SandboxServer(SandboxOptions options = {});
  ~SandboxServer();
  SandboxServer(const SandboxServer&) = delete;
  SandboxServer& operator=(const SandboxServer&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  // "http://127.0.0.1:PORT", an api_host for the client.
  [[nodiscard]] std::string url() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
  std::uint16_t port_ = 0;
};

// GET `target` from 127.0.0.1:`port` and parse the answer; null unless 200 with JSON.
[[nodiscard]] boost::json::value GetJson(std::uint16_t port, const std::string& target);

}  // namespace leadsync::testing
