#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/timer.hpp"

namespace leadsync {

// Wakes a file source when something changes in a directory (inotify), or
// after a period of `clock` as a safety net, whichever comes first.
//
// Borrows the clock. Lives on the source's executor (the clock's); every
// method must be called there (Cancel and Close through a dispatch when the
// caller is elsewhere).
class DirectoryWatch final {
 public:
  DirectoryWatch(const boost::asio::any_io_executor& executor, Clock& clock);
  ~DirectoryWatch();
  DirectoryWatch(const DirectoryWatch&) = delete;
  DirectoryWatch& operator=(const DirectoryWatch&) = delete;

  // Watches `dir` for the inotify events in `mask`, unless already watching.
  // nullopt once watching, else why not.
  [[nodiscard]] std::optional<std::string> Open(const std::filesystem::path& dir, std::uint32_t mask);
  [[nodiscard]] bool is_open() const;
  // Returns after a change, after `period` of the clock (jittered by ±10%), or at once
  // after Cancel(). Consumes every queued event: the caller looks again at
  // everything, so what they name does not matter. When the watch ends (the
  // directory was deleted or moved), it is closed, and is_open() says so.
  [[nodiscard]] boost::asio::awaitable<void> Wait(Duration period);
  // Makes the current or next Wait() return at once.
  void Cancel();
  void Close();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace leadsync
