#include "daemon/background_check.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include "core/queue/file_check.hpp"

namespace leadsync::daemon {

BackgroundCheck::BackgroundCheck(boost::asio::any_io_executor executor, std::filesystem::path queue,
                                 std::function<void(const std::string&)> on_damaged)
    : executor_(std::move(executor)), queue_(std::move(queue)), on_damaged_(std::move(on_damaged)) {}

void BackgroundCheck::Start() {
  thread_ = std::thread([this] { Check(); });
}

void BackgroundCheck::Stop() {
  Cancel();
  if (thread_.joinable()) thread_.join();
}

void BackgroundCheck::Check() {
  const auto started = std::chrono::steady_clock::now();
  const std::vector<std::string> problems = QuickCheckQueueFile(queue_, cancelled_);
  if (cancelled_) return;
  if (problems.empty()) {
    spdlog::debug(
        "queue file {} checked in {} ms: ok", queue_.string(),
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
            .count());
    return;
  }
  std::string detail = problems.front();
  if (problems.size() > 1) detail += "; and " + std::to_string(problems.size() - 1) + " more problem(s)";
  boost::asio::post(executor_,
                    [this, message = DamagedQueueAdvice(queue_, detail)] { on_damaged_(message); });
}

}  // namespace leadsync::daemon
