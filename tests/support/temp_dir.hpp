#pragma once

#include <filesystem>
#include <string>

namespace leadsync::testing {

// A fresh directory under the system temp dir, removed with its contents
// when the object goes away.
class TempDir final {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Writes `text` to `path` (creating parent directories).
void WriteFile(const std::filesystem::path& path, const std::string& text);
// WriteFile with mode 0600, as leadsync requires of a secret file (*_file keys).
void WriteSecretFile(const std::filesystem::path& path, const std::string& text);
[[nodiscard]] std::string ReadFile(const std::filesystem::path& path);

// Writes `name`.tmp in `dir` and renames it into place, as spool writers must.
void DropFile(const std::filesystem::path& dir, const std::string& name, const std::string& text);

}  // namespace leadsync::testing
