#include "daemon/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace leadsync::daemon {

Progress::Progress(std::int64_t total_records, std::uint64_t total_bytes)
    : total_(total_records), bytes_(total_bytes), tty_(isatty(STDERR_FILENO) == 1) {}

std::string Progress::Format(std::int64_t done, std::int64_t total, std::uint64_t total_bytes,
                             double seconds) {
  const double share = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total - done) / rate : 0.0;
  const double mb = static_cast<double>(total_bytes) / 1e6;
  return fmt::format("{}/{} records, {:.1f}/{:.1f} MB, {:.0f} rec/s, ETA {:.0f} s", done, total, share * mb,
                     mb, rate, eta);
}

void Progress::Update(std::int64_t done_records) {
  if (!tty_) return;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::fprintf(stderr, "\r\033[K%s", Format(done_records, total_, bytes_, seconds).c_str());
  std::fflush(stderr);
}

void Progress::Finish() {
  if (tty_) std::fprintf(stderr, "\r\033[K");
}

}  // namespace leadsync::daemon
