#include "config/attribute_names.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace leadsync::config {
namespace {

// LeadSquared's common built-in lead attributes (schema names).
constexpr std::array<std::string_view, 40> kBuiltIns{
    "ProspectID",
    "FirstName",
    "LastName",
    "EmailAddress",
    "Phone",
    "Mobile",
    "Company",
    "JobTitle",
    "Website",
    "Source",
    "SourceMedium",
    "SourceCampaign",
    "SourceContent",
    "SourceReferrerURL",
    "Notes",
    "City",
    "State",
    "Country",
    "ZipCode",
    "Address",
    "ProspectStage",
    "Score",
    "EngagementScore",
    "QualityScore01",
    "OwnerId",
    "OwnerIdEmailAddress",
    "DoNotEmail",
    "DoNotCall",
    "DoNotSMS",
    "DoNotTrack",
    "TimeZone",
    "Origin",
    "Revenue",
    "Groups",
    "Twitter",
    "Facebook",
    "LinkedIn",
    "Skype",
    "Fax",
    "SearchBy",
};

bool SameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

bool IsKnownAttribute(std::string_view name) {
  if (name.size() > 3 && SameName(name.substr(0, 3), "mx_")) return true;
  return std::ranges::any_of(kBuiltIns, [name](std::string_view known) { return SameName(name, known); });
}

std::optional<std::string> UnknownAttributeWarning(std::string_view attribute) {
  const std::string_view name = attribute.substr(0, attribute.find('.'));
  if (IsKnownAttribute(name)) return std::nullopt;
  return "'" + std::string(name) +
         "' is neither a common LeadSquared attribute nor a custom one (mx_...); it is sent as written";
}

}  // namespace leadsync::config
