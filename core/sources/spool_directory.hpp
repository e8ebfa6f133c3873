#pragma once

#include <sys/stat.h>

#include <cstddef>
#include <filesystem>
#include <string>

#include "config/config.hpp"
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
// done/ is opened with O_DIRECTORY|O_NOFOLLOW. When it is a symbolic link,
// not a directory, or it goes away, retirement falls back to renaming the
// file inside the spool directory to ".done.NAME", a name that is never read
// (a dot-file), so a writer can neither redirect nor stop retirement and no
// file is lost; done_problem() says why. A done/ replaced after it was
// opened changes nothing: files still go into the directory that was opened.
//
// Open() and Close() on the source's executor; the rest on the queue thread,
// never at the same time. Not thread-safe.
class SpoolDirectory final {
 public:
  // Creates (as needed) and opens `path`, and `path`/done when files are
  // moved there. Empty on success, else why the spool cannot be used.
  [[nodiscard]] std::string Open(const std::filesystem::path& path, config::AfterIngest after);
  void Close();
  [[nodiscard]] bool is_open() const { return dir_.valid(); }
  [[nodiscard]] int fd() const { return dir_.get(); }
  // Why done/ is not used (empty while it is).
  [[nodiscard]] const std::string& done_problem() const { return done_problem_; }

  // Moves `name` to done/ (NAME, else NAME.1, NAME.2..., shortened to fit
  // NAME_MAX) or deletes it, provided the name still holds the file that was
  // opened as `opened` (otherwise it holds a new file, to be ingested).
  [[nodiscard]] RetireResult Retire(const std::string& name, const struct stat& opened,
                                    config::AfterIngest after);

 private:
  void OpenDone();
  [[nodiscard]] std::string CheckDone();

  std::filesystem::path path_;
  UniqueFd dir_;
  UniqueFd done_;
  struct stat done_info_ {};
  std::string done_problem_;
};

// The name a retired file gets on its `attempt` (0: `name` itself, then
// NAME.1, NAME.2...): at most NAME_MAX bytes, a long name cut at a UTF-8
// boundary and told apart from others with the same start by a hash suffix.
[[nodiscard]] std::string RetiredName(const std::string& name, int attempt);

}  // namespace leadsync
