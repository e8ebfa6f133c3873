#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <unordered_set>

#include "core/sources/postgres_page.hpp"

namespace leadsync {

// The rows a postgres source has committed at its checkpoint's own cursor
// value, by fingerprint. Every poll reads them again (the query takes
// cursor >= $1, so that rows sharing that value are never skipped); those
// that come back unchanged are not sent again, or an idle table would be
// re-sent at every poll. A row changed under the same cursor value is new.
//
// Memory only: after a restart the rows at the checkpoint are sent once more,
// which the queue's coalescing makes harmless. Bounded by one page. Not
// thread-safe.
class TieMemory final {
 public:
  [[nodiscard]] bool Known(const PageRow& row) const;
  // After a commit whose checkpoint is `position`: remembers those of `rows`
  // that sit at it (dropping what was remembered at another position).
  void Remember(const std::string& position, std::span<const PageRow> rows);
  // The checkpoint moved by other hands (a reset), or a commit failed.
  void Forget();

 private:
  std::string position_;
  std::unordered_set<std::size_t> fingerprints_;
};

}  // namespace leadsync
