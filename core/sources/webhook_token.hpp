#pragma once

#include <array>
#include <string>
#include <string_view>

namespace leadsync {

// Who may post to a webhook: whoever presents its token. With the header
// "Authorization" (the default, any case) the value must be "Bearer TOKEN"
// (the scheme in any case); with any other header name (X-Api-Key...) the
// whole value is the token, for senders that can only set a fixed header.
// Surrounding blanks are ignored.
//
// The comparison takes the same time whatever the presented value: both
// sides are hashed (SHA-256) and the digests compared with CRYPTO_memcmp,
// so neither the token's content nor its length leaks through timing. Only
// the digest is kept. Immutable, so safe from any thread.
class WebhookToken final {
 public:
  WebhookToken(std::string header, std::string_view token);

  // The header that carries the token.
  [[nodiscard]] const std::string& header() const { return header_; }
  // Whether that header carries "Bearer TOKEN" (for WWW-Authenticate).
  [[nodiscard]] bool bearer() const { return bearer_; }
  // `value`: the header's value as received (empty when absent).
  [[nodiscard]] bool Accepts(std::string_view value) const;

 private:
  using Digest = std::array<unsigned char, 32>;
  [[nodiscard]] static Digest Hash(std::string_view text);

  std::string header_;
  bool bearer_;
  Digest digest_;
};

}  // namespace leadsync
