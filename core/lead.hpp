#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/name_index.hpp"

namespace leadsync {

// One {"Attribute": name, "Value": value} pair inside a custom field set.
struct Field {
  std::string name;
  std::string value;
  bool operator==(const Field&) const = default;
};

// One pair of an API record. A custom field set is a pair whose value is
// usually "" and whose `fields` hold the set's own pairs (`is_field_set`).
// "SearchBy" is kept as an ordinary pair so that a record round-trips to an
// identical API body.
struct Attribute {
  std::string name;
  std::string value;
  bool is_field_set = false;
  std::vector<Field> fields{};
  bool operator==(const Attribute&) const = default;
};

// A lead change: an ordered list of pairs, values always strings, sent as
// written. Attribute names compare case-insensitively, as LeadSquared does.
// Every operation costs time linear in what it touches: beyond a few
// attributes, names are found through a hash index, not a scan.
class Lead {
 public:
  Lead() = default;
  explicit Lead(std::vector<Attribute> attributes);

  [[nodiscard]] const std::vector<Attribute>& attributes() const { return attributes_; }
  [[nodiscard]] bool empty() const { return attributes_.empty(); }

  [[nodiscard]] const Attribute* Find(std::string_view name) const;
  // Replaces the value of `name` in place, or appends it.
  void Set(std::string_view name, std::string value);
  // Appends or merges a custom field set (later field value wins).
  void SetFields(std::string_view set_name, std::vector<Field> fields);
  void Append(Attribute attribute) { Add(std::move(attribute)); }
  // Adds `field` to the custom field set `set_name` (appending the set when
  // missing) without looking for a same-named field: for a reader that
  // knows the field is new (CSV columns are checked once, in the header).
  void AppendField(std::string_view set_name, Field field);
  // Applies one newer attribute: replaces the value of a same-named one (and
  // merges its Fields), or appends it.
  void Put(Attribute attribute);

  // Applies a newer change on top of this one: per attribute the later value
  // wins, field set Fields merge the same way, new attributes are appended.
  void MergeFrom(const Lead& newer);

  // The attribute that identifies the lead: SearchBy's value if present,
  // else EmailAddress, else Phone. Empty when none is set.
  [[nodiscard]] std::string SearchAttribute() const;

  // Equal pairs in the same order (the index is a cache, not state).
  bool operator==(const Lead& other) const { return attributes_ == other.attributes_; }

 private:
  // Leads up to this size are scanned; larger ones keep `index_`.
  static constexpr std::size_t kScanLimit = 8;

  [[nodiscard]] std::optional<std::size_t> Position(std::string_view name) const;
  // Appends `attribute` and indexes it when the lead is large enough.
  void Add(Attribute attribute);

  std::vector<Attribute> attributes_;
  NameIndex index_;  // empty while attributes_.size() <= kScanLimit
};

[[nodiscard]] bool NamesEqual(std::string_view a, std::string_view b);

// The normalised value a lead is known by in the queue:
// "<lower-case attribute>:<normalised value>", e.g. "emailaddress:a@x.com".
// E-mail is trimmed and lower-cased, a phone reduced to '+' and digits, any
// other attribute trimmed. nullopt (with `reason` set) when the lead has none.
[[nodiscard]] std::optional<std::string> LeadKey(const Lead& lead, std::string* reason = nullptr);

[[nodiscard]] std::string NormaliseEmail(std::string_view value);
[[nodiscard]] std::string NormalisePhone(std::string_view value);
[[nodiscard]] std::string Trim(std::string_view value);

}  // namespace leadsync
