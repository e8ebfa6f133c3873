#include "daemon/options/queue_options.hpp"

namespace leadsync::daemon {

QueueOptions QueueOptionsFrom(const config::Queue& s) {
  QueueOptions o;
  o.path = s.path;
  o.sync_full = s.sync == config::SyncMode::kFull;
  o.journal = s.history.count() > 0;
  return o;
}

}  // namespace leadsync::daemon
