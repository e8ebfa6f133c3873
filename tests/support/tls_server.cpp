#include "tests/support/tls_server.hpp"

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <stdexcept>
#include <thread>

#include "tests/support/process.hpp"

namespace leadsync::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

TestCertificate MakeCertificate(const std::filesystem::path& dir, const std::string& host) {
  TestCertificate made{dir / (host + ".crt"), dir / (host + ".key")};
  RunResult r = Run({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                     "-subj", "/CN=" + host, "-addext", "subjectAltName=DNS:" + host, "-keyout",
                     made.key.string(), "-out", made.certificate.string()});
  if (r.exit_code != 0) throw std::runtime_error("openssl req failed: " + r.err);
  return made;
}

class TlsServer::Impl {
 public:
  Impl(const TestCertificate& certificate, std::string body)
      : body_(std::move(body)), acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    context_.use_certificate_chain_file(certificate.certificate.string());
    context_.use_private_key_file(certificate.key.string(), asio::ssl::context::pem);
    thread_ = std::thread([this] { Serve(); });
  }

  // A blocking accept() does not return when another thread closes the
  // acceptor: wake it with one last connection.
  ~Impl() {
    stopping_ = true;
    boost::system::error_code ignored;
    tcp::socket wake(io_);
    wake.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port()), ignored);
    thread_.join();
  }

  [[nodiscard]] std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  // One connection at a time; a client that refuses the certificate ends its
  // handshake, which is all some tests want to see.
  void Serve() {
    while (true) {
      tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stopping_) return;
      Answer(std::move(socket));
    }
  }

  void Answer(tcp::socket socket) {
    asio::ssl::stream<tcp::socket> stream(std::move(socket), context_);
    boost::system::error_code ec;
    stream.handshake(asio::ssl::stream_base::server, ec);
    if (ec) return;
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::read(stream, buffer, request, ec);
    if (ec) return;
    http::response<http::string_body> response{http::status::ok, 11};
    response.set(http::field::content_type, "application/json");
    response.keep_alive(false);
    response.body() = body_;
    response.prepare_payload();
    http::write(stream, response, ec);
    // No TLS shutdown: it would wait for the client's close_notify, which a
    // client done with a "Connection: close" answer need not send.
    stream.lowest_layer().close(ec);
  }

  std::string body_;
  asio::io_context io_;
  asio::ssl::context context_{asio::ssl::context::tls_server};
  tcp::acceptor acceptor_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

TlsServer::TlsServer(const TestCertificate& certificate, std::string body)
    : impl_(std::make_unique<Impl>(certificate, std::move(body))) {}
TlsServer::~TlsServer() = default;
std::uint16_t TlsServer::port() const { return impl_->port(); }

}  // namespace leadsync::testing
