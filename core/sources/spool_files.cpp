#include "core/sources/spool_files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <tuple>

#include "core/sources/regular_file.hpp"
#include "core/sources/spool_checkpoint.hpp"

namespace leadsync {
namespace {

constexpr const char* kDoneDir = "done";

bool IsFinishedName(const std::string& name) {
  return !name.empty() && name.front() != '.' && !name.ends_with(".tmp") && name != kDoneDir;
}

struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};

// Adds one entry to the listing; entries that vanish while listed are
// simply not there.
void ListEntry(int dir_fd, std::string name, std::optional<InputFormat> format, std::uint64_t max_file_size,
               SpoolListing& listing) {
  struct stat info {};
  if (!IsFinishedName(name) || ::fstatat(dir_fd, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) return;
  std::string refusal = DescribeNonRegular(info.st_mode);
  if (refusal.empty())
    refusal = CheckSize(static_cast<std::uint64_t>(info.st_size), max_file_size).value_or("");
  if (!refusal.empty()) {
    listing.refused.push_back({std::move(name), std::move(refusal)});
    return;
  }
  const std::optional<InputFormat> input_format =
      format ? format : FormatFromPath(std::filesystem::path(name));
  if (!input_format) {
    listing.unsupported.push_back(std::move(name));
    return;
  }
  const std::int64_t mtime_ns = std::int64_t{info.st_mtim.tv_sec} * 1'000'000'000 + info.st_mtim.tv_nsec;
  listing.files.push_back({std::move(name), mtime_ns, *input_format});
}

}  // namespace

SpoolListing ListSpool(int dir_fd, std::optional<InputFormat> format, std::uint64_t max_file_size) {
  SpoolListing listing;
  // A descriptor of its own: closedir() closes it, and readdir() keeps a position.
  const int fd = ::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const std::unique_ptr<DIR, DirCloser> dir(fd < 0 ? nullptr : ::fdopendir(fd));
  if (!dir) {
    listing.error = std::string("cannot read the directory: ") + std::strerror(errno);
    if (fd >= 0) ::close(fd);
    return listing;
  }
  errno = 0;
  while (const dirent* entry = ::readdir(dir.get())) {
    ListEntry(dir_fd, entry->d_name, format, max_file_size, listing);
    errno = 0;
  }
  if (errno != 0) {
    listing.error = std::string("cannot read the directory: ") + std::strerror(errno);
    return listing;
  }
  std::sort(listing.files.begin(), listing.files.end(), [](const SpoolFile& a, const SpoolFile& b) {
    return std::tie(a.mtime_ns, a.name) < std::tie(b.mtime_ns, b.name);
  });
  return listing;
}

void PutCommittedFirst(SpoolListing& listing, std::string_view checkpoint) {
  const std::string name = CheckpointFileName(checkpoint);
  if (name.empty()) return;
  std::stable_partition(listing.files.begin(), listing.files.end(),
                        [&](const SpoolFile& file) { return file.name == name; });
}

}  // namespace leadsync
