#pragma once

#include <string>

namespace leadsync::daemon {

// Keeps the keys, the DSN, the webhook token, the TLS key and the leads out
// of core files: the process stops being dumpable (PR_SET_DUMPABLE 0: no
// core file, and its /proc/PID files and ptrace are root's alone) and its
// RLIMIT_CORE drops to 0, for hosts whose fs.suid_dumpable still dumps
// such processes. For every command that reads the secrets, before it does.
// Returns "" or why the process could not be made undumpable.
[[nodiscard]] std::string ForbidCoreDumps();

}  // namespace leadsync::daemon
