// The Markdown of the repository links only inside it: every relative link
// of every .md file resolves to a file of the source tree (and its #anchor
// to a heading there), nothing points at the team's shared folder, the pages
// of docs/ link only to what the package installs beside them, and the
// index, docs/README.md, lists every page.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "tests/docs/markdown.hpp"

namespace leadsync::testing {
namespace {

namespace fs = std::filesystem;
namespace md = markdown;

const fs::path kRoot = fs::weakly_canonical(LEADSYNC_SOURCE_DIR);

// Every .md file of the source tree, from its root; hidden directories and
// build trees (a CMakeCache.txt at their top) are not part of it.
std::vector<fs::path> MarkdownFiles() {
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(kRoot); it != fs::recursive_directory_iterator(); ++it) {
    const fs::path& path = it->path();
    if (it->is_directory() &&
        (path.filename().string().starts_with(".") || fs::exists(path / "CMakeCache.txt"))) {
      it.disable_recursion_pending();
    } else if (it->is_regular_file() && path.extension() == ".md") {
      files.push_back(fs::relative(path, kRoot));
    }
  }
  return files;
}

bool IsExternal(const std::string& target) {
  return target.find("://") != std::string::npos || target.starts_with("mailto:");
}

struct Resolved {
  fs::path file;       // from the root; empty for a link to the same file's anchor
  std::string anchor;  // without '#'
};

Resolved Resolve(const fs::path& from, const std::string& target) {
  const std::size_t hash = target.find('#');
  Resolved out{{}, hash == std::string::npos ? "" : target.substr(hash + 1)};
  const std::string path = target.substr(0, hash);
  if (!path.empty()) out.file = (from.parent_path() / path).lexically_normal();
  return out;
}

TEST(DocLinks, TheTreeHasItsDocs) {
  const std::vector<fs::path> files = MarkdownFiles();
  for (const char* page :
       {"README.md", "CHANGELOG.md", "docs/README.md", "docs/configuration.md", "docs/architecture.md"}) {
    EXPECT_NE(std::ranges::find(files, fs::path(page)), files.end()) << page;
  }
  EXPECT_TRUE(fs::exists(kRoot / "LICENSE"));
}

TEST(DocLinks, EveryRelativeLinkResolvesInsideTheRepository) {
  for (const fs::path& file : MarkdownFiles()) {
    const std::string text = md::ReadSource(file.string());
    for (const md::Link& link : md::Links(text)) {
      if (IsExternal(link.target)) continue;
      const std::string where = file.string() + ":" + std::to_string(link.line) + ": " + link.target;
      const Resolved resolved = Resolve(file, link.target);
      const fs::path target = resolved.file.empty() ? file : resolved.file;
      const bool inside = !target.empty() && !target.is_absolute() && *target.begin() != "..";
      EXPECT_TRUE(inside) << where << " points outside the repository";
      if (!inside) continue;
      EXPECT_TRUE(fs::exists(kRoot / target)) << where << " points at a missing file";
      if (resolved.anchor.empty() || target.extension() != ".md" || !fs::exists(kRoot / target)) continue;
      EXPECT_TRUE(md::Anchors(md::ReadSource(target.string())).contains(resolved.anchor))
          << where << ": no heading with that anchor in " << target.string();
    }
  }
}

TEST(DocLinks, NothingPointsAtTheSharedFolder) {
  for (const fs::path& file : MarkdownFiles()) {
    const std::string text = md::ReadSource(file.string());
    EXPECT_EQ(text.find("../shared"), std::string::npos) << file.string();
    EXPECT_EQ(text.find("DESIGN.md"), std::string::npos) << file.string();
  }
}

// The package installs README.md, CHANGELOG.md, BENCHMARKS.md and LICENSE in
// /usr/share/doc/leadsync and the pages in its docs/: links among them keep
// working there, and a page links to nothing else of the tree.
TEST(DocLinks, PagesLinkOnlyToWhatThePackageInstalls) {
  for (const fs::path& file : MarkdownFiles()) {
    if (file.parent_path() != "docs") continue;
    for (const md::Link& link : md::Links(md::ReadSource(file.string()))) {
      if (IsExternal(link.target)) continue;
      const fs::path target = Resolve(file, link.target).file;
      const bool installed = target.empty() || target == "README.md" || target == "CHANGELOG.md" ||
                             target == "BENCHMARKS.md" || target == "LICENSE" ||
                             (target.parent_path() == "docs" && target.extension() == ".md");
      EXPECT_TRUE(installed) << file.string() << ":" << link.line << ": " << link.target
                             << " is not installed with the docs";
    }
  }
}

TEST(DocLinks, TheIndexListsEveryPage) {
  std::set<fs::path> linked;
  for (const md::Link& link : md::Links(md::ReadSource("docs/README.md"))) {
    if (!IsExternal(link.target)) linked.insert(Resolve("docs/README.md", link.target).file);
  }
  for (const fs::path& file : MarkdownFiles()) {
    if (file.parent_path() == "docs" && file != "docs/README.md") {
      EXPECT_TRUE(linked.contains(file)) << "docs/README.md does not link " << file.string();
    }
  }
  std::set<fs::path> from_readme;
  for (const md::Link& link : md::Links(md::ReadSource("README.md"))) {
    if (!IsExternal(link.target)) from_readme.insert(Resolve("README.md", link.target).file);
  }
  EXPECT_TRUE(from_readme.contains("docs/README.md")) << "README.md does not link the docs index";
}

}  // namespace
}  // namespace leadsync::testing
