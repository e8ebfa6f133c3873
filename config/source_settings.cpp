#include "config/source_settings.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <utility>

#include "config/dsn_tls.hpp"
#include "config/secrets.hpp"
#include "config/text_file.hpp"
#include "config/values.hpp"
#include "core/net/address.hpp"

namespace leadsync::config {
namespace {

constexpr std::array<Choice<Format>, 4> kSpoolFormats{
    {{"auto", Format::kAuto}, {"csv", Format::kCsv}, {"jsonl", Format::kJsonl}, {"json", Format::kJson}}};
// A followed file grows line by line: one JSON array cannot be tailed.
constexpr std::array<Choice<Format>, 3> kTailFormats{
    {{"auto", Format::kAuto}, {"csv", Format::kCsv}, {"jsonl", Format::kJsonl}}};
constexpr std::array<Choice<AfterIngest>, 2> kAfterIngest{
    {{"move", AfterIngest::kMove}, {"delete", AfterIngest::kDelete}}};
constexpr std::array<Choice<StartAt>, 2> kStartAt{
    {{"beginning", StartAt::kBeginning}, {"end", StartAt::kEnd}}};

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

}  // namespace

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

namespace {

// With format auto, a followed file's name must say how to read it.
bool FollowableName(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::ranges::transform(extension, extension.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return extension == ".jsonl" || extension == ".ndjson" || extension == ".csv";
}

}  // namespace

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

namespace {

// A DSN whose sslmode can be downgraded or spoofed works, so it is a warning.
void WarnOfWeakTls(MapReader& map, const std::optional<Entry>& entry, const std::string& dsn) {
  if (!entry || dsn.empty()) return;
  if (std::optional<std::string> warning = WeakTlsWarning(dsn)) {
    map.Context().Warn(entry->ValueMark(), entry->name + ": " + *warning);
  }
}

}  // namespace

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

namespace {

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

}  // namespace

WebhookSettings ReadWebhook(MapReader& map) {
  WebhookSettings out;
  GetChecked(map, "listen", out.listen, net::CheckListen, Presence::kRequired);
  GetSecret(map, "token", out.token);
  GetChecked(map, "token_header", out.token_header, CheckHeaderName, Presence::kOptional);
  GetByteSize(map, "max_body", out.max_body);
  ReadWebhookTls(map, out);
  return out;
}

}  // namespace leadsync::config
