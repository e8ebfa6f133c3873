#include "core/sources/dir_watch.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <cstring>
#include <random>
#include <span>
#include <variant>

namespace leadsync {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

namespace {

// The watch has ended (directory deleted, moved or unmounted): reopen it on the path.
constexpr std::uint32_t kWatchEnded = IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

bool WatchEnded(std::span<const char> events) {
  for (std::size_t at = 0; at + sizeof(inotify_event) <= events.size();) {
    inotify_event event{};
    std::memcpy(&event, events.data() + at, sizeof event);
    if ((event.mask & kWatchEnded) != 0) return true;
    at += sizeof event + event.len;
  }
  return false;
}

}  // namespace

struct DirectoryWatch::State {
  State(const asio::any_io_executor& executor, Clock& source_clock)
      : clock(source_clock), timer(source_clock.MakeTimer()), watch(executor) {}

  [[nodiscard]] Duration Jittered(Duration period) {
    std::uniform_int_distribution<Duration::rep> spread(period.count() * 9 / 10, period.count() * 11 / 10);
    return Duration{spread(random)};
  }

  void Drain(boost::system::error_code error, std::size_t size) {
    bool ended = false;
    while (!error && !ended) {
      ended = WatchEnded(std::span<const char>(events.data(), size));
      size = watch.read_some(asio::buffer(events), error);
    }
    if (ended || error != asio::error::would_block) Close();
  }

  void Close() {
    boost::system::error_code ignored;
    watch.close(ignored);
  }

  Clock& clock;
  std::unique_ptr<Timer> timer;
  asio::posix::stream_descriptor watch;
  std::array<char, 4096> events{};
  std::mt19937 random{std::random_device{}()};
  bool cancelled = false;
};

DirectoryWatch::DirectoryWatch(const asio::any_io_executor& executor, Clock& clock)
    : state_(std::make_unique<State>(executor, clock)) {}

DirectoryWatch::~DirectoryWatch() = default;

std::optional<std::string> DirectoryWatch::Open(const std::filesystem::path& dir, std::uint32_t mask) {
  if (state_->watch.is_open()) return std::nullopt;
  const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0 || ::inotify_add_watch(fd, dir.c_str(), mask) < 0) {
    std::string error = "cannot watch " + dir.string() + ": " + std::strerror(errno);
    if (fd >= 0) ::close(fd);
    return error;
  }
  state_->watch.assign(fd);
  state_->watch.non_blocking(true);
  return std::nullopt;
}

bool DirectoryWatch::is_open() const { return state_->watch.is_open(); }

asio::awaitable<void> DirectoryWatch::Wait(Duration period) {
  State& state = *state_;
  if (std::exchange(state.cancelled, false)) co_return;
  const TimePoint deadline = state.clock.Now() + state.Jittered(period);
  if (!state.watch.is_open()) {
    co_await state.timer->WaitUntil(deadline);
  } else {
    auto woken = co_await (state.timer->WaitUntil(deadline) ||
                           state.watch.async_read_some(asio::buffer(state.events), kNoThrow));
    if (woken.index() == 1) {
      const auto [error, size] = std::get<1>(woken);
      state.Drain(error, size);
    }
  }
  state.cancelled = false;
}

void DirectoryWatch::Cancel() {
  state_->cancelled = true;
  state_->timer->Cancel();
}

void DirectoryWatch::Close() { state_->Close(); }

}  // namespace leadsync
