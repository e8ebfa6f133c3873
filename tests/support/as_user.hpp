#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

// Acting as other local users in a test: a forked child drops to numeric
// ids, which need no /etc/passwd entry. Only root can do this; tests call
// CanActAsOtherUsers() first and skip (GTEST_SKIP) without it.
namespace leadsync::testing {

struct Identity {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups{};  // supplementary groups
};

[[nodiscard]] bool CanActAsOtherUsers();

// Runs `action` in a forked child that has become `who` (groups, then gid,
// then uid) with umask `mask`; returns what `action` returned (0-255), or -1
// when the child could not become `who` or did not exit normally.
[[nodiscard]] int RunAs(const Identity& who, mode_t mask, const std::function<int()>& action);

// 0 when `who` can open `path` for reading, else the errno (EACCES...).
[[nodiscard]] int OpenAs(const Identity& who, const std::filesystem::path& path);

// As `who` with umask `mask`, as spool writers must: writes `dir`/.NAME
// (then chmods it to `mode` when given) and renames it to `dir`/NAME. 0 on
// success, else the errno.
[[nodiscard]] int DropAs(const Identity& who, mode_t mask, const std::filesystem::path& dir,
                         const std::string& name, const std::string& text,
                         std::optional<mode_t> mode = std::nullopt);

// `argv` prefixed with setpriv(1), so that a Process runs it as `who`.
[[nodiscard]] std::vector<std::string> CommandAs(const Identity& who, std::vector<std::string> argv);

// chown(2) or throws.
void ChangeOwner(const std::filesystem::path& path, uid_t uid, gid_t gid);

}  // namespace leadsync::testing
