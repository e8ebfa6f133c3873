// HTTPS connections: the same request loop over a TLS stream.
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "core/net/http_session.ipp"

namespace leadsync::net {

boost::asio::awaitable<void> ServeTls(std::shared_ptr<HttpServer::State> state,
                                      boost::asio::ip::tcp::socket socket,
                                      ConnectionList::iterator connection) {
  boost::beast::ssl_stream<boost::beast::tcp_stream> stream(std::move(socket), *state->tls);
  co_await ServeStream(state, stream, connection);
}

}  // namespace leadsync::net
