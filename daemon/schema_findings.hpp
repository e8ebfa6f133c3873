#pragma once

#include <string>
#include <vector>

#include "config/loader.hpp"
#include "config/mapping_places.hpp"
#include "core/schema/lead_schema.hpp"

// What `check --online` finds when it holds a config's mappings against the
// account's schema (LeadsMetaData.Get).
namespace leadsync::daemon {

struct SchemaFindings {
  std::vector<config::ConfigError> errors;    // LeadSquared would refuse what this produces
  std::vector<config::ConfigError> warnings;  // works, but probably not as meant
};

// Each attribute every source's mapping produces (renamed targets,
// conversions, constants), at the place it is written in `file`:
//  - errors: a name the account has no field for (with "did you mean"), a
//    constant that is not one of its Select field's options or is over the
//    field's MaxLength;
//  - warnings: a date or datetime conversion into a Text field, and, at the
//    source, a mandatory field its mapping neither targets nor sets (its
//    records must then carry it under that very name).
// A "Set.Field" target is judged by its set. In file order.
[[nodiscard]] SchemaFindings FindSchemaProblems(const std::string& file,
                                                const std::vector<config::SourcePlaces>& sources,
                                                const LeadSchema& schema);

}  // namespace leadsync::daemon
