#include "config/text_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace leadsync::config {
namespace {

// Far above any config or secret, far below what hurts to hold.
constexpr std::size_t kMaxTextFile = std::size_t{1024} * 1024;

TextFile Failure(std::string why) { return TextFile{std::nullopt, std::move(why)}; }

std::string NotRegular(mode_t mode) {
  if (S_ISFIFO(mode)) return "not a regular file (a FIFO)";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "not a regular file (a device)";
  if (S_ISDIR(mode)) return std::strerror(EISDIR);  // as read() on a directory says
  if (S_ISSOCK(mode)) return "not a regular file (a socket)";
  return "not a regular file";
}

class Descriptor final {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  [[nodiscard]] int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

TextFile ReadTextFile(const std::filesystem::path& path) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer (a hung `check`,
  // a frozen reload). Links are followed: these paths are the operator's.
  const Descriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (fd.get() < 0) return Failure(std::strerror(errno));
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return Failure(std::strerror(errno));
  if (!S_ISREG(info.st_mode)) return Failure(NotRegular(info.st_mode));
  const std::string too_large = "larger than " + std::to_string(kMaxTextFile / 1024) + " KiB";
  if (static_cast<std::uint64_t>(info.st_size) > kMaxTextFile) return Failure(too_large);
  std::string content(kMaxTextFile + 1, '\0');
  std::size_t size = 0;
  while (size < content.size()) {
    const ssize_t n = ::read(fd.get(), content.data() + size, content.size() - size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Failure(std::strerror(errno));
    if (n == 0) break;
    size += static_cast<std::size_t>(n);
  }
  if (size > kMaxTextFile) return Failure(too_large);  // it grew while read
  content.resize(size);
  return TextFile{std::move(content), {}, static_cast<unsigned>(info.st_mode & 07777)};
}

std::string_view StripOneNewline(std::string_view text) {
  if (text.ends_with("\r\n")) return text.substr(0, text.size() - 2);
  if (text.ends_with('\n')) return text.substr(0, text.size() - 1);
  return text;
}

}  // namespace leadsync::config
