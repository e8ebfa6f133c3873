#include "tests/support/https_client.hpp"

#include <openssl/ssl.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace leadsync::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

HttpResult HttpsRequest(std::uint16_t port, const std::filesystem::path& trusted, const std::string& method,
                        const std::string& target, const std::string& body,
                        const std::map<std::string, std::string>& headers) {
  asio::io_context io;
  asio::ssl::context context(asio::ssl::context::tls_client);
  boost::system::error_code ec;
  context.load_verify_file(trusted.string(), ec);
  if (ec) return {};
  context.set_verify_mode(asio::ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(io, context);
  stream.set_verify_callback(asio::ssl::host_name_verification("localhost"));
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(30));
  beast::get_lowest_layer(stream).connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  if (!ec) stream.handshake(asio::ssl::stream_base::client, ec);
  if (ec) return {};
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, "localhost");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  http::write(stream, request, ec);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  if (!ec) http::read(stream, buffer, response, ec);
  if (ec) return {};
  HttpResult result;
  result.status = static_cast<int>(response.result_int());
  result.body = response.body();
  for (const auto& field : response)
    result.headers[std::string(field.name_string())] = std::string(field.value());
  return result;
}

std::string NegotiatedCipher(std::uint16_t port, const std::string& tls12_ciphers) {
  asio::io_context io;
  asio::ssl::context context(asio::ssl::context::tls_client);
  SSL_CTX* native = context.native_handle();
  const int version = tls12_ciphers.empty() ? TLS1_3_VERSION : TLS1_2_VERSION;
  SSL_CTX_set_min_proto_version(native, version);
  SSL_CTX_set_max_proto_version(native, version);
  if (!tls12_ciphers.empty() && SSL_CTX_set_cipher_list(native, tls12_ciphers.c_str()) != 1) return "";
  context.set_verify_mode(asio::ssl::verify_none);
  beast::ssl_stream<beast::tcp_stream> stream(io, context);
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(30));
  boost::system::error_code ec;
  beast::get_lowest_layer(stream).connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  if (!ec) stream.handshake(asio::ssl::stream_base::client, ec);
  if (ec) return "";
  return SSL_get_cipher_name(stream.native_handle());
}

}  // namespace leadsync::testing
