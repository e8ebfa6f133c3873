// docs/metrics.md against the registry: every metric Metrics::Serialize()
// exports (each `# TYPE name type` line) has a row with its type and the
// names of its labels, every `leadsync_` row is a metric the registry
// exports, and the series exported before anything happened are listed
// where the page says what starts at 0.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "core/metrics/metrics.hpp"
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
  metrics.SetQueuePending(1);
  metrics.SetQueueOldestAge(1);
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
  metrics.RecordConfigReloadFailure();
  metrics.RecordTaskFailure("dispatcher");
  metrics.RecordConnectionDropped("signups", "evicted");
}

struct Family {
  std::string type;
  std::set<std::string> labels;
  bool sampled = false;  // has at least one sample
};

// Families by name, from the text exposition format.
std::map<std::string, Family> Families(const std::string& text) {
  static const std::regex kType(R"(^# TYPE (\S+) (\S+)$)");
  static const std::regex kSample(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})? )");
  static const std::regex kLabel(R"(([a-zA-Z_][a-zA-Z0-9_]*)=")");
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
      if ((*it)[1].str() != "le") family.labels.insert((*it)[1].str());
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

}  // namespace
}  // namespace leadsync::testing
