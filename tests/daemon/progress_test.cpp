#include "daemon/progress.hpp"

#include <gtest/gtest.h>

namespace leadsync::daemon {
namespace {

TEST(Progress, ReportsRateBytesAndEta) {
  EXPECT_EQ(Progress::Format(1000, 5000, 2'000'000, 2.0),
            "1000/5000 records, 0.4/2.0 MB, 500 rec/s, ETA 8 s");
}

TEST(Progress, DoneHasNoTimeLeft) {
  EXPECT_EQ(Progress::Format(10, 10, 1'000, 1.0), "10/10 records, 0.0/0.0 MB, 10 rec/s, ETA 0 s");
}

}  // namespace
}  // namespace leadsync::daemon
