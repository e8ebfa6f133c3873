#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace leadsync::daemon {

// A one-line progress report on a terminal (records/s, bytes, ETA), redrawn
// in place on stderr; silent when stderr is not a TTY.
class Progress final {
 public:
  Progress(std::int64_t total_records, std::uint64_t total_bytes);
  void Update(std::int64_t done_records);
  void Finish();

  // "1200/5000 records, 0.3/1.2 MB, 800 rec/s, ETA 5 s": the text of a report.
  [[nodiscard]] static std::string Format(std::int64_t done, std::int64_t total, std::uint64_t total_bytes,
                                          double seconds);

 private:
  std::int64_t total_;
  std::uint64_t bytes_;
  bool tty_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace leadsync::daemon
