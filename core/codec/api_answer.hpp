#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadsync {

// One row of a 200 answer of the bulk endpoint. RowNumber counts from 1.
struct RowResult {
  int row_number = 0;
  std::string lead_id;  // empty when the row failed
  bool created = false;
  bool updated = false;
  int affected_rows = 0;
  std::string message;  // any other text the row carried, for the dead-letter store
};

// {"Status":"Error","ExceptionType":"MX…","ExceptionMessage":"…"}
struct ApiError {
  std::string status;
  std::string exception_type;
  std::string exception_message;
};

// nullopt with `error` set when the body is not the expected array, or has
// more than `max_rows` rows: an answer has a row per record sent, so more
// is not an answer, and a few MiB of "{}," never become millions of rows.
[[nodiscard]] std::optional<std::vector<RowResult>> ParseBulkAnswer(std::string_view body,
                                                                    std::size_t max_rows,
                                                                    std::string* error = nullptr);
[[nodiscard]] std::optional<ApiError> ParseApiError(std::string_view body);

// An "MX…" exception is an application (data) error: retrying unchanged
// cannot succeed.
[[nodiscard]] bool IsDataException(const ApiError& error);

}  // namespace leadsync
