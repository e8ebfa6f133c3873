#include "config/mapping.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <utility>

#include "config/attribute_names.hpp"
#include "config/values.hpp"
#include "core/mapping/conversion_check.hpp"

namespace leadsync::config {
namespace {

constexpr std::string_view kDrop = "drop";

constexpr std::array<Choice<ValueType>, 6> kValueTypes{{
    {"text", ValueType::kText},
    {"number", ValueType::kNumber},
    {"boolean", ValueType::kBoolean},
    {"date", ValueType::kDate},
    {"datetime", ValueType::kDateTime},
    {"phone", ValueType::kPhone},
}};
constexpr std::array<Choice<EmptyValues>, 2> kEmptyValues{
    {{"skip", EmptyValues::kSkip}, {"clear", EmptyValues::kClear}}};

std::string_view TypeName(ValueType type) { return kValueTypes[static_cast<std::size_t>(type)].name; }

void WarnUnknownAttribute(LoadContext& context, const Entry& entry, const std::string& attribute,
                          const YAML::Mark& mark) {
  if (auto warning = UnknownAttributeWarning(attribute)) context.Warn(mark, entry.name + ": " + *warning);
}

// A key only some types take: its entry when the type takes it; else it is
// reported as not valid for the type.
std::optional<Entry> TakeForTypes(MapReader& map, std::string_view key, ValueType type,
                                  std::initializer_list<ValueType> types, std::string_view type_names) {
  std::optional<Entry> entry = map.Take(key);
  if (!entry || std::ranges::find(types, type) != types.end()) return entry;
  map.Context().Error(entry->key_mark, entry->name + ": only for type " + std::string(type_names) + ", not " +
                                           std::string(TypeName(type)));
  return std::nullopt;
}

// A string the converters' check accepts; reports its problem at the value.
template <typename Check>
std::string ReadChecked(LoadContext& context, const std::optional<Entry>& entry, Check check) {
  if (!entry) return {};
  std::optional<std::string> text = ReadString(context, *entry);
  if (!text) return {};
  if (const std::optional<std::string> problem = check(*text)) {
    context.Error(entry->ValueMark(), entry->name + ": " + *problem + ", got '" + *text + "'");
    return {};
  }
  return std::move(*text);
}

Conversion ReadConversionKeys(MapReader& map) {
  Conversion out;
  Get(map, "type", out.type, kValueTypes);
  LoadContext& context = map.Context();
  const auto date_format = [](const std::string& text) { return leadsync::CheckDateFormat(text); };
  const auto datetime_format = [](const std::string& text) { return leadsync::CheckDateTimeFormat(text); };
  const auto zone = [](const std::string& text) { return leadsync::CheckTimeZone(text); };
  const auto country = [](const std::string& text) { return leadsync::CheckCountry(text); };
  const auto format_entry =
      TakeForTypes(map, "format", out.type, {ValueType::kDate, ValueType::kDateTime}, "date or datetime");
  if (out.type == ValueType::kDate) out.format = ReadChecked(context, format_entry, date_format);
  if (out.type == ValueType::kDateTime) out.format = ReadChecked(context, format_entry, datetime_format);
  out.timezone =
      ReadChecked(context, TakeForTypes(map, "timezone", out.type, {ValueType::kDateTime}, "datetime"), zone);
  out.country =
      ReadChecked(context, TakeForTypes(map, "country", out.type, {ValueType::kPhone}, "phone"), country);
  return out;
}

// `NAME: { to: ATTRIBUTE, type: ..., format: ..., timezone: ..., country: ... }`
void ReadConversion(LoadContext& context, const Entry& entry, const std::string& path,
                    const std::string& name, Source& out) {
  MapReader map(context, entry, path, entry.name + ".");
  map.SetLabel(entry.name);
  const std::optional<Entry> to_entry = map.Peek("to");
  std::string to;
  GetRequired(map, "to", to);
  const Conversion conversion = ReadConversionKeys(map);
  map.ReportUnknown();
  if (to.empty()) return;
  WarnUnknownAttribute(context, entry, to, to_entry->ValueMark());
  out.fields[name] = std::move(to);
  if (conversion.type != ValueType::kText) out.conversions[name] = conversion;
}

void ReadFields(LoadContext& context, const Entry& entry, const std::string& path, Source& out) {
  MapReader map(context, entry, "fields", "fields.");
  for (const Entry& field : map.TakeRest()) {
    const std::string name = field.name.substr(std::string_view("fields.").size());
    if (field.value.IsMap()) {
      ReadConversion(context, field, path + ".fields." + name, name, out);
      continue;
    }
    if (!field.value.IsScalar()) {
      context.Error(field.ValueMark(), field.name +
                                           ": expected an attribute name, drop, or a map with 'to', got " +
                                           Describe(field.value, false));
      continue;
    }
    std::optional<std::string> attribute = ReadString(context, field);
    if (!attribute) continue;
    if (*attribute == kDrop) {
      out.drop.insert(name);
      continue;
    }
    WarnUnknownAttribute(context, field, *attribute, field.ValueMark());
    out.fields[name] = std::move(*attribute);
  }
}

void ReadConstants(LoadContext& context, const Entry& entry, Source& out) {
  MapReader map(context, entry, "constants", "constants.");
  for (const Entry& constant : map.TakeRest()) {
    std::optional<std::string> value = ReadString(context, constant);
    if (!value) continue;
    std::string attribute = constant.name.substr(std::string_view("constants.").size());
    WarnUnknownAttribute(context, constant, attribute, constant.key_mark);
    out.constants[std::move(attribute)] = std::move(*value);
  }
}

}  // namespace

std::optional<ValueType> ValueTypeNamed(std::string_view name) {
  for (const Choice<ValueType>& choice : kValueTypes) {
    if (choice.name == name) return choice.value;
  }
  return std::nullopt;
}

void ReadMapping(MapReader& source, const std::string& path, std::optional<SourceType> type, Source& out) {
  LoadContext& context = source.Context();
  const std::optional<Entry> fields = source.Take("fields");
  const std::optional<Entry> constants = source.Take("constants");
  // A postgres row goes through the mapping like a file's record; only
  // `empty` has nothing to act on there, NULL being left out.
  const std::optional<Entry> empty = source.Peek("empty");
  if (fields) ReadFields(context, *fields, path, out);
  if (constants) ReadConstants(context, *constants, out);
  Get(source, "empty", out.empty, kEmptyValues);
  if (type != SourceType::kPostgres) return;
  if (empty && out.empty == EmptyValues::kClear) {
    context.Warn(empty->key_mark,
                 "empty: clear has no effect on a postgres source: NULL still leaves the attribute out");
  }
}

}  // namespace leadsync::config
