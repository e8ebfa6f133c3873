#include "daemon/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace leadsync::daemon {

Progress::Progress(std::uint64_t total_bytes) : total_(total_bytes), tty_(isatty(STDERR_FILENO) == 1) {}

std::string Progress::Format(std::int64_t records, std::uint64_t bytes, std::uint64_t total_bytes,
                             double seconds) {
  const double rate = seconds > 0 ? static_cast<double>(records) / seconds : 0.0;
  const double mb = static_cast<double>(bytes) / 1e6;
  if (total_bytes == 0) return fmt::format("{} records, {:.1f} MB, {:.0f} rec/s", records, mb, rate);
  const double byte_rate = seconds > 0 ? static_cast<double>(bytes) / seconds : 0.0;
  const double left = static_cast<double>(total_bytes - std::min(bytes, total_bytes));
  const double eta = byte_rate > 0 ? left / byte_rate : 0.0;
  return fmt::format("{} records, {:.1f}/{:.1f} MB, {:.0f} rec/s, ETA {:.0f} s", records, mb,
                     static_cast<double>(total_bytes) / 1e6, rate, eta);
}

std::string Progress::FormatWaiting(std::int64_t backlog, std::int64_t max_pending) {
  return fmt::format("queue full ({} pending, max_pending {}): waiting for the daemon to deliver", backlog,
                     max_pending);
}

void Progress::Update(std::int64_t records, std::uint64_t bytes) {
  told_waiting_ = false;
  if (!tty_) return;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::fprintf(stderr, "\r\033[K%s", Format(records, bytes, total_, seconds).c_str());
  std::fflush(stderr);
}

void Progress::Waiting(std::int64_t backlog, std::int64_t max_pending) {
  if (tty_) {
    std::fprintf(stderr, "\r\033[K%s", FormatWaiting(backlog, max_pending).c_str());
  } else if (!told_waiting_) {
    std::fprintf(stderr, "leadsync: %s\n", FormatWaiting(backlog, max_pending).c_str());
  }
  told_waiting_ = true;
  std::fflush(stderr);
}

void Progress::Finish() {
  if (tty_) std::fprintf(stderr, "\r\033[K");
}

}  // namespace leadsync::daemon
