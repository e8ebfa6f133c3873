// config/monitoring/ (Grafana dashboard, Prometheus alert rules) against promtool, a live
// scrape of `leadsync run` and a real Prometheus server scraping it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/http.hpp"
#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using std::chrono::seconds;

constexpr const char* kAlerts = LEADSYNC_SOURCE_DIR "/config/monitoring/leadsync-alerts.yml";
constexpr const char* kAlertTests = LEADSYNC_SOURCE_DIR "/config/monitoring/leadsync-alerts.test.yml";
constexpr const char* kDashboard = LEADSYNC_SOURCE_DIR "/config/monitoring/leadsync-dashboard.json";

struct ContractMetric {
  std::string name;
  std::string type;
  std::set<std::string> labels;
};

// Names, types and labels are the contract (docs/metrics.md): dashboards
// and alert rules rely on them.
const std::vector<ContractMetric>& Contract() {
  static const std::vector<ContractMetric> contract = {
      {"leadsync_records_ingested_total", "counter", {"source"}},
      {"leadsync_records_rejected_total", "counter", {"source", "reason"}},
      {"leadsync_records_coalesced_total", "counter", {}},
      {"leadsync_queue_pending", "gauge", {}},
      {"leadsync_queue_oldest_age_seconds", "gauge", {}},
      {"leadsync_records_delivered_total", "counter", {"result"}},
      {"leadsync_records_dead_lettered_total", "counter", {"reason"}},
      {"leadsync_dead_letter_records", "gauge", {}},
      {"leadsync_requests_total", "counter", {"code"}},
      {"leadsync_request_duration_seconds", "histogram", {}},
      {"leadsync_batch_records", "histogram", {}},
      {"leadsync_retries_total", "counter", {"reason"}},
      {"leadsync_rate_limit_wait_seconds_total", "counter", {}},
      {"leadsync_in_flight_requests", "gauge", {}},
      {"leadsync_dispatch_paused", "gauge", {}},
      {"leadsync_rate_limit_effective", "gauge", {}},
      {"leadsync_config_reload_failures_total", "counter", {}},
      {"leadsync_source_errors_total", "counter", {"source"}},
      {"leadsync_build_info", "gauge", {"version"}},
  };
  return contract;
}

constexpr const char* kMissingTool = " not found on PATH; scripts/setup installs Debian's prometheus package";

// Absolute path of `name` on PATH (then /usr/bin), or "" when it is nowhere.
std::string FindTool(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(std::string(path != nullptr ? path : "") + ":/usr/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    const fs::path candidate = fs::path(dir) / name;
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec) && access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "";
}

// One scrape in the text format: the TYPE of each family, and the label
// names seen on its samples (histograms: on NAME_count).
struct Scrape {
  std::map<std::string, std::string> types;
  std::map<std::string, std::set<std::string>> labels;
};

Scrape ParseScrape(const std::string& text) {
  static const std::regex type_line(R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\w+)$)");
  static const std::regex sample_line(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})? )");
  static const std::regex label_name(R"(([a-zA-Z_][a-zA-Z0-9_]*)=")");
  Scrape scrape;
  std::istringstream lines(text);
  std::string line;
  std::smatch m;
  while (std::getline(lines, line)) {
    if (std::regex_match(line, m, type_line)) {
      scrape.types[m[1]] = m[2];
    } else if (std::regex_search(line, m, sample_line)) {
      std::string family = m[1];
      if (family.ends_with("_bucket") || family.ends_with("_sum")) continue;
      if (family.ends_with("_count") && !scrape.types.contains(family)) family.resize(family.size() - 6);
      auto& names = scrape.labels[family];
      const std::string body = m[3];
      for (std::sregex_iterator it(body.begin(), body.end(), label_name), end; it != end; ++it) {
        names.insert((*it)[1]);
      }
    }
  }
  return scrape;
}

// Every leadsync_* and process_* name in `text`, with the histogram series
// suffixes reduced to their family.
std::set<std::string> MetricNamesIn(const std::string& text) {
  static const std::regex metric_name(R"((leadsync|process)_[a-z_]+)");
  std::set<std::string> names;
  for (std::sregex_iterator it(text.begin(), text.end(), metric_name), end; it != end; ++it) {
    std::string name = it->str();
    for (const std::string suffix : {"_bucket", "_sum", "_count"}) {
      if (name.ends_with(suffix)) name.resize(name.size() - suffix.size());
    }
    names.insert(name);
  }
  return names;
}

// sandbox + `leadsync run` with its metrics on a port the test chose.
class MonitoredDaemon final {
 public:
  explicit MonitoredDaemon(std::vector<std::string> sandbox_args = {})
      : sandbox_(std::move(sandbox_args)), metrics_port_(FreePort()) {
    config_ = WriteDaemonConfig(dir_, sandbox_.url(), "  linger: 100ms\n", metrics_port_);
    daemon_ = StartDaemon(config_);
  }

  [[nodiscard]] bool WaitHealthy() {
    return WaitFor([&] { return HttpRequest(metrics_port_, "GET", "/healthz").status == 200; }, seconds(20));
  }
  [[nodiscard]] std::string Metrics() { return HttpRequest(metrics_port_, "GET", "/metrics").body; }
  [[nodiscard]] std::uint16_t MetricsPort() const { return metrics_port_; }
  [[nodiscard]] fs::path SpoolDir() const { return dir_ / "spool"; }
  [[nodiscard]] std::string Stderr() { return daemon_->Stderr(); }

 private:
  TempDir dir_;
  SandboxProcess sandbox_;
  std::uint16_t metrics_port_;
  fs::path config_;
  std::unique_ptr<Process> daemon_;
};

bool HasSamplesOfEveryContractMetric(const std::string& metrics) {
  const Scrape scrape = ParseScrape(metrics);
  for (const auto& metric : Contract()) {
    if (!scrape.labels.contains(metric.name)) return false;
  }
  return true;
}

// The last `n` characters of a log, enough to see why something did not start.
std::string Tail(const std::string& text, std::size_t n = 4000) {
  return text.size() > n ? text.substr(text.size() - n) : text;
}

TEST(Monitoring, AlertRulesPassPromtoolCheck) {
  const std::string promtool = FindTool("promtool");
  ASSERT_FALSE(promtool.empty()) << "promtool" << kMissingTool;
  const auto result = leadsync::testing::Run({promtool, "check", "rules", kAlerts});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("SUCCESS: 7 rules found"), std::string::npos) << result.out;
}

TEST(Monitoring, AlertRuleUnitTestsPass) {
  const std::string promtool = FindTool("promtool");
  ASSERT_FALSE(promtool.empty()) << "promtool" << kMissingTool;
  const auto result = leadsync::testing::Run({promtool, "test", "rules", kAlertTests});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

TEST(Monitoring, AlertRuleUnitTestsCoverEveryAlert) {
  const std::string rules = ReadFile(kAlerts);
  const std::string tests = ReadFile(kAlertTests);
  static const std::regex alert_line(R"(- alert: (\w+))");
  int alerts = 0;
  for (std::sregex_iterator it(rules.begin(), rules.end(), alert_line), end; it != end; ++it, ++alerts) {
    const std::string name = (*it)[1];
    EXPECT_NE(tests.find("alertname: " + name), std::string::npos) << name << " has no unit test";
  }
  EXPECT_EQ(alerts, 7);
}

TEST(Monitoring, DashboardIsGrafanaJsonOnTheDatasourceVariable) {
  const json::value dashboard = json::parse(ReadFile(kDashboard));
  EXPECT_GE(dashboard.at("schemaVersion").as_int64(), 36);
  std::set<std::string> variables;
  for (const auto& variable : dashboard.at("templating").at("list").as_array()) {
    variables.insert(std::string(variable.at("name").as_string()));
  }
  EXPECT_EQ(variables.count("DS_PROMETHEUS"), 1u);
  EXPECT_EQ(variables.count("job"), 1u);
  EXPECT_EQ(variables.count("instance"), 1u);
  EXPECT_EQ(dashboard.at("__inputs").at(0).at("name").as_string(), "DS_PROMETHEUS");
  std::set<std::int64_t> ids;
  int queries = 0;
  for (const auto& panel : dashboard.at("panels").as_array()) {
    const std::string title(panel.at("title").as_string());
    EXPECT_TRUE(ids.insert(panel.at("id").as_int64()).second) << "duplicate panel id at " << title;
    if (panel.at("type").as_string() == "row") continue;
    EXPECT_EQ(panel.at("datasource").at("uid").as_string(), "${DS_PROMETHEUS}") << title;
    for (const auto& target : panel.at("targets").as_array()) {
      const std::string expr(target.at("expr").as_string());
      EXPECT_NE(expr.find("job=~\"$job\",instance=~\"$instance\""), std::string::npos)
          << title << ": " << expr;
      ++queries;
    }
  }
  EXPECT_GT(queries, 20);
}

TEST(Monitoring, ScrapeHasEveryContractMetricAndEveryNameTheAssetsUse) {
  const std::string promtool = FindTool("promtool");
  ASSERT_FALSE(promtool.empty()) << "promtool" << kMissingTool;
  // The poisoned lead makes a 400, a split and a dead letter; the line
  // without a key makes a rejection: the families that appear on first use.
  MonitoredDaemon daemon({"--poison", "poison@example.com"});
  ASSERT_TRUE(daemon.WaitHealthy()) << daemon.Stderr();
  DropFile(daemon.SpoolDir(), "leads.csv",
           "EmailAddress,FirstName\nada@example.com,Ada\npoison@example.com,Poison\n"
           "grace@example.com,Grace\n,NoKey\n");
  std::string metrics;
  ASSERT_TRUE(
      WaitFor([&] { return HasSamplesOfEveryContractMetric(metrics = daemon.Metrics()); }, seconds(30)))
      << metrics << daemon.Stderr();

  const auto lint = leadsync::testing::Run({promtool, "check", "metrics"}, metrics);
  EXPECT_EQ(lint.exit_code, 0) << lint.out << lint.err;

  const Scrape scrape = ParseScrape(metrics);
  for (const auto& metric : Contract()) {
    EXPECT_EQ(scrape.types.count(metric.name) ? scrape.types.at(metric.name) : "<missing>", metric.type)
        << metric.name;
    EXPECT_EQ(scrape.labels.at(metric.name), metric.labels) << metric.name;
  }
  for (const auto& asset : {kDashboard, kAlerts}) {
    for (const auto& name : MetricNamesIn(ReadFile(asset))) {
      EXPECT_TRUE(scrape.types.contains(name))
          << fs::path(asset).filename() << " uses " << name << ", not in the scrape";
    }
  }
}

// A Prometheus server on a free port that scrapes `target_port` every second
// and evaluates the alert rules.
class PrometheusServer final {
 public:
  PrometheusServer(const std::string& binary, std::uint16_t target_port) : port_(FreePort()) {
    const auto config = dir_ / "prometheus.yml";
    const std::string yaml = std::string("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n") +
                             "rule_files:\n  - " + kAlerts + "\n" +
                             "scrape_configs:\n  - job_name: leadsync\n    static_configs:\n" +
                             "      - targets: ['127.0.0.1:" + std::to_string(target_port) + "']\n";
    WriteFile(config, yaml);
    process_ = std::make_unique<Process>(std::vector<std::string>{
        binary, "--config.file=" + config.string(), "--storage.tsdb.path=" + (dir_ / "data").string(),
        "--web.listen-address=127.0.0.1:" + std::to_string(port_)});
  }

  // GET `target` on the API; null unless it answered 200 with status "success".
  [[nodiscard]] json::value Api(const std::string& target) {
    const auto answer = HttpRequest(port_, "GET", target);
    if (answer.status != 200) return nullptr;
    json::value body = json::parse(answer.body);
    return body.at("status").as_string() == "success" ? body.at("data") : json::value(nullptr);
  }
  [[nodiscard]] std::string Stderr() { return process_->Stderr(); }

 private:
  TempDir dir_;  // declared first: outlives the process killed before it
  std::uint16_t port_;
  std::unique_ptr<Process> process_;
};

TEST(Monitoring, PrometheusScrapesTheDaemonAndEvaluatesTheRules) {
  const std::string binary = FindTool("prometheus");
  ASSERT_FALSE(binary.empty()) << "prometheus" << kMissingTool;
  std::string version = Leadsync({"--version"}).out;  // "leadsync 0.1.0\n"
  version = version.substr(version.find(' ') + 1);
  version.erase(version.find_last_not_of('\n') + 1);
  MonitoredDaemon daemon;
  ASSERT_TRUE(daemon.WaitHealthy()) << daemon.Stderr();
  PrometheusServer prometheus(binary, daemon.MetricsPort());

  json::value series;
  ASSERT_TRUE(WaitFor(
      [&] {
        const json::value data = prometheus.Api("/api/v1/query?query=leadsync_build_info");
        if (data.is_null() || data.at("result").as_array().empty()) return false;
        series = data.at("result").at(0).at("metric");
        return true;
      },
      seconds(30)))
      << Tail(prometheus.Stderr());
  EXPECT_EQ(series.at("version").as_string(), version);
  EXPECT_EQ(series.at("job").as_string(), "leadsync");

  // Every rule evaluated without error against real data, and none fires or
  // waits to fire on a healthy, idle daemon.
  json::array rules;
  ASSERT_TRUE(WaitFor(
      [&] {
        const json::value data = prometheus.Api("/api/v1/rules");
        if (data.is_null() || data.at("groups").as_array().empty()) return false;
        rules = data.at("groups").at(0).at("rules").as_array();
        for (const auto& rule : rules) {
          if (rule.at("health").as_string() != "ok") return false;
        }
        return true;
      },
      seconds(30)))
      << json::serialize(rules) << Tail(prometheus.Stderr());
  EXPECT_EQ(rules.size(), 7u);
  for (const auto& rule : rules) {
    EXPECT_EQ(rule.at("state").as_string(), "inactive") << json::serialize(rule);
  }
}

}  // namespace
}  // namespace leadsync::testing
