#include "config/dsn_tls.hpp"

#include <libpq-fe.h>

#include <array>
#include <cstring>

namespace leadsync::config {
namespace {

struct Weakness {
  std::string_view mode;
  std::string_view why;
};

constexpr std::array<Weakness, 5> kWeakModes{{
    {"disable", "sends the password and every row in clear"},
    {"allow", "lets anyone on the path refuse TLS and read the password in clear"},
    {"prefer", "lets anyone on the path refuse TLS and read the password in clear"},
    {"require", "does not check the server's certificate: anyone on the path can pose as the server"},
    {"verify-ca",
     "does not check the server's name: any server with a certificate from the same CA can pose as it"},
}};

// libpq's own test (is_unixsock_path): a host that starts with '/' is a
// socket directory, '@' an abstract socket. Hosts are a comma-separated list.
bool SocketsOnly(std::string_view hosts) {
  std::size_t start = 0;
  for (std::size_t comma = 0; comma != std::string_view::npos; start = comma + 1) {
    comma = hosts.find(',', start);
    const std::string_view host = hosts.substr(start, comma - start);
    if (!host.empty() && host.front() != '/' && host.front() != '@') return false;
  }
  return true;
}

}  // namespace

DsnTls ReadDsnTls(const std::string& dsn) {
  DsnTls out;
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(dsn.c_str(), &error);
  if (options == nullptr) {
    PQfreemem(error);
    return out;
  }
  out.parsed = true;
  std::string hosts;
  bool hostaddr = false;
  for (const PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    if (std::strcmp(o->keyword, "sslmode") == 0) out.sslmode = o->val;
    if (std::strcmp(o->keyword, "host") == 0) hosts = o->val;
    if (std::strcmp(o->keyword, "hostaddr") == 0) hostaddr = o->val[0] != '\0';
  }
  PQconninfoFree(options);
  // No host at all is libpq's default: the local socket directory.
  out.socket_only = !hostaddr && SocketsOnly(hosts);
  return out;
}

std::optional<std::string> WeakTlsWarning(const std::string& dsn) {
  const DsnTls tls = ReadDsnTls(dsn);
  if (!tls.parsed || tls.socket_only) return std::nullopt;
  for (const Weakness& weak : kWeakModes) {
    if (weak.mode == tls.sslmode) {
      return "sslmode=" + tls.sslmode + " " + std::string(weak.why) + " (leave sslmode out for " +
             std::string(kDefaultSslMode) + ", with sslrootcert= naming the server's CA)";
    }
  }
  return std::nullopt;
}

}  // namespace leadsync::config
