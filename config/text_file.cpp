#include "config/text_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <utility>

namespace leadsync::config {
namespace {

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

TextFile Failure() { return TextFile{std::nullopt, std::strerror(errno)}; }

}  // namespace

TextFile ReadTextFile(const std::filesystem::path& path) {
  errno = 0;
  const std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) return Failure();
  std::string content;
  char buffer[8192];
  std::size_t count = 0;
  while ((count = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) content.append(buffer, count);
  // fopen succeeds on a directory; the read is what reports EISDIR.
  if (std::ferror(file.get()) != 0) return Failure();
  return TextFile{std::move(content), {}};
}

std::string_view StripOneNewline(std::string_view text) {
  if (text.ends_with("\r\n")) return text.substr(0, text.size() - 2);
  if (text.ends_with('\n')) return text.substr(0, text.size() - 1);
  return text;
}

}  // namespace leadsync::config
