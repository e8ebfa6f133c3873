// The full configuration sample (every section, every source type), key for
// key: every key it shows is accepted and read. Only the secret file paths differ, so that the test can
// provide those files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "config/loader.hpp"
#include "tests/config/config_test_util.hpp"
#include "tests/support/temp_dir.hpp"

namespace leadsync::config {
namespace {

using ::testing::ElementsAre;
using namespace std::chrono_literals;

constexpr const char* kDesignSample = R"yaml(leadsquared:
  api_host: https://api-in21.leadsquared.com   # scheme://host[:port]; http allowed for local use
  auth: headers                                # headers | query
  access_key: ${LSQ_ACCESS_KEY}                # or access_key_file:
  secret_key_file: ${CREDENTIALS_DIRECTORY}/lsq-secret   # or secret_key:
  batch_size: 25                 # 1..25
  linger: 500ms                  # wait this long for a batch to fill
  rate_limit: { requests: 25, per: 5s }   # the plan's ceiling; adapts below it on 429
  max_in_flight: 8               # enough for 5 calls/s at 1.5 s latency; connections open as needed
  request_timeout: 30s
  retry: { initial_backoff: 1s, max_backoff: 60s, max_record_age: 0s }   # 0s: never give up
  pause_probe: 60s               # re-probe interval while paused on 401/403/404
  tls_verify: true
queue:
  path: /var/lib/leadsync/queue.db
  sync: full                     # full | normal
  max_pending: 10000000          # pending + in flight; a spool file is atomic and may overshoot
  history: 14d                   # keep the delivery journal this long (0s: off)
sources:
  - name: signups                # unique; used in metrics and logs
    type: spool                  # files dropped in a directory, each ingested whole
    path: /var/spool/leadsync/signups
    format: auto                 # auto (by extension) | csv | jsonl | json
    after: move                  # move (to PATH/done) | delete
    search_by: EmailAddress      # optional
    fields: { email: EmailAddress, city: mx_City }   # optional rename of columns/keys
  - name: app-events
    type: tail                   # one append-only JSONL or CSV file, followed across rotation;
    path: /var/log/app/leads.jsonl   # files known by a fingerprint of their first bytes, not inode;
                                     # a partial last line waits for its newline; lines written to a
                                     # rotated file are drained; a file present at first start is
    start_at: beginning              # read from its beginning (or: end)
  - name: crm
    type: postgres               # incremental pull by cursor
    dsn_file: crm.dsn
    query: "SELECT * FROM leads WHERE updated_at >= $1 ORDER BY updated_at LIMIT 5000"
    cursor: updated_at           # a result column; rows equal to the last cursor are read again
                                 # (no gap on ties); a page made entirely of one cursor value is an
                                 # error that names the fix. Or a composite cursor without ties:
                                 # cursor: [updated_at, id] with "WHERE (updated_at, id) > ($1, $2)"
    cursor_start: "-infinity"    # the first $1 (e.g. 0 for an integer cursor)
    cursor_delay: 0s             # stay this far behind now(), for transactions still committing
    interval: 10s                # columns are attributes under their own names unless renamed by
                                 # fields; NULL leaves the attribute out; booleans true/false;
                                 # numerics as PostgreSQL prints them; timestamps UTC
                                 # YYYY-MM-DD HH:MM:SS (fraction dropped); dates YYYY-MM-DD
  - name: forms
    type: webhook                # POST /v1/leads: one lead or an array, either JSON form;
    listen: 127.0.0.1:8088       # Authorization: Bearer TOKEN; all or nothing: 202 once committed,
    token_file: webhook.token   # 400 {"error": …, "index": N} names the first bad lead,
    max_body: 1MiB               # 401, 413 over max_body (B, KiB, MiB), 503 + Retry-After when full
metrics:
  listen: 127.0.0.1:9464         # /metrics, /healthz, /readyz
log:
  level: info                    # trace | debug | info | warn | error
  format: text                   # text | json
shutdown_timeout: 30s
)yaml";

Config LoadDesignSample(const leadsync::testing::TempDir& dir) {
  leadsync::testing::WriteSecretFile(dir / "creds/lsq-secret", "secret\n");
  leadsync::testing::WriteSecretFile(dir / "crm.dsn", "host=crm dbname=crm\n");
  leadsync::testing::WriteSecretFile(dir / "webhook.token", "webhook-token\n");
  leadsync::testing::WriteFile(dir / "leadsync.yaml", kDesignSample);
  const EnvLookup env =
      test_docs::FakeEnv({{"LSQ_ACCESS_KEY", "access"}, {"CREDENTIALS_DIRECTORY", (dir / "creds").string()}});
  const LoadResult result = LoadConfig(dir / "leadsync.yaml", env);
  EXPECT_THAT(test_docs::Errors(result), ElementsAre());
  return result.config.value_or(Config{});
}

TEST(DesignSample, ReadsTheLeadSquaredAndQueueSections) {
  const leadsync::testing::TempDir dir;
  const Config config = LoadDesignSample(dir);
  EXPECT_EQ(config.leadsquared.api_host, "https://api-in21.leadsquared.com");
  EXPECT_EQ(config.leadsquared.access_key, "access");
  EXPECT_EQ(config.leadsquared.secret_key, "secret");
  EXPECT_EQ(config.leadsquared.rate_limit, (std::vector<RateLimit>{{25, 5s}}));
  EXPECT_EQ(config.leadsquared.retry, (Retry{1s, 60s, 0s}));
  EXPECT_EQ(config.queue.path, "/var/lib/leadsync/queue.db");
  EXPECT_EQ(config.queue.history, std::chrono::hours(14 * 24));
  EXPECT_EQ(config.metrics.listen, "127.0.0.1:9464");
  EXPECT_EQ(config.shutdown_timeout, 30s);
}

TEST(DesignSample, ReadsEverySource) {
  const leadsync::testing::TempDir dir;
  const Config config = LoadDesignSample(dir);
  ASSERT_EQ(config.sources.size(), 4u);
  const Source& spool = config.sources[0];
  EXPECT_EQ(spool.name, "signups");
  EXPECT_EQ(std::get<SpoolSettings>(spool.settings).path, "/var/spool/leadsync/signups");
  EXPECT_EQ(spool.search_by, "EmailAddress");
  EXPECT_EQ(spool.fields.at("city"), "mx_City");
  EXPECT_EQ(config.sources[1].type(), SourceType::kTail);
  EXPECT_EQ(std::get<TailSettings>(config.sources[1].settings).start_at, StartAt::kBeginning);
  const Source& postgres = config.sources[2];
  EXPECT_EQ(std::get<PostgresSettings>(postgres.settings).dsn, "host=crm dbname=crm");
  EXPECT_EQ(std::get<PostgresSettings>(postgres.settings).query,
            "SELECT * FROM leads WHERE updated_at >= $1 ORDER BY updated_at LIMIT 5000");
  EXPECT_EQ(std::get<PostgresSettings>(postgres.settings).cursor, (std::vector<std::string>{"updated_at"}));
  EXPECT_EQ(std::get<PostgresSettings>(postgres.settings).cursor_start, "-infinity");
  const Source& webhook = config.sources[3];
  EXPECT_EQ(std::get<WebhookSettings>(webhook.settings).listen, "127.0.0.1:8088");
  EXPECT_EQ(std::get<WebhookSettings>(webhook.settings).token, "webhook-token");
  EXPECT_EQ(std::get<WebhookSettings>(webhook.settings).max_body, 1024u * 1024);
}

}  // namespace
}  // namespace leadsync::config
