#include "core/codec/api_answer.hpp"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <limits>

#include "core/lead.hpp"

namespace leadsync {
namespace {

namespace dom = simdjson::dom;

// Answers are read leniently: a field may be missing, null, or of another
// JSON type than documented (a number as a string, a LeadId as a number).
std::string TextOf(dom::element value) {
  std::string_view text;
  if (value.get_string().get(text) == simdjson::SUCCESS) return std::string(text);
  if (value.is_null()) return {};
  return simdjson::minify(value);
}

int ClampToInt(std::int64_t value) {
  return static_cast<int>(
      std::clamp<std::int64_t>(value, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
}

int IntOf(dom::element value) {
  std::int64_t number = 0;
  if (value.get_int64().get(number) == simdjson::SUCCESS) return ClampToInt(number);
  std::string text = Trim(TextOf(value));
  std::from_chars(text.data(), text.data() + text.size(), number);
  return ClampToInt(number);
}

bool BoolOf(dom::element value) {
  bool flag = false;
  if (value.get_bool().get(flag) == simdjson::SUCCESS) return flag;
  std::string text = Trim(TextOf(value));
  return NamesEqual(text, "true") || text == "1";
}

std::string JoinMessage(const std::string& exception_type, const std::vector<std::string>& messages) {
  std::string text;
  for (const std::string& message : messages) text += (text.empty() ? "" : "; ") + message;
  if (exception_type.empty()) return text;
  return text.empty() ? exception_type : exception_type + ": " + text;
}

RowResult ReadRow(dom::object object, int position) {
  RowResult row;
  row.row_number = position;
  std::string exception_type;
  std::vector<std::string> messages;
  for (dom::key_value_pair field : object) {
    std::string_view key = field.key;
    if (NamesEqual(key, "RowNumber")) row.row_number = IntOf(field.value);
    if (NamesEqual(key, "LeadId")) row.lead_id = TextOf(field.value);
    if (NamesEqual(key, "LeadCreated")) row.created = BoolOf(field.value);
    if (NamesEqual(key, "LeadUpdated")) row.updated = BoolOf(field.value);
    if (NamesEqual(key, "AffectedRows")) row.affected_rows = IntOf(field.value);
    if (NamesEqual(key, "ExceptionType")) exception_type = TextOf(field.value);
    if (NamesEqual(key, "Message") || NamesEqual(key, "ExceptionMessage") ||
        NamesEqual(key, "ErrorMessage")) {
      if (std::string text = TextOf(field.value); !text.empty()) messages.push_back(std::move(text));
    }
  }
  row.message = JoinMessage(exception_type, messages);
  return row;
}

}  // namespace

std::optional<std::vector<RowResult>> ParseBulkAnswer(std::string_view body, std::size_t max_rows,
                                                      std::string* error) {
  auto fail = [&](std::string why) -> std::optional<std::vector<RowResult>> {
    if (error != nullptr) *error = std::move(why);
    return std::nullopt;
  };
  dom::parser parser;
  dom::element root;
  if (auto e = parser.parse(body.data(), body.size()).get(root)) {
    return fail(std::string("invalid JSON: ") + simdjson::error_message(e));
  }
  dom::array array;
  if (root.get_array().get(array) != simdjson::SUCCESS) return fail("expected an array of rows");
  if (const std::size_t count = array.size(); count > max_rows) {
    return fail(std::to_string(count) + " rows for " + std::to_string(max_rows) + " records sent");
  }
  std::vector<RowResult> rows;
  rows.reserve(array.size());
  for (dom::element element : array) {
    dom::object object;
    int position = static_cast<int>(rows.size()) + 1;
    if (element.get_object().get(object) != simdjson::SUCCESS) {
      return fail("row " + std::to_string(position) + " is not an object");
    }
    rows.push_back(ReadRow(object, position));
  }
  return rows;
}

std::optional<ApiError> ParseApiError(std::string_view body) {
  dom::parser parser;
  dom::object object;
  if (parser.parse(body.data(), body.size()).get(object) != simdjson::SUCCESS) return std::nullopt;
  ApiError error;
  std::string message;
  bool found = false;
  for (dom::key_value_pair field : object) {
    std::string_view key = field.key;
    if (NamesEqual(key, "Status")) error.status = TextOf(field.value);
    if (NamesEqual(key, "ExceptionType")) error.exception_type = TextOf(field.value);
    if (NamesEqual(key, "ExceptionMessage")) error.exception_message = TextOf(field.value);
    if (NamesEqual(key, "Message")) message = TextOf(field.value);
    found = found || NamesEqual(key, "Status") || NamesEqual(key, "ExceptionType");
  }
  if (error.exception_message.empty()) error.exception_message = std::move(message);
  return found ? std::optional<ApiError>(std::move(error)) : std::nullopt;
}

bool IsDataException(const ApiError& error) { return error.exception_type.starts_with("MX"); }

}  // namespace leadsync
