#include "core/dispatch/call_log.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <mutex>

#include "core/metrics/metrics.hpp"

namespace leadsync {
namespace {

// One logged line: its level and the fields it carried.
struct Logged {
  spdlog::level::level_enum level;
  std::vector<LogField> fields;
};

// Keeps what CallLog logs, fields included (read while the line is logged,
// as the daemon's JSON formatter reads them).
class FieldSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::vector<Logged> lines;

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    const auto fields = CurrentLogFields();
    lines.push_back({msg.level, {fields.begin(), fields.end()}});
  }
  void flush_() override {}
};

class CallLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    previous_ = spdlog::default_logger();
    auto logger = std::make_shared<spdlog::logger>("test", sink_);
    logger->set_level(spdlog::level::trace);
    spdlog::set_default_logger(logger);
  }
  void TearDown() override { spdlog::set_default_logger(previous_); }

  static std::vector<QueuedRecord> Batch(std::initializer_list<const char*> sources) {
    std::vector<QueuedRecord> records;
    for (const char* source : sources) {
      QueuedRecord record;
      record.id = static_cast<std::int64_t>(records.size());
      record.key = "a@x.com";
      record.source = source;
      records.push_back(record);
    }
    return records;
  }
  static ApiOutcome Outcome(OutcomeKind kind, int status) {
    ApiOutcome outcome;
    outcome.kind = kind;
    outcome.status = status;
    outcome.elapsed = Duration{120};
    return outcome;
  }

  std::shared_ptr<FieldSink> sink_ = std::make_shared<FieldSink>();
  std::shared_ptr<spdlog::logger> previous_;
  Metrics metrics_{{"signups", "crm"}};
  CallLog log_{metrics_};
};

TEST_F(CallLogTest, EachBatchIsADebugLineWithSourceRecordsStatusAndDurationButNoKey) {
  log_.Answered(Batch({"signups", "crm", "signups"}), Outcome(OutcomeKind::kOk, 200), TimePoint{});
  ASSERT_EQ(sink_->lines.size(), 1u);
  EXPECT_EQ(sink_->lines[0].level, spdlog::level::debug);
  std::map<std::string, std::variant<std::int64_t, std::string>> fields;
  for (const LogField& f : sink_->lines[0].fields) fields[f.name] = f.value;
  EXPECT_EQ(fields.at("source"), (std::variant<std::int64_t, std::string>{"signups,crm"}));
  EXPECT_EQ(fields.at("records"), (std::variant<std::int64_t, std::string>{std::int64_t{3}}));
  EXPECT_EQ(fields.at("status"), (std::variant<std::int64_t, std::string>{"200"}));
  EXPECT_EQ(fields.at("duration_ms"), (std::variant<std::int64_t, std::string>{std::int64_t{120}}));
  EXPECT_FALSE(fields.contains("key")) << "keys are personal data";
  EXPECT_TRUE(CurrentLogFields().empty()) << "fields last as long as their line";
}

TEST_F(CallLogTest, CountsCallsAndRecordsUntilTaken) {
  log_.Answered(Batch({"signups", "signups"}), Outcome(OutcomeKind::kOk, 200), TimePoint{});
  log_.Answered(Batch({"signups"}), Outcome(OutcomeKind::kRateLimited, 429), TimePoint{});
  log_.Answered(Batch({"crm"}), Outcome(OutcomeKind::kNetwork, 0), TimePoint{});
  log_.Answered(Batch({"crm"}), Outcome(OutcomeKind::kDataError, 400), TimePoint{});
  Settlement settlement;
  settlement.delivered = {Delivered{1, {}}, Delivered{2, {}}};
  DeadLetter dead;
  dead.id = 3;
  dead.reason = "data_error";
  settlement.dead = {dead};
  log_.Finished(settlement);
  log_.FoundUnreadable(2);

  const CallActivity a = log_.TakeActivity();
  EXPECT_EQ(a.calls_ok, 1);
  EXPECT_EQ(a.calls_refused, 1);
  EXPECT_EQ(a.calls_failed, 2);
  EXPECT_EQ(a.records_sent, 2);
  EXPECT_EQ(a.records_dead_lettered, 3);
  EXPECT_TRUE(log_.TakeActivity().Idle()) << "taking starts the next span at zero";
}

}  // namespace
}  // namespace leadsync
