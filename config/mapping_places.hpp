#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"

// Where each attribute a source's mapping produces is written in the config
// file, for findings at the mapping entry (`check --online`). The loader
// keeps no positions in Config (two configs that differ only in layout are
// equal); this reads them from the same text.
namespace leadsync::config {

struct MappingPlace {
  enum class Kind { kRename, kConversion, kConstant };
  Kind kind = Kind::kRename;
  std::string input;              // the column or key (a constant: the attribute)
  std::string attribute;          // what it produces ("Set.Field" for a custom field)
  std::optional<ValueType> type;  // kConversion: its type
  std::string constant;           // kConstant: its value
  int line = 0;                   // 1-based, of the attribute as written
  int column = 0;
};

struct SourcePlaces {
  std::string name;
  int line = 0;  // 1-based, of the source's entry in `sources`
  int column = 0;
  std::vector<MappingPlace> places;  // in file order: fields, then constants
};

// The places of every source of a config file's text, in `sources` order.
// For a text LoadConfig accepted; a text it would refuse yields what could
// be read (never throws).
[[nodiscard]] std::vector<SourcePlaces> ReadMappingPlaces(const std::string& yaml);

}  // namespace leadsync::config
