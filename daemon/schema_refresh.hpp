#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <optional>
#include <string>

#include "config/config.hpp"
#include "core/http/leadsquared_client.hpp"
#include "core/queue/queue_service.hpp"
#include "core/queue/schema_store.hpp"
#include "core/schema/schema_validation.hpp"
#include "core/timer.hpp"

namespace leadsync::daemon {

// leadsquared.validate's schema: the one kept in the queue, read at start
// before any source runs, then LeadsMetaData.Get at once and every hour
// (every minute after a failed fetch, until one succeeds). Each fetch is one
// call on a connection of its own, against the account's general limit: it
// never takes a bulk call's slot in the dispatcher's limiter. A fetched
// schema replaces the one sources judge by and the one kept in the queue.
// With validate: off, nothing is read or fetched and validation() is null.
// Borrows the queue and the clock; loop thread only (LoadStored: before
// the loop runs).
class SchemaRefresh final {
 public:
  static constexpr Duration kPeriod = std::chrono::hours(1);
  static constexpr Duration kRetryPeriod = std::chrono::minutes(1);

  SchemaRefresh(boost::asio::any_io_executor executor, QueueRole<SchemaStore> store, Clock& clock,
                const config::LeadSquared& settings);
  ~SchemaRefresh();

  // What every source's ingest shares; null with validate: off.
  [[nodiscard]] std::shared_ptr<SchemaValidation> validation() const { return validation_; }

  // The schema kept in the queue becomes the one validated with; logs what
  // the daemon validates with until the first fetch. Before the loop runs:
  // reads the queue on the caller's thread (the queue thread has no work yet).
  void LoadStored();
  void Start();
  // Ends the wait and any fetch in progress.
  void Stop();
  // The keys and host of a reloaded configuration, for the next fetch.
  void Reconfigure(const config::LeadSquared& settings);

 private:
  [[nodiscard]] boost::asio::awaitable<void> Run();
  // True when a schema was fetched (and kept).
  [[nodiscard]] boost::asio::awaitable<bool> FetchOnce();
  [[nodiscard]] ClientOptions FetchOptions() const;

  boost::asio::any_io_executor executor_;
  QueueRole<SchemaStore> store_;
  Clock& clock_;
  config::LeadSquared settings_;
  std::shared_ptr<SchemaValidation> validation_;
  std::unique_ptr<Timer> timer_;
  std::unique_ptr<LeadSquaredClient> client_;  // of the fetch in progress
  std::optional<TimePoint> kept_at_;           // when the schema validated with was fetched
  bool stopped_ = false;
};

}  // namespace leadsync::daemon
