#include "core/dispatch/batch_plan.hpp"

#include "core/codec/api_body.hpp"

namespace leadsync {

std::string BatchBody(std::span<const QueuedRecord> records) {
  std::vector<std::string> texts;
  texts.reserve(records.size());
  for (const QueuedRecord& r : records) texts.push_back(r.record);
  return JoinRecords(texts);
}

namespace {

QueueOptions InMemory() {
  QueueOptions options;
  options.sync_full = false;
  options.journal = false;
  options.in_memory = true;
  return options;
}

}  // namespace

BatchPlan::BatchPlan(int batch_size, std::size_t max_request_bytes)
    : limit_{batch_size, max_request_bytes}, queue_(OpenQueue(InMemory())) {}

void BatchPlan::Add(std::span<const IncomingLead> leads) {
  (void)queue_->Enqueue(leads, {}, std::nullopt, TimePoint{});
}

std::string BatchPlan::NextBody() {
  const std::vector<QueuedRecord> claimed = queue_->Claim(limit_, TimePoint{}, nullptr);
  return claimed.empty() ? std::string() : BatchBody(claimed);
}

}  // namespace leadsync
