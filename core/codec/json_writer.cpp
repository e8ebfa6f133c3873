#include "core/codec/json_writer.hpp"

// The one translation unit that compiles Boost.JSON's implementation.
#include <boost/json/src.hpp>

namespace leadsync {
namespace {

boost::json::object PairToJson(std::string_view name, std::string_view value) {
  boost::json::object pair;
  pair.emplace("Attribute", name);
  pair.emplace("Value", value);
  return pair;
}

boost::json::object AttributeToJson(const Attribute& attribute) {
  boost::json::object pair = PairToJson(attribute.name, attribute.value);
  if (attribute.is_field_set) {
    boost::json::array fields;
    fields.reserve(attribute.fields.size());
    for (const Field& field : attribute.fields) fields.push_back(PairToJson(field.name, field.value));
    pair.emplace("Fields", std::move(fields));
  }
  return pair;
}

}  // namespace

boost::json::array RecordToJson(const Lead& lead) {
  boost::json::array record;
  record.reserve(lead.attributes().size());
  for (const Attribute& attribute : lead.attributes()) record.push_back(AttributeToJson(attribute));
  return record;
}

boost::json::array BatchToJson(std::span<const Lead> leads) {
  boost::json::array batch;
  batch.reserve(leads.size());
  for (const Lead& lead : leads) batch.push_back(RecordToJson(lead));
  return batch;
}

std::string WriteJson(const boost::json::value& value) { return boost::json::serialize(value); }

std::string QuoteJson(std::string_view text) {
  return boost::json::serialize(boost::json::string_view(text));
}

}  // namespace leadsync
