#include "daemon/core_dumps.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>

namespace leadsync::daemon {

std::string ForbidCoreDumps() {
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return std::strerror(errno);
  // Under the unit's system call filter (~@resources) setrlimit is refused,
  // and LimitCORE=0 has set the limit already: a failure here changes nothing.
  const rlimit none{0, 0};
  (void)::setrlimit(RLIMIT_CORE, &none);
  return "";
}

}  // namespace leadsync::daemon
