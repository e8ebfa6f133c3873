#include "tests/support/http.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace leadsync::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;

// Asynchronous operations under one deadline: a server that accepts and
// never answers fails the request instead of hanging the test.
HttpResult HttpRequest(std::uint16_t port, const std::string& method, const std::string& target,
                       const std::string& body, const std::map<std::string, std::string>& headers) {
  asio::io_context io;
  boost::beast::tcp_stream stream(io);
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(256 * 1024 * 1024);
  bool done = false;
  auto exchange = [&]() -> asio::awaitable<void> {
    constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
    stream.expires_after(std::chrono::seconds(30));
    const auto [connect_error] = co_await stream.async_connect(
        asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), kNoThrow);
    if (connect_error) co_return;
    const auto [write_error, written] = co_await http::async_write(stream, request, kNoThrow);
    if (write_error) co_return;
    const auto [read_error, read] = co_await http::async_read(stream, buffer, parser, kNoThrow);
    done = !read_error;
  };
  asio::co_spawn(io, exchange(), asio::detached);
  io.run();
  if (!done) return {};
  HttpResult result;
  result.status = static_cast<int>(parser.get().result_int());
  result.body = parser.get().body();
  for (const auto& field : parser.get())
    result.headers[std::string(field.name_string())] = std::string(field.value());
  return result;
}

}  // namespace leadsync::testing
