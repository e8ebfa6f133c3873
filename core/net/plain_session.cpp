// HTTP connections over plain TCP.
#include "core/net/http_session.ipp"

namespace leadsync::net {

boost::asio::awaitable<void> ServePlain(std::shared_ptr<HttpServer::State> state,
                                        boost::asio::ip::tcp::socket socket,
                                        ConnectionList::iterator connection) {
  boost::beast::tcp_stream stream(std::move(socket));
  co_await ServeStream(state, stream, connection);
}

}  // namespace leadsync::net
