#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace leadsync::testing {

// A PostgreSQL server on the path, as an attacker would run it: on
// 127.0.0.1:0, on its own thread, it answers an SSLRequest (or a
// GSSENCRequest) with 'N', "no TLS here", then answers the startup message
// with AuthenticationCleartextPassword, takes one message back and closes
// with an error. It keeps every byte each client sent, for the test to look
// for the password in. Any thread may call its methods.
class FakePostgres final {
 public:
  FakePostgres();
  ~FakePostgres();
  FakePostgres(const FakePostgres&) = delete;
  FakePostgres& operator=(const FakePostgres&) = delete;

  [[nodiscard]] std::uint16_t port() const;
  // Connections served to their end (the client or the fake closed them).
  [[nodiscard]] int finished() const;
  // Every byte received, all connections in order of their end.
  [[nodiscard]] std::string received() const;
  // PasswordMessages ('p') received: what a client sends for a cleartext
  // password request.
  [[nodiscard]] int password_messages() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace leadsync::testing
