#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/lead.hpp"
#include "core/schema/lead_schema.hpp"

// What LeadSquared would refuse in one record, found before a call: the
// attributes the account's schema does not have, a value over a field's
// MaxLength, a Select value that is not one of its options. Pure functions.
namespace leadsync {

enum class SchemaProblemKind { kUnknownAttribute, kTooLong, kNotAnOption };

struct SchemaProblem {
  SchemaProblemKind kind = SchemaProblemKind::kUnknownAttribute;
  std::string attribute;  // as the record names it (a custom field set: the set)
  std::string message;    // "attribute 'mx_Cty' is not a lead field of the account"
  bool operator==(const SchemaProblem&) const = default;
};

// Every problem of `lead`, in its attributes' order, one per attribute at
// most. SearchBy is not a field and always passes; an empty value (a clear)
// is never too long nor a wrong option; a custom field set is checked by its
// own name only (its fields belong to the set's own schema). Values in
// messages are quoted as mapping.hpp's QuoteValue quotes them.
[[nodiscard]] std::vector<SchemaProblem> CheckLead(const Lead& lead, const LeadSchema& schema);

// The problem of one attribute's value, if any (what CheckLead applies to each).
[[nodiscard]] std::optional<SchemaProblem> CheckAttribute(const Attribute& attribute,
                                                          const LeadSchema& schema);

}  // namespace leadsync
