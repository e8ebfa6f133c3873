#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <memory>
#include <span>
#include <string>

#include "core/queue/records.hpp"

namespace leadsync::daemon {

// Logs each record a source rejected as one warning,
// "source NAME: FILE:LINE: reason", so that an operator sees bad input in
// the journal. A flood stays readable: at most `burst` lines per source in a
// `window`; past that one line says that the rest are only counted, and when
// the window ends one more gives the count. The dead-letter store and
// leadsync_records_rejected_total have every record. Loop thread only.
class RejectionLog final {
 public:
  static constexpr int kBurst = 10;
  static constexpr std::chrono::seconds kWindow{60};

  explicit RejectionLog(boost::asio::any_io_executor executor, int burst = kBurst,
                        std::chrono::steady_clock::duration window = kWindow);
  ~RejectionLog();
  RejectionLog(const RejectionLog&) = delete;
  RejectionLog& operator=(const RejectionLog&) = delete;

  void Report(const std::string& source, std::span<const Rejection> rejections);

 private:
  struct Window;
  struct State;
  // Shared with the timers that close windows, which may fire after this is gone.
  std::shared_ptr<State> state_;
};

}  // namespace leadsync::daemon
