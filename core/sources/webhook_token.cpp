#include "core/sources/webhook_token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace leadsync {
namespace {

constexpr std::string_view kBearer = "bearer";

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
  return text;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

// "Bearer TOKEN" -> "TOKEN"; anything else -> "".
std::string_view BearerCredential(std::string_view value) {
  value = Trim(value);
  if (value.size() <= kBearer.size() || !EqualsIgnoringCase(value.substr(0, kBearer.size()), kBearer) ||
      !IsBlank(value[kBearer.size()])) {
    return {};
  }
  return Trim(value.substr(kBearer.size()));
}

}  // namespace

WebhookToken::WebhookToken(std::string header, std::string_view token)
    : header_(std::move(header)),
      bearer_(EqualsIgnoringCase(header_, "Authorization")),
      digest_(Hash(token)) {}

bool WebhookToken::Accepts(std::string_view value) const {
  const std::string_view presented = bearer_ ? BearerCredential(value) : Trim(value);
  if (presented.empty()) return false;
  const Digest digest = Hash(presented);
  return CRYPTO_memcmp(digest.data(), digest_.data(), digest.size()) == 0;
}

WebhookToken::Digest WebhookToken::Hash(std::string_view text) {
  Digest digest{};
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1 ||
      size != digest.size()) {
    throw std::runtime_error("SHA-256 failed");
  }
  return digest;
}

}  // namespace leadsync
