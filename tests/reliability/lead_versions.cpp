#include "tests/reliability/lead_versions.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <exception>

#include "tests/support/sandbox_view.hpp"

namespace leadsync::testing {

std::string LeadChange::FirstName() const { return email + " v" + std::to_string(version); }

std::string LeadChange::Json() const {
  return R"({"EmailAddress":")" + email + R"(","FirstName":")" + FirstName() + R"(",")" + kVersionAttribute +
         R"(":")" + std::to_string(version) + R"("})";
}

std::string Jsonl(const std::vector<LeadChange>& changes) {
  std::string text;
  for (const LeadChange& change : changes) text += change.Json() + "\n";
  return text;
}

std::string JsonArray(const std::vector<LeadChange>& changes) {
  std::string text = "[";
  for (const LeadChange& change : changes) text += (text.size() > 1 ? "," : "") + change.Json();
  return text + "]";
}

LeadChange LeadVersions::Next(const std::string& email) {
  ++changes_;
  return LeadChange{email, ++last_[email]};
}

std::vector<std::string> LeadVersions::Mismatches(std::uint16_t port, std::size_t limit) const {
  std::vector<std::string> out;
  const auto note = [&](std::string line) {
    if (out.size() < limit) out.push_back(std::move(line));
  };
  const std::map<std::string, LeadView> held = SandboxLeads(port);
  for (const auto& [email, version] : last_) {
    const auto lead = held.find(email);
    const LeadChange expected{email, version};
    if (lead == held.end()) {
      note(email + ": missing (last version " + std::to_string(version) + ")");
      continue;
    }
    const auto value = [&](const char* name) {
      const auto found = lead->second.find(name);
      return found == lead->second.end() ? std::string("<none>") : found->second;
    };
    if (value(kVersionAttribute) != std::to_string(version) || value("FirstName") != expected.FirstName()) {
      note(email + ": holds version " + value(kVersionAttribute) + " (" + value("FirstName") +
           "), expected " + std::to_string(version));
    }
  }
  for (const auto& [key, lead] : held) {
    if (last_.count(key) == 0) note(key + ": a lead nobody wrote");
  }
  return out;
}

bool LeadVersions::Delivered(std::uint16_t port) const {
  try {
    return Mismatches(port, 1).empty();
  } catch (const std::exception&) {
    return false;  // the sandbox is down or restarting
  }
}

std::vector<std::string> LeadVersions::Regressions(std::uint16_t port) const {
  std::vector<std::string> out;
  for (const auto& [key, values] : SandboxHistory(port)) {
    int highest = 0;
    for (const std::string& text : values) {
      const int version = std::stoi(text);
      if (version < highest) {
        out.push_back(key + ": version " + text + " arrived after " + std::to_string(highest));
        break;
      }
      highest = version;
    }
  }
  return out;
}

std::string LeadVersions::HistorySummary(std::uint16_t port) {
  std::size_t leads = 0;
  std::size_t received = 0;
  std::size_t repeats = 0;
  for (const auto& [key, values] : SandboxHistory(port)) {
    ++leads;
    received += values.size();
    for (std::size_t i = 1; i < values.size(); ++i) repeats += values[i] == values[i - 1] ? 1 : 0;
  }
  return std::to_string(received) + " versions received for " + std::to_string(leads) + " leads, " +
         std::to_string(repeats) + " of them again (at-least-once)";
}

int Scaled(int size, int floor) {
  const char* text = std::getenv("LEADSYNC_RELIABILITY_SCALE");
  const double scale = text == nullptr ? 1.0 : std::atof(text);
  const double scaled = std::round(size * (scale > 0 ? scale : 1.0));
  return std::max(floor, static_cast<int>(scaled));
}

}  // namespace leadsync::testing
