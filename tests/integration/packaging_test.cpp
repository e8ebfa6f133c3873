// The Debian package that `cpack -G DEB` makes from the build tree: its
// layout, that the daemon runs from it, its control fields and that Depends
// covers every library the binary links.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdlib>
#include <regex>
#include <set>
#include <sstream>

#include "tests/support/stack.hpp"

namespace leadsync::testing {
namespace {

namespace fs = std::filesystem;

// The absolute path of `name` on $PATH, or "".
std::string FindProgram(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(std::string(path != nullptr ? path : "") + ":/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const fs::path candidate = fs::path(dir) / name;
    if (!dir.empty() && access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "";
}

// Run() to completion; inside a TEST the name Run is testing::Test's.
RunResult Exec(const std::vector<std::string>& argv) { return Run(argv); }

// <build>/daemon/leadsync -> <build>, where CPackConfig.cmake is.
fs::path BuildDir() { return fs::path(LEADSYNC_BINARY).parent_path().parent_path(); }

// Package names in a Depends-style field, without versions or alternatives' bars.
std::set<std::string> PackageNames(const std::string& field) {
  std::set<std::string> names;
  const std::regex name(R"((?:^|[,|])\s*([a-z0-9][a-z0-9+.-]+))");
  for (auto it = std::sregex_iterator(field.begin(), field.end(), name); it != std::sregex_iterator(); ++it) {
    names.insert((*it)[1].str());
  }
  return names;
}

// The sonames the binary needs (DT_NEEDED).
std::vector<std::string> NeededLibraries(const std::string& readelf, const std::string& binary) {
  const RunResult r = Run({readelf, "-d", "--wide", binary});
  std::vector<std::string> sonames;
  const std::regex needed(R"(\(NEEDED\)\s+Shared library: \[([^\]]+)\])");
  for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), needed); it != std::sregex_iterator();
       ++it) {
    sonames.push_back((*it)[1].str());
  }
  return sonames;
}

// The installed packages holding a file named `soname`, without ":arch",
// and the virtual packages they provide (libspdlog1.10 provides the
// libspdlog1.10-fmt9 that its shlibs file names).
std::set<std::string> OwningPackages(const std::string& soname) {
  const RunResult r = Run({FindProgram("dpkg-query"), "-S", "*/" + soname});
  std::set<std::string> packages;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream owners(line.substr(0, line.find(": ")));
    for (std::string owner; std::getline(owners, owner, ',');) {
      owner.erase(0, owner.find_first_not_of(' '));
      const std::string package = owner.substr(0, owner.find(':'));
      packages.insert(package);
      const RunResult provides = Run({FindProgram("dpkg-query"), "-W", "-f=${Provides}", package});
      packages.merge(PackageNames(provides.out));
    }
  }
  return packages;
}

bool HasPrefix(const std::set<std::string>& names, const std::string& prefix) {
  for (const auto& n : names) {
    if (n.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

// cpack first builds the "preinstall" target in the build tree, and two
// ninja runs in one tree at once are unsafe; ctest runs tests in parallel.
class BuildTreeLock final {
 public:
  explicit BuildTreeLock(const fs::path& file) : fd_(open(file.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644)) {
    if (fd_ >= 0) flock(fd_, LOCK_EX);
  }
  ~BuildTreeLock() {
    if (fd_ >= 0) close(fd_);
  }
  BuildTreeLock(const BuildTreeLock&) = delete;
  BuildTreeLock& operator=(const BuildTreeLock&) = delete;

 private:
  int fd_;
};

class Packaging : public ::testing::Test {
 protected:
  // Builds the .deb (cpack installs from the existing build, a few seconds)
  // and unpacks it and its control files.
  void SetUp() override {
    for (const char* tool : {"cpack", "dpkg-deb", "dpkg-query", "dpkg-shlibdeps", "readelf"}) {
      ASSERT_FALSE(FindProgram(tool).empty()) << tool << " not found; scripts/setup installs it";
    }
    BuildTreeLock lock(BuildDir() / "packaging_test.lock");
    const RunResult cpack = Exec({FindProgram("cpack"), "-G", "DEB", "-B", (dir_ / "out").string(),
                                  "--config", (BuildDir() / "CPackConfig.cmake").string()});
    ASSERT_EQ(cpack.exit_code, 0) << cpack.out << cpack.err;
    for (const auto& entry : fs::directory_iterator(dir_ / "out")) {
      if (entry.path().extension() == ".deb") deb_ = entry.path();
    }
    ASSERT_FALSE(deb_.empty()) << cpack.out;
    const std::string dpkg_deb = FindProgram("dpkg-deb");
    ASSERT_EQ(Exec({dpkg_deb, "-x", deb_.string(), root_.string()}).exit_code, 0);
    ASSERT_EQ(Exec({dpkg_deb, "-e", deb_.string(), control_.string()}).exit_code, 0);
  }

  [[nodiscard]] std::string Field(const std::string& name) const {
    RunResult r = Exec({FindProgram("dpkg-deb"), "-f", deb_.string(), name});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    while (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
    return r.out;
  }

  TempDir dir_;
  fs::path root_ = dir_ / "root";
  fs::path control_ = dir_ / "control";
  fs::path deb_;
};

TEST_F(Packaging, DebInstallsTheDaemonUnitSystemdEntriesAndExampleConfig) {
  const fs::path bin = root_ / "usr/bin/leadsync";
  ASSERT_EQ(access(bin.c_str(), X_OK), 0) << bin;
  const RunResult version = Exec({bin.string(), "--version"});
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_NE(version.out.find(LEADSYNC_VERSION), std::string::npos) << version.out;

  const fs::path source(LEADSYNC_SOURCE_DIR);
  EXPECT_EQ(ReadFile(root_ / "usr/lib/systemd/system/leadsync.service"),
            ReadFile(source / "systemd/leadsync.service"));
  EXPECT_EQ(ReadFile(root_ / "usr/lib/sysusers.d/leadsync.conf"),
            ReadFile(source / "systemd/leadsync.sysusers"));
  EXPECT_EQ(ReadFile(root_ / "usr/lib/tmpfiles.d/leadsync.conf"),
            ReadFile(source / "systemd/leadsync.tmpfiles"));
  const std::string example = ReadFile(source / "config/leadsync.example.yaml");
  EXPECT_EQ(ReadFile(root_ / "usr/share/leadsync/leadsync.example.yaml"), example);
  EXPECT_EQ(ReadFile(root_ / "usr/share/doc/leadsync/examples/leadsync.example.yaml"), example);

  // The packaged binary accepts the packaged example.
  const RunResult check =
      Exec({bin.string(), "check", "-c", (root_ / "usr/share/leadsync/leadsync.example.yaml").string()});
  EXPECT_EQ(check.exit_code, 0) << check.err;

  // Optional assets travel when the tree has them.
  if (fs::exists(source / "config/monitoring")) {
    for (const auto& entry : fs::recursive_directory_iterator(source / "config/monitoring")) {
      if (!entry.is_regular_file()) continue;
      const fs::path relative = fs::relative(entry.path(), source / "config/monitoring");
      EXPECT_TRUE(fs::exists(root_ / "usr/share/leadsync/monitoring" / relative)) << relative;
    }
  }

  // The generated reference: the man pages and the bash completion, as the build made them.
  for (const auto& [installed, built] :
       {std::pair{"usr/share/man/man1/leadsync.1", "leadsync.1"},
        std::pair{"usr/share/man/man5/leadsync.yaml.5", "leadsync.yaml.5"},
        std::pair{"usr/share/bash-completion/completions/leadsync", "leadsync.bash-completion"}}) {
    ASSERT_TRUE(fs::is_regular_file(root_ / installed)) << installed;
    EXPECT_EQ(ReadFile(root_ / installed), ReadFile(BuildDir() / built)) << installed;
  }

  // The maintainer scripts create the user and the spool directory.
  ASSERT_EQ(access((control_ / "postinst").c_str(), X_OK), 0);
  const std::string postinst = ReadFile(control_ / "postinst");
  EXPECT_NE(postinst.find("systemd-sysusers"), std::string::npos) << postinst;
  EXPECT_NE(postinst.find("systemd-tmpfiles --create"), std::string::npos) << postinst;
}

// The documentation travels as laid out in the tree, so that its relative
// links hold, and the unit's Documentation= points at files the package has.
TEST_F(Packaging, DebInstallsTheDocsWhereTheUnitPointsAtThem) {
  const fs::path source(LEADSYNC_SOURCE_DIR);
  const fs::path doc = root_ / "usr/share/doc/leadsync";
  for (const char* file : {"README.md", "CHANGELOG.md", "BENCHMARKS.md", "LICENSE"}) {
    ASSERT_TRUE(fs::exists(doc / file)) << file;
    EXPECT_EQ(ReadFile(doc / file), ReadFile(source / file)) << file;
  }
  int pages = 0;
  for (const auto& entry : fs::directory_iterator(source / "docs")) {
    if (entry.path().extension() != ".md") continue;
    ++pages;
    const fs::path installed = doc / "docs" / entry.path().filename();
    ASSERT_TRUE(fs::exists(installed)) << installed;
    EXPECT_EQ(ReadFile(installed), ReadFile(entry.path())) << installed;
  }
  EXPECT_GE(pages, 8);

  const std::string unit = ReadFile(root_ / "usr/lib/systemd/system/leadsync.service");
  const std::regex uri(R"(file://(/\S+))");
  int documented = 0;
  std::istringstream lines(unit);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("Documentation=")) continue;
    for (auto it = std::sregex_iterator(line.begin(), line.end(), uri); it != std::sregex_iterator(); ++it) {
      ++documented;
      EXPECT_TRUE(fs::is_regular_file(root_ / (*it)[1].str().substr(1))) << "Documentation= " << (*it)[1];
    }
  }
  EXPECT_GE(documented, 1) << "the unit has no file:// Documentation=";
}

TEST_F(Packaging, DebControlFieldsAndDependsOnEveryLinkedLibrary) {
  EXPECT_EQ(Field("Package"), "leadsync");
  EXPECT_EQ(Field("Version"), LEADSYNC_VERSION);
  EXPECT_EQ(Field("Section"), "net");
  EXPECT_EQ(Field("Maintainer"), "leadsync developers <leadsync@example.invalid>");
  EXPECT_EQ(Field("Recommends"), "systemd");

  const std::string depends_field = Field("Depends");
  const std::set<std::string> depends = PackageNames(depends_field);
  for (const char* library : {"libc6", "libstdc++6", "libssl", "libsqlite3", "libyaml-cpp", "libspdlog",
                              "libsystemd", "libcctz", "libphonenumber"}) {
    EXPECT_TRUE(HasPrefix(depends, library)) << library << " missing from Depends: " << depends_field;
  }
  // The unit's ExecReload= runs /bin/kill; the mapping's time zones are tzdata's files.
  EXPECT_TRUE(depends.contains("procps")) << depends_field;
  EXPECT_TRUE(depends.contains("tzdata")) << depends_field;
  // Whatever else the binary links (libpq once it is used, say) is covered
  // too: each soname's owning package is in Depends.
  const auto sonames = NeededLibraries(FindProgram("readelf"), LEADSYNC_BINARY);
  ASSERT_FALSE(sonames.empty());
  for (const auto& soname : sonames) {
    const std::set<std::string> owners = OwningPackages(soname);
    if (owners.empty())
      continue;  // not from a Debian package (a sanitizer runtime in a custom toolchain, say)
    bool covered = false;
    for (const auto& owner : owners) covered = covered || depends.contains(owner);
    EXPECT_TRUE(covered) << soname << " (package " << *owners.begin()
                         << ") missing from Depends: " << depends_field;
  }
}

}  // namespace
}  // namespace leadsync::testing
