#include "core/http/schema_fetch.hpp"

#include "core/http/leadsquared_client.hpp"

namespace leadsync {

SchemaFetch JudgeSchemaAnswer(const ApiOutcome& outcome) {
  if (outcome.kind != OutcomeKind::kOk) return {std::nullopt, {}, "LeadsMetaData.Get: " + outcome.message};
  std::string error;
  std::optional<LeadSchema> schema = ParseLeadSchema(outcome.body, &error);
  if (!schema) return {std::nullopt, {}, "LeadsMetaData.Get answered 200 with " + error};
  return {std::move(schema), outcome.body, {}};
}

boost::asio::awaitable<SchemaFetch> FetchLeadSchema(boost::asio::any_io_executor executor,
                                                    ClientOptions options) {
  LeadSquaredClient client(executor, std::move(options));
  const ApiOutcome outcome = co_await client.GetLeadsMetaData();
  co_return JudgeSchemaAnswer(outcome);
}

}  // namespace leadsync
