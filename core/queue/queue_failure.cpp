#include "core/queue/queue_failure.hpp"

#include <sqlite3.h>

#include "core/queue/queue.hpp"
#include "core/queue/sqlite.hpp"

namespace leadsync {
namespace {

std::string_view ReasonForCode(int code) {
  switch (code & 0xff) {
    case SQLITE_FULL:
      return "disk_full";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return "damaged";
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "busy";
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return "io";
    default:
      return "other";
  }
}

}  // namespace

std::string_view QueueFailureReason(const std::exception& e) {
  if (const auto* error = dynamic_cast<const sqlite::Error*>(&e)) return ReasonForCode(error->code());
  if (const auto* error = dynamic_cast<const QueueError*>(&e)) return error->reason();
  return {};
}

}  // namespace leadsync
