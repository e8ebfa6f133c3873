#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace leadsync::testing {

// A lead as the sandbox holds it: attribute -> value, custom field set
// fields flattened as "Set.Field".
using LeadView = std::map<std::string, std::string>;

// GET /sandbox/leads, keyed by lower-cased EmailAddress (or Phone when the
// lead has no e-mail).
[[nodiscard]] std::map<std::string, LeadView> SandboxLeads(std::uint16_t port);

// GET /sandbox/history (a sandbox started with --track): the values the
// tracked attribute took per lead, oldest first, keyed as SandboxLeads keys.
[[nodiscard]] std::map<std::string, std::vector<std::string>> SandboxHistory(std::uint16_t port);

// GET /sandbox/state, one number by its top-level name (e.g. "calls",
// "max_calls_in_window"), or by_status.CODE for "status:429".
[[nodiscard]] std::int64_t SandboxNumber(std::uint16_t port, const std::string& name);
// GET /sandbox/state, a list of numbers by its top-level name (e.g.
// "records_per_call", "bytes_per_call").
[[nodiscard]] std::vector<std::int64_t> SandboxNumbers(std::uint16_t port, const std::string& name);

}  // namespace leadsync::testing
