#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace leadsync::daemon {

// A one-line progress report on a terminal (records, bytes read, records/s,
// ETA by bytes), redrawn in place on stderr; silent when stderr is not a TTY.
class Progress final {
 public:
  // `total_bytes`: the input's size, 0 when unknown (a pipe).
  explicit Progress(std::uint64_t total_bytes);
  void Update(std::int64_t records, std::uint64_t bytes);
  // The queue is full: says so (on a terminal in place, else once as a line).
  void Waiting(std::int64_t backlog, std::int64_t max_pending);
  void Finish();

  // "1200 records, 0.3/1.2 MB, 800 rec/s, ETA 5 s" (no total, no ETA when
  // the size is unknown): the text of a report.
  [[nodiscard]] static std::string Format(std::int64_t records, std::uint64_t bytes,
                                          std::uint64_t total_bytes, double seconds);
  // "queue full (N pending, max_pending M): waiting for the daemon to deliver"
  [[nodiscard]] static std::string FormatWaiting(std::int64_t backlog, std::int64_t max_pending);

 private:
  std::uint64_t total_;
  bool tty_;
  bool told_waiting_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace leadsync::daemon
