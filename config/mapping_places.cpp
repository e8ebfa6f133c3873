#include "config/mapping_places.hpp"

#include <yaml-cpp/yaml.h>

#include <array>
#include <utility>

#include "config/mapping.hpp"

namespace leadsync::config {
namespace {

ValueType TypeNamed(const YAML::Node& node) {
  if (!node || !node.IsScalar()) return ValueType::kText;
  return ValueTypeNamed(node.Scalar()).value_or(ValueType::kText);
}

void Place(MappingPlace& place, const YAML::Mark& mark) {
  place.line = mark.line + 1;
  place.column = mark.column + 1;
}

void ReadFields(const YAML::Node& fields, std::vector<MappingPlace>& out) {
  if (!fields.IsMap()) return;
  for (const auto& item : fields) {
    MappingPlace place;
    place.input = item.first.Scalar();
    const YAML::Node& value = item.second;
    if (value.IsScalar() && value.Scalar() != "drop") {
      place.attribute = value.Scalar();
      Place(place, value.Mark());
    } else if (value.IsMap() && value["to"] && value["to"].IsScalar()) {
      place.kind = MappingPlace::Kind::kConversion;
      place.attribute = value["to"].Scalar();
      place.type = TypeNamed(value["type"]);
      Place(place, value["to"].Mark());
    } else {
      continue;
    }
    out.push_back(std::move(place));
  }
}

void ReadConstants(const YAML::Node& constants, std::vector<MappingPlace>& out) {
  if (!constants.IsMap()) return;
  for (const auto& item : constants) {
    MappingPlace place;
    place.kind = MappingPlace::Kind::kConstant;
    place.input = item.first.Scalar();
    place.attribute = place.input;
    if (item.second.IsScalar()) place.constant = item.second.Scalar();
    Place(place, item.first.Mark());
    out.push_back(std::move(place));
  }
}

}  // namespace

std::vector<SourcePlaces> ReadMappingPlaces(const std::string& yaml) {
  std::vector<SourcePlaces> sources;
  try {
    const YAML::Node root = YAML::Load(yaml);
    const YAML::Node list = root.IsMap() ? root["sources"] : YAML::Node();
    if (!list || !list.IsSequence()) return sources;
    for (const YAML::Node& source : list) {
      SourcePlaces out;
      out.line = source.Mark().line + 1;
      out.column = source.Mark().column + 1;
      if (!source.IsMap()) continue;
      if (source["name"] && source["name"].IsScalar()) out.name = source["name"].Scalar();
      if (source["fields"]) ReadFields(source["fields"], out.places);
      if (source["constants"]) ReadConstants(source["constants"], out.places);
      sources.push_back(std::move(out));
    }
  } catch (const YAML::Exception&) {
    // The loader reports the file's problems; this only adds places.
  }
  return sources;
}

}  // namespace leadsync::config
