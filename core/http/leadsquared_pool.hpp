#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <set>
#include <vector>

#include "core/http/bulk_api.hpp"
#include "core/http/leadsquared_client.hpp"

namespace leadsync {

// The BulkApi over real HTTP: one LeadSquaredClient (one keep-alive
// connection) per post in progress, reused afterwards; a client whose
// exchange failed is dropped with its connection. A reload makes a new pool
// (new keys, new host); posts on the old one finish on their clients.
// Lives on one executor; not thread-safe.
class LeadSquaredPool final : public BulkApi {
 public:
  LeadSquaredPool(boost::asio::any_io_executor executor, ClientOptions options);
  ~LeadSquaredPool() override;

  [[nodiscard]] boost::asio::awaitable<ApiOutcome> Post(std::string body, std::size_t records) override;
  void CancelAll() override;

 private:
  std::unique_ptr<LeadSquaredClient> Take();

  boost::asio::any_io_executor executor_;
  ClientOptions options_;
  std::vector<std::unique_ptr<LeadSquaredClient>> idle_;
  std::set<LeadSquaredClient*> busy_;
};

}  // namespace leadsync
