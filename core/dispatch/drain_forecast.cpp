#include "core/dispatch/drain_forecast.hpp"

namespace leadsync {

std::array<std::optional<double>, 3> DrainSeconds(const PriorityBacklogs& backlogs, const DrainRate& rate) {
  const double seconds = std::chrono::duration<double>(rate.per).count();
  const double records_per_second = seconds > 0 ? rate.calls * rate.batch_size / seconds : 0.0;
  std::array<std::optional<double>, 3> out{};
  std::int64_t ahead = 0;
  for (Priority priority : kPriorities) {  // highest first
    const auto index = static_cast<std::size_t>(PriorityValue(priority));
    ahead += backlogs[index].records;
    if (backlogs[index].records == 0) {
      out[index] = 0.0;
    } else if (records_per_second > 0) {
      out[index] = static_cast<double>(ahead) / records_per_second;
    }
  }
  return out;
}

}  // namespace leadsync
