#include "daemon/rejection_log.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/steady_timer.hpp>
#include <map>

namespace leadsync::daemon {
namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;

// One source's current window: lines logged, records only counted, and the
// timer that reports the count when the window ends.
struct RejectionLog::Window {
  Window(const asio::any_io_executor& executor, SteadyClock::time_point window_end)
      : end(window_end), timer(executor, window_end) {}
  SteadyClock::time_point end;
  int logged = 0;
  std::int64_t counted = 0;
  asio::steady_timer timer;
};

struct RejectionLog::State : std::enable_shared_from_this<State> {
  State(asio::any_io_executor executor_in, int burst_in, SteadyClock::duration window_in)
      : executor(std::move(executor_in)), burst(burst_in), window(window_in) {}

  asio::any_io_executor executor;
  int burst;
  SteadyClock::duration window;
  std::map<std::string, std::unique_ptr<Window>> windows;

  [[nodiscard]] double WindowSeconds() const { return std::chrono::duration<double>(window).count(); }

  // The source's open window, or a new one. A window with counted records
  // stays open until its timer has reported them.
  Window& Open(const std::string& source) {
    std::unique_ptr<Window>& slot = windows[source];
    const auto now = SteadyClock::now();
    if (!slot || (slot->counted == 0 && now >= slot->end))
      slot = std::make_unique<Window>(executor, now + window);
    return *slot;
  }

  void Log(const std::string& source, Window& w, const Rejection& r) {
    if (w.logged < burst) {
      ++w.logged;
      spdlog::warn("source {}: {}: {}", source, r.location, r.reason);
    } else if (w.counted++ == 0) {
      spdlog::warn("source {}: more than {} records rejected within {:g} s; counting the rest", source, burst,
                   WindowSeconds());
      w.timer.async_wait([weak = weak_from_this(), source](const boost::system::error_code& error) {
        const auto self = weak.lock();
        if (!error && self) self->Close(source);
      });
    }
  }

  void Close(const std::string& source) {
    const auto it = windows.find(source);
    if (it == windows.end()) return;
    spdlog::warn(
        "source {}: {} more record(s) rejected within {:g} s, not logged one by one "
        "(`leadsync dlq list` shows them all)",
        source, it->second->counted, WindowSeconds());
    windows.erase(it);
  }
};

RejectionLog::RejectionLog(asio::any_io_executor executor, int burst, SteadyClock::duration window)
    : state_(std::make_shared<State>(std::move(executor), burst, window)) {}

RejectionLog::~RejectionLog() = default;

void RejectionLog::Report(const std::string& source, std::span<const Rejection> rejections) {
  if (rejections.empty()) return;
  Window& window = state_->Open(source);
  for (const Rejection& r : rejections) state_->Log(source, window, r);
}

}  // namespace leadsync::daemon
