#include "tests/support/temp_dir.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace leadsync::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "leadsync-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

void WriteSecretFile(const std::filesystem::path& path, const std::string& text) {
  WriteFile(path, text);
  std::filesystem::permissions(path,
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void DropFile(const std::filesystem::path& dir, const std::string& name, const std::string& text) {
  const std::filesystem::path tmp = dir / (name + ".tmp");
  WriteFile(tmp, text);
  std::filesystem::rename(tmp, dir / name);
}

}  // namespace leadsync::testing
