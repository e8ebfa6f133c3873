#include "tests/support/sandbox_server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <thread>

#include "tests/support/http.hpp"

namespace leadsync::testing {

class SandboxServer::Impl final {
 public:
  explicit Impl(SandboxOptions options)
      : sandbox_(std::make_unique<Sandbox>(io_, "127.0.0.1:0", std::move(options))),
        thread_([this] { io_.run(); }) {}

  ~Impl() {
    work_.reset();
    io_.stop();
    thread_.join();
    sandbox_.reset();
  }

  [[nodiscard]] std::uint16_t port() const { return sandbox_->port(); }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{io_.get_executor()};
  std::unique_ptr<Sandbox> sandbox_;
  std::thread thread_;
};

SandboxServer::SandboxServer(SandboxOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))), port_(impl_->port()) {}

SandboxServer::~SandboxServer() = default;

std::string SandboxServer::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

boost::json::value GetJson(std::uint16_t port, const std::string& target) {
  const HttpResult result = HttpRequest(port, "GET", target);
  if (result.status != 200) return nullptr;
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(result.body, error);
  return error ? boost::json::value(nullptr) : value;
}

}  // namespace leadsync::testing
