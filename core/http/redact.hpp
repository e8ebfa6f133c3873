#pragma once

#include <string>
#include <string_view>

namespace leadsync {

// Replaces every occurrence of `secret` (when not empty) with "[redacted]",
// in whatever form a server or proxy may echo it: each byte as itself, as
// %XX in either case, or (a space) as '+'. So a key the client sent
// percent-encoded is masked whether it comes back encoded, decoded, or partly
// either. Cost is at most the text's size times the secret's.
void RedactSecret(std::string& text, std::string_view secret);

}  // namespace leadsync
