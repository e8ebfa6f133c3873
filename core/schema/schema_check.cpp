#include "core/schema/schema_check.hpp"

#include "core/mapping/mapping.hpp"

namespace leadsync {
namespace {

constexpr std::string_view kSearchBy = "SearchBy";

SchemaProblem Problem(SchemaProblemKind kind, const Attribute& attribute, const std::string& what) {
  return {kind, attribute.name, "attribute '" + attribute.name + "'" + what};
}

}  // namespace

std::optional<SchemaProblem> CheckAttribute(const Attribute& attribute, const LeadSchema& schema) {
  if (NamesEqual(attribute.name, kSearchBy)) return std::nullopt;
  const SchemaField* field = schema.Find(attribute.name);
  if (field == nullptr) {
    return Problem(SchemaProblemKind::kUnknownAttribute, attribute, " is not a lead field of the account");
  }
  if (attribute.is_field_set || attribute.value.empty()) return std::nullopt;
  const std::size_t length = CharacterCount(attribute.value);
  if (field->max_length > 0 && length > field->max_length) {
    return Problem(SchemaProblemKind::kTooLong, attribute,
                   ": " + std::to_string(length) + " characters, over its MaxLength of " +
                       std::to_string(field->max_length));
  }
  if (field->data_type == FieldDataType::kSelect && !field->options.empty() &&
      !IsSelectOption(*field, attribute.value)) {
    return Problem(SchemaProblemKind::kNotAnOption, attribute,
                   ": " + QuoteValue(attribute.value) + " is not one of its options");
  }
  return std::nullopt;
}

std::vector<SchemaProblem> CheckLead(const Lead& lead, const LeadSchema& schema) {
  std::vector<SchemaProblem> problems;
  for (const Attribute& attribute : lead.attributes()) {
    if (std::optional<SchemaProblem> problem = CheckAttribute(attribute, schema)) {
      problems.push_back(std::move(*problem));
    }
  }
  return problems;
}

}  // namespace leadsync
