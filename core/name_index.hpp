#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace leadsync {

// Positions of names in a list, compared case-insensitively (ASCII, as
// LeadSquared compares attribute names). Lookups are O(1), so that a record
// with tens of thousands of attributes or fields costs time linear in its
// size, where a scan per name would make it quadratic.
//
// A plain value; not thread-safe.
class NameIndex final {
 public:
  // The position recorded for `name`, if any.
  [[nodiscard]] std::optional<std::size_t> Find(std::string_view name) const;
  // Records `name` at `position` unless it is already known; returns the
  // position now recorded for it.
  std::size_t Insert(std::string_view name, std::size_t position);
  void Clear() { positions_.clear(); }
  // Whether two names are the same to LeadSquared.
  [[nodiscard]] static bool Same(std::string_view a, std::string_view b) { return Equal{}(a, b); }
  [[nodiscard]] bool empty() const { return positions_.empty(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const;
  };
  struct Equal {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const;
  };
  std::unordered_map<std::string, std::size_t, Hash, Equal> positions_;
};

// Applies `newer` items (each with a `name` and a `value`) onto `into`: a
// same-named item (case-insensitive) takes the newer value, others are
// appended. Linear in the sizes of both lists.
template <class Item>
void MergeNamed(std::vector<Item>& into, const std::vector<Item>& newer) {
  // The usual set has a handful of fields: a scan beats building an index.
  constexpr std::size_t kScanLimit = 64;
  if (into.size() * newer.size() <= kScanLimit) {
    for (const Item& item : newer) {
      auto same = [&](const Item& old) { return NameIndex::Same(old.name, item.name); };
      if (auto it = std::find_if(into.begin(), into.end(), same); it != into.end()) {
        it->value = item.value;
      } else {
        into.push_back(item);
      }
    }
    return;
  }
  NameIndex index;
  for (std::size_t i = 0; i < into.size(); ++i) index.Insert(into[i].name, i);
  for (const Item& item : newer) {
    const std::size_t at = index.Insert(item.name, into.size());
    if (at == into.size()) {
      into.push_back(item);
    } else {
      into[at].value = item.value;
    }
  }
}

}  // namespace leadsync
