#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/yaml_walker.hpp"

// Typed readers for scalar values. Each Read* reports what is wrong with the
// entry (at the value's position) and returns nullopt; each Get reads a key
// of a map when present and leaves the default in place when it is absent or
// bad. ${NAME} is replaced in every scalar before it is parsed.
namespace leadsync::config {

struct IntRange {
  std::int64_t min;
  std::int64_t max;
};
enum class DurationRule { kNonNegative, kPositive };
enum class Empty { kRejected, kAllowed };
enum class Presence { kOptional, kRequired };
// What is wrong with a text, or nullopt when it is fine (see config/address.hpp).
using TextCheck = std::optional<std::string> (*)(std::string_view);

template <typename E>
struct Choice {
  std::string_view name;
  E value;
};

[[nodiscard]] std::optional<std::string> ReadString(LoadContext& context, const Entry& entry,
                                                    Empty empty = Empty::kRejected);
[[nodiscard]] std::optional<std::int64_t> ReadInt(LoadContext& context, const Entry& entry, IntRange range);
[[nodiscard]] std::optional<bool> ReadBool(LoadContext& context, const Entry& entry);
[[nodiscard]] std::optional<Duration> ReadDuration(LoadContext& context, const Entry& entry,
                                                   DurationRule rule);
[[nodiscard]] std::optional<std::uint64_t> ReadByteSize(LoadContext& context, const Entry& entry);
// A path relative to the config file's directory becomes one under it.
[[nodiscard]] std::optional<std::filesystem::path> ReadPath(LoadContext& context, const Entry& entry);
// The index of the value among `names`.
[[nodiscard]] std::optional<std::size_t> ReadChoice(LoadContext& context, const Entry& entry,
                                                    std::span<const std::string_view> names);

template <typename E, std::size_t N>
[[nodiscard]] std::optional<E> ReadEnum(LoadContext& context, const Entry& entry,
                                        const std::array<Choice<E>, N>& choices) {
  std::array<std::string_view, N> names;
  for (std::size_t i = 0; i < N; ++i) names[i] = choices[i].name;
  const std::optional<std::size_t> index = ReadChoice(context, entry, names);
  if (!index) return std::nullopt;
  return choices[*index].value;
}

void Get(MapReader& map, std::string_view key, std::string& out, Empty empty = Empty::kRejected);
void Get(MapReader& map, std::string_view key, std::optional<std::string>& out);
void GetRequired(MapReader& map, std::string_view key, std::string& out);
void Get(MapReader& map, std::string_view key, bool& out);
void Get(MapReader& map, std::string_view key, int& out, IntRange range);
void Get(MapReader& map, std::string_view key, std::int64_t& out, IntRange range);
void Get(MapReader& map, std::string_view key, Duration& out, DurationRule rule);
void GetByteSize(MapReader& map, std::string_view key, std::uint64_t& out);
void GetPath(MapReader& map, std::string_view key, std::filesystem::path& out, Presence presence);
// A string that `check` accepts.
void GetChecked(MapReader& map, std::string_view key, std::string& out, TextCheck check, Presence presence);

template <typename E, std::size_t N>
void Get(MapReader& map, std::string_view key, E& out, const std::array<Choice<E>, N>& choices) {
  const std::optional<Entry> entry = map.Take(key);
  if (!entry) return;
  if (const std::optional<E> value = ReadEnum(map.Context(), *entry, choices)) out = *value;
}

}  // namespace leadsync::config
