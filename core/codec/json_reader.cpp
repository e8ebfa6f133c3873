#include "core/codec/json_record.hpp"
#include "core/codec/readers.hpp"

// JSONL lines and the elements of a JSON file: each is one JSON document.

namespace leadsync {
namespace {

class JsonDecoder final : public RecordDecoder {
 public:
  JsonDecoder(const FieldMap& fields, const ParseLimits& limits, EmptyValues empty)
      : fields_(fields), limits_(limits), empty_(empty) {}

  Decoded Decode(const RawRecord& raw) override {
    Decoded out;
    if (!raw.too_long && Trim(raw.text).empty()) return out;
    out.kind = Decoded::Kind::kError;
    if (raw.too_long) {
      out.error = ParseError{raw.line, TooLongReason(limits_), std::string(reject::kTooLong)};
      return out;
    }
    JsonRecord record =
        ReadJsonDocument(parser_, raw.text, fields_, RecordForm::kAny, limits_.max_attributes, empty_);
    if (!record.lead) {
      out.error = ParseError{raw.line, std::move(record.error), std::move(record.category)};
      return out;
    }
    out.kind = Decoded::Kind::kLead;
    out.lead = std::move(*record.lead);
    RenameSearchBy(out.lead, fields_);
    return out;
  }

 private:
  FieldMap fields_;
  ParseLimits limits_;
  EmptyValues empty_;
  simdjson::ondemand::parser parser_;
};

}  // namespace

std::unique_ptr<RecordDecoder> MakeJsonDecoder(const FieldMap& fields, const ParseLimits& limits,
                                               EmptyValues empty) {
  return std::make_unique<JsonDecoder>(fields, limits, empty);
}

}  // namespace leadsync
