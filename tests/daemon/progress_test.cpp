#include "daemon/progress.hpp"

#include <gtest/gtest.h>

namespace leadsync::daemon {
namespace {

TEST(Progress, ReportsRateBytesAndEtaByBytes) {
  EXPECT_EQ(Progress::Format(1000, 400'000, 2'000'000, 2.0), "1000 records, 0.4/2.0 MB, 500 rec/s, ETA 8 s");
}

TEST(Progress, DoneHasNoTimeLeft) {
  EXPECT_EQ(Progress::Format(10, 1'000, 1'000, 1.0), "10 records, 0.0/0.0 MB, 10 rec/s, ETA 0 s");
}

TEST(Progress, UnknownSizeHasNoTotalAndNoEta) {
  EXPECT_EQ(Progress::Format(300, 3'000'000, 0, 3.0), "300 records, 3.0 MB, 100 rec/s");
}

TEST(Progress, SaysWhatItWaitsFor) {
  EXPECT_EQ(Progress::FormatWaiting(120, 100),
            "queue full (120 pending, max_pending 100): waiting for the daemon to deliver");
}

}  // namespace
}  // namespace leadsync::daemon
