#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

// What the reliability drivers write and what LeadSquared must end up holding.
namespace leadsync::testing {

// The attribute that numbers a lead's changes; the sandbox tracks it
// (`--track mx_Version`) to show the order in which they arrived.
inline constexpr const char* kVersionAttribute = "mx_Version";

// One change to one lead: its e-mail, mx_Version and a FirstName naming both.
struct LeadChange {
  std::string email;
  int version = 0;

  [[nodiscard]] std::string FirstName() const;
  // A flat JSON object: {"EmailAddress":…,"FirstName":…,"mx_Version":"N"}.
  [[nodiscard]] std::string Json() const;
};

// One change a line (a spool or tail file), or a JSON array (a webhook body).
[[nodiscard]] std::string Jsonl(const std::vector<LeadChange>& changes);
[[nodiscard]] std::string JsonArray(const std::vector<LeadChange>& changes);

// The changes handed out so far, numbered per lead from 1, the last of each
// being what the lead must hold in the end. Not thread-safe.
class LeadVersions final {
 public:
  // The next change to `email`, now its expected final state.
  [[nodiscard]] LeadChange Next(const std::string& email);
  [[nodiscard]] std::size_t leads() const { return last_.size(); }
  [[nodiscard]] std::size_t changes() const { return changes_; }

  // How the sandbox on `port` differs from the last change of every lead:
  // missing, stale or unexpected leads, at most `limit` lines (empty: none).
  [[nodiscard]] std::vector<std::string> Mismatches(std::uint16_t port, std::size_t limit = 10) const;
  // Whether every lead holds its last change (false while unreachable).
  [[nodiscard]] bool Delivered(std::uint16_t port) const;
  // Leads whose tracked versions went back at some point (a repeat is
  // at-least-once and fine; an older version after a newer is not).
  [[nodiscard]] std::vector<std::string> Regressions(std::uint16_t port) const;
  // For the log: how many versions the sandbox received, over how many
  // leads, and how many of them it had received before (at-least-once).
  [[nodiscard]] static std::string HistorySummary(std::uint16_t port);

 private:
  std::map<std::string, int> last_;  // e-mail as written (lower case) -> version
  std::size_t changes_ = 0;
};

// A factor for the size of the reliability workloads, from the environment
// variable LEADSYNC_RELIABILITY_SCALE (default 1; e.g. 0.5 under a slow
// sanitizer build). Sizes scaled by it never drop below `floor`.
[[nodiscard]] int Scaled(int size, int floor = 1);

}  // namespace leadsync::testing
