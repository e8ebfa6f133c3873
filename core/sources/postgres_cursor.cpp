#include "core/sources/postgres_cursor.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/codec/json_writer.hpp"

namespace leadsync {
namespace json = boost::json;

namespace {

std::optional<std::string> ElementText(const json::value& element) {
  if (element.is_null()) return std::nullopt;
  if (element.is_string()) return std::string(element.get_string());
  return json::serialize(element);  // a number, written as JSON writes it
}

std::optional<CursorValues> DecodeArray(std::string_view text, std::size_t columns, std::string* error) {
  boost::system::error_code ec;
  const json::value parsed = json::parse(text, ec);
  if (ec || !parsed.is_array()) {
    if (error)
      *error = "a composite cursor position is a JSON array of strings, one per column: " + ec.message();
    return std::nullopt;
  }
  const json::array& array = parsed.get_array();
  if (array.size() != columns) {
    if (error)
      *error = "the cursor has " + std::to_string(columns) + " columns, the position " +
               std::to_string(array.size()) + " values";
    return std::nullopt;
  }
  CursorValues values;
  for (const json::value& element : array) {
    if (element.is_object() || element.is_array() || element.is_bool()) {
      if (error) *error = "a cursor position holds strings, numbers or null, not " + json::serialize(element);
      return std::nullopt;
    }
    values.push_back(ElementText(element));
  }
  return values;
}

}  // namespace

std::string EncodeCursor(const CursorValues& values) {
  if (values.size() == 1 && values.front()) return *values.front();
  json::array array;
  for (const std::optional<std::string>& value : values) {
    array.push_back(value ? json::value(*value) : json::value(nullptr));
  }
  return WriteJson(array);
}

std::optional<CursorValues> DecodeCursor(std::string_view text, std::size_t columns, std::string* error) {
  if (columns == 1) return CursorValues{std::string(text)};
  if (text.starts_with('[')) return DecodeArray(text, columns, error);
  CursorValues values(columns);
  values.front() = std::string(text);
  return values;
}

}  // namespace leadsync
