#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sandbox/lead_store.hpp"
#include "sandbox/sandbox_api.hpp"
#include "sandbox/value_history.hpp"

// The JSON texts the sandbox answers with (Boost.JSON inside).
namespace leadsync {

// {"Status":"Error","ExceptionType":TYPE,"ExceptionMessage":MESSAGE}
[[nodiscard]] std::string ErrorJson(std::string_view type, std::string_view message);

// The 200 answer of a bulk call: one row per record, RowNumber from 1.
[[nodiscard]] std::string RowsJson(const std::vector<ApplyResult>& results);

// The UserByAccessKey answer, naming `api_url` in LSQCommonServiceURLs.
[[nodiscard]] std::string UserJson(std::string_view api_url);

// The counters of /sandbox/state.
struct WindowPeaks {
  std::size_t max_calls_in_window = 0;
  std::size_t max_arrivals_in_window = 0;
  int requests = 0;
  std::chrono::milliseconds per{0};
};
// The first window's peaks at the top level (max_calls_in_window,
// max_arrivals_in_window), every window's in "windows".
[[nodiscard]] std::string StateJson(const SandboxStats& stats, const std::vector<WindowPeaks>& peaks,
                                    std::size_t leads);

// {"LeadId": ID, "attributes": [pairs]} for one lead; an array of them for all.
[[nodiscard]] std::string LeadJson(const StoredLead& lead);
[[nodiscard]] std::string LeadsJson(const std::vector<StoredLead>& leads);

// {"attribute": NAME, "leads": [{"LeadId", "EmailAddress", "Phone", "values": [...]}]}
// for every lead with a tracked value, values oldest first.
[[nodiscard]] std::string HistoryJson(const std::vector<StoredLead>& leads, const ValueHistory& history);

}  // namespace leadsync
