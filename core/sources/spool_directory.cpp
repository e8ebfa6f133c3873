#include "core/sources/spool_directory.hpp"

#include <fcntl.h>
#include <linux/limits.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "core/sources/regular_file.hpp"
#include "core/sources/spool_permissions.hpp"

namespace leadsync {
namespace {

constexpr const char* kDone = "done";
constexpr const char* kFallbackPrefix = ".done.";
constexpr int kNumberedAttempts = 1000;
// A done/ that fails the checks may be a writer's trap (its owner could read
// or delete what is moved there): it is never used, and the operator is told
// the fix.
constexpr const char* kRefusedDone =
    ": not used for ingested files, and the source ingests nothing until it is fixed: move it away (the "
    "source then creates its own, mode 0700) or, if you made it, give it to the daemon's user with mode 0700";

std::string Hex64(std::uint64_t value) {
  constexpr std::string_view kHex = "0123456789abcdef";
  std::string hex(16, '0');
  for (int i = 15; i >= 0; --i, value >>= 4) hex[static_cast<std::size_t>(i)] = kHex[value & 0xf];
  return hex;
}

// FNV-1a: stable across runs, enough to tell long names apart.
std::uint64_t NameHash(std::string_view name) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

// Renames `name` in `from` to the first free RetiredName(base, n) in `to`;
// 0 or the errno of the failure.
int MoveAside(int from, const std::string& name, int to, const std::string& base) {
  for (int attempt = 0; attempt < kNumberedAttempts; ++attempt) {
    const std::string target = RetiredName(base, attempt);
    if (::renameat2(from, name.c_str(), to, target.c_str(), RENAME_NOREPLACE) == 0) return 0;
    if (errno == EINVAL) {
      // A file system without RENAME_NOREPLACE: look first, then rename.
      struct stat taken {};
      if (::fstatat(to, target.c_str(), &taken, AT_SYMLINK_NOFOLLOW) == 0) continue;
      if (::renameat(from, name.c_str(), to, target.c_str()) == 0) return 0;
    }
    if (errno != EEXIST && errno != ENOTEMPTY && errno != EISDIR) return errno;
  }
  return EEXIST;
}

}  // namespace

std::string RetiredName(const std::string& name, int attempt) {
  const std::string number = attempt == 0 ? "" : "." + std::to_string(attempt);
  if (name.size() + number.size() <= NAME_MAX) return name + number;
  const std::string suffix = "~" + Hex64(NameHash(name)) + number;
  std::size_t keep = NAME_MAX - suffix.size();
  // Not in the middle of a UTF-8 sequence (continuation bytes are 10xxxxxx).
  while (keep > 0 && (static_cast<unsigned char>(name[keep]) & 0xC0) == 0x80) --keep;
  return name.substr(0, keep) + suffix;
}

std::optional<std::string> SpoolDirectory::Open(const std::filesystem::path& path, AfterIngest after,
                                                bool create) {
  Close();
  path_ = path;
  std::error_code error;
  if (create) std::filesystem::create_directories(path, error);
  if (error) return "cannot create " + path.string() + ": " + error.message();
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return "cannot open " + path.string() + ": " + std::strerror(errno);
  dir_ = UniqueFd(fd);
  if (::fstat(dir_.get(), &dir_info_) != 0) {
    return "cannot open " + path.string() + ": " + std::strerror(errno);
  }
  std::string refused = after == AfterIngest::kMove ? OpenDone() : std::string();
  if (refused.empty()) return std::nullopt;
  Close();
  return refused;
}

void SpoolDirectory::Close() {
  dir_.Reset();
  done_.Reset();
  done_problem_.clear();
}

std::string SpoolDirectory::OpenDone() {
  const std::string done = (path_ / kDone).string();
  // 0700 whatever the umask or the spool's setgid group: nobody else may
  // list what was ingested.
  if (::mkdirat(dir_.get(), kDone, 0700) != 0 && errno != EEXIST) {
    return done + " cannot be created: " + std::strerror(errno);
  }
  const int fd = ::openat(dir_.get(), kDone, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    const int why = errno;
    struct stat entry {};
    if ((why != ELOOP && why != ENOTDIR) || ::fstatat(dir_.get(), kDone, &entry, AT_SYMLINK_NOFOLLOW) != 0) {
      return done + " cannot be opened: " + std::strerror(why);
    }
    return done + (S_ISLNK(entry.st_mode) ? " is a symbolic link" : " is not a directory") + kRefusedDone;
  }
  done_ = UniqueFd(fd);
  if (::fstat(done_.get(), &done_info_) != 0) return done + " cannot be opened: " + std::strerror(errno);
  if (std::string unsafe = UnsafeDone(done_info_, dir_info_, ::geteuid()); !unsafe.empty()) {
    return done + " " + unsafe + kRefusedDone;
  }
  return {};
}

std::string SpoolDirectory::CheckDone() {
  struct stat now {};
  if (::fstatat(dir_.get(), kDone, &now, AT_SYMLINK_NOFOLLOW) == 0 && SameFile(now, done_info_)) return {};
  return (path_ / kDone).string() +
         " was replaced after the source opened it: ingested files still go to the directory it opened";
}

RetireResult SpoolDirectory::Retire(const std::string& name, const struct stat& opened, AfterIngest after) {
  struct stat now {};
  if (::fstatat(dir_.get(), name.c_str(), &now, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return {};  // removed by someone else: nothing left to retire
    return {"cannot retire " + name + ": " + std::strerror(errno), {}};
  }
  if (!SameFile(now, opened)) return {};  // a new file under the same name: it will be ingested
  if (after == AfterIngest::kDelete) {
    if (::unlinkat(dir_.get(), name.c_str(), 0) == 0) return {};
    return {"cannot delete " + name + ": " + std::strerror(errno), {}};
  }
  RetireResult result;
  if (done_.valid()) {
    result.notice = CheckDone();
    const int error = MoveAside(dir_.get(), name, done_.get(), name);
    if (error == 0) return result;
    done_problem_ = (path_ / kDone).string() + " cannot take files: " + std::strerror(error);
    done_.Reset();
  }
  result.notice = done_problem_ + ": ingested files are renamed to " + kFallbackPrefix + "NAME in " +
                  path_.string() + " instead";
  if (const int error = MoveAside(dir_.get(), name, dir_.get(), kFallbackPrefix + name); error != 0) {
    result.error = "cannot retire " + name + ": " + std::strerror(error);
  }
  return result;
}

}  // namespace leadsync
