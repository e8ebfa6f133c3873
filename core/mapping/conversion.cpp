#include "core/mapping/conversion.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <vector>

namespace leadsync {
namespace {

// A number's exponent beyond this is refused: "1e999999999" would otherwise
// be written out as a billion digits.
constexpr int kMaxExponent = 100;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view text) { return std::ranges::all_of(text, IsDigit); }

std::string_view TrimView(std::string_view text) {
  auto blank = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(),
                         [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  return out;
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const std::size_t at = text.find(separator, start);
    parts.push_back(text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

// The digits of an integer part written with grouping commas: the last group
// has three digits, the ones between the first and the last all three
// (1,234,567) or all two (12,34,567, the Indian grouping), the first at most
// as many. nullopt for anything else.
std::optional<std::string> Ungroup(std::string_view integer) {
  const std::vector<std::string_view> groups = Split(integer, ',');
  if (groups.size() == 1) return std::string(integer);
  if (groups.back().size() != 3 || !std::ranges::all_of(groups, AllDigits)) return std::nullopt;
  const std::size_t size = groups.size() > 2 ? groups[1].size() : 3;
  if (size != 2 && size != 3) return std::nullopt;
  for (std::size_t i = 1; i + 1 < groups.size(); ++i) {
    if (groups[i].size() != size) return std::nullopt;
  }
  if (groups.front().empty() || groups.front().size() > size) return std::nullopt;
  std::string digits;
  for (const std::string_view group : groups) digits += group;
  return digits;
}

// The parts of a decimal number as written: sign, integer and fraction
// digits, and the exponent.
struct Decimal {
  bool negative = false;
  std::string integer;
  std::string fraction;
  int exponent = 0;
};

bool ReadExponent(std::string_view text, int& exponent) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  if (text.empty() || !AllDigits(text) || text.size() > 4) return false;
  std::from_chars(text.data(), text.data() + text.size(), exponent);
  if (exponent > kMaxExponent) return false;
  if (negative) exponent = -exponent;
  return true;
}

std::optional<Decimal> ReadDecimal(std::string_view text) {
  Decimal out;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    out.negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (const std::size_t e = text.find_first_of("eE"); e != std::string_view::npos) {
    if (!ReadExponent(text.substr(e + 1), out.exponent)) return std::nullopt;
    text = text.substr(0, e);
  }
  const std::size_t point = text.find('.');
  const std::string_view integer = text.substr(0, point);
  if (point != std::string_view::npos) out.fraction = text.substr(point + 1);
  std::optional<std::string> digits = Ungroup(integer);
  if (!digits || !AllDigits(*digits) || !AllDigits(out.fraction)) return std::nullopt;
  if (digits->empty() && out.fraction.empty()) return std::nullopt;
  out.integer = std::move(*digits);
  return out;
}

// Moves the decimal point by the exponent, so that no exponent is left.
void ApplyExponent(Decimal& number) {
  if (number.exponent > 0) {
    const std::size_t shift = static_cast<std::size_t>(number.exponent);
    number.fraction.resize(std::max(number.fraction.size(), shift), '0');
    number.integer += number.fraction.substr(0, shift);
    number.fraction.erase(0, shift);
  } else if (number.exponent < 0) {
    const std::size_t shift = static_cast<std::size_t>(-number.exponent);
    if (number.integer.size() < shift) number.integer.insert(0, shift - number.integer.size(), '0');
    number.fraction.insert(0, number.integer.substr(number.integer.size() - shift));
    number.integer.erase(number.integer.size() - shift);
  }
  number.exponent = 0;
}

std::string Write(Decimal number) {
  ApplyExponent(number);
  const std::size_t first = number.integer.find_first_not_of('0');
  number.integer = first == std::string::npos ? "0" : number.integer.substr(first);
  const bool zero = number.integer == "0" && number.fraction.find_first_not_of('0') == std::string::npos;
  std::string out = number.negative && !zero ? "-" : "";
  out += number.integer;
  if (!number.fraction.empty()) out += "." + number.fraction;
  return out;
}

Converted Refused(std::string problem) { return Converted{"", std::move(problem)}; }

}  // namespace

std::string_view ValueTypeName(ValueType type) {
  static constexpr std::array<std::string_view, 6> kNames{"text", "number",   "boolean",
                                                          "date", "datetime", "phone"};
  return kNames[static_cast<std::size_t>(type)];
}

Converted ConvertNumber(std::string_view text) {
  const std::optional<Decimal> number = ReadDecimal(TrimView(text));
  if (!number) return Refused("not a number");
  return Converted{Write(*number), ""};
}

Converted ConvertBoolean(std::string_view text) {
  static constexpr std::array<std::string_view, 6> kTrue{"true", "yes", "y", "t", "on", "1"};
  static constexpr std::array<std::string_view, 6> kFalse{"false", "no", "n", "f", "off", "0"};
  std::string word = Lower(TrimView(text));
  if (const Converted number = ConvertNumber(word); number.ok()) {
    // "1.0", "0.00", "1e0": the number's integer part, when it has no fraction.
    const std::size_t point = number.value.find('.');
    if (point == std::string::npos || number.value.find_first_not_of('0', point + 1) == std::string::npos) {
      word = number.value.substr(0, point);
    }
  }
  if (std::ranges::find(kTrue, word) != kTrue.end()) return Converted{"true", ""};
  if (std::ranges::find(kFalse, word) != kFalse.end()) return Converted{"false", ""};
  return Refused("not a yes/no value (true/false, yes/no, y/n, 1/0)");
}

}  // namespace leadsync
