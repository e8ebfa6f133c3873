#pragma once

#include <memory>
#include <string_view>

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace leadsync::net {

// A TLS server context for a PEM certificate chain and its PEM private key,
// given as text (read with the config, so that a reload after a renewal
// brings the new pair). It speaks TLS 1.3, and TLS 1.2 with ECDHE and AEAD
// suites only (Mozilla's "intermediate" set without DHE): every session has
// forward secrecy; no RSA key exchange, no CBC suite such as AES128-SHA. Throws std::runtime_error saying
// which of the two is unusable and why; never includes their contents.
[[nodiscard]] std::shared_ptr<boost::asio::ssl::context> MakeServerTlsContext(
    std::string_view certificate_chain, std::string_view private_key);

}  // namespace leadsync::net
