#include "core/net/drop_log.hpp"

#include <fmt/format.h>

namespace leadsync::net {

std::string_view DropReasonLabel(DropReason reason) {
  switch (reason) {
    case DropReason::kEvicted:
      return "evicted";
    case DropReason::kFull:
      return "full";
    case DropReason::kReadTimeout:
      return "read_timeout";
    case DropReason::kWriteTimeout:
      return "write_timeout";
  }
  return "unknown";
}

std::optional<std::string> DropLog::Count(DropReason reason, Clock::time_point now) {
  ++counts_[static_cast<std::size_t>(reason)];
  ++total_;
  if (last_line_ && now - *last_line_ < period_) return std::nullopt;
  return Flush(now);
}

std::optional<std::string> DropLog::Flush(Clock::time_point now) {
  if (total_ == 0) return std::nullopt;
  std::string line = fmt::format("dropped {} connection{}", total_, total_ == 1 ? "" : "s");
  if (last_line_) {
    line +=
        fmt::format(" in {} s", std::chrono::duration_cast<std::chrono::seconds>(now - *last_line_).count());
  }
  const char* separator = ": ";
  for (std::size_t i = 0; i < kDropReasonCount; ++i) {
    if (counts_[i] == 0) continue;
    line += fmt::format("{}{} {}", separator, DropReasonLabel(static_cast<DropReason>(i)), counts_[i]);
    separator = ", ";
  }
  counts_ = {};
  total_ = 0;
  last_line_ = now;
  return line;
}

}  // namespace leadsync::net
