// A poll's page held to max_page_bytes against a real PostgreSQL 15: a
// result many times the cap is read in bounded pages, all of it delivered,
// and a page cut by bytes whose rows share one cursor value is the error
// that names the fix.
#include "core/sources/postgres_page.hpp"

#include <gmock/gmock.h>

#include <set>

#include "core/sources/postgres_poller.hpp"
#include "tests/core/sources/postgres_source_fixture.hpp"

namespace leadsync::testing {
namespace {

using ::testing::HasSubstr;

constexpr std::uint64_t kCap = 256 * 1024;
constexpr std::uint64_t kPayload = 64 * 1024;  // of each row, besides its e-mail and timestamp
constexpr std::uint64_t kRowText = kPayload + 100;

std::string Email(int i) { return "lead" + std::to_string(i) + "@example.com"; }

class PostgresPageTest : public PostgresSourceTest {
 protected:
  // `rows` leads of about kRowText bytes each, a second apart, or all at
  // one time with `ties`.
  void Fill(int rows, bool ties = false) {
    db_->Exec(
        "CREATE TABLE leads (id int PRIMARY KEY, email text NOT NULL, notes text NOT NULL, "
        "updated_at timestamptz NOT NULL)");
    db_->Exec("INSERT INTO leads SELECT g, 'lead' || g || '@example.com', repeat('x', " +
              std::to_string(kPayload) + "), '2024-01-01 00:00:00+00'::timestamptz + " + (ties ? "0" : "g") +
              " * interval '1 second' FROM generate_series(1, " + std::to_string(rows) + ") g");
  }

  // No LIMIT: only max_page_bytes ends a page.
  config::Source Bounded() {
    config::Source source = Source(
        "SELECT email AS \"EmailAddress\", notes AS \"mx_Notes\", updated_at FROM leads "
        "WHERE updated_at >= $1");
    Settings(source).max_page_bytes = kCap;
    return source;
  }
};

TEST_F(PostgresPageTest, PollerHoldsEachPageToTheCapPlusTheRowThatReachedIt) {
  StartServer();
  Fill(100);  // 6.4 MiB, 25 times the cap
  PostgresPoller poller(daemon::PostgresOptionsFrom(Bounded()));
  std::set<std::string> seen;
  CursorValues from{"-infinity"};
  int pages = 0;
  for (bool more = true; more && pages < 100; ++pages) {
    const PostgresPoller::Outcome outcome = poller.Poll(from);
    ASSERT_EQ(outcome.error, "");
    const Page& page = outcome.page;
    ASSERT_FALSE(page.rows.empty());
    EXPECT_LE(page.bytes, kCap + kRowText) << "page " << pages;
    EXPECT_EQ(page.full, page.cut);
    for (const PageRow& row : page.rows) seen.insert(row.lead->key);
    std::string error;
    from = DecodeCursor(page.rows.back().position, 1, &error).value();
    more = page.cut;
  }
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_GE(pages, 25) << "about 3 new rows a page (the last row of a page is read again)";
}

TEST_F(PostgresPageTest, ResultManyTimesTheCapIsDeliveredWholeInBoundedPages) {
  StartServer();
  Fill(60);
  Start(Bounded());
  std::vector<std::string> emails;
  for (int i = 1; i <= 60; ++i) emails.push_back(Email(i));
  ASSERT_TRUE(DeliveredTimes(emails)) << ::testing::PrintToString(Errors());
  EXPECT_LE(LargestCommit(), static_cast<std::int64_t>(kCap / kRowText + 1));
  for (const std::string& email : emails) EXPECT_EQ(TimesSent(email), 1) << email;
  EXPECT_EQ(LastSent(Email(60))["mx_Notes"].size(), kPayload);
  EXPECT_THAT(Errors(), ::testing::IsEmpty());
}

TEST_F(PostgresPageTest, PageCutByBytesWhoseRowsShareOneCursorValueIsTheStallError) {
  StartServer();
  Fill(20, /*ties=*/true);
  Start(Bounded());
  ASSERT_TRUE(WaitFor([&] { return !Errors().empty(); }, kTimeout));
  const std::string error = Errors().front();
  EXPECT_THAT(error, HasSubstr("rows (max_page_bytes reached) all share one cursor value"));
  EXPECT_THAT(error, HasSubstr("Use a composite cursor"));
  EXPECT_THAT(error, HasSubstr("or raise max_page_bytes"));
}

}  // namespace
}  // namespace leadsync::testing
