#pragma once

#include <sys/stat.h>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include "core/sources/spool_options.hpp"
#include "core/sources/unique_fd.hpp"

namespace leadsync {

// What retiring a file did: `error` when the file stays where it is,
// `notice` for something the operator should see once (done/ unusable).
struct RetireResult {
  std::string error;
  std::string notice;
};

// A spool directory and its done/ directory, each opened once, so that
// files are listed, opened and retired relative to descriptors: what a
// writer renames or replaces afterwards cannot redirect them.
//
// done/ is created by the source (mode 0700) when missing, then opened with
// O_DIRECTORY|O_NOFOLLOW and checked through the descriptor: it must belong
// to the daemon's user (the effective uid) with a mode that keeps writers
// out (UnsafeDone). Anything else at that name, whoever made it (a writer's
// directory, a symbolic link, a file), is never used: Open() fails with the
// path, the reason and the fix, and the source retries later. Once open, a
// done/ replaced changes nothing: files still go into the directory that
// was opened. If it stops taking files (removed, a rename fails),
// retirement falls back to renaming the file inside the spool directory to
// ".done.NAME", a name that is never read (a dot-file), so no file is lost
// or ingested twice.
//
// Open() and Close() on the source's executor; the rest on the queue thread,
// never at the same time; info() on either (it changes only in Open()).
// Not thread-safe.
class SpoolDirectory final {
 public:
  // Opens `path` (creating it first when `create`), and `path`/done when
  // files are moved there. nullopt once open, else why the spool cannot be
  // used (a done/ refused included: then nothing stays open).
  [[nodiscard]] std::optional<std::string> Open(const std::filesystem::path& path, AfterIngest after,
                                                bool create);
  void Close();
  [[nodiscard]] bool is_open() const { return dir_.valid(); }
  [[nodiscard]] int fd() const { return dir_.get(); }
  // fstat() of the spool directory when it was opened.
  [[nodiscard]] const struct stat& info() const { return dir_info_; }

  // Moves `name` to done/ (NAME, else NAME.1, NAME.2..., shortened to fit
  // NAME_MAX) or deletes it, provided the name still holds the file that was
  // opened as `opened` (otherwise it holds a new file, to be ingested).
  [[nodiscard]] RetireResult Retire(const std::string& name, const struct stat& opened, AfterIngest after);

 private:
  [[nodiscard]] std::string OpenDone();
  [[nodiscard]] std::string CheckDone();

  std::filesystem::path path_;
  UniqueFd dir_;
  struct stat dir_info_ {};
  UniqueFd done_;
  struct stat done_info_ {};
  std::string done_problem_;  // why done/ stopped taking files (empty while it takes them)
};

// The name a retired file gets on its `attempt` (0: `name` itself, then
// NAME.1, NAME.2...): at most NAME_MAX bytes, a long name cut at a UTF-8
// boundary and told apart from others with the same start by a hash suffix.
[[nodiscard]] std::string RetiredName(const std::string& name, int attempt);

}  // namespace leadsync
