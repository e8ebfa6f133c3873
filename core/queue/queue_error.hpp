#pragma once

#include <stdexcept>
#include <string>

namespace leadsync {

// The queue cannot be used; the message says what to do. `reason` is a
// label for QueueFailureReason() (core/queue/queue_failure.hpp). Every role
// of the queue throws it.
class QueueError : public std::runtime_error {
 public:
  explicit QueueError(const std::string& what, std::string reason = "other")
      : std::runtime_error(what), reason_(std::move(reason)) {}
  [[nodiscard]] const std::string& reason() const { return reason_; }

 private:
  std::string reason_;
};

}  // namespace leadsync
