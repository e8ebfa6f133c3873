#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace leadsync {

// How urgent a source's records are (`priority:` of a source, `enqueue
// --priority`). A claim fills a batch from the highest priority first,
// oldest first within one (ClaimOrder says when a lower one goes first).
// The values are stored in the queue file: never renumber them.
enum class Priority : std::uint8_t { kLow = 0, kNormal = 1, kHigh = 2 };

inline constexpr std::array<Priority, 3> kPriorities{Priority::kHigh, Priority::kNormal, Priority::kLow};

// "high", "normal", "low": the config, CLI, output and metric label values.
[[nodiscard]] std::string_view PriorityName(Priority priority);
[[nodiscard]] std::optional<Priority> ParsePriority(std::string_view name);

[[nodiscard]] constexpr std::int64_t PriorityValue(Priority priority) {
  return static_cast<std::int64_t>(priority);
}
// A stored value; anything out of range reads as normal.
[[nodiscard]] Priority PriorityFromValue(std::int64_t value);

}  // namespace leadsync
