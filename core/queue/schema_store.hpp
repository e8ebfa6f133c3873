#pragma once

#include <optional>
#include <string>

#include "core/clock.hpp"

namespace leadsync {

// The account's schema as last fetched: LeadsMetaData.Get's answer as
// received (core/schema/lead_schema.hpp reads it) and when it came.
struct StoredLeadSchema {
  std::string body;
  TimePoint fetched_at{};
  bool operator==(const StoredLeadSchema&) const = default;
};

// The last schema fetched, kept in the queue so that a restart without
// network still validates (leadsquared.validate). One row at most; each
// method is one statement. Blocking and not thread-safe, like every role.
class SchemaStore {
 public:
  virtual ~SchemaStore() = default;

  [[nodiscard]] virtual std::optional<StoredLeadSchema> LoadLeadSchema() = 0;
  // Replaces the stored one.
  virtual void StoreLeadSchema(const StoredLeadSchema& schema) = 0;
};

}  // namespace leadsync
