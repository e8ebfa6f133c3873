// The queue backends the role tests (*_role_test.cpp) run against, each
// suite instantiated once per backend. A backend joins by adding its
// factory to QueueBackends().
#include <sqlite3.h>

#include "tests/core/queue/queue_role_test.hpp"
#include "tests/support/temp_dir.hpp"

namespace leadsync::testing {
namespace {

// A queue file in a temporary directory.
class SqliteBackend final : public QueueBackend {
 public:
  std::unique_ptr<Queue> Open(TimePoint now) override {
    QueueOptions options = Options();
    options.owner = true;
    options.opened_at = now;
    return OpenQueue(options);
  }
  std::unique_ptr<Queue> OpenAsTool() override { return OpenQueue(Options()); }
  std::unique_ptr<Queue> OpenReadOnly() override {
    QueueOptions options = Options();
    options.read_only = true;
    return OpenQueue(options);
  }
  void OverwriteRecord(const std::string& key, const std::string& text) override {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "queue.db").c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "UPDATE records SET lead = ?1 WHERE key = ?2", -1, &stmt, nullptr),
              SQLITE_OK);
    sqlite3_bind_text(stmt, 1, text.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 2, key.c_str(), -1, SQLITE_TRANSIENT);
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_DONE) << sqlite3_errmsg(db);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
  }

 private:
  QueueOptions Options() const {
    QueueOptions options;
    options.path = dir_ / "queue.db";
    return options;
  }

  TempDir dir_;
};

std::string Name(const ::testing::TestParamInfo<QueueBackendFactory>& info) { return info.param.name; }

}  // namespace

std::vector<QueueBackendFactory> QueueBackends() {
  return {{"Sqlite", [] { return std::make_unique<SqliteBackend>(); }}};
}

INSTANTIATE_TEST_SUITE_P(Queue, IngestRoleTest, ::testing::ValuesIn(QueueBackends()), Name);
INSTANTIATE_TEST_SUITE_P(Queue, DispatchRoleTest, ::testing::ValuesIn(QueueBackends()), Name);
INSTANTIATE_TEST_SUITE_P(Queue, DeadLetterRoleTest, ::testing::ValuesIn(QueueBackends()), Name);
INSTANTIATE_TEST_SUITE_P(Queue, HistoryRoleTest, ::testing::ValuesIn(QueueBackends()), Name);
INSTANTIATE_TEST_SUITE_P(Queue, InspectionRoleTest, ::testing::ValuesIn(QueueBackends()), Name);
INSTANTIATE_TEST_SUITE_P(Queue, PriorityRoleTest, ::testing::ValuesIn(QueueBackends()), Name);

}  // namespace leadsync::testing
