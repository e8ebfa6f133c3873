#include "core/net/listener.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cctype>
#include <optional>
#include <stdexcept>

#include "core/net/address.hpp"

namespace leadsync::net {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

tcp::resolver::flags ResolveFlags() { return tcp::resolver::passive | tcp::resolver::numeric_service; }

[[noreturn]] void Fail(std::string_view address, std::string why) {
  if (!why.empty()) why[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(why[0])));
  throw std::runtime_error(std::string(address) + ": " + why);
}

ListenAddress Parse(std::string_view address) {
  std::string error;
  std::optional<ListenAddress> parsed = ParseListen(address, &error);
  if (!parsed) Fail(address, error);
  return *std::move(parsed);
}

// The endpoint itself when the host is an IP address: no lookup needed.
std::optional<tcp::endpoint> LiteralEndpoint(const ListenAddress& listen) {
  boost::system::error_code error;
  const asio::ip::address ip = asio::ip::make_address(listen.host, error);
  if (error) return std::nullopt;
  return tcp::endpoint(ip, listen.port);
}

tcp::acceptor Bind(const asio::any_io_executor& executor, const tcp::endpoint& endpoint,
                   std::string_view address) {
  tcp::acceptor acceptor(executor);
  boost::system::error_code error;
  acceptor.open(endpoint.protocol(), error);
  // A restarted daemon or source binds again while old connections linger in TIME_WAIT.
  if (!error) acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) Fail(address, error.message());
  return acceptor;
}

}  // namespace

tcp::acceptor OpenListener(const asio::any_io_executor& executor, std::string_view address) {
  const ListenAddress listen = Parse(address);
  if (const auto endpoint = LiteralEndpoint(listen)) return Bind(executor, *endpoint, address);
  tcp::resolver resolver(executor);
  boost::system::error_code error;
  const auto results = resolver.resolve(listen.host, std::to_string(listen.port), ResolveFlags(), error);
  if (error || results.empty()) Fail(address, "cannot resolve the host: " + error.message());
  return Bind(executor, results.begin()->endpoint(), address);
}

asio::awaitable<tcp::acceptor> OpenListenerAsync(asio::any_io_executor executor, std::string address) {
  const ListenAddress listen = Parse(address);
  if (const auto endpoint = LiteralEndpoint(listen)) co_return Bind(executor, *endpoint, address);
  tcp::resolver resolver(executor);
  const auto [error, results] = co_await resolver.async_resolve(
      listen.host, std::to_string(listen.port), ResolveFlags(), asio::as_tuple(asio::use_awaitable));
  if (error || results.empty()) Fail(address, "cannot resolve the host: " + error.message());
  co_return Bind(executor, results.begin()->endpoint(), address);
}

std::string ToString(const tcp::endpoint& endpoint) {
  const std::string host = endpoint.address().to_string();
  return (endpoint.address().is_v6() ? "[" + host + "]" : host) + ":" + std::to_string(endpoint.port());
}

}  // namespace leadsync::net
