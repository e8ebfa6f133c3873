#include "core/codec/json_writer.hpp"

// The one translation unit that compiles Boost.JSON's implementation.
#include <boost/json/src.hpp>

namespace leadsync {
namespace {

boost::json::object PairToJson(std::string_view name, std::string_view value,
                               const boost::json::storage_ptr& sp) {
  boost::json::object pair(sp);
  pair.reserve(3);
  pair.emplace("Attribute", name);
  pair.emplace("Value", value);
  return pair;
}

boost::json::object AttributeToJson(const Attribute& attribute, const boost::json::storage_ptr& sp) {
  boost::json::object pair = PairToJson(attribute.name, attribute.value, sp);
  if (attribute.is_field_set) {
    boost::json::array fields(sp);
    fields.reserve(attribute.fields.size());
    for (const Field& field : attribute.fields) fields.push_back(PairToJson(field.name, field.value, sp));
    pair.emplace("Fields", std::move(fields));
  }
  return pair;
}

// Appends `text` as a JSON string literal, escaped by the serializer,
// written straight into `out`.
void AppendQuoted(boost::json::serializer& writer, std::string_view text, std::string& out) {
  writer.reset(boost::json::string_view(text.data(), text.size()));
  while (!writer.done()) {
    const std::size_t at = out.size();
    out.resize(at + text.size() + 16);
    out.resize(at + writer.read(out.data() + at, out.size() - at).size());
  }
}

void AppendPair(boost::json::serializer& writer, std::string_view name, std::string_view value,
                std::string& out) {
  out += R"({"Attribute":)";
  AppendQuoted(writer, name, out);
  out += R"(,"Value":)";
  AppendQuoted(writer, value, out);
}

}  // namespace

std::string WriteRecord(const Lead& lead) {
  boost::json::serializer writer;
  std::string out;
  out.reserve(64 * lead.attributes().size());
  out += '[';
  for (const Attribute& attribute : lead.attributes()) {
    if (out.size() > 1) out += ',';
    AppendPair(writer, attribute.name, attribute.value, out);
    if (attribute.is_field_set) {
      out += R"(,"Fields":[)";
      for (std::size_t i = 0; i < attribute.fields.size(); ++i) {
        if (i > 0) out += ',';
        AppendPair(writer, attribute.fields[i].name, attribute.fields[i].value, out);
        out += '}';
      }
      out += ']';
    }
    out += '}';
  }
  out += ']';
  return out;
}

boost::json::array RecordToJson(const Lead& lead, const boost::json::storage_ptr& sp) {
  boost::json::array record(sp);
  record.reserve(lead.attributes().size());
  for (const Attribute& attribute : lead.attributes()) record.push_back(AttributeToJson(attribute, sp));
  return record;
}

boost::json::array BatchToJson(std::span<const Lead> leads, const boost::json::storage_ptr& sp) {
  boost::json::array batch(sp);
  batch.reserve(leads.size());
  for (const Lead& lead : leads) batch.push_back(RecordToJson(lead, sp));
  return batch;
}

std::string WriteJson(const boost::json::value& value) { return boost::json::serialize(value); }

std::string QuoteJson(std::string_view text) {
  return boost::json::serialize(boost::json::string_view(text));
}

}  // namespace leadsync
