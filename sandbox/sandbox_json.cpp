#include "sandbox/sandbox_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/codec/json_writer.hpp"

namespace leadsync {
namespace {

namespace json = boost::json;

json::object RowJson(const ApplyResult& result, std::size_t row_number) {
  json::object row;
  row["RowNumber"] = row_number;
  row["LeadId"] = result.lead_id.empty() ? json::value(nullptr) : json::value(result.lead_id);
  row["LeadCreated"] = result.created;
  row["LeadUpdated"] = result.updated;
  row["AffectedRows"] = result.lead_id.empty() ? 0 : 1;
  if (!result.error.empty()) row["ExceptionMessage"] = result.error;
  return row;
}

json::object LeadObject(const StoredLead& lead) {
  json::object object;
  object["LeadId"] = lead.id;
  object["attributes"] = RecordToJson(lead.lead);
  return object;
}

}  // namespace

std::string ErrorJson(std::string_view type, std::string_view message) {
  json::object error;
  error["Status"] = "Error";
  error["ExceptionType"] = type;
  error["ExceptionMessage"] = message;
  return WriteJson(error);
}

std::string RowsJson(const std::vector<ApplyResult>& results) {
  json::array rows;
  for (std::size_t i = 0; i < results.size(); ++i) rows.push_back(RowJson(results[i], i + 1));
  return WriteJson(rows);
}

std::string UserJson(std::string_view api_url) {
  json::object urls;
  urls["api"] = api_url;
  urls["app"] = api_url;
  urls["static"] = api_url;
  json::object user;
  user["ID"] = "00000000-0000-4000-8000-000000000001";
  user["FirstName"] = "Sandbox";
  user["LastName"] = "User";
  user["EmailAddress"] = "sandbox@example.com";
  user["Role"] = "Administrator";
  user["OrgId"] = "1";
  user["TimeZone"] = "UTC";
  user["LSQCommonServiceURLs"] = std::move(urls);
  return WriteJson(user);
}

std::string StateJson(const SandboxStats& stats, const std::vector<WindowPeaks>& peaks, std::size_t leads) {
  json::object by_status;
  for (const auto& [status, count] : stats.by_status) by_status[std::to_string(status)] = count;
  json::array records_per_call;
  for (const std::size_t count : stats.records_per_call) records_per_call.push_back(count);
  json::array bytes_per_call;
  for (const std::size_t bytes : stats.bytes_per_call) bytes_per_call.push_back(bytes);
  json::object state;
  state["calls"] = stats.calls;
  state["by_status"] = std::move(by_status);
  state["connections"] = stats.connections;
  state["resets"] = stats.resets;
  json::array windows;
  for (const WindowPeaks& p : peaks) {
    json::object window;
    window["requests"] = p.requests;
    window["per_seconds"] = std::chrono::duration<double>(p.per).count();
    window["max_calls_in_window"] = p.max_calls_in_window;
    window["max_arrivals_in_window"] = p.max_arrivals_in_window;
    windows.push_back(std::move(window));
  }
  state["max_calls_in_window"] = peaks.empty() ? 0 : peaks.front().max_calls_in_window;
  state["max_arrivals_in_window"] = peaks.empty() ? 0 : peaks.front().max_arrivals_in_window;
  state["windows"] = std::move(windows);
  state["limit_violations"] = stats.limit_violations;
  state["refusals"] = stats.refusals;
  state["answered"] = stats.answered;
  state["outages"] = stats.outages;
  state["metadata_calls"] = stats.metadata_calls;
  state["records_per_call"] = std::move(records_per_call);
  state["bytes_per_call"] = std::move(bytes_per_call);
  state["leads"] = leads;
  return WriteJson(state);
}

std::string LeadJson(const StoredLead& lead) { return WriteJson(LeadObject(lead)); }

std::string LeadsJson(const std::vector<StoredLead>& leads) {
  json::array array;
  for (const StoredLead& lead : leads) array.push_back(LeadObject(lead));
  return WriteJson(array);
}

std::string HistoryJson(const std::vector<StoredLead>& leads, const ValueHistory& history) {
  json::array tracked;
  for (const StoredLead& lead : leads) {
    const std::vector<std::string>& values = history.Of(lead.id);
    if (values.empty()) continue;
    json::object entry;
    entry["LeadId"] = lead.id;
    for (const char* name : {"EmailAddress", "Phone"}) {
      if (const Attribute* found = lead.lead.Find(name); found != nullptr) entry[name] = found->value;
    }
    json::array list;
    for (const std::string& value : values) list.push_back(json::string(value));
    entry["values"] = std::move(list);
    tracked.push_back(std::move(entry));
  }
  json::object out;
  out["attribute"] = history.attribute();
  out["leads"] = std::move(tracked);
  return WriteJson(out);
}

}  // namespace leadsync
