// CSV input as a spool or tail file holds it: header, quotes, BOM, CRLF.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/lead_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  leadsync::fuzz::ReadLeadInput(text, leadsync::InputFormat::kCsv);
  return 0;
}
