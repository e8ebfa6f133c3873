#include "tests/support/stack.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace leadsync::testing {

SandboxProcess::SandboxProcess(std::vector<std::string> extra_args) {
  std::vector<std::string> argv = {LEADSYNC_BINARY, "sandbox", "--listen", "127.0.0.1:0"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  process_ = std::make_unique<Process>(argv);
  auto line = process_->ReadLine(std::chrono::seconds(20));
  const std::string prefix = "sandbox listening on 127.0.0.1:";
  if (!line || line->rfind(prefix, 0) != 0) {
    throw std::runtime_error("sandbox did not start: " + line.value_or("<no output>") + " " +
                             process_->Stderr());
  }
  port_ = static_cast<std::uint16_t>(std::stoi(line->substr(prefix.size())));
}

std::filesystem::path WriteDaemonConfig(const TempDir& dir, const std::string& api_host,
                                        const std::string& leadsquared_extra, std::uint16_t metrics_port) {
  const std::string yaml =
      "leadsquared:\n  api_host: " + api_host +
      "\n  access_key: sandbox-access-key\n  secret_key: sandbox-secret-key\n" + leadsquared_extra +
      "queue:\n  path: " + (dir / "queue.db").string() +
      "\n  sync: normal\nsources:\n  - name: spool\n    type: spool\n    path: " + (dir / "spool").string() +
      "\nmetrics:\n  listen: 127.0.0.1:" + std::to_string(metrics_port) + "\nlog:\n  level: debug\n" +
      "shutdown_timeout: 5s\n";
  const auto path = dir / "leadsync.yaml";
  WriteFile(path, yaml);
  std::filesystem::create_directories(dir / "spool");
  return path;
}

std::uint16_t FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    throw std::runtime_error("no free port");
  }
  close(fd);
  return ntohs(address.sin_port);
}

std::unique_ptr<Process> StartDaemon(const std::filesystem::path& config) {
  return std::make_unique<Process>(std::vector<std::string>{LEADSYNC_BINARY, "run", "-c", config.string()});
}

RunResult Leadsync(const std::vector<std::string>& args, const std::string& input) {
  std::vector<std::string> argv = {LEADSYNC_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return Run(argv, input);
}

}  // namespace leadsync::testing
