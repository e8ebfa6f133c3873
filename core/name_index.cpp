#include "core/name_index.hpp"

#include <algorithm>

namespace leadsync {
namespace {

unsigned char Fold(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte >= 'A' && byte <= 'Z' ? static_cast<unsigned char>(byte - 'A' + 'a') : byte;
}

}  // namespace

std::size_t NameIndex::Hash::operator()(std::string_view name) const {
  // FNV-1a over the case-folded bytes.
  std::size_t hash = 14695981039346656037ULL;
  for (const char c : name) {
    hash ^= Fold(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

bool NameIndex::Equal::operator()(std::string_view a, std::string_view b) const {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return Fold(x) == Fold(y); });
}

std::optional<std::size_t> NameIndex::Find(std::string_view name) const {
  const auto it = positions_.find(name);
  if (it == positions_.end()) return std::nullopt;
  return it->second;
}

std::size_t NameIndex::Insert(std::string_view name, std::size_t position) {
  return positions_.try_emplace(std::string(name), position).first->second;
}

}  // namespace leadsync
