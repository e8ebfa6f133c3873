#pragma once

#include <optional>
#include <string>
#include <string_view>

// What a PostgreSQL DSN says about TLS, read by libpq's own parser
// (PQconninfoParse), so a key=value string and a URI are judged alike.
namespace leadsync::config {

// The sslmode a postgres source connects with when its DSN sets none: TLS
// always, the server's certificate checked against sslrootcert and its name
// against the host. libpq's own default, prefer, lets anyone on the path
// decline TLS and ask for the password in clear.
inline constexpr std::string_view kDefaultSslMode = "verify-full";

struct DsnTls {
  bool parsed = false;       // libpq can read the DSN
  std::string sslmode;       // as written; empty when the DSN sets none
  bool socket_only = false;  // every host is a Unix socket, where libpq never uses TLS
};

[[nodiscard]] DsnTls ReadDsnTls(const std::string& dsn);

// Why the DSN's sslmode lets a server on the path pose as the database or
// read the password ("sslmode=require does not check ..."); nullopt when it
// does not: no sslmode (kDefaultSslMode), verify-full, a mode libpq will
// refuse anyway, or a DSN that reaches the server over a Unix socket only.
// Never quotes the DSN.
[[nodiscard]] std::optional<std::string> WeakTlsWarning(const std::string& dsn);

}  // namespace leadsync::config
