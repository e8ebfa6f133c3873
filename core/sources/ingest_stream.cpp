#include "core/sources/ingest_stream.hpp"

#include <cstring>

namespace leadsync {
namespace {

using SteadyClock = std::chrono::steady_clock;
using Status = RecordSplitter::Status;

}  // namespace

// The structure check reads the input from its start through a buffer of
// its own, so that reading the records afterwards needs no seek.
struct IngestStream::Check {
  Check(const Input& input, std::size_t max_record)
      : buffer(input.fd, 0, input.limit, true),
        splitter(MakeSplitter(InputFormat::kJson, buffer, max_record)) {}
  InputBuffer buffer;
  std::unique_ptr<RecordSplitter> splitter;
};

IngestStream::IngestStream(Input input, InputFormat format, IngestOptions options, std::string label,
                           InputPosition start)
    : input_(input),
      options_(std::move(options)),
      label_(std::move(label)),
      position_(start),
      buffer_(input.fd, start.offset, input.limit, input.seekable),
      splitter_(MakeSplitter(format, buffer_, options_.limits.max_record, start)),
      decoder_(MakeDecoder(format, {}, options_.limits, options_.mapping.empty())) {
  splitter_->SetComplete(input.complete);
  if (format == InputFormat::kCsv && start.offset > 0 && input.seekable) ReadHeader();
  if (format == InputFormat::kJson && start.offset == 0 && input.complete && input.seekable) {
    check_ = std::make_unique<Check>(input_, options_.limits.max_record);
  }
}

IngestStream::~IngestStream() = default;

void IngestStream::SetComplete() {
  input_.complete = true;
  splitter_->SetComplete(true);
}

IngestChunk IngestStream::Next(const ChunkLimits& limits) {
  IngestChunk chunk;
  chunk.end = position_;
  if (finished_) {
    chunk.state = IngestChunk::State::kEnd;
    return chunk;
  }
  if (check_ && !StepCheck(limits, chunk)) return chunk;
  ReadRecords(limits, chunk);
  return chunk;
}

void IngestStream::ReadHeader() {
  InputBuffer buffer(input_.fd, 0, input_.limit, true);
  const auto splitter = MakeSplitter(InputFormat::kCsv, buffer, options_.limits.max_record);
  RawRecord record;
  while (splitter->Next(record) == Status::kRecord) {
    if (record.end.offset > position_.offset) return;
    if (decoder_->Decode(record).kind != Decoded::Kind::kNothing || !Trim(record.text).empty()) return;
  }
}

bool IngestStream::StepCheck(const ChunkLimits& limits, IngestChunk& chunk) {
  const SteadyClock::time_point deadline = SteadyClock::now() + limits.time;
  RawRecord record;
  while (true) {
    const Status status = check_->splitter->Next(record);
    if (status == Status::kRecord) {
      if (SteadyClock::now() < deadline) continue;
      chunk.state = IngestChunk::State::kMore;
      return false;
    }
    if (status == Status::kBroken) {
      End(*check_->splitter, chunk);
      return false;
    }
    if (status == Status::kError) {
      Fail(check_->buffer.error(), chunk);
      return false;
    }
    check_.reset();
    return true;
  }
}

void IngestStream::ReadRecords(const ChunkLimits& limits, IngestChunk& chunk) {
  const SteadyClock::time_point deadline = SteadyClock::now() + limits.time;
  const std::uint64_t start = position_.offset;
  if (carry_) TakeCarry(chunk);
  RawRecord record;
  while (true) {
    const std::size_t records = chunk.batch.leads.size() + chunk.batch.rejections.size();
    if (records >= limits.records || position_.offset - start >= limits.bytes ||
        SteadyClock::now() >= deadline) {
      LookAhead(chunk);
      break;
    }
    const Status status = splitter_->Next(record);
    if (status != Status::kRecord) {
      Stop(status, chunk);
      break;
    }
    AddDecoded(decoder_->Decode(record), record, options_, label_, chunk.batch);
    position_ = record.end;
  }
  chunk.end = position_;
}

// At a limit: whether the input ends here (so that the last chunk says so,
// even when the room for records is used up), or the next record, which is
// decoded now and carried into the next chunk.
void IngestStream::LookAhead(IngestChunk& chunk) {
  RawRecord record;
  while (true) {
    const Status status = splitter_->Next(record);
    if (status != Status::kRecord) {
      Stop(status, chunk);
      return;
    }
    Decoded decoded = decoder_->Decode(record);
    if (decoded.kind == Decoded::Kind::kNothing) {
      position_ = record.end;
      continue;
    }
    carry_.emplace();
    AddDecoded(std::move(decoded), record, options_, label_, carry_->batch);
    carry_->end = record.end;
    chunk.state = IngestChunk::State::kMore;
    return;
  }
}

void IngestStream::TakeCarry(IngestChunk& chunk) {
  chunk.batch = std::move(carry_->batch);
  position_ = carry_->end;
  carry_.reset();
}

void IngestStream::Stop(RecordSplitter::Status status, IngestChunk& chunk) {
  switch (status) {
    case Status::kPending:
      chunk.state = IngestChunk::State::kPending;
      return;
    case Status::kEnd:
      position_.offset = buffer_.Offset() + buffer_.Window().size();
      chunk.state = IngestChunk::State::kEnd;
      finished_ = true;
      return;
    case Status::kBroken:
      End(*splitter_, chunk);
      return;
    case Status::kError:
      Fail(buffer_.error(), chunk);
      return;
    case Status::kRecord:
      return;
  }
}

// A broken structure: one rejection, and the input is over.
void IngestStream::End(const RecordSplitter& splitter, IngestChunk& chunk) {
  const ParseError error{splitter.broken_line(), splitter.broken_reason(), std::string(reject::kInvalidJson)};
  chunk.batch.rejections.push_back(MakeRejection(options_, label_, error, ""));
  if (input_.limit) position_.offset = *input_.limit;
  chunk.end = position_;
  chunk.state = IngestChunk::State::kEnd;
  finished_ = true;
}

void IngestStream::Fail(int error, IngestChunk& chunk) {
  chunk.state = IngestChunk::State::kFailed;
  chunk.error = std::strerror(error);
}

}  // namespace leadsync
