#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>

namespace leadsync::daemon {

// Checks the queue file's structure once at start (QuickCheckQueueFile) on a
// thread of its own, so that neither the restart nor the network waits for
// a read of the whole file. When it finds damage, `on_damaged` runs on the
// executor with the message for the operator.
class BackgroundCheck final {
 public:
  BackgroundCheck(boost::asio::any_io_executor executor, std::filesystem::path queue,
                  std::function<void(const std::string&)> on_damaged);
  ~BackgroundCheck() { Stop(); }
  BackgroundCheck(const BackgroundCheck&) = delete;
  BackgroundCheck& operator=(const BackgroundCheck&) = delete;

  void Start();
  // Interrupts a check still running; it ends within a few SQLite steps.
  void Cancel() { cancelled_ = true; }
  // Cancel(), then wait for the thread: off the event loop.
  void Stop();

 private:
  void Check();

  boost::asio::any_io_executor executor_;
  std::filesystem::path queue_;
  std::function<void(const std::string&)> on_damaged_;
  std::atomic<bool> cancelled_{false};
  std::thread thread_;
};

}  // namespace leadsync::daemon
