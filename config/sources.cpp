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
constexpr std::array<Choice<Format>, 4> kSpoolFormats{
    {{"auto", Format::kAuto}, {"csv", Format::kCsv}, {"jsonl", Format::kJsonl}, {"json", Format::kJson}}};
// A followed file grows line by line: one JSON array cannot be tailed.
constexpr std::array<Choice<Format>, 3> kTailFormats{
    {{"auto", Format::kAuto}, {"csv", Format::kCsv}, {"jsonl", Format::kJsonl}}};
constexpr std::array<Choice<AfterIngest>, 2> kAfterIngest{
    {{"move", AfterIngest::kMove}, {"delete", AfterIngest::kDelete}}};
constexpr std::array<Choice<SourcePriority>, 3> kSourcePriorities{
    {{"high", SourcePriority::kHigh}, {"normal", SourcePriority::kNormal}, {"low", SourcePriority::kLow}}};
constexpr std::array<Choice<StartAt>, 2> kStartAt{
    {{"beginning", StartAt::kBeginning}, {"end", StartAt::kEnd}}};

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

std::optional<std::vector<std::string>> ReadCursor(LoadContext& context, const Entry& entry) {
  if (entry.value.IsScalar()) {
    std::optional<std::string> column = ReadString(context, entry);
    if (!column) return std::nullopt;
    return std::vector<std::string>{std::move(*column)};
  }
  if (!entry.value.IsSequence() || entry.value.size() == 0) {
    const std::string got = entry.value.IsSequence() ? "an empty list" : Describe(entry.value, false);
    context.Error(entry.ValueMark(), entry.name + ": expected a column name or a list of them, got " + got);
    return std::nullopt;
  }
  std::vector<std::string> columns;
  bool all_read = true;
  for (const YAML::Node& item : entry.value) {
    const Entry column_entry{entry.name + "[" + std::to_string(columns.size()) + "]", item,
                             entry.ValueMark()};
    std::optional<std::string> column = ReadString(context, column_entry);
    all_read = all_read && column.has_value();
    columns.push_back(column.value_or(""));
  }
  if (!all_read) return std::nullopt;
  return columns;
}

std::optional<std::string> CheckHeaderName(std::string_view text) {
  constexpr std::string_view kTokenChars = "!#$%&'*+-.^_`|~";
  for (const char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && kTokenChars.find(c) == std::string_view::npos) {
      return "an HTTP header name holds letters, digits and !#$%&'*+-.^_`|~ only";
    }
  }
  return std::nullopt;
}

// A misspelt path would otherwise be created and watched while the files
// land elsewhere.
void CheckSpoolExists(MapReader& map, const std::optional<Entry>& entry, const SpoolSettings& spool) {
  if (!entry || spool.path.empty() || spool.create || !map.Context().ChecksHost()) return;
  std::error_code error;
  const auto status = std::filesystem::status(spool.path, error);
  if (status.type() == std::filesystem::file_type::directory) return;
  const std::string problem = status.type() == std::filesystem::file_type::not_found
                                  ? "does not exist (create it, or set create: true)"
                              : error ? "cannot be read: " + error.message()
                                      : "is not a directory";
  map.Context().Error(entry->ValueMark(),
                      "path: the spool directory '" + spool.path.string() + "' " + problem);
}

SpoolSettings ReadSpool(MapReader& map) {
  SpoolSettings out;
  const std::optional<Entry> path = map.Peek("path");
  GetPath(map, "path", out.path, Presence::kRequired);
  Get(map, "format", out.format, kSpoolFormats);
  Get(map, "after", out.after, kAfterIngest);
  GetByteSize(map, "max_file_size", out.max_file_size);
  Get(map, "create", out.create);
  CheckSpoolExists(map, path, out);
  return out;
}

// With format auto, a followed file's name must say how to read it.
bool FollowableName(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::ranges::transform(extension, extension.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return extension == ".jsonl" || extension == ".ndjson" || extension == ".csv";
}

TailSettings ReadTail(MapReader& map) {
  TailSettings out;
  const std::optional<Entry> path = map.Peek("path");
  GetPath(map, "path", out.path, Presence::kRequired);
  Get(map, "format", out.format, kTailFormats);
  Get(map, "start_at", out.start_at, kStartAt);
  if (path && !out.path.empty() && out.format == Format::kAuto && !FollowableName(out.path)) {
    map.Context().Warn(path->ValueMark(),
                       "path: format auto cannot tell how to follow '" + out.path.string() +
                           "' (.jsonl, .ndjson or .csv); the source waits until format is set");
  }
  return out;
}

// A DSN whose sslmode can be downgraded or spoofed works, so it is a warning.
void WarnOfWeakTls(MapReader& map, const std::optional<Entry>& entry, const std::string& dsn) {
  if (!entry || dsn.empty()) return;
  if (std::optional<std::string> warning = WeakTlsWarning(dsn)) {
    map.Context().Warn(entry->ValueMark(), entry->name + ": " + *warning);
  }
}

PostgresSettings ReadPostgres(MapReader& map) {
  PostgresSettings out;
  std::optional<Entry> dsn_entry = map.Peek("dsn");
  if (!dsn_entry) dsn_entry = map.Peek("dsn_file");
  GetSecret(map, "dsn", out.dsn);
  WarnOfWeakTls(map, dsn_entry, out.dsn);
  GetRequired(map, "query", out.query);
  if (const std::optional<Entry> cursor = map.TakeRequired("cursor")) {
    out.cursor = ReadCursor(map.Context(), *cursor).value_or(std::vector<std::string>{});
  }
  Get(map, "cursor_start", out.cursor_start, Empty::kAllowed);
  Get(map, "cursor_delay", out.cursor_delay, DurationRule::kNonNegative);
  Get(map, "interval", out.interval, DurationRule::kPositive);
  GetByteSize(map, "max_page_bytes", out.max_page_bytes);
  return out;
}

// A TLS file's content, read now as secret files are (the key held to their
// modes); whether it is a usable certificate or key is for the source to
// find when it starts.
void ReadTlsFile(LoadContext& context, const Entry& entry, const std::filesystem::path& path,
                 std::string& out, bool secret) {
  TextFile file = ReadTextFile(path);
  const std::optional<std::string> exposed =
      secret && file.content ? CheckSecretFileMode(path, file.permissions) : std::nullopt;
  if (!file.content) {
    context.Error(entry.key_mark, entry.name + ": cannot read '" + path.string() + "': " + file.error);
  } else if (exposed) {
    context.Error(entry.key_mark, entry.name + ": " + *exposed);
  } else if (file.content->empty()) {
    context.Error(entry.key_mark, entry.name + ": '" + path.string() + "' is empty");
  } else {
    out = std::move(*file.content);
  }
}

// TLS needs both files; one without the other is reported at the one given.
void ReadWebhookTls(MapReader& map, WebhookSettings& out) {
  const std::optional<Entry> cert = map.Peek("tls_cert_file");
  const std::optional<Entry> key = map.Peek("tls_key_file");
  GetPath(map, "tls_cert_file", out.tls_cert_file, Presence::kOptional);
  GetPath(map, "tls_key_file", out.tls_key_file, Presence::kOptional);
  if (cert.has_value() != key.has_value()) {
    const Entry& given = cert ? *cert : *key;
    map.Context().Error(given.key_mark, "give both 'tls_cert_file' and 'tls_key_file' for HTTPS, or neither");
    return;
  }
  if (!cert || !map.Context().ReadsSecrets()) return;
  if (!out.tls_cert_file.empty())
    ReadTlsFile(map.Context(), *cert, out.tls_cert_file, out.tls_certificate, false);
  if (!out.tls_key_file.empty()) ReadTlsFile(map.Context(), *key, out.tls_key_file, out.tls_key, true);
}

WebhookSettings ReadWebhook(MapReader& map) {
  WebhookSettings out;
  GetChecked(map, "listen", out.listen, net::CheckListen, Presence::kRequired);
  GetSecret(map, "token", out.token);
  GetChecked(map, "token_header", out.token_header, CheckHeaderName, Presence::kOptional);
  GetByteSize(map, "max_body", out.max_body);
  ReadWebhookTls(map, out);
  return out;
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
