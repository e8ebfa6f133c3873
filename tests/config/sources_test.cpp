#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "config/loader.hpp"
#include "tests/config/config_test_util.hpp"
#include "tests/support/temp_dir.hpp"

namespace leadsync::config {
namespace {

using ::testing::ElementsAre;
using namespace std::chrono_literals;
using test_docs::Errors;
using test_docs::Load;
using test_docs::SourceWith;

// The only source of a document whose source keys are `keys` (see SourceWith).
Source OnlySource(std::string_view keys) {
  const LoadResult result = Load(SourceWith(keys));
  EXPECT_THAT(Errors(result), ElementsAre());
  if (!result.config || result.config->sources.size() != 1) return Source{};
  return result.config->sources[0];
}

// Errors of a document whose only source has `keys` from line 9, column 5.
std::vector<std::string> SourceErrors(std::string_view keys) { return Errors(Load(SourceWith(keys))); }

TEST(ConfigSources, SpoolReadsItsKeys) {
  const Source source = OnlySource(
      "type: spool\npath: /spool\nformat: csv\nafter: delete\nsearch_by: Phone\n"
      "fields: { email: EmailAddress, city: mx_City }");
  EXPECT_EQ(source.name, "s");
  EXPECT_EQ(source.type(), SourceType::kSpool);
  EXPECT_EQ(std::get<SpoolSettings>(source.settings).path, "/spool");
  EXPECT_EQ(std::get<SpoolSettings>(source.settings).format, Format::kCsv);
  EXPECT_EQ(std::get<SpoolSettings>(source.settings).after, AfterIngest::kDelete);
  EXPECT_EQ(source.search_by, "Phone");
  EXPECT_EQ(source.fields,
            (std::map<std::string, std::string>{{"city", "mx_City"}, {"email", "EmailAddress"}}));
}

TEST(ConfigSources, SpoolDefaults) {
  const Source source = OnlySource("type: spool\npath: /spool");
  EXPECT_EQ(std::get<SpoolSettings>(source.settings).format, Format::kAuto);
  EXPECT_EQ(std::get<SpoolSettings>(source.settings).after, AfterIngest::kMove);
  EXPECT_EQ(source.search_by, std::nullopt);
  EXPECT_TRUE(source.fields.empty());
}

TEST(ConfigSources, TailReadsItsKeys) {
  const Source source = OnlySource("type: tail\npath: /log/leads.jsonl\nformat: jsonl\nstart_at: end");
  EXPECT_EQ(source.type(), SourceType::kTail);
  EXPECT_EQ(std::get<TailSettings>(source.settings).path, "/log/leads.jsonl");
  EXPECT_EQ(std::get<TailSettings>(source.settings).format, Format::kJsonl);
  EXPECT_EQ(std::get<TailSettings>(source.settings).start_at, StartAt::kEnd);
  EXPECT_EQ(std::get<TailSettings>(OnlySource("type: tail\npath: /log/leads.csv").settings).start_at,
            StartAt::kBeginning);
}

TEST(ConfigSources, PostgresReadsItsKeys) {
  const Source source = OnlySource(
      "type: postgres\ndsn: host=db user=leadsync\n"
      "query: \"SELECT * FROM leads WHERE (updated_at, id) > ($1, $2)\"\n"
      "cursor: [updated_at, id]\ncursor_start: \"0\"\ncursor_delay: 5s\ninterval: 1m\nmax_page_bytes: 1MiB");
  EXPECT_EQ(source.type(), SourceType::kPostgres);
  EXPECT_EQ(std::get<PostgresSettings>(source.settings).dsn, "host=db user=leadsync");
  EXPECT_EQ(std::get<PostgresSettings>(source.settings).query,
            "SELECT * FROM leads WHERE (updated_at, id) > ($1, $2)");
  EXPECT_EQ(std::get<PostgresSettings>(source.settings).cursor,
            (std::vector<std::string>{"updated_at", "id"}));
  EXPECT_EQ(std::get<PostgresSettings>(source.settings).cursor_start, "0");
  EXPECT_EQ(std::get<PostgresSettings>(source.settings).cursor_delay, 5s);
  EXPECT_EQ(std::get<PostgresSettings>(source.settings).interval, 1min);
  EXPECT_EQ(std::get<PostgresSettings>(source.settings).max_page_bytes, 1024u * 1024);
}

TEST(ConfigSources, PostgresCursorMayBeOneColumnAndHasDefaults) {
  const Source source = OnlySource("type: postgres\ndsn: x\nquery: SELECT 1\ncursor: updated_at");
  EXPECT_EQ(std::get<PostgresSettings>(source.settings).cursor, (std::vector<std::string>{"updated_at"}));
  EXPECT_EQ(std::get<PostgresSettings>(source.settings).cursor_start, "-infinity");
  EXPECT_EQ(std::get<PostgresSettings>(source.settings).cursor_delay, 0s);
  EXPECT_EQ(std::get<PostgresSettings>(source.settings).interval, 10s);
  EXPECT_EQ(std::get<PostgresSettings>(source.settings).max_page_bytes, 8u * 1024 * 1024);
  EXPECT_EQ(std::get<PostgresSettings>(
                OnlySource("type: postgres\ndsn: x\nquery: q\ncursor:\n  - a\n  - b").settings)
                .cursor,
            (std::vector<std::string>{"a", "b"}));
}

TEST(ConfigSources, WebhookReadsItsKeys) {
  const Source source = OnlySource("type: webhook\nlisten: 127.0.0.1:0\ntoken: t\nmax_body: 64KiB");
  EXPECT_EQ(source.type(), SourceType::kWebhook);
  EXPECT_EQ(std::get<WebhookSettings>(source.settings).listen, "127.0.0.1:0");
  EXPECT_EQ(std::get<WebhookSettings>(source.settings).token, "t");
  EXPECT_EQ(std::get<WebhookSettings>(source.settings).max_body, 64u * 1024);
  EXPECT_EQ(std::get<WebhookSettings>(OnlySource("type: webhook\nlisten: localhost:8088\ntoken: t").settings)
                .max_body,
            1024u * 1024);
  EXPECT_EQ(
      std::get<WebhookSettings>(OnlySource("type: webhook\nlisten: h:1\ntoken: t\nmax_body: 512").settings)
          .max_body,
      512u);
  EXPECT_EQ(
      std::get<WebhookSettings>(OnlySource("type: webhook\nlisten: h:1\ntoken: t\nmax_body: 10B").settings)
          .max_body,
      10u);
  EXPECT_EQ(
      std::get<WebhookSettings>(OnlySource("type: webhook\nlisten: h:1\ntoken: t\nmax_body: 2MiB").settings)
          .max_body,
      2u * 1024 * 1024);
}

TEST(ConfigSources, RecordCapsApplyToEveryTypeWithDefaults) {
  const Source plain = OnlySource("type: spool\npath: /s");
  EXPECT_EQ(plain.max_line_length, 1024u * 1024);
  EXPECT_EQ(plain.max_attributes, 1000);
  EXPECT_EQ(std::get<SpoolSettings>(plain.settings).max_file_size, 1024ull * 1024 * 1024);
  const Source capped = OnlySource(
      "type: spool\npath: /s\nmax_line_length: 64KiB\nmax_attributes: 50\n"
      "max_file_size: 10MiB");
  EXPECT_EQ(capped.max_line_length, 64u * 1024);
  EXPECT_EQ(capped.max_attributes, 50);
  EXPECT_EQ(std::get<SpoolSettings>(capped.settings).max_file_size, 10u * 1024 * 1024);
  EXPECT_THAT(SourceErrors("type: spool\npath: /s\nmax_attributes: 0"),
              ElementsAre("11:21: max_attributes: must be between 1 and 1000000, got 0"));
}

TEST(ConfigSources, WebhookTokenHeaderAndTls) {
  const Source plain = OnlySource("type: webhook\nlisten: h:1\ntoken: t");
  EXPECT_EQ(std::get<WebhookSettings>(plain.settings).token_header, "Authorization");
  EXPECT_TRUE(std::get<WebhookSettings>(plain.settings).tls_cert_file.empty());
  const testing::TempDir dir;
  testing::WriteFile(dir / "tls.crt", "CERTIFICATE PEM\n");
  testing::WriteSecretFile(dir / "tls.key", "KEY PEM\n");
  const Source custom = OnlySource(
      "type: webhook\nlisten: h:1\ntoken: t\ntoken_header: X-Api-Key\n"
      "tls_cert_file: " +
      (dir / "tls.crt").string() + "\ntls_key_file: " + (dir / "tls.key").string());
  const auto& webhook = std::get<WebhookSettings>(custom.settings);
  EXPECT_EQ(webhook.token_header, "X-Api-Key");
  EXPECT_EQ(webhook.tls_cert_file, dir / "tls.crt");
  EXPECT_EQ(webhook.tls_key_file, dir / "tls.key");
  // Read with the config, so that a reload notices a renewed pair.
  EXPECT_EQ(webhook.tls_certificate, "CERTIFICATE PEM\n");
  EXPECT_EQ(webhook.tls_key, "KEY PEM\n");
  EXPECT_THAT(SourceErrors("type: webhook\nlisten: h:1\ntoken: t\ntls_cert_file: " +
                           (dir / "none.crt").string() + "\ntls_key_file: " + (dir / "tls.key").string()),
              ElementsAre("12:5: tls_cert_file: cannot read '" + (dir / "none.crt").string() +
                          "': No such file or directory"));
  EXPECT_THAT(SourceErrors("type: webhook\nlisten: h:1\ntoken: t\ntls_cert_file: /etc/tls.crt"),
              ElementsAre("12:5: give both 'tls_cert_file' and 'tls_key_file' for HTTPS, or neither"));
  EXPECT_THAT(SourceErrors("type: webhook\nlisten: h:1\ntoken: t\ntoken_header: \"X Key\""),
              ::testing::ElementsAre(::testing::HasSubstr("header name")));
}

TEST(ConfigSources, KeyOfAnotherTypeIsAnError) {
  EXPECT_THAT(SourceErrors("type: spool\npath: /s\nquery: SELECT 1"),
              ElementsAre("11:5: key 'query' is not valid for a spool source"));
  EXPECT_THAT(SourceErrors("type: spool\npath: /s\nstart_at: end"),
              ElementsAre("11:5: key 'start_at' is not valid for a spool source"));
  EXPECT_THAT(SourceErrors("type: tail\npath: /t\nafter: move"),
              ElementsAre("11:5: key 'after' is not valid for a tail source"));
  EXPECT_THAT(SourceErrors("type: webhook\nlisten: h:1\ntoken: t\npath: /w"),
              ElementsAre("12:5: key 'path' is not valid for a webhook source"));
  EXPECT_THAT(SourceErrors("type: postgres\ndsn: d\nquery: q\ncursor: c\nmax_body: 1MiB"),
              ElementsAre("13:5: key 'max_body' is not valid for a postgres source"));
}

TEST(ConfigSources, UnknownKeyNamesTheSource) {
  EXPECT_THAT(SourceErrors("type: spool\npath: /s\nrecursive: true"),
              ElementsAre("11:5: unknown key 'recursive' in source 's'"));
}

TEST(ConfigSources, EachTypeHasItsRequiredKeys) {
  EXPECT_THAT(SourceErrors("type: spool"), ElementsAre("8:5: missing required key 'path' in source 's'"));
  EXPECT_THAT(SourceErrors("type: tail"), ElementsAre("8:5: missing required key 'path' in source 's'"));
  EXPECT_THAT(SourceErrors("type: postgres"),
              ElementsAre("8:5: missing required key 'dsn' or 'dsn_file' in source 's'",
                          "8:5: missing required key 'query' in source 's'",
                          "8:5: missing required key 'cursor' in source 's'"));
  EXPECT_THAT(SourceErrors("type: webhook"),
              ElementsAre("8:5: missing required key 'listen' in source 's'",
                          "8:5: missing required key 'token' or 'token_file' in source 's'"));
}

TEST(ConfigSources, NameAndTypeAreRequired) {
  EXPECT_THAT(Errors(Load(test_docs::LeadSquaredHead() +
                          "queue: { path: /q }\nsources:\n  - type: spool\n    path: /s\n")),
              ElementsAre("7:5: missing required key 'name' in sources[0]"));
  // Without a type, type-specific keys cannot be judged and are let be.
  EXPECT_THAT(SourceErrors("path: /s\nquery: q"),
              ElementsAre("8:5: missing required key 'type' in source 's'"));
  EXPECT_THAT(SourceErrors("type: ftp\npath: /s"),
              ElementsAre("9:11: type: expected spool, tail, postgres or webhook, got 'ftp'"));
  EXPECT_THAT(SourceErrors("type: spool\npath: /s\nname: again"),
              ElementsAre("11:5: duplicate key 'name' in sources[0]"));
}

TEST(ConfigSources, EnumValuesAreChecked) {
  EXPECT_THAT(SourceErrors("type: spool\npath: /s\nformat: xml"),
              ElementsAre("11:13: format: expected auto, csv, jsonl or json, got 'xml'"));
  EXPECT_THAT(SourceErrors("type: tail\npath: /t\nformat: json"),
              ElementsAre("11:13: format: expected auto, csv or jsonl, got 'json'"));
  EXPECT_THAT(SourceErrors("type: spool\npath: /s\nafter: keep"),
              ElementsAre("11:12: after: expected move or delete, got 'keep'"));
  EXPECT_THAT(SourceErrors("type: tail\npath: /t\nstart_at: middle"),
              ElementsAre("11:15: start_at: expected beginning or end, got 'middle'"));
}

TEST(ConfigSources, DuplicateNameIsReportedAtTheSecond) {
  const std::string yaml = SourceWith("type: spool\npath: /a", "a") +
                           "  - name: b\n    type: spool\n    path: /b\n"
                           "  - name: a\n    type: tail\n    path: /c\n";
  EXPECT_THAT(Errors(Load(yaml)), ElementsAre("14:11: duplicate source name 'a' (first given on line 8)"));
}

TEST(ConfigSources, FieldsIsAMapOfNamesOrConversions) {
  EXPECT_THAT(SourceErrors("type: spool\npath: /s\nfields: email"),
              ElementsAre("11:13: fields: expected a map, got 'email'"));
  EXPECT_THAT(
      SourceErrors("type: spool\npath: /s\nfields:\n  email: [EmailAddress]"),
      ElementsAre("12:14: fields.email: expected an attribute name, drop, or a map with 'to', got a list"));
  EXPECT_THAT(SourceErrors("type: spool\npath: /s\nfields: { email: '' }"),
              ElementsAre("11:22: fields.email: must not be empty"));
  EXPECT_THAT(SourceErrors("type: spool\npath: /s\nsearch_by: ''"),
              ElementsAre("11:16: search_by: must not be empty"));
  EXPECT_THAT(SourceErrors("type: spool\npath: /s\nsearch_by: [Phone]"),
              ElementsAre("11:16: search_by: expected a string, got a list"));
}

TEST(ConfigSources, CursorIsAColumnOrAListOfColumns) {
  const std::string head = "type: postgres\ndsn: d\nquery: q\n";
  EXPECT_THAT(SourceErrors(head + "cursor: []"),
              ElementsAre("12:13: cursor: expected a column name or a list of them, got an empty list"));
  EXPECT_THAT(SourceErrors(head + "cursor: { a: b }"),
              ElementsAre("12:13: cursor: expected a column name or a list of them, got a map"));
  EXPECT_THAT(SourceErrors(head + "cursor: [a, '']"), ElementsAre("12:17: cursor[1]: must not be empty"));
}

TEST(ConfigSources, WebhookValuesAreChecked) {
  const std::string head = "type: webhook\ntoken: t\n";
  EXPECT_THAT(SourceErrors(head + "listen: 8088"),
              ElementsAre("11:13: listen: the port is missing (expected HOST:PORT), got '8088'"));
  EXPECT_THAT(SourceErrors(head + "listen: h:1\nmax_body: 1MB"),
              ElementsAre("12:15: max_body: expected a size such as 1048576, 64KiB or 1MiB, got '1MB'"));
  EXPECT_THAT(SourceErrors(head + "listen: h:1\nmax_body: 0"),
              ElementsAre("12:15: max_body: must be greater than 0, got '0'"));
}

TEST(ConfigSources, PostgresDurationsAreChecked) {
  const std::string head = "type: postgres\ndsn: d\nquery: q\ncursor: c\n";
  EXPECT_THAT(SourceErrors(head + "interval: 0s\ncursor_delay: -1s"),
              ElementsAre("13:15: interval: must be greater than 0, got '0s'",
                          "14:19: cursor_delay: must not be negative, got '-1s'"));
}

TEST(ConfigSources, ItemMustBeAMap) {
  EXPECT_THAT(Errors(Load(test_docs::LeadSquaredHead() + "queue: { path: /q }\nsources:\n  - just-a-name\n")),
              ElementsAre("7:5: sources[0]: expected a map, got 'just-a-name'"));
  // yaml-cpp gives an empty item no position of its own: the list's start stands in.
  EXPECT_THAT(Errors(Load(test_docs::LeadSquaredHead() + "queue: { path: /q }\nsources:\n"
                                                         "  - { name: a, type: spool, path: /a }\n  -\n")),
              ElementsAre("7:3: sources[1]: expected a map, got an empty value"));
}

}  // namespace
}  // namespace leadsync::config
