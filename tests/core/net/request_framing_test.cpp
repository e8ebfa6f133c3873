#include "core/net/request_framing.hpp"

#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>
#include <string>
#include <vector>

namespace leadsync::net {
namespace {

namespace http = boost::beast::http;

HttpRequestHeader WithFields(const std::vector<std::pair<http::field, std::string>>& fields) {
  HttpRequestHeader header;
  for (const auto& [name, value] : fields) header.insert(name, value);
  return header;
}

HttpRequestHeader Coded(const std::string& coding) {
  return WithFields({{http::field::transfer_encoding, coding}});
}

TEST(RequestFraming, AcceptsNoTransferCodingOrALoneChunked) {
  EXPECT_TRUE(TransferCodingSupported(WithFields({})));
  EXPECT_TRUE(TransferCodingSupported(Coded("chunked")));
  EXPECT_TRUE(TransferCodingSupported(Coded("Chunked")));
  EXPECT_TRUE(TransferCodingSupported(Coded(" chunked\t")));
}

TEST(RequestFraming, RefusesEveryOtherTransferCoding) {
  for (const char* coding :
       {"chunked, identity", "gzip, chunked", "identity", "gzip", "chunked,", "", "xchunked"}) {
    EXPECT_FALSE(TransferCodingSupported(Coded(coding))) << coding;
  }
  EXPECT_FALSE(TransferCodingSupported(
      WithFields({{http::field::transfer_encoding, "gzip"}, {http::field::transfer_encoding, "chunked"}})));
  EXPECT_FALSE(TransferCodingSupported(WithFields(
      {{http::field::transfer_encoding, "chunked"}, {http::field::transfer_encoding, "chunked"}})));
}

TEST(RequestFraming, ABodyIsDeclaredByALengthOverZeroOrAnyTransferCoding) {
  EXPECT_FALSE(DeclaresBody(WithFields({})));
  EXPECT_FALSE(DeclaresBody(WithFields({{http::field::content_length, "0"}})));
  EXPECT_FALSE(DeclaresBody(WithFields({{http::field::content_length, "000"}})));
  EXPECT_FALSE(DeclaresBody(WithFields({{http::field::content_length, "0, 0"}})));
  EXPECT_TRUE(DeclaresBody(WithFields({{http::field::content_length, "5, 5"}})));
  EXPECT_TRUE(DeclaresBody(WithFields({{http::field::content_length, "1"}})));
  EXPECT_TRUE(DeclaresBody(WithFields({{http::field::content_length, "10"}})));
  EXPECT_TRUE(DeclaresBody(Coded("chunked")));
  EXPECT_TRUE(DeclaresBody(Coded("identity")));
}

}  // namespace
}  // namespace leadsync::net
