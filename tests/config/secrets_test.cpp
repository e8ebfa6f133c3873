// ${NAME} interpolation, *_file secrets, and secrets kept out of messages.
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
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using namespace std::chrono_literals;
using leadsync::testing::TempDir;
using leadsync::testing::WriteFile;
using leadsync::testing::WriteSecretFile;
using test_docs::Errors;
using test_docs::FakeEnv;
using test_docs::Load;

// A document whose leadsquared section holds api_host and then `secrets`
// (from line 3, column 3).
std::string WithSecrets(std::string_view secrets) {
  return "leadsquared:\n  api_host: https://api.leadsquared.com\n" + test_docs::Indent(secrets, 2) +
         "queue: { path: /q }\n"
         "sources: [{ name: s, type: spool, path: /s }]\n";
}

TEST(ConfigSecrets, InterpolatesTheEnvironmentInAnyScalar) {
  const EnvLookup env = FakeEnv({{"HOST", "api-in21.leadsquared.com"},
                                 {"AK", "access"},
                                 {"SK", "secret"},
                                 {"BATCH", "10"},
                                 {"STATE", "/var/lib/leadsync"},
                                 {"ATTR", "mx_City"},
                                 {"LINGER", "1s"},
                                 {"COL", "id"}});
  const LoadResult result = Load(
      "leadsquared:\n  api_host: https://${HOST}\n  access_key: ${AK}\n  secret_key: x${SK}y\n"
      "  batch_size: ${BATCH}\n  linger: ${LINGER}\n"
      "queue: { path: '${STATE}/queue.db' }\n"
      "sources:\n  - { name: s, type: spool, path: /s, fields: { city: '${ATTR}' } }\n"
      "  - { name: p, type: postgres, dsn: d, query: q, cursor: [at, '${COL}'] }\n",
      env);
  ASSERT_THAT(Errors(result), ElementsAre());
  const Config& config = *result.config;
  EXPECT_EQ(config.leadsquared.api_host, "https://api-in21.leadsquared.com");
  EXPECT_EQ(config.leadsquared.access_key, "access");
  EXPECT_EQ(config.leadsquared.secret_key, "xsecrety");
  EXPECT_EQ(config.leadsquared.batch_size, 10);
  EXPECT_EQ(config.leadsquared.linger, 1s);
  EXPECT_EQ(config.queue.path, "/var/lib/leadsync/queue.db");
  EXPECT_EQ(config.sources[0].fields.at("city"), "mx_City");
  EXPECT_EQ(std::get<PostgresSettings>(config.sources[1].settings).cursor,
            (std::vector<std::string>{"at", "id"}));
}

TEST(ConfigSecrets, UnsetVariableIsReportedAtItsScalar) {
  EXPECT_THAT(Errors(Load(test_docs::LeadSquaredWith("batch_size: ${BATCH}"))),
              ElementsAre("5:15: batch_size: environment variable 'BATCH' is not set"));
  EXPECT_THAT(Errors(Load(WithSecrets("access_key: ${LSQ_ACCESS_KEY}\nsecret_key: sk"))),
              ElementsAre("3:15: access_key: environment variable 'LSQ_ACCESS_KEY' is not set"));
}

TEST(ConfigSecrets, InterpolatedValuesAreValidated) {
  EXPECT_THAT(Errors(Load(test_docs::LeadSquaredWith("batch_size: ${BATCH}"), FakeEnv({{"BATCH", "abc"}}))),
              ElementsAre("5:15: batch_size: expected an integer, got 'abc'"));
}

TEST(ConfigSecrets, FileSecretsLoseOneTrailingNewline) {
  const TempDir dir;
  WriteSecretFile(dir / "creds/ak", "access\n");
  WriteSecretFile(dir / "creds/sk", "secret\r\n");
  WriteSecretFile(dir / "creds/dsn", "host=db\n\n");
  WriteSecretFile(dir / "creds/token", "token");
  WriteFile(dir / "leadsync.yaml",
            "leadsquared:\n  api_host: https://api.leadsquared.com\n"
            "  access_key_file: creds/ak\n  secret_key_file: ${CREDENTIALS_DIRECTORY}/sk\n"
            "queue: { path: /q }\n"
            "sources:\n  - { name: p, type: postgres, dsn_file: ./creds/dsn, query: q, cursor: c }\n"
            "  - { name: w, type: webhook, listen: 'h:1', token_file: " +
                (dir / "creds/token").string() + " }\n");
  const LoadResult result =
      LoadConfig(dir / "leadsync.yaml", FakeEnv({{"CREDENTIALS_DIRECTORY", (dir / "creds").string()}}));
  ASSERT_THAT(Errors(result), ElementsAre());
  EXPECT_EQ(result.config->leadsquared.access_key, "access");
  EXPECT_EQ(result.config->leadsquared.secret_key, "secret");
  EXPECT_EQ(std::get<PostgresSettings>(result.config->sources[0].settings).dsn, "host=db\n");
  EXPECT_EQ(std::get<WebhookSettings>(result.config->sources[1].settings).token, "token");
}

TEST(ConfigSecrets, UnreadableSecretFileNamesThePathAtTheKey) {
  const TempDir dir;
  const std::string missing = (dir / "missing").string();
  EXPECT_THAT(Errors(Load(WithSecrets("access_key_file: " + missing + "\nsecret_key: sk"))),
              ElementsAre("3:3: access_key_file: cannot read '" + missing + "': No such file or directory"));
  EXPECT_THAT(Errors(Load(WithSecrets("access_key: ak\nsecret_key_file: " + dir.path().string()))),
              ElementsAre("4:3: secret_key_file: cannot read '" + dir.path().string() + "': Is a directory"));
}

// A secret file `mode` lets someone read or replace: each is refused with the chmod that fixes it.
std::vector<std::string> ModeErrors(const TempDir& dir, std::filesystem::perms mode) {
  WriteFile(dir / "secret", "s3cr3t\n");
  std::filesystem::permissions(dir / "secret", mode);
  return Errors(Load(WithSecrets("access_key_file: " + (dir / "secret").string() + "\nsecret_key: sk")));
}

TEST(ConfigSecrets, SecretFileOthersMayReadOrReplaceIsRefusedWithTheFix) {
  using std::filesystem::perms;
  const TempDir dir;
  const std::string path = (dir / "secret").string();
  const std::string fix = "; chmod 0600 " + path + ", or chmod 0640 with group leadsync";
  EXPECT_THAT(ModeErrors(dir, perms(0644)), ElementsAre("3:3: access_key_file: '" + path +
                                                        "' is readable by other users (mode 0644)" + fix));
  EXPECT_THAT(ModeErrors(dir, perms(0602)), ElementsAre("3:3: access_key_file: '" + path +
                                                        "' is writable by other users (mode 0602)" + fix));
  EXPECT_THAT(ModeErrors(dir, perms(0660)),
              ElementsAre("3:3: access_key_file: '" + path + "' is writable by its group (mode 0660)" + fix));
  EXPECT_THAT(ModeErrors(dir, perms(0601)),
              ElementsAre("3:3: access_key_file: '" + path + "' is open to other users (mode 0601)" + fix));
  for (const perms allowed : {perms(0600), perms(0400), perms(0640), perms(0440)})
    EXPECT_THAT(ModeErrors(dir, allowed), ElementsAre()) << "group read is the packaged root:leadsync 0640";
}

TEST(ConfigSecrets, EverySecretFileIsHeldToTheModeButNotTheCertificate) {
  const TempDir dir;
  WriteFile(dir / "open", "s3cr3t\n");
  std::filesystem::permissions(dir / "open", std::filesystem::perms(0644));
  const std::string open = (dir / "open").string();
  const std::string refused = ": '" + open + "' is readable by other users";
  EXPECT_THAT(Errors(Load(WithSecrets("access_key: ak\nsecret_key_file: " + open))),
              ElementsAre(HasSubstr("4:3: secret_key_file" + refused)));
  EXPECT_THAT(
      Errors(Load(test_docs::SourceWith("type: postgres\ndsn_file: " + open + "\nquery: q\ncursor: c"))),
      ElementsAre(HasSubstr("10:5: dsn_file" + refused)));
  EXPECT_THAT(Errors(Load(test_docs::SourceWith("type: webhook\nlisten: h:1\ntoken_file: " + open))),
              ElementsAre(HasSubstr("11:5: token_file" + refused)));
  EXPECT_THAT(Errors(Load(test_docs::SourceWith("type: webhook\nlisten: h:1\ntoken: t\ntls_cert_file: " +
                                                open + "\ntls_key_file: " + open))),
              ElementsAre(HasSubstr("13:5: tls_key_file" + refused)))
      << "the certificate is public; only the key is held to the mode";
}

TEST(ConfigSecrets, EmptySecretIsAnError) {
  const TempDir dir;
  WriteSecretFile(dir / "empty", "\n");
  const std::string empty = (dir / "empty").string();
  EXPECT_THAT(
      Errors(Load(WithSecrets("access_key_file: " + empty + "\nsecret_key: ''"))),
      ElementsAre("3:3: access_key_file: '" + empty + "' is empty", "4:15: secret_key: must not be empty"));
}

TEST(ConfigSecrets, InlineAndFileTogetherIsAnErrorAtTheLater) {
  EXPECT_THAT(Errors(Load(WithSecrets("access_key: ak\nsecret_key: sk\naccess_key_file: /ak"))),
              ElementsAre("5:3: give either 'access_key' or 'access_key_file', not both"));
  EXPECT_THAT(Errors(Load(WithSecrets("secret_key_file: /sk\naccess_key: ak\nsecret_key: sk"))),
              ElementsAre("5:3: give either 'secret_key' or 'secret_key_file', not both"));
}

TEST(ConfigSecrets, SecretValuesNeverAppearInErrors) {
  constexpr const char* kSecret = "s3cr3t";
  const std::vector<std::string> documents = {
      WithSecrets("access_key: [s3cr3t]\nsecret_key: sk"),
      WithSecrets("access_key: ak\nsecret_key: { s3cr3t: s3cr3t }"),
      WithSecrets("access_key: s3cr3t${\nsecret_key: s3cr3t${not a name}"),
      WithSecrets("access_key: s3cr3t\naccess_key: s3cr3t\nsecret_key: sk"),
      WithSecrets("access_key: s3cr3t\nsecret_key: s3cr3t\naccess_key_file: /nonexistent"),
      test_docs::SourceWith("type: postgres\ndsn: [s3cr3t]\nquery: q\ncursor: c\ntoken: s3cr3t"),
      test_docs::SourceWith("type: webhook\nlisten: h:1\ntoken:\n  s3cr3t: 1\ndsn: s3cr3t"),
      test_docs::SourceWith("type: spool\npath: /s\ntoken: s3cr3t\ndsn: s3cr3t\ntoken_file: /t"),
  };
  for (const std::string& yaml : documents) {
    const LoadResult result = Load(yaml);
    ASSERT_THAT(result.errors, Not(IsEmpty())) << yaml;
    for (const ConfigError& error : result.errors)
      EXPECT_THAT(error.ToString(), Not(HasSubstr(kSecret))) << yaml;
  }
}

TEST(ConfigSecrets, WrongTypeOnASecretSaysWhatWasExpected) {
  EXPECT_THAT(Errors(Load(WithSecrets("access_key: [s3cr3t]\nsecret_key: sk"))),
              ElementsAre("3:15: access_key: expected a string, got a list"));
}

}  // namespace
}  // namespace leadsync::config
