#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace leadsync {
class PgConnection;
}

namespace leadsync::testing {

// A real PostgreSQL 15 server for one test: a cluster made by initdb in a
// temporary directory, started by pg_ctl on a free loopback port (and a
// socket in the data directory), stopped and removed when the object goes.
// It speaks TLS with a self-signed certificate for 127.0.0.1 and localhost,
// which dsn() names as sslrootcert, so connections verify it in full as
// leadsync's default sslmode does.
// The server runs as the postgres user, so this needs root and Debian's
// postgresql-15 (scripts/setup installs it); Unavailable() says when not.
class PostgresServer final {
 public:
  // Empty when a server can be started here, else why not (for GTEST_SKIP).
  [[nodiscard]] static std::string Unavailable();

  // `settings` are extra server settings, "NAME=VALUE" without spaces
  // (e.g. "TimeZone=Asia/Kolkata"). Throws when the server does not start.
  explicit PostgresServer(std::vector<std::string> settings = {});
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // pg_ctl stop -m fast, and start again on the same port and data.
  void Stop();
  void Start();

  [[nodiscard]] std::uint16_t port() const { return port_; }
  // A libpq DSN for user postgres, database postgres over TCP with the
  // server's certificate as sslrootcert and no sslmode (trust: no password
  // needed; `extra` is appended, e.g. "password=x options=...").
  [[nodiscard]] std::string dsn(const std::string& extra = "") const;
  // The server's certificate (PEM), its own CA.
  [[nodiscard]] std::filesystem::path certificate() const { return dir_ / "server.crt"; }
  // The directory of its Unix socket.
  [[nodiscard]] const std::string& socket_dir() const { return data_; }

 private:
  [[nodiscard]] bool TryStart();

  TempDir dir_;
  std::string data_;
  std::vector<std::string> settings_;
  std::uint16_t port_ = 0;
  bool running_ = false;
};

// A connection of the test's own: sets tables up, inserts rows, holds a
// transaction open. Every method throws with the server's message on error.
class PgSession final {
 public:
  explicit PgSession(const std::string& dsn);
  ~PgSession();
  PgSession(const PgSession&) = delete;
  PgSession& operator=(const PgSession&) = delete;

  void Exec(const std::string& sql);
  // The first column of the first row, as text ("" for NULL or no row).
  [[nodiscard]] std::string Scalar(const std::string& sql);

 private:
  std::unique_ptr<PgConnection> connection_;
};

}  // namespace leadsync::testing
