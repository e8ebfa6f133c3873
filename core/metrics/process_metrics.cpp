#include "core/metrics/process_metrics.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>

namespace leadsync {
namespace {

// The fields of /proc/self/stat that the metrics need (proc(5)).
struct ProcStat {
  double cpu_seconds = 0;
  double virtual_bytes = 0;
  double resident_bytes = 0;
  double start_ticks = 0;  // clock ticks after boot
};

std::optional<double> ParseNumber(const std::string& text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return static_cast<double>(value);
}

double ClockTicksPerSecond() { return static_cast<double>(sysconf(_SC_CLK_TCK)); }

// The command name (field 2) is in parentheses and may hold spaces or ')'; the
// fields after its last ')' are plain numbers, the first being field 3.
std::optional<ProcStat> ReadProcStat() {
  std::ifstream in("/proc/self/stat");
  std::string text;
  if (!std::getline(in, text)) return std::nullopt;
  const auto paren = text.rfind(')');
  if (paren == std::string::npos) return std::nullopt;
  std::istringstream rest(text.substr(paren + 1));
  const std::vector<std::string> f{std::istream_iterator<std::string>(rest), {}};
  auto field = [&f](std::size_t number) {
    return f.size() > number - 3 ? ParseNumber(f[number - 3]) : std::nullopt;
  };
  const auto utime = field(14), stime = field(15), start = field(22), vsize = field(23), rss = field(24);
  if (!utime || !stime || !start || !vsize || !rss) return std::nullopt;
  const double page_size = static_cast<double>(sysconf(_SC_PAGESIZE));
  return ProcStat{(*utime + *stime) / ClockTicksPerSecond(), *vsize, *rss * page_size, *start};
}

// Unix time of the boot, the `btime` line of /proc/stat.
std::optional<double> ReadBootTime() {
  std::ifstream in("/proc/stat");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("btime ", 0) == 0) return ParseNumber(line.substr(6));
  }
  return std::nullopt;
}

std::optional<double> CountOpenFds() {
  std::error_code ec;
  std::filesystem::directory_iterator it("/proc/self/fd", ec);
  if (ec) return std::nullopt;
  double count = 0;
  for (; it != std::filesystem::directory_iterator{}; it.increment(ec)) {
    if (ec) return std::nullopt;
    ++count;
  }
  return count;
}

std::optional<double> MaxFds() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return std::nullopt;
  return static_cast<double>(limit.rlim_cur);
}

prometheus::MetricFamily OneValue(const std::string& name, const std::string& help,
                                  prometheus::MetricType type, double value) {
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  return prometheus::MetricFamily{name, help, type, {metric}};
}

}  // namespace

ProcessMetrics::ProcessMetrics() {
  const auto stat = ReadProcStat();
  const auto boot = ReadBootTime();
  if (stat && boot) start_time_seconds_ = *boot + stat->start_ticks / ClockTicksPerSecond();
}

std::vector<prometheus::MetricFamily> ProcessMetrics::Collect() const {
  using prometheus::MetricType;
  std::vector<prometheus::MetricFamily> families;
  if (const auto stat = ReadProcStat()) {
    families.push_back(OneValue("process_cpu_seconds_total",
                                "Total user and system CPU time spent in seconds.", MetricType::Counter,
                                stat->cpu_seconds));
    families.push_back(OneValue("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                                MetricType::Gauge, stat->virtual_bytes));
    families.push_back(OneValue("process_resident_memory_bytes", "Resident memory size in bytes.",
                                MetricType::Gauge, stat->resident_bytes));
  }
  if (const auto open = CountOpenFds()) {
    families.push_back(
        OneValue("process_open_fds", "Number of open file descriptors.", MetricType::Gauge, *open));
  }
  if (const auto max = MaxFds()) {
    families.push_back(
        OneValue("process_max_fds", "Maximum number of open file descriptors.", MetricType::Gauge, *max));
  }
  if (start_time_seconds_ > 0) {
    families.push_back(OneValue("process_start_time_seconds",
                                "Start time of the process since unix epoch in seconds.", MetricType::Gauge,
                                start_time_seconds_));
  }
  return families;
}

}  // namespace leadsync
