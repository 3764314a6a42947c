#include "tether/output_ring.h"

#include <algorithm>
#include <cstring>

namespace tether {

OutputRing::OutputRing(size_t capacity)
    : buf_(new char[capacity ? capacity : 1]),
      capacity_(capacity ? capacity : 1) {}

void OutputRing::Append(const char* data, size_t len) {
  const size_t cap = capacity_;
  if (len >= cap) {  // Only the tail survives.
    data += len - cap;
    end_ += len - cap;
    len = cap;
  }
  size_t pos = static_cast<size_t>(end_ % cap);
  size_t first = std::min(len, cap - pos);
  std::memcpy(buf_.get() + pos, data, first);
  std::memcpy(buf_.get(), data + first, len - first);
  end_ += len;
  size_ = std::min(cap, size_ + len);
}

OutputRing::Chunk OutputRing::Read(uint64_t offset, size_t max_len) const {
  Chunk c;
  if (offset < begin_offset()) {
    c.gap = begin_offset() - offset;
    offset = begin_offset();
  }
  offset = std::min(offset, end_);
  c.offset = offset;
  size_t len = static_cast<size_t>(std::min<uint64_t>(end_ - offset, max_len));
  const size_t cap = capacity_;
  size_t pos = static_cast<size_t>(offset % cap);
  size_t first = std::min(len, cap - pos);
  c.data.assign(buf_.get() + pos, first);
  c.data.append(buf_.get(), len - first);
  return c;
}

}  // namespace tether
