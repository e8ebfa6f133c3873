// What a PostgreSQL DSN says about TLS, and the warning `check` gives for an
// sslmode that a server on the path can downgrade or spoof.
#include "config/dsn_tls.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/config/config_test_util.hpp"
#include "tests/support/temp_dir.hpp"

namespace leadsync::config {
namespace {

using test_docs::Errors;
using test_docs::Load;
using test_docs::SourceWith;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kPassword = "s3cr3t-pw";

std::vector<std::string> Warnings(const LoadResult& result) {
  EXPECT_THAT(Errors(result), ElementsAre());
  std::vector<std::string> out;
  for (const ConfigError& w : result.warnings) {
    out.push_back(std::to_string(w.line) + ":" + std::to_string(w.column) + ": " + w.message);
  }
  return out;
}

std::vector<std::string> DsnWarnings(const std::string& dsn) {
  return Warnings(Load(SourceWith("type: postgres\ndsn: '" + dsn + "'\nquery: q\ncursor: c")));
}

TEST(DsnTls, ReadsBothFormsWithLibpq) {
  EXPECT_EQ(ReadDsnTls("host=db sslmode=require").sslmode, "require");
  EXPECT_EQ(ReadDsnTls("postgresql://u:pw@db/crm?sslmode=verify-ca").sslmode, "verify-ca");
  EXPECT_EQ(ReadDsnTls("host=db dbname='sslmode=disable'").sslmode, "") << "a value, not the key";
  EXPECT_TRUE(ReadDsnTls("host=db").parsed);
  EXPECT_FALSE(ReadDsnTls("host=db no_such_key=1").parsed);
}

TEST(DsnTls, KnowsWhichHostsAreUnixSockets) {
  EXPECT_TRUE(ReadDsnTls("host=/var/run/postgresql").socket_only);
  EXPECT_TRUE(ReadDsnTls("postgresql://%2Fvar%2Frun%2Fpostgresql/crm").socket_only);
  EXPECT_TRUE(ReadDsnTls("dbname=crm").socket_only) << "no host: libpq's default socket";
  EXPECT_TRUE(ReadDsnTls("host=/run/a,@abstract").socket_only);
  EXPECT_FALSE(ReadDsnTls("host=/run/a,db.example").socket_only);
  EXPECT_FALSE(ReadDsnTls("host=/run/a hostaddr=10.0.0.5").socket_only);
  EXPECT_FALSE(ReadDsnTls("postgresql://db.example/crm").socket_only);
}

TEST(DsnTls, EveryModeBelowVerifyFullIsWeak) {
  for (const char* mode : {"disable", "allow", "prefer", "require", "verify-ca"}) {
    const std::optional<std::string> warning = WeakTlsWarning(std::string("host=db sslmode=") + mode);
    ASSERT_TRUE(warning.has_value()) << mode;
    EXPECT_THAT(*warning, HasSubstr(std::string("sslmode=") + mode + " ")) << *warning;
  }
  EXPECT_EQ(WeakTlsWarning("host=db sslmode=verify-full"), std::nullopt);
  EXPECT_EQ(WeakTlsWarning("host=db"), std::nullopt) << "leadsync's default is verify-full";
  EXPECT_EQ(WeakTlsWarning("host=/run/postgresql sslmode=disable"), std::nullopt) << "TLS never applies";
  EXPECT_EQ(WeakTlsWarning("host=db sslmode=bogus"), std::nullopt) << "libpq refuses it at connect";
}

TEST(ConfigWarnings, WeakSslModeInTheDsnIsAWarningThatNeverQuotesIt) {
  EXPECT_THAT(DsnWarnings(std::string("host=db password=") + kPassword), ElementsAre());
  EXPECT_THAT(DsnWarnings(std::string("host=db password=") + kPassword + " sslmode=verify-full"),
              ElementsAre());
  const std::vector<std::string> warnings =
      DsnWarnings(std::string("postgresql://crm:") + kPassword + "@db.example/crm?sslmode=prefer");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "10:10: dsn: sslmode=prefer lets anyone on the path refuse TLS and read the password in clear "
            "(leave sslmode out for verify-full, with sslrootcert= naming the server's CA)");
  EXPECT_THAT(warnings[0], ::testing::Not(HasSubstr(kPassword)));
}

TEST(ConfigWarnings, WeakSslModeInADsnFileIsAWarningAtTheKey) {
  const testing::TempDir dir;
  const std::string file = (dir / "crm.dsn").string();
  testing::WriteFile(file, std::string("host=db sslmode=require password=") + kPassword + "\n");
  ASSERT_EQ(chmod(file.c_str(), 0600), 0);
  const std::vector<std::string> warnings =
      Warnings(Load(SourceWith("type: postgres\ndsn_file: " + file + "\nquery: q\ncursor: c")));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_THAT(warnings[0],
              HasSubstr("10:15: dsn_file: sslmode=require does not check the server's certificate"));
  EXPECT_THAT(warnings[0], ::testing::Not(HasSubstr(kPassword)));
}

}  // namespace
}  // namespace leadsync::config
