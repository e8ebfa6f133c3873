// The fixture of the queue's role tests: each test runs against every queue
// backend (backends_test.cpp instantiates the suites), through the role
// interfaces of core/queue/queue.hpp and nothing of a backend's own.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/codec/api_body.hpp"
#include "core/queue/queue.hpp"

namespace leadsync {
inline void PrintTo(Priority priority, std::ostream* out) { *out << PriorityName(priority); }
}  // namespace leadsync

namespace leadsync::testing {

// One backend's queue under test, fresh and empty for each test.
class QueueBackend {
 public:
  virtual ~QueueBackend() = default;
  // The queue as the daemon opens it (its owner, journal on). Opening again
  // after the last one was closed is a restart.
  [[nodiscard]] virtual std::unique_ptr<Queue> Open(TimePoint now) = 0;
  // The queue as `leadsync enqueue` or `dlq replay` opens it beside the
  // daemon's: writable, not its owner.
  [[nodiscard]] virtual std::unique_ptr<Queue> OpenAsTool() = 0;
  // The queue as `leadsync queue stats` opens it: reads only.
  [[nodiscard]] virtual std::unique_ptr<Queue> OpenReadOnly() = 0;
  // Replaces the stored record of every row of `key` with `text`, as
  // damage on disk would, behind the queue's back.
  virtual void OverwriteRecord(const std::string& key, const std::string& text) = 0;
};

struct QueueBackendFactory {
  std::string name;  // a test name suffix: "Sqlite"
  std::function<std::unique_ptr<QueueBackend>()> make;
};
inline void PrintTo(const QueueBackendFactory& factory, std::ostream* out) { *out << factory.name; }

// The backends every role test runs against (backends_test.cpp).
[[nodiscard]] std::vector<QueueBackendFactory> QueueBackends();

class QueueRoleTest : public ::testing::TestWithParam<QueueBackendFactory> {
 protected:
  [[nodiscard]] std::unique_ptr<Queue> Open() { return backend_->Open(clock_.Now()); }
  [[nodiscard]] std::unique_ptr<Queue> OpenAsTool() { return backend_->OpenAsTool(); }

  static IncomingLead Change(const std::string& email, std::vector<Attribute> attributes,
                             const std::string& source = "s") {
    attributes.insert(attributes.begin(), Attribute{"EmailAddress", email});
    Lead lead(std::move(attributes));
    return {*LeadKey(lead), source, lead};
  }
  static IncomingLead At(Priority priority, IncomingLead lead) {
    lead.priority = priority;
    return lead;
  }
  void Add(IngestQueue& q, std::vector<IncomingLead> leads) {
    (void)q.Enqueue(leads, {}, std::nullopt, clock_.Now());
  }
  static std::vector<std::string> Keys(const std::vector<QueuedRecord>& records) {
    std::vector<std::string> keys;
    for (const auto& r : records) keys.push_back(r.key);
    return keys;
  }
  static Lead Decoded(const QueuedRecord& record) { return DecodeRecord(record.record).value_or(Lead{}); }
  static std::string Value(const QueuedRecord& record, const std::string& attribute) {
    const Lead lead = Decoded(record);
    const Attribute* found = lead.Find(attribute);
    return found == nullptr ? "(none)" : found->value;
  }
  // A 200 answer for `record` (LeadId L<id>).
  Settlement Accepted(const QueuedRecord& record) {
    return {clock_.Now(), 200, {{record.id, {1, "L" + std::to_string(record.id), true, false, 1, ""}}},
            {},           {},  {}};
  }

  std::unique_ptr<QueueBackend> backend_ = GetParam().make();
  ManualTimeSource clock_;
};

// One fixture per role, so that each suite names what it covers.
class IngestRoleTest : public QueueRoleTest {};
class DispatchRoleTest : public QueueRoleTest {};
class DeadLetterRoleTest : public QueueRoleTest {};
class HistoryRoleTest : public QueueRoleTest {};
class InspectionRoleTest : public QueueRoleTest {};

class PriorityRoleTest : public QueueRoleTest {
 protected:
  static std::string Email(const std::string& prefix, int i) { return prefix + std::to_string(i) + "@x.com"; }
  // `count` changes at `priority`, to prefix0@x.com, prefix1@x.com...
  void AddMany(Queue& q, Priority priority, const std::string& prefix, int count) {
    std::vector<IncomingLead> leads;
    for (int i = 0; i < count; ++i) leads.push_back(At(priority, Change(Email(prefix, i), {})));
    Add(q, std::move(leads));
  }
  // Claims and settles one batch, as one call does.
  std::vector<QueuedRecord> Call(Queue& q, int size) {
    auto batch = q.Claim(size, clock_.Now());
    for (const auto& record : batch) q.ApplySettlement(Accepted(record));
    return batch;
  }
};

}  // namespace leadsync::testing
