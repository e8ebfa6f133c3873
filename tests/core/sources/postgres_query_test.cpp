#include "core/sources/postgres_query.hpp"

#include <gtest/gtest.h>

namespace leadsync {
namespace {

using namespace std::chrono_literals;

TEST(PostgresQuery, WrapsTheQueryAndOrdersByTheCursor) {
  PostgresOptions settings;
  settings.query = "SELECT * FROM leads WHERE (updated_at, id) > ($1, $2) ORDER BY 1 LIMIT 500;  ";
  settings.cursor = {"updated_at", "Id"};
  const PollQuery query = BuildPollQuery(settings);
  EXPECT_EQ(
      query.sql,
      "SELECT leadsync_page.*\nFROM (\nSELECT * FROM leads WHERE (updated_at, id) > ($1, $2) ORDER BY 1 "
      "LIMIT 500\n) AS leadsync_page\nORDER BY leadsync_page.\"updated_at\", leadsync_page.\"Id\"");
  EXPECT_FALSE(query.delay);
  EXPECT_EQ(query.page_size, 500);
}

TEST(PostgresQuery, CursorDelayAddsASettledColumnAndAParameter) {
  PostgresOptions settings;
  settings.query = "SELECT * FROM leads WHERE updated_at >= $1 -- a comment";
  settings.cursor = {"updated_at"};
  settings.cursor_delay = 1500ms;
  const PollQuery query = BuildPollQuery(settings);
  EXPECT_EQ(
      query.sql,
      "SELECT leadsync_page.*, leadsync_page.\"updated_at\" <= now() - $2::interval AS leadsync_settled\n"
      "FROM (\nSELECT * FROM leads WHERE updated_at >= $1 -- a comment\n) AS leadsync_page\n"
      "ORDER BY leadsync_page.\"updated_at\"");
  EXPECT_EQ(query.delay, "1500 milliseconds");
  EXPECT_FALSE(query.page_size);
}

TEST(PostgresQuery, PageSizeComesFromALiteralLimitAtTheEnd) {
  EXPECT_EQ(LiteralLimit("select 1 limit 10"), 10);
  EXPECT_EQ(LiteralLimit("SELECT 1\nORDER BY x\nLIMIT\t25 ;"), 25);
  EXPECT_EQ(LiteralLimit("SELECT 1 FETCH FIRST 7 ROWS ONLY"), 7);
  EXPECT_EQ(LiteralLimit("SELECT 1 fetch next 1 row only"), 1);
  EXPECT_FALSE(LiteralLimit("SELECT 1 LIMIT 10 OFFSET 5"));
  EXPECT_FALSE(LiteralLimit("SELECT * FROM (SELECT 1 LIMIT 3) q"));
  EXPECT_FALSE(LiteralLimit("SELECT nolimit 10"));
}

TEST(PostgresQuery, IdentifiersAreQuoted) { EXPECT_EQ(QuoteIdentifier("a\"b"), "\"a\"\"b\""); }

}  // namespace
}  // namespace leadsync
