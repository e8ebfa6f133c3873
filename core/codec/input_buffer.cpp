#include "core/codec/input_buffer.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace leadsync {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

}  // namespace

InputBuffer::InputBuffer(int fd, std::uint64_t offset, std::optional<std::uint64_t> limit, bool seekable)
    : fd_(fd), seekable_(seekable), limit_(limit), offset_(offset), checked_bom_(offset != 0) {}

InputBuffer::InputBuffer(std::string_view text) : text_(text) { SkipByteOrderMark(); }

std::string_view InputBuffer::Window() const {
  const std::string_view all = fd_ < 0 ? text_ : std::string_view(owned_);
  return all.substr(start_);
}

void InputBuffer::Consume(std::size_t bytes) {
  bytes = std::min(bytes, Window().size());
  start_ += bytes;
  offset_ += bytes;
}

InputBuffer::Fill InputBuffer::FillMore() {
  if (fd_ < 0) return Fill::kEnd;
  owned_.erase(0, start_);
  start_ = 0;
  const std::uint64_t next = offset_ + owned_.size();
  std::size_t want = kBlock;
  if (limit_)
    want = static_cast<std::size_t>(std::min<std::uint64_t>(want, *limit_ - std::min(*limit_, next)));
  if (want == 0) return Fill::kEnd;
  const std::size_t had = owned_.size();
  owned_.resize(had + want);
  ssize_t n = 0;
  do {
    n = seekable_ ? ::pread(fd_, owned_.data() + had, want, static_cast<off_t>(next))
                  : ::read(fd_, owned_.data() + had, want);
  } while (n < 0 && errno == EINTR);
  owned_.resize(had + static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
  if (n < 0) {
    error_ = errno;
    return Fill::kError;
  }
  if (n == 0) return Fill::kEnd;
  SkipByteOrderMark();
  return Fill::kData;
}

void InputBuffer::SkipByteOrderMark() {
  if (checked_bom_) return;
  const std::string_view window = Window();
  // Decided once three bytes are there (or the input is shorter).
  if (window.size() < kUtf8Bom.size() && fd_ >= 0) return;
  checked_bom_ = true;
  if (window.starts_with(kUtf8Bom)) Consume(kUtf8Bom.size());
}

}  // namespace leadsync
