#include "config/values.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <utility>

#include "config/interpolation.hpp"
#include "config/loader.hpp"

namespace leadsync::config {
namespace {

std::string Quote(std::string_view text) { return "'" + std::string(text) + "'"; }

bool IsAllDigits(std::string_view text) {
  return !text.empty() && std::ranges::all_of(text, [](unsigned char c) { return std::isdigit(c) != 0; });
}

// The interpolated text of a scalar entry; reports a non-scalar as not being `expected`.
std::optional<std::string> ScalarText(LoadContext& context, const Entry& entry, std::string_view expected) {
  if (!entry.value.IsScalar()) {
    context.Error(entry.ValueMark(), entry.name + ": expected " + std::string(expected) + ", got " +
                                         Describe(entry.value, entry.secret));
    return std::nullopt;
  }
  Interpolated result = Interpolate(entry.value.Scalar(), context.Env());
  if (!result.text) context.Error(entry.ValueMark(), entry.name + ": " + result.error);
  return std::move(result.text);
}

// "a", "a or b", "a, b or c"
std::string Alternatives(std::span<const std::string_view> names) {
  std::string text;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += i + 1 == names.size() ? " or " : ", ";
    text += names[i];
  }
  return text;
}

std::string RangeText(IntRange range) {
  // An upper bound as large as the field's type is no bound worth mentioning.
  if (range.max >= std::numeric_limits<int>::max()) return "at least " + std::to_string(range.min);
  return "between " + std::to_string(range.min) + " and " + std::to_string(range.max);
}

template <typename T, typename Reader>
void GetWith(MapReader& map, std::string_view key, T& out, Reader read,
             Presence presence = Presence::kOptional) {
  const std::optional<Entry> entry = presence == Presence::kRequired ? map.TakeRequired(key) : map.Take(key);
  if (!entry) return;
  if (auto value = read(map.Context(), *entry)) out = static_cast<T>(std::move(*value));
}

}  // namespace

std::optional<std::string> ReadString(LoadContext& context, const Entry& entry, Empty empty) {
  std::optional<std::string> text = ScalarText(context, entry, "a string");
  if (text && text->empty() && empty == Empty::kRejected) {
    context.Error(entry.ValueMark(), entry.name + ": must not be empty");
    return std::nullopt;
  }
  return text;
}

std::optional<std::int64_t> ReadInt(LoadContext& context, const Entry& entry, IntRange range) {
  const std::optional<std::string> text = ScalarText(context, entry, "an integer");
  if (!text) return std::nullopt;
  std::int64_t value = 0;
  const char* end = text->data() + text->size();
  const auto [stop, error] = std::from_chars(text->data(), end, value);
  const bool parsed = stop == end && !text->empty();
  if (!parsed || (error != std::errc{} && error != std::errc::result_out_of_range)) {
    context.Error(entry.ValueMark(), entry.name + ": expected an integer, got " + Quote(*text));
    return std::nullopt;
  }
  if (error == std::errc::result_out_of_range || value < range.min || value > range.max) {
    context.Error(entry.ValueMark(), entry.name + ": must be " + RangeText(range) + ", got " + *text);
    return std::nullopt;
  }
  return value;
}

std::optional<bool> ReadBool(LoadContext& context, const Entry& entry) {
  const std::optional<std::string> text = ScalarText(context, entry, "true or false");
  if (!text) return std::nullopt;
  if (*text == "true") return true;
  if (*text == "false") return false;
  context.Error(entry.ValueMark(), entry.name + ": expected true or false, got " + Quote(*text));
  return std::nullopt;
}

std::optional<Duration> ReadDuration(LoadContext& context, const Entry& entry, DurationRule rule) {
  const std::optional<std::string> text = ScalarText(context, entry, "a duration");
  if (!text) return std::nullopt;
  const std::optional<Duration> value = ParseDuration(*text);
  std::string problem;
  if (!value && IsAllDigits(text->starts_with('-') ? text->substr(1) : *text)) {
    problem = "a unit is required (ms, s, m, h or d), as in '5s'";
  } else if (!value) {
    problem = "expected a duration such as 250ms, 5s, 2m, 24h or 14d";
  } else if (value->count() < 0) {
    problem = "must not be negative";
  } else if (value->count() == 0 && rule == DurationRule::kPositive) {
    problem = "must be greater than 0";
  } else {
    return value;
  }
  context.Error(entry.ValueMark(), entry.name + ": " + problem + ", got " + Quote(*text));
  return std::nullopt;
}

std::optional<std::uint64_t> ReadByteSize(LoadContext& context, const Entry& entry) {
  const std::optional<std::string> text = ScalarText(context, entry, "a size");
  if (!text) return std::nullopt;
  const std::optional<std::uint64_t> value = ParseByteSize(*text);
  if (value && *value > 0) return value;
  const std::string problem =
      value ? "must be greater than 0" : "expected a size such as 1048576, 64KiB or 1MiB";
  context.Error(entry.ValueMark(), entry.name + ": " + problem + ", got " + Quote(*text));
  return std::nullopt;
}

std::optional<std::filesystem::path> ReadPath(LoadContext& context, const Entry& entry) {
  const std::optional<std::string> text = ReadString(context, entry);
  if (!text) return std::nullopt;
  const std::filesystem::path path(*text);
  if (path.is_absolute()) return path.lexically_normal();
  return (context.BaseDir() / path).lexically_normal();
}

std::optional<std::size_t> ReadChoice(LoadContext& context, const Entry& entry,
                                      std::span<const std::string_view> names) {
  const std::optional<std::string> text = ScalarText(context, entry, Alternatives(names));
  if (!text) return std::nullopt;
  const auto found = std::ranges::find(names, *text);
  if (found != names.end()) return static_cast<std::size_t>(found - names.begin());
  context.Error(entry.ValueMark(),
                entry.name + ": expected " + Alternatives(names) + ", got " + Quote(*text));
  return std::nullopt;
}

void Get(MapReader& map, std::string_view key, std::string& out, Empty empty) {
  GetWith(map, key, out,
          [empty](LoadContext& context, const Entry& entry) { return ReadString(context, entry, empty); });
}

void Get(MapReader& map, std::string_view key, std::optional<std::string>& out) {
  GetWith(map, key, out, [](LoadContext& context, const Entry& entry) { return ReadString(context, entry); });
}

void GetRequired(MapReader& map, std::string_view key, std::string& out) {
  GetWith(
      map, key, out, [](LoadContext& context, const Entry& entry) { return ReadString(context, entry); },
      Presence::kRequired);
}

void Get(MapReader& map, std::string_view key, bool& out) { GetWith(map, key, out, ReadBool); }

void Get(MapReader& map, std::string_view key, int& out, IntRange range) {
  range.max = std::min<std::int64_t>(range.max, std::numeric_limits<int>::max());
  GetWith(map, key, out,
          [range](LoadContext& context, const Entry& entry) { return ReadInt(context, entry, range); });
}

void Get(MapReader& map, std::string_view key, std::int64_t& out, IntRange range) {
  GetWith(map, key, out,
          [range](LoadContext& context, const Entry& entry) { return ReadInt(context, entry, range); });
}

void Get(MapReader& map, std::string_view key, Duration& out, DurationRule rule) {
  GetWith(map, key, out,
          [rule](LoadContext& context, const Entry& entry) { return ReadDuration(context, entry, rule); });
}

void GetByteSize(MapReader& map, std::string_view key, std::uint64_t& out) {
  GetWith(map, key, out, ReadByteSize);
}

void GetPath(MapReader& map, std::string_view key, std::filesystem::path& out, Presence presence) {
  GetWith(map, key, out, ReadPath, presence);
}

void GetChecked(MapReader& map, std::string_view key, std::string& out, TextCheck check, Presence presence) {
  const auto read = [check](LoadContext& context, const Entry& entry) -> std::optional<std::string> {
    std::optional<std::string> text = ReadString(context, entry);
    if (!text) return std::nullopt;
    const std::optional<std::string> problem = check(*text);
    if (!problem) return text;
    context.Error(entry.ValueMark(), entry.name + ": " + *problem + ", got " + Quote(*text));
    return std::nullopt;
  };
  GetWith(map, key, out, read, presence);
}

}  // namespace leadsync::config
