// A LeadSquared answer body under each status the API sends, the way the
// client classifies it; the body's first line doubles as a Retry-After.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/http/classify.hpp"
#include "core/http/refusal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using leadsync::AnswerShape;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const std::string_view first_line = body.substr(0, body.find('\n'));
  const leadsync::TimePoint now{leadsync::Duration{1'700'000'000'000}};
  for (const int status : {200, 400, 401, 403, 404, 429, 500, 503}) {
    (void)leadsync::ClassifyAnswer(status, body, first_line, AnswerShape::kBulkRows, 25, now);
  }
  (void)leadsync::ClassifyAnswer(200, body, {}, AnswerShape::kRawBody, 0, now);
  (void)leadsync::ParseRetryAfter(body, now);
  (void)leadsync::ParseStatedLimit(body);
  return 0;
}
