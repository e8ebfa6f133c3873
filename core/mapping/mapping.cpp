#include "core/mapping/mapping.hpp"

#include <stdexcept>
#include <utility>
#include <vector>

#include "core/mapping/conversion_check.hpp"
#include "core/mapping/phone_conversion.hpp"
#include "core/mapping/time_conversion.hpp"

namespace leadsync {
namespace {

// A rule with what its conversion needs loaded.
struct CompiledRule {
  FieldRule rule;
  cctz::time_zone zone;
};

// "Set.Field" split, or nullopt for a plain name.
struct FieldTarget {
  std::string set;
  std::string field;
};

std::optional<FieldTarget> SplitTarget(std::string_view name) {
  const std::size_t dot = name.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == name.size()) return std::nullopt;
  return FieldTarget{std::string(name.substr(0, dot)), std::string(name.substr(dot + 1))};
}

void PutValue(Lead& out, const std::string& target, std::string value) {
  if (std::optional<FieldTarget> field = SplitTarget(target)) {
    out.Put(Attribute{std::move(field->set), "", true, {Field{std::move(field->field), std::move(value)}}});
  } else {
    out.Put(Attribute{target, std::move(value)});
  }
}

Converted Convert(const CompiledRule& compiled, const std::string& text) {
  const Conversion& conversion = compiled.rule.conversion;
  // An empty value is a clear (empty: clear) or a JSON "": sent as it is.
  if (conversion.type == ValueType::kText || Trim(text).empty()) return Converted{text, ""};
  switch (conversion.type) {
    case ValueType::kNumber:
      return ConvertNumber(text);
    case ValueType::kBoolean:
      return ConvertBoolean(text);
    case ValueType::kDate:
      return ConvertDate(text, conversion.format);
    case ValueType::kDateTime:
      return ConvertDateTime(text, conversion.format, compiled.zone);
    case ValueType::kPhone:
      return ConvertPhone(text, conversion.country);
    case ValueType::kText:
      break;
  }
  return Converted{text, ""};
}

bool HasValue(const Lead& lead, std::string_view name) {
  if (std::optional<FieldTarget> target = SplitTarget(name)) {
    const Attribute* set = lead.Find(target->set);
    if (set == nullptr) return false;
    for (const Field& field : set->fields) {
      if (NamesEqual(field.name, target->field)) return !Trim(field.value).empty();
    }
    return false;
  }
  const Attribute* attribute = lead.Find(name);
  return attribute != nullptr && (attribute->is_field_set || !Trim(attribute->value).empty());
}

}  // namespace

struct Mapping::Rules {
  MappingOptions options;
  std::map<std::string, CompiledRule, std::less<>> fields;
};

// One lead's mapping: the rules, the lead being built, and the first
// problem met.
class LeadMapper final {
 public:
  using CompiledRules = std::map<std::string, CompiledRule, std::less<>>;

  explicit LeadMapper(const CompiledRules& rules) : rules_(rules) {}

  std::optional<std::string> Map(const Lead& in, Lead& out) {
    for (const Attribute& attribute : in.attributes()) {
      if (attribute.is_field_set) {
        MapSet(attribute, out);
      } else {
        MapValue(attribute.name, attribute.value, out);
      }
      if (problem_) return problem_;
    }
    RenameSearchBy(out);
    return std::nullopt;
  }

 private:
  const CompiledRule* Find(std::string_view name) const {
    const auto it = rules_.find(name);
    return it == rules_.end() ? nullptr : &it->second;
  }

  // One value under its input name (an attribute, or "Set.Field").
  void MapValue(const std::string& name, const std::string& value, Lead& out) {
    const CompiledRule* compiled = Find(name);
    if (compiled == nullptr) {
      PutPlainOrField(name, value, out);
      return;
    }
    if (compiled->rule.drop) return;
    Converted converted = Convert(*compiled, value);
    if (!converted.ok()) {
      problem_ = "field '" + name + "': " + QuoteValue(value) + " is " + converted.problem;
      return;
    }
    PutValue(out, compiled->rule.to, std::move(converted.value));
  }

  // A name without a rule keeps its form: a JSON key "a.b" stays one attribute.
  static void PutPlainOrField(const std::string& name, const std::string& value, Lead& out) {
    out.Put(Attribute{name, value});
  }

  void MapSet(const Attribute& set, Lead& out) {
    const CompiledRule* set_rule = Find(set.name);
    if (set_rule != nullptr && set_rule->rule.conversion.type != ValueType::kText) {
      problem_ = "field '" + set.name +
                 "' is a custom field set: a conversion applies to one of its fields ('" + set.name +
                 ".FIELD')";
      return;
    }
    std::vector<Field> kept;
    for (const Field& field : set.fields) {
      const std::string whole = set.name + "." + field.name;
      if (Find(whole) != nullptr) {
        MapValue(whole, field.value, out);
        if (problem_) return;
      } else {
        kept.push_back(field);
      }
    }
    if (set_rule != nullptr && set_rule->rule.drop) return;
    if (kept.empty() && !set.fields.empty()) return;  // every field went elsewhere
    out.Put(Attribute{set_rule != nullptr ? set_rule->rule.to : set.name, set.value, true, std::move(kept)});
  }

  // SearchBy names an attribute, so it follows the renames names do.
  void RenameSearchBy(Lead& out) const {
    const Attribute* search_by = out.Find("SearchBy");
    if (search_by == nullptr || search_by->is_field_set) return;
    const CompiledRule* compiled = Find(Trim(search_by->value));
    if (compiled != nullptr && !compiled->rule.drop) out.Set("SearchBy", compiled->rule.to);
  }

  const CompiledRules& rules_;
  std::optional<std::string> problem_;
};

Mapping::Mapping() : rules_(std::make_shared<Rules>()) {}

Mapping::Mapping(MappingOptions options) {
  auto rules = std::make_shared<Rules>();
  for (const auto& [name, rule] : options.fields) {
    if (rule.drop) {
      rules->fields.emplace(name, CompiledRule{rule, {}});
      continue;
    }
    if (rule.to.empty()) throw std::invalid_argument("field '" + name + "': no attribute to map it to");
    if (auto problem = CheckConversion(rule.conversion)) {
      throw std::invalid_argument("field '" + name + "': " + *problem);
    }
    CompiledRule compiled{rule, {}};
    if (rule.conversion.type == ValueType::kDateTime) compiled.zone = *LoadTimeZone(rule.conversion.timezone);
    rules->fields.emplace(name, std::move(compiled));
  }
  rules->options = std::move(options);
  rules_ = std::move(rules);
}

std::optional<std::string> Mapping::Apply(Lead& lead) const {
  if (rules_->fields.empty() && rules_->options.constants.empty()) return std::nullopt;
  Lead out;
  if (std::optional<std::string> problem = LeadMapper(rules_->fields).Map(lead, out)) return problem;
  for (const auto& [name, value] : rules_->options.constants) {
    if (!HasValue(out, name)) PutValue(out, name, value);
  }
  lead = std::move(out);
  return std::nullopt;
}

EmptyValues Mapping::empty() const { return rules_->options.empty; }

const MappingOptions& Mapping::options() const { return rules_->options; }

std::string QuoteValue(std::string_view value, std::size_t limit) {
  std::size_t end = std::min(value.size(), limit);
  // Back off to the start of a UTF-8 sequence: continuation bytes are 10xxxxxx.
  while (end < value.size() && end > 0 && (static_cast<unsigned char>(value[end]) & 0xC0) == 0x80) --end;
  std::string out = "'";
  for (const char c : value.substr(0, end)) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\'' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte == 0x7F) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    } else {
      out += c;
    }
  }
  out += "'";
  if (end < value.size()) out += "...";
  return out;
}

}  // namespace leadsync
