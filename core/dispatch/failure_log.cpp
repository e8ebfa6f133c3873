#include "core/dispatch/failure_log.hpp"

#include <spdlog/spdlog.h>

namespace leadsync {
namespace {

long long Seconds(Duration d) { return std::chrono::duration_cast<std::chrono::seconds>(d).count(); }

}  // namespace

FailureLog::FailureLog(std::string subject, Duration period)
    : subject_(std::move(subject)), period_(period) {}

void FailureLog::Failed(const std::string& what, TimePoint now) {
  if (count_++ == 0) {
    since_ = last_log_ = now;
    count_at_last_log_ = 1;
    spdlog::warn("{}: failing: {}", subject_, what);
    return;
  }
  if (now - last_log_ < period_) return;
  spdlog::warn("{}: still failing after {} s, {} failures ({} since the last report); last: {}", subject_,
               Seconds(now - since_), count_, count_ - count_at_last_log_, what);
  last_log_ = now;
  count_at_last_log_ = count_;
}

void FailureLog::Succeeded(TimePoint now) {
  if (count_ == 0) return;
  spdlog::info("{}: recovered after {} s and {} failures", subject_, Seconds(now - since_), count_);
  count_ = 0;
}

}  // namespace leadsync
