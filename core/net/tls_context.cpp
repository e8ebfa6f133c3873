#include "core/net/tls_context.hpp"

#include <openssl/ssl.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ssl/context.hpp>
#include <stdexcept>
#include <string>

namespace leadsync::net {
namespace {

namespace ssl = boost::asio::ssl;

// Mozilla's "intermediate" configuration (v5.7) without its DHE suites:
// TLS 1.2 only with ECDHE key exchange and AEAD ciphers, so that every
// session has forward secrecy. TLS 1.3 suites all qualify; OpenSSL's
// defaults stand.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

[[noreturn]] void Fail(const std::string& what, const boost::system::error_code& error) {
  throw std::runtime_error(what + ": " + error.message());
}

}  // namespace

std::shared_ptr<ssl::context> MakeServerTlsContext(std::string_view certificate_chain,
                                                   std::string_view private_key) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  boost::system::error_code error;
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                           ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                       error);
  if (error) Fail("TLS options", error);
  if (SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(context->native_handle(), kTls12Ciphers) != 1) {
    throw std::runtime_error("TLS options: the cipher suites are not available");
  }
  context->use_certificate_chain(boost::asio::buffer(certificate_chain.data(), certificate_chain.size()),
                                 error);
  if (error) Fail("TLS certificate (tls_cert_file)", error);
  context->use_private_key(boost::asio::buffer(private_key.data(), private_key.size()), ssl::context::pem,
                           error);
  if (error) Fail("TLS private key (tls_key_file)", error);
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    throw std::runtime_error("TLS private key (tls_key_file) does not match the certificate (tls_cert_file)");
  }
  return context;
}

}  // namespace leadsync::net
