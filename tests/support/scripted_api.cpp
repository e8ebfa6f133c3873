#include "tests/support/scripted_api.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/http/classify.hpp"

namespace leadsync::testing {
namespace json = boost::json;

namespace {

std::vector<std::string> Emails(const std::string& body) {
  std::vector<std::string> emails;
  const json::value parsed = json::parse(body);
  for (const json::value& record : parsed.as_array()) {
    std::string email;
    for (const json::value& pair : record.as_array()) {
      if (pair.at("Attribute").as_string() == "EmailAddress")
        email = json::value_to<std::string>(pair.at("Value"));
    }
    emails.push_back(email);
  }
  return emails;
}

}  // namespace

boost::asio::awaitable<ApiOutcome> ScriptedApi::Post(std::string body, std::size_t records) {
  PostedCall call{clock_.Now(), Emails(body), std::move(body)};
  EXPECT_EQ(call.emails.size(), records) << "the record count posted with a body is the body's";
  const int index = static_cast<int>(calls_.size());
  calls_.push_back(call);
  std::unique_ptr<Timer> timer = clock_.MakeTimer();
  waiting_.insert(timer.get());
  const TimePoint answer_at = clock_.Now() + latency_;
  co_await timer->WaitUntil(answer_at);
  waiting_.erase(timer.get());
  if (clock_.Now() < answer_at) co_return FailedExchange(OutcomeKind::kNetwork, "network: cancelled");
  ApiOutcome outcome = script_ ? script_(call, index) : AcceptAll(call);
  outcome.elapsed = latency_;
  co_return outcome;
}

void ScriptedApi::CancelAll() {
  for (Timer* timer : waiting_) timer->Cancel();
}

int ScriptedApi::MostCallsInAnyWindow(Duration window) const {
  int most = 0;
  for (std::size_t i = 0; i < calls_.size(); ++i) {
    int n = 0;
    for (std::size_t j = i; j < calls_.size() && calls_[j].at < calls_[i].at + window; ++j) ++n;
    most = std::max(most, n);
  }
  return most;
}

ApiOutcome AcceptAll(const PostedCall& call) {
  json::array rows;
  for (std::size_t i = 0; i < call.emails.size(); ++i) {
    rows.push_back(json::object{{"RowNumber", i + 1},
                                {"LeadId", "lead-" + call.emails[i]},
                                {"LeadCreated", true},
                                {"LeadUpdated", false},
                                {"AffectedRows", 1}});
  }
  return Answer(200, json::serialize(rows));
}

ApiOutcome Answer(int status, const std::string& body) {
  return ClassifyAnswer(status, body, "", AnswerShape::kBulkRows, 25, TimePoint{});
}

ApiOutcome Refusal(int status, int calls, int seconds) {
  return Answer(status, R"json({"Status":"Error","ExceptionType":"MXAPIRateLimitExceededException",)json"
                        R"json("ExceptionMessage":"API calls exceeded the limit of )json" +
                            std::to_string(calls) + " in " + std::to_string(seconds) +
                            R"json( second(s)"})json");
}

}  // namespace leadsync::testing
