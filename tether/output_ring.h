// OutputRing: the last N bytes of one output stream, addressed by absolute
// offset since the session's first byte.
//
// The attach link resends from the offset the endpoint already holds; when
// that offset has been overwritten the reader is told exactly how many bytes
// are gone so the gap can be logged explicitly, never silently skipped.
// Not thread-safe; lives on the tether's loop.
#ifndef TETHER_TETHER_OUTPUT_RING_H_
#define TETHER_TETHER_OUTPUT_RING_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace tether {

class OutputRing {
 public:
  // `capacity` > 0 bytes are retained.
  explicit OutputRing(size_t capacity);

  void Append(const char* data, size_t len);

  // Absolute offset one past the last byte ever appended.
  uint64_t end_offset() const { return end_; }
  // Oldest offset still held.
  uint64_t begin_offset() const { return end_ - size_; }
  size_t capacity() const { return capacity_; }

  struct Chunk {
    uint64_t gap = 0;     // Bytes lost before `data` (reader was too slow).
    uint64_t offset = 0;  // Absolute offset of data[0].
    std::string data;     // At most max_len bytes; empty at the end.
  };
  // Copies bytes from `offset` on. An offset older than begin_offset()
  // yields gap = begin_offset() - offset and data from begin_offset().
  // An offset past end_offset() is clamped to end_offset().
  Chunk Read(uint64_t offset, size_t max_len) const;

 private:
  // Left uninitialised: an idle session's 8 MiB ring costs address space,
  // not resident memory, until output actually fills it.
  std::unique_ptr<char[]> buf_;
  size_t capacity_;
  uint64_t end_ = 0;  // Total bytes appended.
  size_t size_ = 0;   // Bytes currently held (<= capacity).
};

}  // namespace tether

#endif  // TETHER_TETHER_OUTPUT_RING_H_
