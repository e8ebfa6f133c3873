// docs/metrics.md against the registry: every metric Metrics::Serialize()
// exports (each `# TYPE name type` line) has a row with its type and the
// names of its labels, every `leadsync_` row is a metric the registry
// exports, and the series exported before anything happened are listed
// where the page says what starts at 0, with their label values.
//
// And the label values against the code that produces them: the page lists
// every value a label can take and no other, for each label whose values
// the code names in one place (reject::kAll, dead_letter::kCounted,
// retry_reason::kAll), derives by one function (CodeLabel,
// QueueFailureReason) or declares up front (result, task).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "core/codec/input_parser.hpp"
#include "core/dispatch/retry_reasons.hpp"
#include "core/http/outcome.hpp"
#include "core/metrics/metrics.hpp"
#include "core/queue/dead_letter_reasons.hpp"
#include "core/queue/queue.hpp"
#include "core/queue/queue_failure.hpp"
#include "core/queue/sqlite.hpp"
#include "tests/docs/markdown.hpp"

namespace leadsync::testing {
namespace {

namespace md = markdown;

constexpr std::string_view kDoc = "docs/metrics.md";

// Gives every family a sample, so that its labels show.
void RecordOneOfEach(Metrics& metrics) {
  metrics.RecordIngested("signups", 1);
  metrics.RecordRejected("signups", "invalid", 1);
  metrics.RecordSourceError("signups");
  metrics.RecordCoalesced(1);
  metrics.SetQueuePending("high", 1);
  metrics.SetQueueOldestAge("high", 1);
  metrics.SetBacklogDrain("high", 1);
  metrics.SetSourceLag("signups", 1);
  metrics.SetSourcePriority("signups", "high");
  metrics.SetDeadLetterRecords(1);
  metrics.RecordDelivered(true, 1);
  metrics.RecordDeadLettered("bad_request", 1);
  metrics.RecordRequest("200", 0.1);
  metrics.ObserveBatch(25);
  metrics.RecordRetry("split");
  metrics.AddRateLimitWait(0.1);
  metrics.SetInFlight(1);
  metrics.SetPaused(true);
  metrics.SetRateLimitEffective(25);
  metrics.SetRateLimitWindow("5s", 1, 5);
  metrics.RecordConfigReloadFailure();
  metrics.RecordTaskFailure("dispatcher");
  metrics.RecordConnectionDropped("signups", "evicted");
}

struct Family {
  std::string type;
  std::set<std::string> labels;
  std::map<std::string, std::set<std::string>> values;  // label -> the values its samples have
  bool sampled = false;                                 // has at least one sample
};

// Families by name, from the text exposition format.
std::map<std::string, Family> Families(const std::string& text) {
  static const std::regex kType(R"(^# TYPE (\S+) (\S+)$)");
  static const std::regex kSample(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})? )");
  static const std::regex kLabel(R"re(([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)")re");
  std::map<std::string, Family> families;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_match(line, match, kType)) {
      families[match[1].str()].type = match[2].str();
      continue;
    }
    if (line.starts_with("#") || !std::regex_search(line, match, kSample)) continue;
    std::string name = match[1].str();
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      const std::string base = name.substr(0, name.size() - std::string_view(suffix).size());
      if (name.ends_with(suffix) && families.contains(base) && families[base].type == "histogram")
        name = base;
    }
    Family& family = families[name];
    family.sampled = true;
    const std::string labels = match[2].str();
    for (auto it = std::sregex_iterator(labels.begin(), labels.end(), kLabel); it != std::sregex_iterator();
         ++it) {
      if ((*it)[1].str() == "le") continue;
      family.labels.insert((*it)[1].str());
      family.values[(*it)[1].str()].insert((*it)[2].str());
    }
  }
  return families;
}

std::map<std::string, Family> Exported() {
  Metrics metrics({"signups"});
  RecordOneOfEach(metrics);
  return Families(metrics.Serialize());
}

TEST(MetricsDoc, EveryExportedMetricHasARowWithItsTypeAndLabels) {
  const std::map<std::string, Family> families = Exported();
  ASSERT_GE(families.size(), 20U);
  const std::vector<md::Line> doc = md::Section(md::ReadSource(std::string(kDoc)), "Every metric");
  ASSERT_FALSE(doc.empty()) << kDoc << " has no section \"Every metric\"";
  for (const auto& [name, family] : families) {
    const std::vector<std::string> row = md::Row(doc, name);
    ASSERT_GE(row.size(), 3U) << kDoc << ": no table row | `" << name << "` | type | labels | …";
    EXPECT_EQ(row[1], family.type) << kDoc << ": type of " << name;
    for (const std::string& label : family.labels) {
      EXPECT_NE(row[2].find("`" + label + "`"), std::string::npos)
          << kDoc << ": label `" << label << "` of " << name << " missing from its row";
    }
  }
}

TEST(MetricsDoc, EveryDocumentedMetricIsExported) {
  const std::map<std::string, Family> families = Exported();
  const std::vector<md::Line> table = md::Section(md::ReadSource(std::string(kDoc)), "Every metric");
  ASSERT_FALSE(table.empty()) << kDoc << " has no section \"Every metric\"";
  for (const std::string& name : md::RowKeys(table)) {
    EXPECT_TRUE(families.contains(name)) << kDoc << " documents " << name << ", which is not exported";
  }
}

TEST(MetricsDoc, SeriesExportedFromTheStartAreListedThere) {
  const std::map<std::string, Family> fresh = Families(Metrics({"signups"}).Serialize());
  const std::string section = md::Join(md::Section(md::ReadSource(std::string(kDoc)), "from the start"));
  ASSERT_FALSE(section.empty()) << kDoc << " has no section \"… from the start\"";
  for (const auto& [name, family] : fresh) {
    if (!family.sampled) continue;
    EXPECT_NE(section.find("`" + name), std::string::npos)
        << kDoc << ": " << name << " is exported from the start but not listed as such";
  }
}

// --- Label values -----------------------------------------------------------

template <class List>
std::set<std::string> AsSet(const List& list) {
  std::set<std::string> values;
  for (const auto& value : list) values.emplace(value);
  return values;
}

// The cells of the row of docs/metrics.md's "Label values" table for `label`
// of `metric`; empty when there is none.
std::vector<std::string> LabelRow(const std::string& label, const std::string& metric) {
  const std::vector<md::Line> table = md::Section(md::ReadSource(std::string(kDoc)), "Label values");
  for (std::vector<std::string>& cells : md::Rows(table)) {
    if (cells.size() >= 3 && cells[0] == "`" + label + "`" &&
        cells[1].find("`" + metric + "`") != std::string::npos)
      return std::move(cells);
  }
  return {};
}

// The values that row lists.
std::set<std::string> DocumentedValues(const std::string& label, const std::string& metric) {
  const std::vector<std::string> row = LabelRow(label, metric);
  EXPECT_GE(row.size(), 3U) << kDoc << ", Label values: no row for `" << label << "` of `" << metric << "`";
  return row.size() >= 3 ? md::ListedValues(row[2]) : std::set<std::string>{};
}

void ExpectListsExactly(const std::set<std::string>& listed, const std::set<std::string>& produced,
                        const std::string& where) {
  ASSERT_FALSE(produced.empty()) << where << ": the code's list is empty";
  for (const std::string& value : produced) {
    EXPECT_TRUE(listed.contains(value))
        << where << " does not list `" << value << "`, which the code produces";
  }
  for (const std::string& value : listed) {
    EXPECT_TRUE(produced.contains(value))
        << where << " lists `" << value << "`, which the code never produces";
  }
}

// What CodeLabel() gives besides an HTTP status, for every kind an outcome
// can have (and more: an enumerator added later is covered too).
std::set<std::string> CodeLabelsBesidesStatuses() {
  std::set<std::string> labels;
  for (int kind = 0; kind < 64; ++kind) {
    ApiOutcome outcome;
    outcome.kind = static_cast<OutcomeKind>(kind);
    outcome.status = 200;
    if (const std::string label = CodeLabel(outcome); label != "200") labels.insert(label);
  }
  return labels;
}

// What QueueFailureReason() gives for every SQLite result code and for a
// QueueError without a reason of its own.
std::set<std::string> QueueFailureReasons() {
  std::set<std::string> reasons;
  for (int code = 0; code < 256; ++code) reasons.emplace(QueueFailureReason(sqlite::Error(code, "failed")));
  reasons.emplace(QueueFailureReason(QueueError("failed")));
  return reasons;
}

const std::set<std::string>& ExportedFromTheStart(const std::string& metric, const std::string& label) {
  static const std::map<std::string, Family> fresh = Families(Metrics({"signups"}).Serialize());
  static const std::set<std::string> none;
  const auto family = fresh.find(metric);
  if (family == fresh.end()) return none;
  const auto values = family->second.values.find(label);
  return values == family->second.values.end() ? none : values->second;
}

TEST(MetricsDoc, RejectionReasonsAreTheIngestCategories) {
  const std::set<std::string> produced = AsSet(reject::kAll);
  ExpectListsExactly(DocumentedValues("reason", "leadsync_records_rejected_total"), produced,
                     std::string(kDoc) + ", reason of leadsync_records_rejected_total,");
  const std::vector<std::string> rows =
      md::RowKeys(md::Section(md::ReadSource("docs/input-formats.md"), "Rejected records"));
  ExpectListsExactly(std::set<std::string>(rows.begin(), rows.end()), produced,
                     "docs/input-formats.md, Rejected records,");
}

TEST(MetricsDoc, DeadLetterReasonsAreTheDispatchersAndUnreadable) {
  ExpectListsExactly(DocumentedValues("reason", "leadsync_records_dead_lettered_total"),
                     AsSet(dead_letter::kCounted),
                     std::string(kDoc) + ", reason of leadsync_records_dead_lettered_total,");
}

TEST(MetricsDoc, RetryReasonsAreTheDispatchers) {
  ExpectListsExactly(DocumentedValues("reason", "leadsync_retries_total"), AsSet(retry_reason::kAll),
                     std::string(kDoc) + ", reason of leadsync_retries_total,");
}

// `code` is an HTTP status or one of CodeLabel()'s words: the page may give
// statuses as examples, but no other word.
TEST(MetricsDoc, RequestCodesAreStatusesOrTheWordsCodeLabelGives) {
  std::set<std::string> words;
  for (const std::string& value : DocumentedValues("code", "leadsync_requests_total")) {
    const bool digits = std::ranges::all_of(value, [](unsigned char c) { return std::isdigit(c) != 0; });
    const bool status = value.size() == 3 && digits && value >= "100" && value <= "599";
    if (!status) words.insert(value);
  }
  ExpectListsExactly(words, CodeLabelsBesidesStatuses(),
                     std::string(kDoc) + ", code of leadsync_requests_total,");
}

TEST(MetricsDoc, DeliveryResultsAreTheTwoDeclaredUpFront) {
  ExpectListsExactly(DocumentedValues("result", "leadsync_records_delivered_total"),
                     ExportedFromTheStart("leadsync_records_delivered_total", "result"),
                     std::string(kDoc) + ", result of leadsync_records_delivered_total,");
}

// The reasons are listed in the metric's own row, and the alert on them
// (docs/operations.md) names each.
TEST(MetricsDoc, QueueErrorReasonsAreWhatQueueFailureReasonGives) {
  const std::set<std::string> produced = QueueFailureReasons();
  EXPECT_EQ(ExportedFromTheStart("leadsync_queue_errors_total", "reason"), produced)
      << "Metrics declares other queue error reasons up front than QueueFailureReason() gives";
  const std::vector<md::Line> table = md::Section(md::ReadSource(std::string(kDoc)), "Every metric");
  const std::vector<std::string> row = md::Row(table, "leadsync_queue_errors_total");
  ASSERT_GE(row.size(), 4U) << kDoc << ": no row for leadsync_queue_errors_total";
  ExpectListsExactly(md::ListedValues(row[3]), produced,
                     std::string(kDoc) + ", leadsync_queue_errors_total,");
  const std::vector<md::Line> alerts =
      md::Section(md::ReadSource("docs/operations.md"), "Dashboards and alerts");
  std::vector<std::string> alert;
  for (std::vector<std::string>& cells : md::Rows(alerts)) {
    if (!cells.empty() && cells[0] == "LeadsyncQueueErrors") alert = std::move(cells);
  }
  ASSERT_GE(alert.size(), 3U) << "docs/operations.md: no row for the alert LeadsyncQueueErrors";
  for (const std::string& reason : produced) {
    EXPECT_NE(alert[2].find("`" + reason + "`"), std::string::npos)
        << "docs/operations.md, LeadsyncQueueErrors: `" << reason << "` missing from when it fires";
  }
}

// Tasks are declared up front only for those that always run; the page lists
// those (and the periodic tasks daemon/ adds).
TEST(MetricsDoc, TasksDeclaredUpFrontAreListed) {
  const std::set<std::string> listed = DocumentedValues("task", "leadsync_task_failures_total");
  const std::set<std::string>& declared = ExportedFromTheStart("leadsync_task_failures_total", "task");
  ASSERT_FALSE(declared.empty());
  for (const std::string& task : declared) {
    EXPECT_TRUE(listed.contains(task))
        << kDoc << ", task of leadsync_task_failures_total: `" << task << "` is not listed";
  }
}

// Each label value exported before anything happened is named in the row of
// "Exported from the start" for its metric (a source name excepted: "one
// series per configured source"); each labelled counter without a series
// then is named below that table.
TEST(MetricsDoc, ValuesExportedFromTheStartAreNamedThere) {
  const std::map<std::string, Family> fresh = Families(Metrics({"signups"}).Serialize());
  const std::vector<md::Line> section = md::Section(md::ReadSource(std::string(kDoc)), "from the start");
  ASSERT_FALSE(section.empty()) << kDoc << " has no section \"… from the start\"";
  const std::vector<std::vector<std::string>> rows = md::Rows(section);
  for (const auto& [name, family] : fresh) {
    for (const auto& [label, values] : family.values) {
      if (label == "source" || label == "version") continue;
      // Not a lambda over the structured bindings: Clang 14 cannot capture them.
      const std::string series = "`" + name + "{" + label + "}`";
      const auto row = std::ranges::find_if(rows, [&series](const std::vector<std::string>& cells) {
        return cells.size() >= 2 && cells[0].find(series) != std::string::npos;
      });
      ASSERT_TRUE(row != rows.end()) << kDoc << ", from the start: no row for `" << name << "{" << label
                                     << "}`";
      for (const std::string& value : values) {
        EXPECT_NE((*row)[1].find("`" + value + "`"), std::string::npos)
            << kDoc << ", from the start: " << name << "{" << label << "=\"" << value << "\"} is not named";
      }
    }
  }
  const std::map<std::string, Family> all = Exported();
  const std::string text = md::Join(section);
  for (const auto& [name, family] : all) {
    if (family.labels.empty() || (fresh.contains(name) && fresh.at(name).sampled)) continue;
    EXPECT_NE(text.find("`" + name + "`"), std::string::npos)
        << kDoc << ", from the start: " << name << " has no series at first but is not named as such";
  }
}

}  // namespace
}  // namespace leadsync::testing
