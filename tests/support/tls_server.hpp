#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace leadsync::testing {

// A self-signed certificate and key made with the openssl tool, for `host`
// (CN and subjectAltName DNS), in `dir`.
struct TestCertificate {
  std::filesystem::path certificate;
  std::filesystem::path key;
};
[[nodiscard]] TestCertificate MakeCertificate(const std::filesystem::path& dir, const std::string& host);

// An HTTPS server on 127.0.0.1:0 with that certificate, on its own thread,
// answering every request 200 with `body`. Stops when destroyed.
class TlsServer final {
 public:
  TlsServer(const TestCertificate& certificate, std::string body);
  ~TlsServer();
  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;

  [[nodiscard]] std::uint16_t port() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace leadsync::testing
