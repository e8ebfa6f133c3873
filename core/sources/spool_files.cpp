#include "core/sources/spool_files.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <stdexcept>
#include <tuple>

namespace leadsync {
namespace fs = std::filesystem;
namespace {

constexpr const char* kDoneDir = "done";

bool IsFinishedName(const std::string& name) {
  return !name.empty() && name.front() != '.' && !name.ends_with(".tmp") && name != kDoneDir;
}

std::optional<InputFormat> FormatFor(config::Format format, const fs::path& path) {
  switch (format) {
    case config::Format::kCsv:
      return InputFormat::kCsv;
    case config::Format::kJsonl:
      return InputFormat::kJsonl;
    case config::Format::kJson:
      return InputFormat::kJson;
    case config::Format::kAuto:
      break;
  }
  return FormatFromPath(path);
}

// Adds one directory entry to the listing; entries that vanish while listed
// are simply not there.
void ListEntry(const fs::directory_entry& entry, config::Format format, SpoolListing& listing) {
  std::string name = entry.path().filename().string();
  std::error_code error;
  if (!IsFinishedName(name) || !entry.is_regular_file(error)) return;
  const fs::file_time_type mtime = entry.last_write_time(error);
  if (error) return;
  const std::optional<InputFormat> input_format = FormatFor(format, entry.path());
  if (!input_format) {
    listing.unsupported.push_back(std::move(name));
    return;
  }
  listing.files.push_back({entry.path(), std::move(name), mtime, *input_format});
}

std::string Sha256Hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  constexpr std::string_view kHex = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

bool ReadAll(int fd, std::string& text) {
  std::array<char, std::size_t{64} * 1024> buffer{};
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n == 0) return true;
    if (n > 0) {
      text.append(buffer.data(), static_cast<std::size_t>(n));
    } else if (errno != EINTR) {
      return false;
    }
  }
}

// The first free name for `name` in the done directory.
fs::path FreeDoneName(const fs::path& done, const std::string& name) {
  fs::path target = done / name;
  std::error_code error;
  for (int suffix = 1; fs::exists(fs::symlink_status(target, error)); ++suffix) {
    target = done / (name + "." + std::to_string(suffix));
  }
  return target;
}

}  // namespace

SpoolListing ListSpool(const fs::path& dir, config::Format format) {
  SpoolListing listing;
  std::error_code error;
  fs::directory_iterator it(dir, error);
  for (; !error && it != fs::directory_iterator(); it.increment(error)) ListEntry(*it, format, listing);
  if (error) {
    listing.error = "cannot read directory " + dir.string() + ": " + error.message();
    return listing;
  }
  std::sort(listing.files.begin(), listing.files.end(), [](const SpoolFile& a, const SpoolFile& b) {
    return std::tie(a.mtime, a.name) < std::tie(b.mtime, b.name);
  });
  return listing;
}

void PutCommittedFirst(SpoolListing& listing, std::string_view checkpoint) {
  const std::size_t hash = checkpoint.rfind('|');
  const std::size_t size =
      hash == std::string_view::npos || hash == 0 ? hash : checkpoint.rfind('|', hash - 1);
  if (size == std::string_view::npos || size == 0) return;
  const std::string_view name = checkpoint.substr(0, size);
  std::stable_partition(listing.files.begin(), listing.files.end(),
                        [&](const SpoolFile& file) { return file.name == name; });
}

std::string PrepareSpool(const fs::path& dir, config::AfterIngest after) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (!error && after == config::AfterIngest::kMove) fs::create_directories(dir / kDoneDir, error);
  if (error) return "cannot create " + dir.string() + ": " + error.message();
  return {};
}

std::string FileIdentity(const std::string& name, std::string_view contents) {
  return name + "|" + std::to_string(contents.size()) + "|" + Sha256Hex(contents);
}

std::optional<std::string> ReadWholeFile(const fs::path& path, std::error_code& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error.assign(errno, std::generic_category());
    return std::nullopt;
  }
  std::string text;
  const bool read = ReadAll(fd, text);
  if (!read) error.assign(errno, std::generic_category());
  ::close(fd);
  if (!read) return std::nullopt;
  return text;
}

std::string RetireFile(const SpoolFile& file, const fs::path& dir, config::AfterIngest after) {
  std::error_code error;
  if (after == config::AfterIngest::kDelete) {
    fs::remove(file.path, error);
    return error ? "cannot delete " + file.name + ": " + error.message() : std::string{};
  }
  const fs::path done = dir / kDoneDir;
  fs::create_directories(done, error);
  if (!error) fs::rename(file.path, FreeDoneName(done, file.name), error);
  return error ? "cannot move " + file.name + " to " + done.string() + ": " + error.message() : std::string{};
}

}  // namespace leadsync
