#include "core/http/leadsquared_pool.hpp"

namespace leadsync {

LeadSquaredPool::LeadSquaredPool(boost::asio::any_io_executor executor, ClientOptions options)
    : executor_(std::move(executor)), options_(std::move(options)) {}

LeadSquaredPool::~LeadSquaredPool() = default;

std::unique_ptr<LeadSquaredClient> LeadSquaredPool::Take() {
  if (idle_.empty()) return std::make_unique<LeadSquaredClient>(executor_, options_);
  auto client = std::move(idle_.back());
  idle_.pop_back();
  return client;
}

boost::asio::awaitable<ApiOutcome> LeadSquaredPool::Post(std::string body, std::size_t records) {
  std::unique_ptr<LeadSquaredClient> client = Take();
  busy_.insert(client.get());
  ApiOutcome outcome;
  try {
    outcome = co_await client->SendBatch(std::move(body), records);
  } catch (...) {
    busy_.erase(client.get());
    throw;
  }
  busy_.erase(client.get());
  // A failed exchange may have left the connection broken: drop the client.
  const bool healthy = outcome.kind != OutcomeKind::kNetwork && outcome.kind != OutcomeKind::kTimeout;
  if (healthy) idle_.push_back(std::move(client));
  co_return outcome;
}

void LeadSquaredPool::CancelAll() {
  for (LeadSquaredClient* client : busy_) client->Close();
  idle_.clear();
}

}  // namespace leadsync
