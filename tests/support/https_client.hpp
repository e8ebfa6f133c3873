#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "tests/support/http.hpp"

namespace leadsync::testing {

// One blocking HTTPS request to 127.0.0.1:`port` that trusts only the
// certificate in `trusted` (a self-signed one from MakeCertificate) and
// checks it names "localhost". status 0 when the handshake, the
// verification or the exchange fails. For tests only.
[[nodiscard]] HttpResult HttpsRequest(std::uint16_t port, const std::filesystem::path& trusted,
                                      const std::string& method, const std::string& target,
                                      const std::string& body = "",
                                      const std::map<std::string, std::string>& headers = {});

// The suite a TLS handshake with 127.0.0.1:`port` settles on when the client
// offers TLS 1.2 with only `tls12_ciphers` (OpenSSL's names, such as
// "AES128-SHA"), or, given "", TLS 1.3 with OpenSSL's defaults. Empty when
// the server refuses. No certificate check: this is about the suites.
[[nodiscard]] std::string NegotiatedCipher(std::uint16_t port, const std::string& tls12_ciphers);

}  // namespace leadsync::testing
