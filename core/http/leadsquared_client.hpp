#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <memory>
#include <string>

#include "core/http/client_options.hpp"
#include "core/http/outcome.hpp"

namespace leadsync {

// One keep-alive HTTP/1.1 connection to LeadSquared, opened on first use and
// reopened after any failure. One request at a time: the dispatcher holds one
// client per in-flight slot. Lives on one executor; not thread-safe.
class LeadSquaredClient final {
 public:
  LeadSquaredClient(boost::asio::any_io_executor executor, ClientOptions options);
  ~LeadSquaredClient();
  LeadSquaredClient(const LeadSquaredClient&) = delete;
  LeadSquaredClient& operator=(const LeadSquaredClient&) = delete;

  // POST /v2/LeadManagement.svc/Lead/Bulk/CreateOrUpdate with `body`, an
  // array of `records` records; a 200 with more rows than that is unreadable.
  [[nodiscard]] boost::asio::awaitable<ApiOutcome> SendBatch(std::string body, std::size_t records);

  // GET /v2/Authentication.svc/UserByAccessKey.Get; kOk carries the raw body.
  [[nodiscard]] boost::asio::awaitable<ApiOutcome> GetUserByAccessKey();

  // GET /v2/LeadManagement.svc/LeadsMetaData.Get, the account's lead fields
  // (core/schema/lead_schema.hpp reads them); kOk carries the raw body. A
  // call against the account's general limit, not the bulk one.
  [[nodiscard]] boost::asio::awaitable<ApiOutcome> GetLeadsMetaData();

  // Drops the connection (after a config reload, or on shutdown).
  void Close();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace leadsync
