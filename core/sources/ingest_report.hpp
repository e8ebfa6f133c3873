#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <span>
#include <string>

#include "core/sources/ingest_commit.hpp"
#include "core/sources/source_context.hpp"

namespace leadsync {

// The report step of the one ingest path: the only place where a source's
// commits, rejections, backpressure and problems reach the rest of the
// daemon (SourceEvents and Backpressure), so that every source counts them
// alike and wakes the dispatcher at the same point: once, after a commit
// that holds leads.
//
// A failure (a file that cannot be read, a query that fails) is a source
// error (on_error), reported once per key while it lasts. A failure that
// stops the whole source (it cannot reach its input) is also told through
// SetWorking, so that the daemon marks the source down until it works. A
// backlog at max_pending, a rotation or a truncation is a state (on_state):
// logged, never counted as a source error, and the source stays up.
//
// Borrows the context. On the context's executor only; not thread-safe.
class IngestReport final {
 public:
  IngestReport(const SourceContext& context, std::string source);

  // After CommitBatch: counts the commit and its rejections, reports the
  // backlog, wakes the dispatcher when leads were committed, and ends the
  // backpressure state. Nothing for a kConflict.
  void Committed(const CommitOutcome& outcome);
  // Records refused whole before any commit (a webhook body answered 400).
  void Refused(std::span<const Rejection> rejections);
  // The backlog is at max_pending: reported to Backpressure, and `what`
  // logged once until a commit goes through.
  void Full(std::int64_t backlog, const std::string& what);
  // The backlog is below max_pending again (for a source that may find room
  // without committing); a commit ends the state too.
  void Room() { full_ = false; }
  // A failure, under `key` while it lasts.
  void Error(const std::string& key, const std::string& what);
  void Clear(const std::string& key) { reported_.erase(key); }
  // Ends every error whose key `ended` holds for.
  void ClearIf(const std::function<bool(const std::string& key)>& ended) { std::erase_if(reported_, ended); }
  // A failure reported each time it happens (a poll that failed).
  void Failed(const std::string& what) const;
  // Whether the source as a whole works (see SourceEvents::on_working).
  void SetWorking(bool working) const;
  // Something that happened and is not a failure.
  void Notice(const std::string& what) const;
  [[nodiscard]] const std::string& source() const { return source_; }

 private:
  const SourceContext& context_;
  std::string source_;
  std::set<std::string> reported_;  // errors reported while they last
  bool full_ = false;
};

}  // namespace leadsync
