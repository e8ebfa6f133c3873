// config/monitoring/ (Grafana dashboard, Prometheus alert rules) against promtool, a live
// scrape of `leadsync run` and a real Prometheus server scraping it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cctype>
#include <csignal>
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
constexpr const char* kOperations = LEADSYNC_SOURCE_DIR "/docs/operations.md";

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
      {"leadsync_queue_pending", "gauge", {"priority"}},
      {"leadsync_queue_oldest_age_seconds", "gauge", {"priority"}},
      {"leadsync_backlog_drain_seconds", "gauge", {"priority"}},
      {"leadsync_source_lag_seconds", "gauge", {"source"}},
      {"leadsync_source_info", "gauge", {"source", "priority"}},
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
      {"leadsync_task_failures_total", "counter", {"task"}},
      {"leadsync_queue_errors_total", "counter", {"reason"}},
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

  // Makes the config file invalid YAML and sends SIGHUP: the daemon refuses it.
  void ReloadWithAnInvalidConfig() {
    WriteFile(config_, "sources: [\n");
    daemon_->Signal(SIGHUP);
  }
  void Stop() {
    daemon_->Signal(SIGTERM);
    EXPECT_EQ(daemon_->Wait(seconds(20)), 0) << daemon_->Stderr();
  }

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

// The alert names of the rules file, in order.
std::vector<std::string> AlertNames() {
  static const std::regex alert_line(R"(- alert: (\w+))");
  const std::string rules = ReadFile(kAlerts);
  std::vector<std::string> names;
  for (std::sregex_iterator it(rules.begin(), rules.end(), alert_line), end; it != end; ++it) {
    names.push_back((*it)[1]);
  }
  return names;
}

// The `expr:` of each alert, by name: the text from its `expr:` to its
// `labels:`, which holds the whole expression however it is folded.
std::map<std::string, std::string> AlertExpressions() {
  static const std::regex rule(R"(- alert: (\w+)[\s\S]*?expr:([\s\S]*?)\n\s*labels:)");
  const std::string rules = ReadFile(kAlerts);
  std::map<std::string, std::string> exprs;
  for (std::sregex_iterator it(rules.begin(), rules.end(), rule), end; it != end; ++it) {
    exprs[(*it)[1]] = (*it)[2];
  }
  return exprs;
}

TEST(Monitoring, AlertRulesPassPromtoolCheck) {
  const std::string promtool = FindTool("promtool");
  ASSERT_FALSE(promtool.empty()) << "promtool" << kMissingTool;
  const auto result = leadsync::testing::Run({promtool, "check", "rules", kAlerts});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  const std::string found = "SUCCESS: " + std::to_string(AlertNames().size()) + " rules found";
  EXPECT_NE(result.out.find(found), std::string::npos) << result.out;
}

TEST(Monitoring, AlertRuleUnitTestsPass) {
  const std::string promtool = FindTool("promtool");
  ASSERT_FALSE(promtool.empty()) << "promtool" << kMissingTool;
  const auto result = leadsync::testing::Run({promtool, "test", "rules", kAlertTests});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

// Each alert is tested both ways: at an evaluation where it fires and at one
// where it must not.
TEST(Monitoring, AlertRuleUnitTestsCoverEveryAlert) {
  const std::string tests = ReadFile(kAlertTests);
  static const std::regex evaluation(R"(alertname: (\w+)\n\s*exp_alerts:( \[\])?)");
  std::set<std::string> fires;
  std::set<std::string> stays_quiet;
  for (std::sregex_iterator it(tests.begin(), tests.end(), evaluation), end; it != end; ++it) {
    ((*it)[2].matched ? stays_quiet : fires).insert((*it)[1]);
  }
  const std::vector<std::string> alerts = AlertNames();
  EXPECT_GE(alerts.size(), 13U);
  for (const std::string& name : alerts) {
    EXPECT_TRUE(fires.contains(name)) << name << " has no test where it fires";
    EXPECT_TRUE(stays_quiet.contains(name)) << name << " has no test where it stays quiet";
  }
}

// Every way the daemon counts a failure has an alert that reads it, and the
// daemon down is seen whatever the scrape job is called.
TEST(Monitoring, EveryFailureClassHasAnAlert) {
  const std::map<std::string, std::string> exprs = AlertExpressions();
  const std::vector<std::pair<std::string, std::string>> classes = {
      {"LeadsyncSourceErrors", "leadsync_source_errors_total"},
      {"LeadsyncTaskFailing", "leadsync_task_failures_total"},
      {"LeadsyncConfigReloadRefused", "leadsync_config_reload_failures_total"},
      {"LeadsyncRecordsRejected", "leadsync_records_rejected_total"},
      {"LeadsyncDeadLettersRising", "leadsync_records_dead_lettered_total"},
      {"LeadsyncQueueErrors", "leadsync_queue_errors_total"},
      {"LeadsyncDispatchPaused", "leadsync_dispatch_paused"},
      {"LeadsyncDown", "up{leadsync=\"true\"}"},
      {"LeadsyncTargetMissing", "absent(up{leadsync=\"true\"})"},
      {"LeadsyncRestarting", "process_start_time_seconds"},
  };
  for (const auto& [alert, reads] : classes) {
    ASSERT_TRUE(exprs.contains(alert)) << "no alert " << alert;
    EXPECT_NE(exprs.at(alert).find(reads), std::string::npos) << alert << " does not read " << reads;
  }
  for (const auto& [alert, expr] : exprs) {
    EXPECT_EQ(expr.find("job=\"leadsync\""), std::string::npos) << alert << " depends on the job's name";
  }
}

// One query of the dashboard, with the panel it belongs to.
struct DashboardQuery {
  std::string panel;
  json::object panel_json;
  json::object target;
  [[nodiscard]] std::string Expr() const { return std::string(target.at("expr").as_string()); }
};

std::vector<DashboardQuery> DashboardQueries() {
  const json::value dashboard = json::parse(ReadFile(kDashboard));
  std::vector<DashboardQuery> queries;
  for (const auto& panel : dashboard.at("panels").as_array()) {
    if (panel.at("type").as_string() == "row") continue;
    for (const auto& target : panel.at("targets").as_array()) {
      queries.push_back({std::string(panel.at("title").as_string()), panel.as_object(), target.as_object()});
    }
  }
  return queries;
}

// The unit Grafana shows a query's series in: an override for its legend
// or its query, else the panel's.
std::string UnitOf(const DashboardQuery& query) {
  const json::object& config = query.panel_json.at("fieldConfig").as_object();
  for (const auto& override_value : config.at("overrides").as_array()) {
    const json::object& matcher = override_value.at("matcher").as_object();
    const std::string id(matcher.at("id").as_string());
    const std::string option(matcher.at("options").as_string());
    const bool matches = (id == "byName" && option == query.target.at("legendFormat").as_string()) ||
                         (id == "byFrameRefID" && option == query.target.at("refId").as_string());
    if (!matches) continue;
    for (const auto& property : override_value.at("properties").as_array()) {
      if (property.at("id").as_string() == "unit") return std::string(property.at("value").as_string());
    }
  }
  const json::value* unit = config.at("defaults").as_object().if_contains("unit");
  return unit != nullptr ? std::string(unit->as_string()) : "";
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
  EXPECT_EQ(variables.count("source"), 1u);
  EXPECT_EQ(dashboard.at("__inputs").at(0).at("name").as_string(), "DS_PROMETHEUS");
  std::set<std::int64_t> ids;
  for (const auto& panel : dashboard.at("panels").as_array()) {
    const std::string title(panel.at("title").as_string());
    EXPECT_TRUE(ids.insert(panel.at("id").as_int64()).second) << "duplicate panel id at " << title;
    if (panel.at("type").as_string() == "row") continue;
    EXPECT_EQ(panel.at("datasource").at("uid").as_string(), "${DS_PROMETHEUS}") << title;
  }
  const std::vector<DashboardQuery> queries = DashboardQueries();
  for (const DashboardQuery& query : queries) {
    EXPECT_EQ(query.target.at("datasource").at("uid").as_string(), "${DS_PROMETHEUS}") << query.panel;
    EXPECT_NE(query.Expr().find("job=~\"$job\",instance=~\"$instance\""), std::string::npos)
        << query.panel << ": " << query.Expr();
  }
  EXPECT_GT(queries.size(), 20u);
}

// A variable comes from the data (or is the data source): none has to be
// set by hand, and each starts on every daemon and every source.
TEST(Monitoring, DashboardVariablesComeFromTheData) {
  const json::value dashboard = json::parse(ReadFile(kDashboard));
  for (const auto& variable : dashboard.at("templating").at("list").as_array()) {
    const std::string name(variable.at("name").as_string());
    const std::string type(variable.at("type").as_string());
    EXPECT_TRUE(type == "datasource" || type == "query") << name << " is a " << type << " variable";
    if (type != "query") continue;
    EXPECT_TRUE(variable.at("includeAll").as_bool()) << name;
    EXPECT_EQ(variable.at("current").at("value").at(0).as_string(), "$__all") << name;
  }
}

// Records are records and calls are calls: a rate of a records counter is in
// records/s, a rate of calls or retried calls in calls/s.
TEST(Monitoring, DashboardPanelsSayRecordsOrCalls) {
  static const std::regex one_rate(
      R"(^(sum( by \([a-z, ]+\))? \()?rate\((leadsync_[a-z_]+)\{[^}]*\}\[[^\]]+\]\)\)?$)");
  int checked = 0;
  for (const DashboardQuery& query : DashboardQueries()) {
    EXPECT_NE(UnitOf(query), "reqps") << query.panel << ": say records/s or calls/s";
    std::smatch match;
    const std::string expr = query.Expr();
    if (!std::regex_match(expr, match, one_rate)) continue;
    const std::string counter = match[3];
    const bool records = counter.starts_with("leadsync_records_");
    const bool calls = counter == "leadsync_requests_total" || counter == "leadsync_retries_total";
    if (!records && !calls) continue;
    EXPECT_EQ(UnitOf(query), records ? "records/s" : "calls/s") << query.panel << ": " << expr;
    ++checked;
  }
  EXPECT_GE(checked, 8);
}

// The Sources row shows each source's health: what it ingests, what it
// rejects and why, its errors; on the `source` variable.
TEST(Monitoring, DashboardHasARowOfSourceHealth) {
  const json::value dashboard = json::parse(ReadFile(kDashboard));
  std::string row;
  std::string queries;
  for (const auto& panel : dashboard.at("panels").as_array()) {
    if (panel.at("type").as_string() == "row") {
      row = std::string(panel.at("title").as_string());
      continue;
    }
    if (row != "Sources") continue;
    for (const auto& target : panel.at("targets").as_array()) {
      const std::string expr(target.at("expr").as_string());
      EXPECT_NE(expr.find("source=~\"$source\""), std::string::npos) << panel.at("title") << ": " << expr;
      queries += expr + "\n";
    }
  }
  EXPECT_NE(queries.find("sum by (source) (rate(leadsync_records_ingested_total"), std::string::npos)
      << queries;
  EXPECT_NE(queries.find("sum by (source, reason) (rate(leadsync_records_rejected_total"), std::string::npos)
      << queries;
  EXPECT_NE(queries.find("sum by (source) (increase(leadsync_source_errors_total"), std::string::npos)
      << queries;
}

// What an alert fires on can be seen on the dashboard.
TEST(Monitoring, EveryMetricAnAlertReadsIsOnTheDashboard) {
  const std::set<std::string> on_dashboard = MetricNamesIn(ReadFile(kDashboard));
  for (const std::string& name : MetricNamesIn(ReadFile(kAlerts))) {
    EXPECT_TRUE(on_dashboard.contains(name)) << name << " is in an alert but on no panel";
  }
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

// `text` with the indentation its lines share removed (a code block inside a
// list item is indented with the item).
std::string WithoutIndent(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t indent = std::string::npos;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const std::size_t first = line.find_first_not_of(' ');
    if (first != std::string::npos) indent = std::min(indent, first);
    lines.push_back(line);
  }
  std::string out;
  for (const std::string& line : lines) out += (line.size() > indent ? line.substr(indent) : "") + "\n";
  return out;
}

// The scrape config docs/operations.md gives (its ```yaml block under
// "Dashboards and alerts"), pointed at this test's rules and daemon, under
// another job name than "leadsync": the alerts must not depend on it.
std::string DocumentedScrapeConfig(std::uint16_t target_port) {
  const std::string page = ReadFile(kOperations);
  const std::size_t section = page.find("\n## Dashboards and alerts\n");
  const std::size_t open = page.find("```yaml\n", section);
  const std::size_t close = page.find("```", open + 8);
  if (section == std::string::npos || open == std::string::npos || close == std::string::npos) return "";
  std::string yaml = WithoutIndent(page.substr(open + 8, close - open - 8));
  const std::vector<std::pair<std::string, std::string>> edits = {
      {"/etc/prometheus/rules/leadsync-alerts.yml", kAlerts},
      {"127.0.0.1:9464", "127.0.0.1:" + std::to_string(target_port)},
      {"job_name: leadsync", "job_name: crm-sync"},
  };
  for (const auto& [from, to] : edits) {
    const std::size_t at = yaml.find(from);
    if (at == std::string::npos) return "";
    yaml.replace(at, from.size(), to);
  }
  return "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n" + yaml;
}

std::string UrlEncode(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

// A Prometheus server on a free port, on the given prometheus.yml.
class PrometheusServer final {
 public:
  PrometheusServer(const std::string& binary, const std::string& yaml) : port_(FreePort()) {
    const auto config = dir_ / "prometheus.yml";
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
  // The result of an instant query; null when it is not valid PromQL.
  [[nodiscard]] json::value Query(const std::string& promql) {
    const json::value data = Api("/api/v1/query?query=" + UrlEncode(promql));
    return data.is_null() ? data : data.at("result");
  }
  // Whether the labelled target has been scraped `n` times: the rules were
  // evaluated on real data since.
  [[nodiscard]] bool Scraped(int n) {
    const json::value result = Query("count_over_time(up{leadsync=\"true\"}[5m])");
    return !result.is_null() && !result.as_array().empty() &&
           std::stod(std::string(result.at(0).at("value").at(1).as_string())) >= n;
  }
  // The alerting rules of the group, once each has been evaluated without
  // error; empty until then.
  [[nodiscard]] json::array HealthyRules() {
    const json::value data = Api("/api/v1/rules?type=alert");
    if (data.is_null() || data.at("groups").as_array().empty()) return {};
    json::array rules = data.at("groups").at(0).at("rules").as_array();
    for (const auto& rule : rules) {
      if (rule.at("health").as_string() != "ok") return {};
    }
    return rules;
  }
  // The state of alert `name`: inactive, pending or firing ("" when unknown).
  [[nodiscard]] std::string State(const std::string& name) {
    for (const auto& rule : HealthyRules()) {
      if (rule.at("name").as_string() == name) return std::string(rule.at("state").as_string());
    }
    return "";
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
  const std::string config = DocumentedScrapeConfig(daemon.MetricsPort());
  ASSERT_FALSE(config.empty()) << "docs/operations.md, Dashboards and alerts: no scrape config to run";
  PrometheusServer prometheus(binary, config);

  json::value series;
  ASSERT_TRUE(WaitFor(
      [&] {
        const json::value result = prometheus.Query("leadsync_build_info");
        if (result.is_null() || result.as_array().empty()) return false;
        series = result.at(0).at("metric");
        return true;
      },
      seconds(30)))
      << Tail(prometheus.Stderr());
  EXPECT_EQ(series.at("version").as_string(), version);
  EXPECT_EQ(series.at("job").as_string(), "crm-sync");
  EXPECT_EQ(series.at("leadsync").as_string(), "true");

  // Every rule evaluated without error against real data, and none fires or
  // waits to fire on a healthy, idle daemon.
  ASSERT_TRUE(WaitFor([&] { return prometheus.Scraped(3); }, seconds(30))) << Tail(prometheus.Stderr());
  json::array rules;
  ASSERT_TRUE(WaitFor([&] { return !(rules = prometheus.HealthyRules()).empty(); }, seconds(30)))
      << Tail(prometheus.Stderr());
  EXPECT_EQ(rules.size(), AlertNames().size());
  for (const auto& rule : rules) {
    EXPECT_EQ(rule.at("state").as_string(), "inactive") << json::serialize(rule);
  }
}

// Every query of the dashboard, its variables set as Grafana sets them, is
// PromQL that Prometheus runs; the Sources row has a series for the source.
TEST(Monitoring, DashboardQueriesRunOnPrometheus) {
  const std::string binary = FindTool("prometheus");
  ASSERT_FALSE(binary.empty()) << "prometheus" << kMissingTool;
  MonitoredDaemon daemon;
  ASSERT_TRUE(daemon.WaitHealthy()) << daemon.Stderr();
  PrometheusServer prometheus(binary, DocumentedScrapeConfig(daemon.MetricsPort()));
  ASSERT_TRUE(WaitFor([&] { return prometheus.Scraped(3); }, seconds(30))) << Tail(prometheus.Stderr());

  const std::vector<std::pair<std::string, std::string>> variables = {
      {"$job", ".+"}, {"$instance", ".+"}, {"$source", ".+"}, {"$__rate_interval", "1m"}, {"$__range", "1h"}};
  for (const DashboardQuery& query : DashboardQueries()) {
    std::string promql = query.Expr();
    for (const auto& [name, value] : variables) {
      for (std::size_t at; (at = promql.find(name)) != std::string::npos;)
        promql.replace(at, name.size(), value);
    }
    const json::value result = prometheus.Query(promql);
    ASSERT_FALSE(result.is_null()) << query.panel << ": Prometheus refused " << promql;
    if (promql.find("source=~\".+\"") == std::string::npos || promql.find("rejected") != std::string::npos) {
      continue;
    }
    ASSERT_EQ(result.as_array().size(), 1u)
        << query.panel << ": " << promql << " " << json::serialize(result);
    EXPECT_EQ(result.at(0).at("metric").at("source").as_string(), "spool") << query.panel;
  }
}

// Through a real Prometheus: a refused reload fires at once, and a daemon
// that stops answering makes LeadsyncDown wait out its `for:`.
TEST(Monitoring, PrometheusAlertsOnARefusedReloadAndADaemonDown) {
  const std::string binary = FindTool("prometheus");
  ASSERT_FALSE(binary.empty()) << "prometheus" << kMissingTool;
  MonitoredDaemon daemon;
  ASSERT_TRUE(daemon.WaitHealthy()) << daemon.Stderr();
  PrometheusServer prometheus(binary, DocumentedScrapeConfig(daemon.MetricsPort()));
  ASSERT_TRUE(WaitFor([&] { return prometheus.Scraped(3); }, seconds(30))) << Tail(prometheus.Stderr());
  ASSERT_EQ(prometheus.State("LeadsyncConfigReloadRefused"), "inactive");

  daemon.ReloadWithAnInvalidConfig();
  EXPECT_TRUE(
      WaitFor([&] { return prometheus.State("LeadsyncConfigReloadRefused") == "firing"; }, seconds(30)))
      << daemon.Stderr() << Tail(prometheus.Stderr());

  ASSERT_EQ(prometheus.State("LeadsyncDown"), "inactive");
  daemon.Stop();
  EXPECT_TRUE(WaitFor([&] { return prometheus.State("LeadsyncDown") == "pending"; }, seconds(30)))
      << Tail(prometheus.Stderr());
}

}  // namespace
}  // namespace leadsync::testing
