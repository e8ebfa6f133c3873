#include "core/net/request_framing.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>
#include <string_view>

namespace leadsync::net {
namespace {

namespace http = boost::beast::http;

std::string_view TrimWhiteSpace(std::string_view value) {
  constexpr std::string_view kWhiteSpace = " \t";
  const auto first = value.find_first_not_of(kWhiteSpace);
  if (first == std::string_view::npos) return {};
  return value.substr(first, value.find_last_not_of(kWhiteSpace) - first + 1);
}

}  // namespace

bool TransferCodingSupported(const HttpRequestHeader& header) {
  const std::size_t fields = header.count(http::field::transfer_encoding);
  if (fields == 0) return true;
  if (fields > 1) return false;
  const std::string_view value = header[http::field::transfer_encoding];
  return boost::beast::iequals(TrimWhiteSpace(value), "chunked");
}

bool DeclaresBody(const HttpRequestHeader& header) {
  if (header.count(http::field::transfer_encoding) > 0) return true;
  // The parser has checked each Content-Length: decimal numbers, all equal
  // ("5, 5" is allowed), so any digit but 0 means a body.
  for (const auto& field : header) {
    if (field.name() != http::field::content_length) continue;
    if (std::string_view(field.value()).find_first_not_of("0, \t") != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace leadsync::net
