#include "core/http/outcome.hpp"

namespace leadsync {

std::string CodeLabel(const ApiOutcome& outcome) {
  switch (outcome.kind) {
    case OutcomeKind::kNetwork:
      return "network";
    case OutcomeKind::kTimeout:
      return "timeout";
    case OutcomeKind::kOk:
    case OutcomeKind::kRateLimited:
    case OutcomeKind::kTransient:
    case OutcomeKind::kDataError:
    case OutcomeKind::kAuth:
    case OutcomeKind::kNotFound:
      return std::to_string(outcome.status);
  }
  return std::to_string(outcome.status);
}

}  // namespace leadsync
