#include "core/sources/postgres_ties.hpp"

namespace leadsync {

bool TieMemory::Known(const PageRow& row) const {
  return row.position == position_ && fingerprints_.contains(row.fingerprint);
}

void TieMemory::Remember(const std::string& position, std::span<const PageRow> rows) {
  if (position != position_) Forget();
  position_ = position;
  for (const PageRow& row : rows) {
    if (row.position == position_) fingerprints_.insert(row.fingerprint);
  }
}

void TieMemory::Forget() {
  position_.clear();
  fingerprints_.clear();
}

}  // namespace leadsync
