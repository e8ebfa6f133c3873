#include "core/net/http_server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <utility>

#include "core/net/listener.hpp"
#include "core/net/server_state.hpp"

namespace leadsync::net {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::chrono::milliseconds kAcceptErrorPause{100};
constexpr std::chrono::seconds kAcceptWarningPeriod{10};

// Out of descriptors, most likely: pause rather than spin, and say so once
// in a while rather than a hundred times a second.
asio::awaitable<void> PauseAfterAcceptError(HttpServer::State& state,
                                            const boost::system::error_code& error) {
  if (Clock::now() - state.last_accept_warning > kAcceptWarningPeriod) {
    state.last_accept_warning = Clock::now();
    spdlog::warn("{}: accepting a connection failed: {}", state.limits.name, error.message());
  }
  asio::steady_timer pause(state.executor, kAcceptErrorPause);
  co_await pause.async_wait(kAsTuple);
}

void Discard(tcp::socket& socket) {
  boost::system::error_code ignored;
  socket.set_option(asio::socket_base::linger(true, 0), ignored);
  socket.close(ignored);
}

asio::awaitable<void> Accept(std::shared_ptr<HttpServer::State> state) {
  while (!state->stopping && state->acceptor && state->acceptor->is_open()) {
    auto [error, socket] = co_await state->acceptor->async_accept(kAsTuple);
    if (state->stopping || error == asio::error::operation_aborted) break;
    if (error) {
      co_await PauseAfterAcceptError(*state, error);
      continue;
    }
    if (!state->MakeRoom()) {
      Discard(socket);
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(asio::socket_base::send_buffer_size(ServerLimits::kSendBuffer), ignored);
    // Registered before the coroutine starts, so the next accept already counts it.
    const auto connection = state->connections.emplace(state->connections.end());
    auto serve = state->tls ? ServeTls(state, std::move(socket), connection)
                            : ServePlain(state, std::move(socket), connection);
    asio::co_spawn(state->executor, std::move(serve), asio::detached);
  }
}

// Takes the state by value: the server object may be gone by the time this runs.
asio::awaitable<void> ServeUntilDrained(std::shared_ptr<HttpServer::State> state) {
  co_await Accept(state);
  while (!state->connections.empty()) co_await state->drained.async_wait(kAsTuple);
}

}  // namespace

std::optional<HttpResponse> HttpHandler::Screen(const HttpRequestHeader& /*header*/) { return std::nullopt; }

HttpServer::State::State(asio::any_io_executor executor_in, ServerLimits limits_in,
                         std::shared_ptr<HttpHandler> handler_in, std::shared_ptr<asio::ssl::context> tls_in)
    : executor(std::move(executor_in)),
      limits(std::move(limits_in)),
      handler(std::move(handler_in)),
      tls(std::move(tls_in)),
      drained(executor, Clock::time_point::max()),
      drop_report(executor) {}

bool HttpServer::State::MakeRoom() {
  if (connections.size() - closing < limits.max_connections) return true;
  OpenConnection* victim = nullptr;
  for (OpenConnection& candidate : connections) {
    if (candidate.phase == OpenConnection::Phase::kHandling || candidate.closing) continue;
    if (victim == nullptr || candidate.progress < victim->progress) victim = &candidate;
  }
  if (victim == nullptr) {
    Dropped(DropReason::kFull);
    return false;
  }
  Close(*victim, true);
  Dropped(DropReason::kEvicted);
  return true;
}

void HttpServer::State::Close(OpenConnection& connection, bool reset) {
  if (connection.closing) return;
  connection.Close(reset);
  ++closing;
}

void HttpServer::State::StopOnLoop() {
  stopping = true;
  boost::system::error_code ignored;
  if (acceptor) acceptor->close(ignored);
  // Pending operations end with an error; their coroutines then Forget() them.
  for (OpenConnection& connection : connections) {
    const bool answering = connection.phase == OpenConnection::Phase::kHandling ||
                           connection.phase == OpenConnection::Phase::kWriting;
    if (!answering) Close(connection, false);
  }
  drop_report.cancel();
  if (connections.empty()) drained.cancel();
}

void HttpServer::State::Forget(ConnectionList::iterator connection) {
  if (connection->closing) --closing;
  connections.erase(connection);
  if (stopping && connections.empty()) drained.cancel();
}

void HttpServer::State::Dropped(DropReason reason) {
  if (limits.on_dropped) limits.on_dropped(reason);
  if (const auto line = drop_log.Count(reason, Clock::now())) {
    spdlog::warn("{}: {}", limits.name, *line);
  } else if (stopping) {
    ReportDrops();  // no timer after Stop(): it would keep the loop running
  } else if (!drop_report_set) {
    drop_report_set = true;
    drop_report.expires_at(drop_log.due());
    // Cancelled by Stop(), so the timer never keeps a stopped server's loop running.
    drop_report.async_wait(
        [self = shared_from_this()](const boost::system::error_code&) { self->ReportDrops(); });
  }
}

void HttpServer::State::ReportDrops() {
  drop_report_set = false;
  if (const auto line = drop_log.Flush(Clock::now())) spdlog::warn("{}: {}", limits.name, *line);
}

HttpServer::HttpServer(asio::any_io_executor executor, ServerLimits limits,
                       std::shared_ptr<HttpHandler> handler, std::shared_ptr<asio::ssl::context> tls)
    : state_(std::make_shared<State>(std::move(executor), std::move(limits), std::move(handler),
                                     std::move(tls))) {}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Listen(tcp::acceptor acceptor) {
  state_->local = acceptor.local_endpoint();
  state_->acceptor.emplace(std::move(acceptor));
}

void HttpServer::Listen(std::string_view address) { Listen(OpenListener(state_->executor, address)); }

asio::awaitable<void> HttpServer::Serve() { return ServeUntilDrained(state_); }

void HttpServer::Start() { asio::co_spawn(state_->executor, Serve(), asio::detached); }

void HttpServer::Stop() {
  asio::dispatch(state_->executor, [state = state_] { state->StopOnLoop(); });
}

std::uint16_t HttpServer::port() const { return state_->local.port(); }

const tcp::endpoint& HttpServer::local_endpoint() const { return state_->local; }

HttpResponse MakeResponse(unsigned version, int status, std::string body, std::string_view content_type) {
  HttpResponse response{static_cast<http::status>(status), version};
  response.set(http::field::server, "leadsync");
  response.set(http::field::content_type, content_type);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

}  // namespace leadsync::net
