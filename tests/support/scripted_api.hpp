#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/http/bulk_api.hpp"
#include "core/timer.hpp"

namespace leadsync::testing {

// One post as the scripted API saw it.
struct PostedCall {
  TimePoint at;
  std::vector<std::string> emails;  // EmailAddress of each record, in order
  std::string body;
};

// A BulkApi that answers what the test scripts, after `latency` on the
// test's clock. The default answer accepts every record (one row each, with
// a LeadId). Keeps every call for assertions. Loop thread only.
class ScriptedApi final : public BulkApi {
 public:
  using Script = std::function<ApiOutcome(const PostedCall& call, int index)>;

  ScriptedApi(Clock& clock, Duration latency = Duration{300}) : clock_(clock), latency_(latency) {}

  void SetScript(Script script) { script_ = std::move(script); }

  [[nodiscard]] boost::asio::awaitable<ApiOutcome> Post(std::string body, std::size_t records) override;
  void CancelAll() override;

  [[nodiscard]] const std::vector<PostedCall>& calls() const { return calls_; }
  // Calls that started in any window of `window`, at most.
  [[nodiscard]] int MostCallsInAnyWindow(Duration window) const;

 private:
  Clock& clock_;
  Duration latency_;
  Script script_;
  std::vector<PostedCall> calls_;
  std::set<Timer*> waiting_;
};

// Answers of the bulk endpoint, as ClassifyAnswer would make them for a
// batch of the largest size (25 records).
[[nodiscard]] ApiOutcome AcceptAll(const PostedCall& call);
[[nodiscard]] ApiOutcome Answer(int status, const std::string& body);
// A refusal over the limit in one of its three forms (429, 403, 200).
[[nodiscard]] ApiOutcome Refusal(int status, int calls = 25, int seconds = 5);

}  // namespace leadsync::testing
