#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace leadsync::net {

// Why a server ended a connection it had not finished serving.
enum class DropReason {
  kEvicted,       // closed (reset) to make room for a new connection
  kFull,          // a new connection closed at once: every open one was in its handler
  kReadTimeout,   // a TLS handshake, header or body did not arrive in time
  kWriteTimeout,  // the client did not take its answer in time (reset)
};
inline constexpr std::size_t kDropReasonCount = 4;

// "evicted", "full", "read_timeout", "write_timeout": a metric's label value.
[[nodiscard]] std::string_view DropReasonLabel(DropReason reason);

// Turns a server's drops into log lines at a bounded rate: the first drop
// is reported at once, later ones are counted and summed up in one line a
// `period` after the last line, so a flood costs one line a period.
// Pure: the caller passes the time and logs what it gets. Not thread-safe.
class DropLog final {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::minutes kPeriod{1};

  explicit DropLog(Clock::duration period = kPeriod) : period_(period) {}

  // Counts one drop at `now`; the line to log when one is due, e.g.
  // "dropped 3 connections in 60 s: evicted 2, write_timeout 1".
  [[nodiscard]] std::optional<std::string> Count(DropReason reason, Clock::time_point now);
  // The drops counted but not yet reported, as a line (nullopt: none), for
  // the end of a period or of the server.
  [[nodiscard]] std::optional<std::string> Flush(Clock::time_point now);
  // Whether drops wait for a line, and when it is due.
  [[nodiscard]] bool pending() const { return total_ > 0; }
  [[nodiscard]] Clock::time_point due() const { return last_line_.value_or(Clock::time_point{}) + period_; }

 private:
  Clock::duration period_;
  std::optional<Clock::time_point> last_line_;  // none yet: the next drop is reported at once
  std::array<std::uint64_t, kDropReasonCount> counts_{};
  std::uint64_t total_ = 0;
};

}  // namespace leadsync::net
