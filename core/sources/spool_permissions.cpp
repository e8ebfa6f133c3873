#include "core/sources/spool_permissions.hpp"

namespace leadsync {
namespace {

constexpr mode_t kPermissionBits = 07777;

std::string Octal(mode_t mode) {
  std::string text;
  for (int shift = 9; shift >= 0; shift -= 3) text += static_cast<char>('0' + ((mode >> shift) & 07));
  return text;
}

std::string ModeText(const struct stat& info) { return "mode " + Octal(info.st_mode & kPermissionBits); }

}  // namespace

std::string UnsafeDone(const struct stat& done, const struct stat& spool, uid_t daemon_uid) {
  if (done.st_uid != daemon_uid) {
    return "is owned by uid " + std::to_string(done.st_uid) + ", not by the daemon's user (uid " +
           std::to_string(daemon_uid) + ")";
  }
  if ((done.st_mode & (S_IWGRP | S_IWOTH)) != 0) return "is writable by other users (" + ModeText(done) + ")";
  if ((done.st_mode & S_IRWXO) != 0) return "is open to other users (" + ModeText(done) + ")";
  const bool writers_group = done.st_gid == spool.st_gid && (spool.st_mode & S_IWGRP) != 0;
  if (writers_group && (done.st_mode & S_IRWXG) != 0) {
    return "is open to the spool's writers (group " + std::to_string(done.st_gid) + ", " + ModeText(done) +
           ")";
  }
  return {};
}

bool OtherWritersCanRead(const struct stat& file, const struct stat& spool) {
  if ((spool.st_mode & (S_IWGRP | S_IWOTH)) == 0) return false;
  const bool spool_group = file.st_gid == spool.st_gid;
  // Every writer outside the file's group gets the other bits.
  if ((file.st_mode & S_IROTH) != 0 && ((spool.st_mode & S_IWOTH) != 0 || !spool_group)) return true;
  return spool_group && (file.st_mode & S_IRGRP) != 0;
}

std::string DescribeOwnership(const struct stat& info) {
  return "owner uid " + std::to_string(info.st_uid) + ", group " + std::to_string(info.st_gid) + ", " +
         ModeText(info);
}

}  // namespace leadsync
