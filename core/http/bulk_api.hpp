#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <string>

#include "core/http/outcome.hpp"

namespace leadsync {

// LeadSquared's bulk endpoint as the dispatcher sees it: post a body of
// `records` records, get a classified outcome (core/http/outcome.hpp). Several posts may be in
// progress at once, up to the dispatcher's max_in_flight. The daemon's is
// LeadSquaredPool (keep-alive connections); tests script one.
// Lives on the dispatcher's executor; not thread-safe.
class BulkApi {
 public:
  virtual ~BulkApi() = default;
  [[nodiscard]] virtual boost::asio::awaitable<ApiOutcome> Post(std::string body, std::size_t records) = 0;
  // Aborts every post in progress (the shutdown deadline): each returns at
  // once with a kNetwork outcome.
  virtual void CancelAll() = 0;
};

}  // namespace leadsync
