#include "core/schema/schema_validation.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <sstream>

namespace leadsync {
namespace {

using std::chrono::minutes;

std::shared_ptr<const LeadSchema> Schema() {
  std::string error;
  auto schema = ParseLeadSchema(R"([{"SchemaName":"EmailAddress"},
    {"SchemaName":"mx_Course","DataType":"Select","Options":["MBA"]}])",
                                &error);
  return std::make_shared<const LeadSchema>(*schema);
}

Lead Record(const std::string& course, const std::string& extra = "mx_Typo") {
  Lead lead({{"EmailAddress", "a@x.com"}, {"mx_Course", course}});
  if (!extra.empty()) lead.Set(extra, "x");
  return lead;
}

// Counts the warnings logged while it lives.
class WarningCount final {
 public:
  WarningCount() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    auto logger = std::make_shared<spdlog::logger>("test", sink);
    logger->set_pattern("%l %v");
    spdlog::set_default_logger(logger);
  }
  ~WarningCount() { spdlog::set_default_logger(previous_); }
  [[nodiscard]] int Lines() const {
    const std::string text = out_.str();
    return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  }
  [[nodiscard]] std::string Text() const { return out_.str(); }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

TEST(SchemaValidation, RejectNamesEveryProblem) {
  ManualTimeSource clock;
  SchemaValidation validation(SchemaValidationMode::kReject, clock);
  validation.Replace(Schema());
  EXPECT_EQ(validation.Judge(Record("MBA", ""), "crm"), std::nullopt);
  EXPECT_EQ(validation.Judge(Record("PhD"), "crm"),
            "attribute 'mx_Course': 'PhD' is not one of its options; "
            "attribute 'mx_Typo' is not a lead field of the account");
}

// Names come from the input: a record with thousands of unknown ones gets a
// bounded reason, and warnings stop at the cap without a walk of the warned
// names per attribute.
TEST(SchemaValidation, ThousandsOfUnknownNamesGiveABoundedReasonAndCappedWarnings) {
  ManualTimeSource clock;
  Lead wide;
  wide.Set("EmailAddress", "a@x.com");
  for (int i = 0; i < 5000; ++i) wide.Set("mx_U" + std::to_string(i), "x");
  SchemaValidation reject(SchemaValidationMode::kReject, clock);
  reject.Replace(Schema());
  const std::optional<std::string> reason = reject.Judge(wide, "crm");
  ASSERT_TRUE(reason);
  EXPECT_EQ(std::count(reason->begin(), reason->end(), ';'), 10) << *reason;
  EXPECT_TRUE(reason->ends_with("; and 4990 more")) << *reason;

  WarningCount warnings;
  SchemaValidation warn(SchemaValidationMode::kWarn, clock);
  warn.Replace(Schema());
  EXPECT_EQ(warn.Judge(wide, "crm"), std::nullopt);
  EXPECT_EQ(warnings.Lines(), static_cast<int>(SchemaValidation::kMaxWarnedAttributes));
  clock.Advance(std::chrono::hours(1));
  EXPECT_EQ(warn.Judge(wide, "crm"), std::nullopt);
  EXPECT_EQ(warnings.Lines(), 2 * static_cast<int>(SchemaValidation::kMaxWarnedAttributes))
      << "an hour later the names expire and as many are warned again";
}

TEST(SchemaValidation, EverythingPassesWithoutASchema) {
  ManualTimeSource clock;
  SchemaValidation validation(SchemaValidationMode::kReject, clock);
  EXPECT_EQ(validation.Judge(Record("PhD"), "crm"), std::nullopt);
}

TEST(SchemaValidation, OffChecksNothing) {
  ManualTimeSource clock;
  SchemaValidation validation(SchemaValidationMode::kOff, clock);
  validation.Replace(Schema());
  EXPECT_EQ(validation.Judge(Record("PhD"), "crm"), std::nullopt);
}

TEST(SchemaValidation, WarnSendsAndWarnsOncePerAttributePerPeriod) {
  ManualTimeSource clock;
  SchemaValidation validation(SchemaValidationMode::kWarn, clock, minutes(60));
  validation.Replace(Schema());
  const WarningCount warnings;
  EXPECT_EQ(validation.Judge(Record("PhD"), "crm"), std::nullopt);
  EXPECT_EQ(warnings.Lines(), 2) << warnings.Text();  // mx_Course, mx_Typo
  EXPECT_EQ(validation.Judge(Record("BSc", "MX_TYPO"), "crm"), std::nullopt);
  clock.Advance(minutes(59));
  EXPECT_EQ(validation.Judge(Record("PhD"), "crm"), std::nullopt);
  EXPECT_EQ(warnings.Lines(), 2) << warnings.Text();
  EXPECT_EQ(validation.Judge(Record("MBA", "mx_Other"), "crm"), std::nullopt);
  EXPECT_EQ(warnings.Lines(), 3) << warnings.Text();
  clock.Advance(minutes(1));
  EXPECT_EQ(validation.Judge(Record("PhD"), "crm"), std::nullopt);
  EXPECT_EQ(warnings.Lines(), 5) << warnings.Text();
  EXPECT_NE(warnings.Text().find("warning source crm: attribute 'mx_Typo' is not a lead field"),
            std::string::npos)
      << warnings.Text();
}

}  // namespace
}  // namespace leadsync
