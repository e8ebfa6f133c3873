#include "core/sources/regular_file.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>

namespace leadsync {
namespace {

constexpr int kOpenFlags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;

std::optional<OpenedFile> Refuse(OpenRefusal& refusal, OpenRefusal::Kind kind, std::string reason) {
  refusal = OpenRefusal{kind, std::move(reason)};
  return std::nullopt;
}

std::optional<OpenedFile> OpenFailed(OpenRefusal& refusal, int error) {
  if (error == ENOENT) return Refuse(refusal, OpenRefusal::Kind::kVanished, std::strerror(error));
  // O_NOFOLLOW on a link, and open() on a socket.
  if (error == ELOOP) return Refuse(refusal, OpenRefusal::Kind::kRefused, "a symbolic link");
  if (error == ENXIO) return Refuse(refusal, OpenRefusal::Kind::kRefused, "a socket");
  return Refuse(refusal, OpenRefusal::Kind::kFailed, std::strerror(error));
}

// Refuses what `info` says is not a regular file within the cap.
bool Acceptable(const struct stat& info, std::optional<std::uint64_t> max_size, OpenRefusal& refusal) {
  std::string what = DescribeNonRegular(info.st_mode);
  if (what.empty()) {
    if (auto over = CheckSize(static_cast<std::uint64_t>(info.st_size), max_size)) what = *std::move(over);
  }
  if (what.empty()) return true;
  refusal = OpenRefusal{OpenRefusal::Kind::kRefused, std::move(what)};
  return false;
}

struct DigestDeleter {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

std::string Hex(const unsigned char* bytes, unsigned int size, std::size_t digits) {
  constexpr std::string_view kHex = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size && hex.size() < digits; ++i) {
    hex += kHex[bytes[i] >> 4];
    hex += kHex[bytes[i] & 0xf];
  }
  return hex.substr(0, digits);
}

}  // namespace

std::string DescribeNonRegular(mode_t mode) {
  if (S_ISREG(mode)) return {};
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

std::optional<std::string> CheckSize(std::uint64_t size, std::optional<std::uint64_t> max_size) {
  if (!max_size || size <= *max_size) return std::nullopt;
  return std::to_string(size) + " bytes, over max_file_size (" + std::to_string(*max_size) + ")";
}

std::optional<OpenedFile> OpenRegularFile(int dir_fd, const std::string& name,
                                          std::optional<std::uint64_t> max_size, OpenRefusal& refusal) {
  struct stat entry {};
  if (::fstatat(dir_fd, name.c_str(), &entry, AT_SYMLINK_NOFOLLOW) != 0) return OpenFailed(refusal, errno);
  if (!Acceptable(entry, max_size, refusal)) return std::nullopt;
  OpenedFile file;
  int fd = -1;
  do {
    fd = ::openat(dir_fd, name.c_str(), kOpenFlags);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return OpenFailed(refusal, errno);
  file.fd = UniqueFd(fd);
  if (::fstat(fd, &file.info) != 0) return OpenFailed(refusal, errno);
  if (!Acceptable(file.info, max_size, refusal)) return std::nullopt;
  return file;
}

std::optional<std::string> HashPrefix(int fd, std::uint64_t length, std::size_t hex_digits) {
  const std::unique_ptr<EVP_MD_CTX, DigestDeleter> context(EVP_MD_CTX_new());
  if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1) return std::nullopt;
  std::array<char, std::size_t{64} * 1024> block{};
  for (std::uint64_t done = 0; done < length;) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(block.size(), length - done));
    const ssize_t n = ::pread(fd, block.data(), want, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    if (EVP_DigestUpdate(context.get(), block.data(), static_cast<std::size_t>(n)) != 1) return std::nullopt;
    done += static_cast<std::uint64_t>(n);
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(context.get(), digest.data(), &size) != 1) return std::nullopt;
  return Hex(digest.data(), size, hex_digits);
}

}  // namespace leadsync
