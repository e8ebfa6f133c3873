#include "tests/support/postgres_server.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include "core/sources/pg_connection.hpp"
#include "tests/support/process.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

constexpr const char* kBin = "/usr/lib/postgresql/15/bin/";
constexpr const char* kRunuser = "/usr/sbin/runuser";

RunResult AsPostgres(std::vector<std::string> command) {
  std::vector<std::string> argv{kRunuser, "-u", "postgres", "--"};
  argv.insert(argv.end(), command.begin(), command.end());
  return Run(argv);
}

void Check(const RunResult& result, const std::string& what) {
  if (result.exit_code != 0) throw std::runtime_error(what + " failed: " + result.out + result.err);
}

// A self-signed certificate for the loopback address, and its key, both the
// server's (it refuses a key that others may read).
void MakeCertificate(const std::filesystem::path& dir, const passwd& user) {
  const std::string certificate = (dir / "server.crt").string();
  const std::string key = (dir / "server.key").string();
  Check(Run({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-days", "2", "-subj", "/CN=localhost", "-addext",
             "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key, "-out", certificate}),
        "openssl req");
  for (const auto& [file, mode] : {std::pair{certificate, 0644}, std::pair{key, 0600}}) {
    if (chown(file.c_str(), user.pw_uid, user.pw_gid) != 0 || chmod(file.c_str(), mode) != 0) {
      throw std::runtime_error("cannot hand " + file + " to the postgres user");
    }
  }
}

}  // namespace

std::string PostgresServer::Unavailable() {
  if (!std::filesystem::exists(std::string(kBin) + "initdb")) {
    return "PostgreSQL 15 is not installed (" + std::string(kBin) + "initdb); scripts/setup installs it";
  }
  if (geteuid() != 0) return "starting PostgreSQL as the postgres user needs root";
  if (getpwnam("postgres") == nullptr || !std::filesystem::exists(kRunuser)) {
    return "no postgres user or no runuser to start PostgreSQL with";
  }
  return "";
}

PostgresServer::PostgresServer(std::vector<std::string> settings)
    : data_((dir_ / "data").string()), settings_(std::move(settings)) {
  const passwd* user = getpwnam("postgres");
  if (user == nullptr || chown(dir_.path().c_str(), user->pw_uid, user->pw_gid) != 0) {
    throw std::runtime_error("cannot hand " + dir_.path().string() + " to the postgres user");
  }
  Check(AsPostgres({std::string(kBin) + "initdb", "-D", data_, "-A", "trust", "-U", "postgres", "--no-sync",
                    "-E", "UTF8", "--locale=C"}),
        "initdb");
  MakeCertificate(dir_.path(), *user);
  // A port found free may be taken before the server binds it: try another.
  for (int attempt = 0; attempt < 5 && !running_; ++attempt) {
    port_ = FreePort();
    running_ = TryStart();
  }
  if (!running_) throw std::runtime_error("PostgreSQL did not start: " + ReadFile(dir_ / "log"));
}

PostgresServer::~PostgresServer() {
  if (running_)
    static_cast<void>(AsPostgres({std::string(kBin) + "pg_ctl", "-D", data_, "stop", "-m", "immediate"}));
}

void PostgresServer::Stop() {
  Check(AsPostgres({std::string(kBin) + "pg_ctl", "-D", data_, "stop", "-m", "fast", "-w"}), "pg_ctl stop");
  running_ = false;
}

void PostgresServer::Start() {
  running_ = TryStart();
  if (!running_) throw std::runtime_error("PostgreSQL did not start again: " + ReadFile(dir_ / "log"));
}

std::string PostgresServer::dsn(const std::string& extra) const {
  return "host=127.0.0.1 port=" + std::to_string(port_) +
         " user=postgres dbname=postgres sslrootcert=" + certificate().string() +
         (extra.empty() ? "" : " " + extra);
}

bool PostgresServer::TryStart() {
  std::string options = "-p " + std::to_string(port_) + " -k " + data_ +
                        " -c listen_addresses=127.0.0.1 -c fsync=off" +
                        " -c ssl=on -c ssl_cert_file=" + certificate().string() +
                        " -c ssl_key_file=" + (dir_ / "server.key").string();
  for (const std::string& setting : settings_) options += " -c " + setting;
  return AsPostgres({std::string(kBin) + "pg_ctl", "-D", data_, "-o", options, "-l", (dir_ / "log").string(),
                     "-w", "start"})
             .exit_code == 0;
}

PgSession::PgSession(const std::string& dsn) {
  std::string error;
  connection_ = PgConnection::Connect(dsn, &error);
  if (!connection_) throw std::runtime_error(error);
}

PgSession::~PgSession() = default;

void PgSession::Exec(const std::string& sql) {
  const PgOutcome outcome = connection_->Execute(sql);
  if (!outcome.result) throw std::runtime_error(sql + ": " + outcome.error);
}

std::string PgSession::Scalar(const std::string& sql) {
  const PgOutcome outcome = connection_->Execute(sql);
  if (!outcome.result) throw std::runtime_error(sql + ": " + outcome.error);
  const PgResult& result = *outcome.result;
  if (result.rows() == 0 || result.columns() == 0 || result.IsNull(0, 0)) return "";
  return std::string(result.Value(0, 0));
}

}  // namespace leadsync::testing
