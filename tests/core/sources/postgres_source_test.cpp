// The postgres source reading a real PostgreSQL 15: value forms, time zones,
// ties, composite cursors and cursor_delay.
#include <gmock/gmock.h>

#include "core/sources/ingest.hpp"
#include "tests/core/sources/postgres_source_fixture.hpp"

namespace leadsync::testing {
namespace {

using ::testing::HasSubstr;

constexpr const char* kLeadsTable =
    "CREATE TABLE leads (id serial PRIMARY KEY, email text, first_name text, "
    "updated_at timestamptz NOT NULL DEFAULT clock_timestamp())";
constexpr const char* kByUpdatedAt =
    "SELECT email AS \"EmailAddress\", first_name AS \"FirstName\", updated_at FROM leads "
    "WHERE updated_at >= $1 ORDER BY updated_at LIMIT 100";

void Insert(PgSession& db, const std::string& email, const std::string& updated_at) {
  db.Exec("INSERT INTO leads(email, updated_at) VALUES ('" + email + "', '" + updated_at + "')");
}

TEST_F(PostgresSourceTest, ConvertsColumnValuesToLeadSquaredForms) {
  StartServer();
  db_->Exec(
      "CREATE TABLE typed (email text, n int, big bigint, amount numeric(10,2), ratio float8, active "
      "boolean, "
      "born date, seen timestamp, at timestamptz, note text, missing text, kyc text, "
      "updated_at timestamptz NOT NULL)");
  db_->Exec(
      "INSERT INTO typed VALUES ('ada@x.com', 42, 9007199254740993, 12.5, 0.1, true, '1815-12-10', "
      "'2024-03-01 10:00:00.654321', '2024-03-01 10:00:00.5+05:30', 'as written ', NULL, 'Verified', "
      "'2024-01-01 00:00:01+00'), "
      "('bob@x.com', NULL, NULL, NULL, NULL, false, NULL, NULL, NULL, '', NULL, NULL, '2024-01-01 "
      "00:00:02+00'), "
      "(NULL, 7, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '2024-01-01 00:00:03+00'), "
      "('inf@x.com', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'infinity', NULL, NULL, NULL, "
      "'2024-01-01 00:00:04+00')");
  config::Source source = Source("SELECT * FROM typed WHERE updated_at >= $1 ORDER BY updated_at");
  source.fields = {{"email", "EmailAddress"}, {"note", "mx_Note"}, {"kyc", "mx_KYC.Status"}};
  Start(source);
  ASSERT_TRUE(DeliveredTimes({"ada@x.com", "bob@x.com"}));

  EXPECT_EQ(LastSent("ada@x.com"), (Sent{{"EmailAddress", "ada@x.com"},
                                         {"n", "42"},
                                         {"big", "9007199254740993"},
                                         {"amount", "12.50"},
                                         {"ratio", "0.1"},
                                         {"active", "true"},
                                         {"born", "1815-12-10"},
                                         {"seen", "2024-03-01 10:00:00"},
                                         {"at", "2024-03-01 04:30:00"},
                                         {"mx_Note", "as written "},
                                         {"mx_KYC", ""},
                                         {"mx_KYC.Status", "Verified"},
                                         {"updated_at", "2024-01-01 00:00:01"}}));
  EXPECT_EQ(LastSent("bob@x.com"), (Sent{{"EmailAddress", "bob@x.com"},
                                         {"active", "false"},
                                         {"mx_Note", ""},
                                         {"updated_at", "2024-01-01 00:00:02"}}))
      << "NULL leaves the attribute out; an empty string is a value";
  ASSERT_TRUE(Eventually([&] { return Rejections().size() == 2; }));
  const std::vector<Rejection> rejections = Rejections();
  EXPECT_EQ(rejections[0].category, "no_key");
  EXPECT_EQ(rejections[0].location, "cursor 2024-01-01 00:00:03+00");
  EXPECT_EQ(rejections[1].category, "bad_value");
  EXPECT_THAT(rejections[1].reason, HasSubstr("column 'at': 'infinity'"));
  EXPECT_EQ(CheckpointValue(), "2024-01-01 00:00:04+00");
  EXPECT_TRUE(Errors().empty());
}

TEST_F(PostgresSourceTest, TimestampsAreUtcWhateverTheServerOrSessionTimeZone) {
  StartServer({"TimeZone=Asia/Kolkata"});
  ASSERT_EQ(db_->Scalar("SHOW TimeZone"), "Asia/Kolkata");
  db_->Exec(
      "CREATE TABLE zoned (email text, at timestamptz, seen timestamp, updated_at timestamptz NOT NULL)");
  // Literals without an offset are read in the server's zone (+05:30).
  db_->Exec(
      "INSERT INTO zoned VALUES ('ist@x.com', '2024-03-01 10:00:00', '2024-03-01 10:00:00', "
      "'2024-03-01 10:00:00.25')");
  config::Source source =
      Source("SELECT email AS \"EmailAddress\", at, seen, updated_at FROM zoned WHERE updated_at >= $1");
  // And a session zone of its own, west of UTC.
  Settings(source).dsn = server_->dsn("options='-c TimeZone=America/New_York'");
  Start(source);
  ASSERT_TRUE(DeliveredTimes({"ist@x.com"}));

  const Sent sent = LastSent("ist@x.com");
  EXPECT_EQ(sent.at("at"), "2024-03-01 04:30:00");
  EXPECT_EQ(sent.at("seen"), "2024-03-01 10:00:00") << "a timestamp without zone is sent as stored";
  EXPECT_EQ(sent.at("updated_at"), "2024-03-01 04:30:00");
  EXPECT_EQ(CheckpointValue(), "2024-03-01 04:30:00.25+00") << "the cursor keeps its fraction, in UTC";
}

TEST_F(PostgresSourceTest, TiesOnTheCursorAreReadAgainWithoutGapOrRepeat) {
  StartServer();
  db_->Exec(kLeadsTable);
  Insert(*db_, "one@x.com", "2024-01-01 00:00:01+00");
  Insert(*db_, "two@x.com", "2024-01-01 00:00:02+00");
  Insert(*db_, "three@x.com", "2024-01-01 00:00:02+00");
  Start(Source(kByUpdatedAt));
  ASSERT_TRUE(DeliveredTimes({"one@x.com", "two@x.com", "three@x.com"}));
  ASSERT_EQ(CheckpointValue(), "2024-01-01 00:00:02+00");
  PollsMore(3);
  EXPECT_EQ(TimesSent("three@x.com"), 1) << "rows at the checkpoint are read again, not sent again";

  // Committed later with the very cursor value the checkpoint holds.
  Insert(*db_, "four@x.com", "2024-01-01 00:00:02+00");
  ASSERT_TRUE(DeliveredTimes({"four@x.com"}));
  // A row changed under the same cursor value is sent again.
  db_->Exec("UPDATE leads SET first_name = 'Two' WHERE email = 'two@x.com'");
  ASSERT_TRUE(DeliveredTimes({"two@x.com"}, 2));
  EXPECT_EQ(LastSent("two@x.com")["FirstName"], "Two");

  PollsMore(3);
  EXPECT_EQ(TimesSent("one@x.com"), 1);
  EXPECT_EQ(TimesSent("two@x.com"), 2);
  EXPECT_EQ(TimesSent("three@x.com"), 1);
  EXPECT_EQ(TimesSent("four@x.com"), 1);
  EXPECT_TRUE(Errors().empty());
}

TEST_F(PostgresSourceTest, FullPageOfOneCursorValueIsAnErrorThatNamesTheFix) {
  StartServer();
  db_->Exec(kLeadsTable);
  for (const char* email : {"a@x.com", "b@x.com", "c@x.com"}) Insert(*db_, email, "2024-01-01 00:00:05+00");
  Start(
      Source("SELECT email AS \"EmailAddress\", updated_at FROM leads WHERE updated_at >= $1 "
             "ORDER BY updated_at LIMIT 2"));
  ASSERT_TRUE(Eventually([&] { return Errors().size() >= 2; })) << "reported, and retried";

  const std::string error = Errors().front();
  EXPECT_THAT(error, HasSubstr("2 rows all share one cursor value (2024-01-01 00:00:05+00)"));
  EXPECT_THAT(error, HasSubstr("composite cursor"));
  EXPECT_THAT(error, HasSubstr("cursor: [updated_at, id]"));
  EXPECT_EQ(Deliver().size(), 2u) << "the page read was committed all the same";
}

TEST_F(PostgresSourceTest, CompositeCursorReadsPastManyRowsSharingATimestamp) {
  StartServer();
  db_->Exec(kLeadsTable);
  const std::vector<std::string> emails = {"a@x.com", "b@x.com", "c@x.com", "d@x.com", "e@x.com"};
  for (const std::string& email : emails) Insert(*db_, email, "2024-01-01 00:00:05+00");
  // Default cursor_start "-infinity": $2 is NULL, and the row comparison
  // holds on updated_at alone.
  Start(
      Source("SELECT id, email AS \"EmailAddress\", updated_at FROM leads "
             "WHERE (updated_at, id) > ($1, $2) ORDER BY updated_at, id LIMIT 2",
             {"updated_at", "id"}));
  ASSERT_TRUE(DeliveredTimes(emails));
  ASSERT_TRUE(Eventually([&] { return CheckpointValue() == R"(["2024-01-01 00:00:05+00","5"])"; }));

  Insert(*db_, "f@x.com", "2024-01-01 00:00:05+00");
  ASSERT_TRUE(DeliveredTimes({"f@x.com"}));
  PollsMore(2);
  for (const std::string& email : emails) EXPECT_EQ(TimesSent(email), 1) << email;
  EXPECT_TRUE(Errors().empty());
}

TEST_F(PostgresSourceTest, RowCommittedLateWithinCursorDelayIsNotSkipped) {
  StartServer();
  db_->Exec(kLeadsTable);
  config::Source source = Source(kByUpdatedAt);
  Settings(source).cursor_delay = 4s;
  Start(source);

  // A transaction stamps its row, then commits only after a later row did.
  PgSession slow(server_->dsn());
  slow.Exec("BEGIN; INSERT INTO leads(email) VALUES ('late@x.com')");
  db_->Exec("INSERT INTO leads(email) VALUES ('early@x.com')");
  PollsMore(3);
  ASSERT_EQ(db_->Scalar("SELECT clock_timestamp() - updated_at < interval '4 s' FROM leads "
                        "WHERE email = 'early@x.com'"),
            "t")
      << "this machine took longer than cursor_delay to run three polls";
  EXPECT_EQ(TimesSent("early@x.com"), 0) << "a row newer than now() - cursor_delay waits";

  slow.Exec("COMMIT");
  ASSERT_TRUE(DeliveredTimes({"early@x.com", "late@x.com"}));
  EXPECT_EQ(TimesSent("late@x.com"), 1);
  EXPECT_TRUE(Errors().empty());
}

// Rows take the path file lines take: the mapping (renames, drop,
// conversions, constants), the key, the caps, with the same reasons.
TEST_F(PostgresSourceTest, RowsGoThroughTheSharedMappingKeyAndCaps) {
  StartServer();
  db_->Exec(kLeadsTable);
  db_->Exec(
      "INSERT INTO leads(email, first_name, updated_at) VALUES ('map@x.com', 'Ada', '2024-01-01 "
      "00:00:01+00'), "
      "(NULL, 'Nokey', '2024-01-01 00:00:02+00'), ('wide@x.com', 'Wide', '2024-01-01 00:00:03+00')");
  config::Source source = Source(
      "SELECT email, first_name, CASE WHEN email = 'wide@x.com' THEN 'x' END AS extra, updated_at FROM leads "
      "WHERE updated_at >= $1 ORDER BY updated_at LIMIT 100");
  source.fields = {{"email", "EmailAddress"}};
  source.drop = {"first_name"};
  source.constants = {{"Source", "crm"}};
  source.max_attributes = 3;  // a row's columns, before the mapping
  Start(source);
  ASSERT_TRUE(DeliveredTimes({"map@x.com"}));
  EXPECT_EQ(LastSent("map@x.com"),
            (Sent{{"EmailAddress", "map@x.com"}, {"updated_at", "2024-01-01 00:00:01"}, {"Source", "crm"}}))
      << "renamed, dropped and a constant added, as for a file";
  ASSERT_TRUE(Eventually([&] { return Rejections().size() == 2; }));
  const std::vector<Rejection> rejections = Rejections();
  const IngestBatch file = Ingest("{\"FirstName\":\"Nokey\"}\n", InputFormat::kJsonl,
                                  IngestOptions{kSourceName, Mapping(), {}, {}}, "f");
  ASSERT_EQ(file.rejections.size(), 1u);
  EXPECT_EQ(rejections[0].category, file.rejections[0].category);
  EXPECT_EQ(rejections[0].reason, file.rejections[0].reason);
  EXPECT_EQ(rejections[1].category, "too_many_attributes");
  EXPECT_EQ(rejections[1].reason, "more than 3 attributes (max_attributes)");
}

}  // namespace
}  // namespace leadsync::testing
