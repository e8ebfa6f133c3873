#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "core/http/client_options.hpp"
#include "core/http/outcome.hpp"
#include "core/schema/lead_schema.hpp"

namespace leadsync {

// The account's schema as one call to LeadsMetaData.Get found it.
struct SchemaFetch {
  std::optional<LeadSchema> schema;  // set when the answer was a readable field list
  std::string body;                  // that answer, to keep (the queue stores it as written)
  std::string error;                 // else what went wrong; never a secret
};

// Judges an answer of LeadsMetaData.Get.
[[nodiscard]] SchemaFetch JudgeSchemaAnswer(const ApiOutcome& outcome);

// Calls LeadsMetaData.Get once on a connection of its own (never one of the
// dispatcher's: it counts against the general limit, not the bulk one).
[[nodiscard]] boost::asio::awaitable<SchemaFetch> FetchLeadSchema(boost::asio::any_io_executor executor,
                                                                  ClientOptions options);

}  // namespace leadsync
