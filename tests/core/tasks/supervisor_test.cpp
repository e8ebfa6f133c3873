#include "core/tasks/supervisor.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <stdexcept>
#include <utility>
#include <vector>

#include "tests/support/manual_clock.hpp"

namespace leadsync {
namespace {

using namespace std::chrono_literals;
using testing::ManualClock;
using testing::RunSimulated;

// A Supervisor on a manual clock, recording what it tells TaskEvents.
class SupervisorTest : public ::testing::Test {
 protected:
  TaskEvents Events() {
    return {[this](const std::string&, const std::string& what) { failures_.push_back(what); },
            [this](const std::string&, bool up) { states_.push_back(up); }};
  }
  static boost::asio::awaitable<void> Nothing() { co_return; }

  boost::asio::io_context io_;
  ManualClock clock_{io_.get_executor()};
  std::vector<std::string> failures_;
  std::vector<bool> states_;
  bool stopping_ = false;
};

TEST_F(SupervisorTest, ATaskThatThrowsIsDownAndRestartedAfterAPauseThatDoubles) {
  Supervisor supervisor("task", clock_, Events(),
                        {.first_pause = 1s, .max_pause = 60s, .healthy_after = 60s});
  std::vector<TimePoint> starts;
  auto run = [&]() -> boost::asio::awaitable<void> {
    starts.push_back(clock_.Now());
    if (starts.size() < 3) throw std::runtime_error("broken");
    co_return;
  };
  bool done = false;
  boost::asio::co_spawn(
      io_, [&]() -> boost::asio::awaitable<void> { co_await supervisor.Run(run, Nothing, stopping_); },
      [&](const std::exception_ptr&) { done = true; });
  ASSERT_TRUE(RunSimulated(
      io_, clock_, [&] { return done; }, 1min));
  ASSERT_EQ(starts.size(), 3u);
  EXPECT_EQ(starts[1] - starts[0], 1s);
  EXPECT_EQ(starts[2] - starts[1], 2s);
  EXPECT_EQ(failures_, (std::vector<std::string>{"broken", "broken"}));
  EXPECT_EQ(states_, (std::vector<bool>{true, false, true, false, true}));
}

// A task that retries by itself tells the Supervisor, which marks it down
// and up again without restarting it, and says each change once.
TEST_F(SupervisorTest, ATaskThatSaysItIsNotWorkingIsDownUntilItWorksAgain) {
  Supervisor supervisor("task", clock_, Events());
  int runs = 0;
  bool go_on = false;
  auto timer = clock_.MakeTimer();
  auto run = [&]() -> boost::asio::awaitable<void> {
    ++runs;
    supervisor.SetWorking(false);
    supervisor.SetWorking(false);
    co_await timer->WaitUntil(clock_.Now() + 10s);
    supervisor.SetWorking(true);
    supervisor.SetWorking(true);
    go_on = true;
  };
  bool done = false;
  boost::asio::co_spawn(
      io_, [&]() -> boost::asio::awaitable<void> { co_await supervisor.Run(run, Nothing, stopping_); },
      [&](const std::exception_ptr&) { done = true; });
  io_.poll();
  EXPECT_EQ(states_, (std::vector<bool>{true, false})) << "down while it says so, told once";
  ASSERT_TRUE(RunSimulated(
      io_, clock_, [&] { return done; }, 1min));
  EXPECT_TRUE(go_on);
  EXPECT_EQ(runs, 1) << "not restarted";
  EXPECT_TRUE(failures_.empty()) << "its failures are its own to count";
  EXPECT_EQ(states_, (std::vector<bool>{true, false, true}));
}

}  // namespace
}  // namespace leadsync
