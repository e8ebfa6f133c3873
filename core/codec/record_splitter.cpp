#include "core/codec/record_splitter.hpp"

#include "core/codec/scanning_splitter.hpp"

namespace leadsync {

std::unique_ptr<RecordSplitter> MakeSplitter(InputFormat format, InputBuffer& input, std::size_t max_record,
                                             InputPosition start) {
  switch (format) {
    case InputFormat::kCsv:
      return MakeCsvSplitter(input, max_record, start);
    case InputFormat::kJsonl:
      return MakeLineSplitter(input, max_record, start);
    case InputFormat::kJson:
      return MakeJsonArraySplitter(input, max_record, start);
  }
  return nullptr;
}

}  // namespace leadsync
