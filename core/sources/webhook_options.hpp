#pragma once

#include <cstdint>
#include <string>

#include "core/sources/ingest.hpp"

namespace leadsync {

// A webhook source's settings (daemon/options makes them from
// `type: webhook`). `token` and `tls_key` are secrets: the token is only
// compared, the key only loaded into the TLS context.
struct WebhookOptions {
  IngestOptions ingest{};
  std::string listen{};                        // host:port
  std::string token{};                         // what a sender presents
  std::string token_header = "Authorization";  // "Authorization" means "Bearer TOKEN"
  std::uint64_t max_body = std::uint64_t{1024} * 1024;
  std::string tls_certificate{};  // PEM; empty: plain HTTP
  std::string tls_key{};          // PEM

  [[nodiscard]] bool tls() const { return !tls_certificate.empty(); }
};

}  // namespace leadsync
