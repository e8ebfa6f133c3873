#include "daemon/source_description.hpp"

#include <gtest/gtest.h>

namespace leadsync::daemon {
namespace {

config::Source Source(std::string name, decltype(config::Source::settings) settings,
                      config::SourcePriority priority = config::SourcePriority::kNormal) {
  config::Source source;
  source.name = std::move(name);
  source.settings = std::move(settings);
  source.priority = priority;
  return source;
}

TEST(SourceDescription, NamesTheTypeWhereItReadsAndThePriority) {
  EXPECT_EQ(DescribeSource(Source("signups", config::SpoolSettings{.path = "/var/spool/leadsync/signups"})),
            "source signups: spool /var/spool/leadsync/signups, priority normal");
  EXPECT_EQ(DescribeSource(Source("new", config::SpoolSettings{.path = "/srv/new", .create = true},
                                  config::SourcePriority::kHigh)),
            "source new: spool /srv/new (created if missing), priority high");
  EXPECT_EQ(DescribeSource(Source("app", config::TailSettings{.path = "/var/log/app/leads.jsonl"},
                                  config::SourcePriority::kLow)),
            "source app: tail /var/log/app/leads.jsonl, priority low");
  config::WebhookSettings webhook;
  webhook.listen = "127.0.0.1:8088";
  webhook.token = "t0ken";
  EXPECT_EQ(DescribeSource(Source("forms", webhook)),
            "source forms: webhook listening on 127.0.0.1:8088, priority normal");
  webhook.tls_cert_file = "/etc/cert.pem";
  EXPECT_EQ(DescribeSource(Source("forms", webhook)),
            "source forms: webhook listening on 127.0.0.1:8088 (HTTPS), priority normal");
}

TEST(SourceDescription, APostgresDsnShowsHostPortAndDatabaseButNeverUserOrPassword) {
  const auto line = [](const std::string& dsn) {
    config::PostgresSettings postgres;
    postgres.dsn = dsn;
    return DescribeSource(Source("crm", postgres));
  };
  EXPECT_EQ(line("host=db.internal port=5433 dbname=crm user=sync password=hunter2"),
            "source crm: postgres db.internal:5433/crm, priority normal");
  EXPECT_EQ(line("postgresql://sync:hunter2@10.0.0.5/crm?sslmode=verify-full"),
            "source crm: postgres 10.0.0.5/crm, priority normal");
  EXPECT_EQ(line("password=hunter2 'unterminated"), "source crm: postgres (unreadable DSN), priority normal");
  for (const std::string dsn :
       {"host=db password=hunter2", "postgresql://u:hunter2@db/x", "password=hunter2 '"}) {
    EXPECT_EQ(line(dsn).find("hunter2"), std::string::npos) << dsn;
  }
}

}  // namespace
}  // namespace leadsync::daemon
