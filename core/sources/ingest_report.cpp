#include "core/sources/ingest_report.hpp"

namespace leadsync {

IngestReport::IngestReport(const SourceContext& context, std::string source)
    : context_(context), source_(std::move(source)) {}

void IngestReport::Committed(const CommitOutcome& outcome) {
  if (outcome.state == CommitOutcome::State::kConflict) return;
  if (outcome.state == CommitOutcome::State::kFull) {
    context_.backpressure.SetBacklog(outcome.backlog);
    return;
  }
  const SourceEvents& events = context_.events;
  if (events.on_ingested) events.on_ingested(source_, outcome.result, outcome.rejections);
  context_.backpressure.SetBacklog(outcome.backlog);
  if (outcome.leads > 0 && events.on_enqueued) events.on_enqueued();
  full_ = false;
}

void IngestReport::Refused(std::span<const Rejection> rejections) {
  if (context_.events.on_ingested) context_.events.on_ingested(source_, EnqueueResult{}, rejections);
}

void IngestReport::Full(std::int64_t backlog, const std::string& what) {
  context_.backpressure.SetBacklog(backlog);
  if (!full_) Notice(what);
  full_ = true;
}

void IngestReport::Error(const std::string& key, const std::string& what) {
  if (reported_.insert(key).second && context_.events.on_error) context_.events.on_error(source_, what);
}

void IngestReport::Failed(const std::string& what) const {
  if (context_.events.on_error) context_.events.on_error(source_, what);
}

void IngestReport::SetWorking(bool working) const {
  if (context_.events.on_working) context_.events.on_working(source_, working);
}

void IngestReport::Notice(const std::string& what) const {
  if (context_.events.on_state) context_.events.on_state(source_, what);
}

}  // namespace leadsync
