#include "core/log_fields.hpp"

#include <spdlog/spdlog.h>

namespace leadsync {
namespace {

thread_local const std::vector<LogField>* current_fields = nullptr;

}  // namespace

void LogWithFields(spdlog::level::level_enum level, std::vector<LogField> fields,
                   const std::string& message) {
  // A field set left current by an exception would be written on later lines.
  struct Restore {
    const std::vector<LogField>* outer;
    ~Restore() { current_fields = outer; }
  } restore{current_fields};
  current_fields = &fields;
  spdlog::log(level, "{}", message);
}

std::span<const LogField> CurrentLogFields() {
  if (current_fields == nullptr) return {};
  return *current_fields;
}

}  // namespace leadsync
