#include "core/queue/priority.hpp"

namespace leadsync {

std::string_view PriorityName(Priority priority) {
  switch (priority) {
    case Priority::kHigh:
      return "high";
    case Priority::kLow:
      return "low";
    case Priority::kNormal:
      break;
  }
  return "normal";
}

std::optional<Priority> ParsePriority(std::string_view name) {
  for (Priority priority : kPriorities) {
    if (PriorityName(priority) == name) return priority;
  }
  return std::nullopt;
}

Priority PriorityFromValue(std::int64_t value) {
  if (value == PriorityValue(Priority::kHigh)) return Priority::kHigh;
  if (value == PriorityValue(Priority::kLow)) return Priority::kLow;
  return Priority::kNormal;
}

}  // namespace leadsync
