#include "core/sources/tail_files.hpp"

#include <dirent.h>
#include <fcntl.h>

#include <memory>

namespace leadsync {
namespace {

struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};

std::int64_t MtimeNs(const struct stat& info) {
  return std::int64_t{info.st_mtim.tv_sec} * 1'000'000'000 + info.st_mtim.tv_nsec;
}

}  // namespace

std::optional<FoundFile> FindRotated(const std::filesystem::path& path, const Fingerprint& fingerprint,
                                     std::uint64_t min_size) {
  const std::string base = path.filename().string();
  const std::filesystem::path parent = path.has_parent_path() ? path.parent_path() : ".";
  const int fd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const std::unique_ptr<DIR, DirCloser> dir(fd < 0 ? nullptr : ::fdopendir(fd));
  if (!dir) {
    if (fd >= 0) ::close(fd);
    return std::nullopt;
  }
  std::optional<FoundFile> best;
  while (const dirent* entry = ::readdir(dir.get())) {
    const std::string name = entry->d_name;
    if (name == base || !name.starts_with(base)) continue;
    OpenRefusal refusal;
    std::optional<OpenedFile> file = OpenRegularFile(::dirfd(dir.get()), name, std::nullopt, refusal);
    if (!file || static_cast<std::uint64_t>(file->info.st_size) < min_size) continue;
    if (!Matches(file->fd.get(), fingerprint)) continue;
    if (!best || MtimeNs(file->info) > MtimeNs(best->file.info)) best = FoundFile{*std::move(file), name};
  }
  return best;
}

EndOfRecords::EndOfRecords(int fd, InputFormat format, std::size_t max_record)
    : input_(fd, 0, std::nullopt, true), splitter_(MakeSplitter(format, input_, max_record)) {
  splitter_->SetComplete(false);
}

std::optional<InputPosition> EndOfRecords::Step(std::chrono::milliseconds budget) {
  const auto deadline = std::chrono::steady_clock::now() + budget;
  RawRecord record;
  while (splitter_->Next(record) == RecordSplitter::Status::kRecord) {
    end_ = record.end;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
  }
  return end_;
}

}  // namespace leadsync
