#include "sandbox/sliding_window.hpp"

#include <gtest/gtest.h>

namespace leadsync {
namespace {

using std::chrono::milliseconds;

TEST(SlidingWindow, HoldsCallsYoungerThanItsLength) {
  SlidingWindow window(milliseconds(5000));
  const SlidingWindow::Time start{};
  window.Add(start);
  window.Add(start + milliseconds(1000));
  EXPECT_EQ(window.CountAt(start + milliseconds(4999)), 2u);
  EXPECT_EQ(window.CountAt(start + milliseconds(5000)), 1u);
  EXPECT_EQ(window.CountAt(start + milliseconds(6000)), 0u);
}

TEST(SlidingWindow, RemembersItsPeak) {
  SlidingWindow window(milliseconds(1000));
  const SlidingWindow::Time start{};
  for (int i = 0; i < 3; ++i) window.Add(start + milliseconds(i * 100));
  window.Add(start + milliseconds(5000));
  EXPECT_EQ(window.CountAt(start + milliseconds(5000)), 1u);
  EXPECT_EQ(window.max(), 3u);
  window.Clear();
  EXPECT_EQ(window.max(), 0u);
}

}  // namespace
}  // namespace leadsync
