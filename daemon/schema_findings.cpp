#include "daemon/schema_findings.hpp"

#include <algorithm>
#include <tuple>

#include "config/closest_name.hpp"
#include "core/lead.hpp"
#include "core/schema/schema_check.hpp"

namespace leadsync::daemon {
namespace {

using Kind = config::MappingPlace::Kind;

config::ConfigError At(const std::string& file, int line, int column, std::string message) {
  return config::ConfigError{file, line, column, std::move(message)};
}

std::string Label(const config::MappingPlace& place) {
  return place.kind == Kind::kConstant ? "constants." + place.input : "fields." + place.input;
}

// "Set.Field" -> "Set".
std::string_view FieldName(const std::string& attribute) {
  return std::string_view(attribute).substr(0, attribute.find('.'));
}

void CheckConstant(const std::string& file, const config::MappingPlace& place, const SchemaField& field,
                   SchemaFindings& out) {
  if (place.constant.empty() || place.attribute.find('.') != std::string::npos) return;
  const Attribute attribute{field.schema_name, place.constant};
  const std::optional<SchemaProblem> problem = CheckAttribute(attribute, LeadSchema({field}));
  if (!problem) return;
  std::string message = Label(place) + ": " + problem->message;
  if (problem->kind == SchemaProblemKind::kNotAnOption) {
    std::string options;
    for (const std::string& option : field.options) options += (options.empty() ? "" : ", ") + option;
    message += " (" + options + ")" + config::DidYouMean(place.constant, field.options);
  }
  out.errors.push_back(At(file, place.line, place.column, std::move(message)));
}

void CheckPlace(const std::string& file, const config::MappingPlace& place, const LeadSchema& schema,
                const std::vector<std::string>& names, SchemaFindings& out) {
  const std::string_view name = FieldName(place.attribute);
  const SchemaField* field = schema.Find(name);
  if (field == nullptr) {
    out.errors.push_back(At(file, place.line, place.column,
                            Label(place) + ": '" + std::string(name) +
                                "' is not a lead field of the account" + config::DidYouMean(name, names)));
    return;
  }
  const bool dated = place.type == config::ValueType::kDate || place.type == config::ValueType::kDateTime;
  if (place.kind == Kind::kConversion && dated && field->data_type == FieldDataType::kText) {
    out.warnings.push_back(At(file, place.line, place.column,
                              Label(place) + ": a " +
                                  (place.type == config::ValueType::kDate ? "date" : "datetime") +
                                  " conversion into '" + field->schema_name +
                                  "', a Text field: LeadSquared keeps the text, not a date"));
  }
  if (place.kind == Kind::kConstant) CheckConstant(file, place, *field, out);
}

bool Produces(const config::SourcePlaces& source, const std::string& attribute) {
  return std::ranges::any_of(source.places, [&](const config::MappingPlace& place) {
    return NamesEqual(FieldName(place.attribute), attribute);
  });
}

void CheckMandatory(const std::string& file, const config::SourcePlaces& source, const LeadSchema& schema,
                    SchemaFindings& out) {
  for (const SchemaField& field : schema.fields()) {
    if (!field.is_mandatory || Produces(source, field.schema_name)) continue;
    out.warnings.push_back(At(file, source.line, source.column,
                              "source '" + source.name + "': '" + field.schema_name +
                                  "' is mandatory in the account, and neither a target of its fields nor "
                                  "one of its constants: its records must carry it under that name"));
  }
}

void SortByPlace(std::vector<config::ConfigError>& findings) {
  std::ranges::stable_sort(findings, [](const config::ConfigError& a, const config::ConfigError& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
}

}  // namespace

SchemaFindings FindSchemaProblems(const std::string& file, const std::vector<config::SourcePlaces>& sources,
                                  const LeadSchema& schema) {
  SchemaFindings out;
  const std::vector<std::string> names = schema.Names();
  for (const config::SourcePlaces& source : sources) {
    for (const config::MappingPlace& place : source.places) CheckPlace(file, place, schema, names, out);
    CheckMandatory(file, source, schema, out);
  }
  SortByPlace(out.errors);
  SortByPlace(out.warnings);
  return out;
}

}  // namespace leadsync::daemon
