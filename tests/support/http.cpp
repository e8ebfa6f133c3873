#include "tests/support/http.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace leadsync::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;

HttpResult HttpRequest(std::uint16_t port, const std::string& method, const std::string& target,
                       const std::string& body, const std::map<std::string, std::string>& headers) {
  asio::io_context io;
  boost::beast::tcp_stream stream(io);
  boost::system::error_code ec;
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  if (ec) return {};
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  stream.expires_after(std::chrono::seconds(30));
  http::write(stream, request, ec);
  if (ec) return {};
  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(256 * 1024 * 1024);
  http::read(stream, buffer, parser, ec);
  if (ec) return {};
  HttpResult result;
  result.status = static_cast<int>(parser.get().result_int());
  result.body = parser.get().body();
  for (const auto& field : parser.get())
    result.headers[std::string(field.name_string())] = std::string(field.value());
  return result;
}

}  // namespace leadsync::testing
