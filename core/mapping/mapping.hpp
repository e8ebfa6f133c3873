#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/lead.hpp"
#include "core/mapping/conversion.hpp"
#include "core/mapping/empty_values.hpp"

// A source's mapping: what becomes of each column or key of its records
// (renamed, dropped, converted), the constants every record gets, and what
// an empty value means. It applies to leads as the decoders read them, with
// the input's own names, so that every source type maps the same way.
namespace leadsync {

// What becomes of one column or key.
struct FieldRule {
  std::string to;     // the attribute, or "Set.Field" for a field of a custom field set
  bool drop = false;  // left out; `to` and `conversion` are not used
  Conversion conversion{};
  bool operator==(const FieldRule&) const = default;
};

// A mapping as plain settings (daemon/ makes them from a source's config).
struct MappingOptions {
  // By the input's name: a CSV column or JSON key as written, or
  // "Set.Field" for one field of a custom field set.
  std::map<std::string, FieldRule> fields;
  // Attribute ("Set.Field" for a field) -> the value a record gets when it
  // has none (absent or empty). Sent as written, never converted.
  std::map<std::string, std::string> constants;
  EmptyValues empty = EmptyValues::kSkip;  // for the decoders: Mapping::Apply does not look at it
  bool operator==(const MappingOptions&) const = default;
};

// A mapping ready to apply: its conversions checked and their time zones
// loaded. Immutable once built, so thread-safe; copies share the rules.
class Mapping final {
 public:
  Mapping();  // maps nothing
  // Throws std::invalid_argument for a conversion CheckConversion refuses
  // (config/ refuses those at load, with their line and column).
  explicit Mapping(MappingOptions options);

  // Maps one decoded lead in place, in its attributes' order:
  //  - a field set's field is looked up as "Set.Field" first, then with its
  //    set (a renamed set takes the fields no rule of their own moves);
  //  - a rule's `to` may name "Set.Field", whatever the input's form;
  //  - a converted value replaces the text (an empty one is left as it is);
  //  - names without a rule pass unchanged; when two inputs map to one
  //    attribute, the later in the record wins;
  //  - a SearchBy that names a renamed input names its attribute;
  //  - then the constants fill what the record has no value for.
  // nullopt when mapped; else why the record is refused (a bad_value:
  // "field 'NAME': 'VALUE' is not a number", the value escaped and cut to
  // 64 bytes), and `lead` is left as it was.
  [[nodiscard]] std::optional<std::string> Apply(Lead& lead) const;

  [[nodiscard]] EmptyValues empty() const;
  [[nodiscard]] const MappingOptions& options() const;

 private:
  struct Rules;
  std::shared_ptr<const Rules> rules_;
};

// `value` quoted for a message: in single quotes, control bytes, quotes and
// backslashes escaped, cut at `limit` bytes (on a UTF-8 boundary) with "...".
[[nodiscard]] std::string QuoteValue(std::string_view value, std::size_t limit = 64);

}  // namespace leadsync
