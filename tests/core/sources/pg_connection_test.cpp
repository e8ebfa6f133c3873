#include "core/sources/pg_connection.hpp"

#include <gtest/gtest.h>

#include "tests/support/stack.hpp"

namespace leadsync {
namespace {

constexpr const char* kPassword = "hunter2-secret";

TEST(PgConnection, MalformedDsnIsReportedWithoutQuotingIt) {
  std::string error;
  EXPECT_EQ(PgConnection::Connect(std::string("password=") + kPassword + " no_such_option=1", error),
            nullptr);
  EXPECT_NE(error.find("not a valid libpq connection string"), std::string::npos) << error;
  EXPECT_EQ(error.find(kPassword), std::string::npos) << error;
  EXPECT_EQ(error.find("no_such_option"), std::string::npos) << error;
}

TEST(PgConnection, RefusedConnectionIsOneLineWithoutThePassword) {
  const std::string dsn = "host=127.0.0.1 port=" + std::to_string(testing::FreePort()) +
                          " user=nobody password=" + kPassword + " connect_timeout=5";
  std::string error;
  EXPECT_EQ(PgConnection::Connect(dsn, error), nullptr);
  EXPECT_EQ(error.rfind("cannot connect: ", 0), 0u) << error;
  EXPECT_NE(error.find("refused"), std::string::npos) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  EXPECT_EQ(error.find(kPassword), std::string::npos) << error;
}

TEST(PgConnection, MessagesAreCleanedOfLineBreaksAndTheSecret) {
  EXPECT_EQ(CleanPgMessage("FATAL:  password hunter2-secret\n\tis wrong\n", kPassword),
            "FATAL: password *** is wrong");
  EXPECT_EQ(CleanPgMessage("no secret here", ""), "no secret here");
}

}  // namespace
}  // namespace leadsync
