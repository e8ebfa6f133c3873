#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <string>

// Who may read what in a spool directory, judged from stat() results alone.
// Pure functions, callable from any thread.
//
// A spool is shared when its group (or everyone) may create files in it: the
// package's /var/spool/leadsync is 3770 leadsync:leadsync-writers, and each
// writer's account is in leadsync-writers. Unix gives a file's owner the
// owner bits, a member of the file's group the group bits, and only everyone
// else the other bits. So a file of mode 0604 that took the spool's group
// (setgid) is read by the daemon, which is in neither, and by no other
// writer, who gets the group bits: none.
namespace leadsync {

// Why `done` (the spool's done/ directory) must not take ingested files, or
// empty when it may. It must belong to `daemon_uid`, be writable by no one
// else, be closed to other users, and be closed to the group of a
// group-writable `spool` (its writers). Group access is allowed for another
// group (the package's done/ is 0700 leadsync:leadsync; 0750 is accepted).
[[nodiscard]] std::string UnsafeDone(const struct stat& done, const struct stat& spool, uid_t daemon_uid);

// Whether a writer of the shared `spool` other than `file`'s owner may read
// `file`: its group bits allow reading and its group is the spool's (every
// writer is a member), or its other bits do and some writer is outside its
// group (the spool is writable by everyone, or the file has another group:
// moved in from elsewhere, or a spool without setgid). Never for a spool
// only its owner may write to.
[[nodiscard]] bool OtherWritersCanRead(const struct stat& file, const struct stat& spool);

// "owner uid 1001, group 999, mode 0644", for messages.
[[nodiscard]] std::string DescribeOwnership(const struct stat& info);

}  // namespace leadsync
