#include "core/http/outcome.hpp"

namespace leadsync {

std::string CodeLabel(const ApiOutcome& outcome) {
  switch (outcome.kind) {
    case OutcomeKind::kNetwork:
      return "network";
    case OutcomeKind::kTimeout:
      return "timeout";
    default:
      return std::to_string(outcome.status);
  }
}

}  // namespace leadsync
