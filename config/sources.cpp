#include "config/sources.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "config/attribute_names.hpp"
#include "config/dsn_tls.hpp"
#include "config/mapping.hpp"
#include "config/secrets.hpp"
#include "config/source_settings.hpp"
#include "config/text_file.hpp"
#include "config/values.hpp"
#include "core/net/address.hpp"

namespace leadsync::config {
namespace {

// Source name -> the line it was first given on.
using SeenNames = std::map<std::string, int>;

constexpr std::array<Choice<SourceType>, 4> kSourceTypes{{
    {"spool", SourceType::kSpool},
    {"tail", SourceType::kTail},
    {"postgres", SourceType::kPostgres},
    {"webhook", SourceType::kWebhook},
}};
constexpr std::array<Choice<SourcePriority>, 3> kSourcePriorities{
    {{"high", SourcePriority::kHigh}, {"normal", SourcePriority::kNormal}, {"low", SourcePriority::kLow}}};

// Keys beyond the common ones, by type (in kSourceTypes order).
constexpr std::array<std::string_view, 5> kSpoolKeys{"path", "format", "after", "max_file_size", "create"};
constexpr std::array<std::string_view, 3> kTailKeys{"path", "format", "start_at"};
constexpr std::array<std::string_view, 8> kPostgresKeys{
    "dsn", "dsn_file", "query", "cursor", "cursor_start", "cursor_delay", "interval", "max_page_bytes"};
constexpr std::array<std::string_view, 7> kWebhookKeys{
    "listen", "token", "token_file", "max_body", "token_header", "tls_cert_file", "tls_key_file"};
constexpr std::array<std::span<const std::string_view>, 4> kTypeKeys{kSpoolKeys, kTailKeys, kPostgresKeys,
                                                                     kWebhookKeys};
// Caps on one record; far above what LeadSquared accepts.
constexpr IntRange kAttributeRange{1, 1'000'000};

std::string_view TypeName(SourceType type) { return kSourceTypes[static_cast<std::size_t>(type)].name; }

bool IsTypeKey(std::string_view key) {
  return std::ranges::any_of(kTypeKeys,
                             [key](auto keys) { return std::ranges::find(keys, key) != keys.end(); });
}

void ReadTypeKeys(MapReader& map, SourceType type, Source& out) {
  switch (type) {
    case SourceType::kSpool:
      out.settings = ReadSpool(map);
      return;
    case SourceType::kTail:
      out.settings = ReadTail(map);
      return;
    case SourceType::kPostgres:
      out.settings = ReadPostgres(map);
      return;
    case SourceType::kWebhook:
      out.settings = ReadWebhook(map);
      return;
  }
}

void ReadName(MapReader& map, Source& out, SeenNames& seen) {
  const std::optional<Entry> entry = map.TakeRequired("name");
  if (!entry) return;
  std::optional<std::string> name = ReadString(map.Context(), *entry);
  if (!name) return;
  map.SetLabel("source '" + *name + "'");
  const int line = entry->ValueMark().line + 1;
  const auto [first, inserted] = seen.emplace(*name, line);
  if (!inserted) {
    map.Context().Error(entry->ValueMark(), "duplicate source name '" + *name + "' (first given on line " +
                                                std::to_string(first->second) + ")");
  }
  out.name = std::move(*name);
}

// Keys left over: another type's key is named as such; when the type is
// unknown, such keys cannot be judged and are let be.
void ReportLeftovers(MapReader& map, std::optional<SourceType> type) {
  for (const Entry& entry : map.TakeRest()) {
    if (!IsTypeKey(entry.name)) {
      map.ReportUnknown(entry);
    } else if (type) {
      map.Context().Error(entry.key_mark, "key '" + entry.name + "' is not valid for a " +
                                              std::string(TypeName(*type)) + " source");
    }
  }
}

Source ReadSource(LoadContext& context, const Entry& entry, SeenNames& seen) {
  Source out;
  if (entry.value.IsNull()) {
    context.Error(entry.ValueMark(), entry.name + ": expected a map, got an empty value");
    return out;
  }
  MapReader map(context, entry, entry.name);
  ReadName(map, out, seen);
  std::optional<SourceType> type;
  if (const std::optional<Entry> type_entry = map.TakeRequired("type")) {
    type = ReadEnum(context, *type_entry, kSourceTypes);
  }
  if (type) ReadTypeKeys(map, *type, out);
  const std::optional<Entry> search_by = map.Peek("search_by");
  Get(map, "search_by", out.search_by);
  if (search_by && out.search_by) {
    if (auto warning = UnknownAttributeWarning(*out.search_by)) {
      context.Warn(search_by->ValueMark(), "search_by: " + *warning);
    }
  }
  Get(map, "priority", out.priority, kSourcePriorities);
  GetByteSize(map, "max_line_length", out.max_line_length);
  Get(map, "max_attributes", out.max_attributes, kAttributeRange);
  ReadMapping(map, entry.name, type, out);
  ReportLeftovers(map, type);
  return out;
}

}  // namespace

std::vector<Source> ReadSources(LoadContext& context, const Entry& entry) {
  if (!entry.value.IsSequence() || entry.value.size() == 0) {
    const std::string problem = entry.value.IsSequence() || entry.value.IsNull()
                                    ? "at least one source is required"
                                    : "expected a list of sources, got " + Describe(entry.value, false);
    context.Error(entry.ValueMark(), "sources: " + problem);
    return {};
  }
  SeenNames seen;
  std::vector<Source> sources;
  for (const YAML::Node& item : entry.value) {
    // yaml-cpp places an empty item at the next token; the list's start is less misleading.
    const YAML::Mark mark = item.IsNull() ? entry.ValueMark() : item.Mark();
    const Entry item_entry{"sources[" + std::to_string(sources.size()) + "]", item, mark};
    sources.push_back(ReadSource(context, item_entry, seen));
  }
  return sources;
}

}  // namespace leadsync::config
