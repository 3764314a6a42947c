// The on-disk format of a session log (docs/attachd.md, "Session logs").
//
// A log is an 8-byte file header followed by records. Each record is a
// 32-byte header, a payload and a 4-byte trailer holding the payload length
// again, so the file can be walked backwards (`logs --tail`). Integers are
// little-endian. The header carries a CRC-32 of its own bytes; payloads are
// not checksummed (that would be per-byte work on the hot path), but every
// data record names the stream offset of its first byte, so a reader checks
// that the records of each stream are contiguous.
//
// Pure code: no I/O except through LogSource. Everything here is fuzzed by
// tests/fuzz/attachd_log_fuzz.cc.
#ifndef TETHER_ATTACH_ENDPOINT_CONTAINERS_LOG_FORMAT_H_
#define TETHER_ATTACH_ENDPOINT_CONTAINERS_LOG_FORMAT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace attach {
namespace endpoint {

constexpr char kLogFileMagic[] = "TTHLOG1\n";  // 8 bytes, no NUL on disk.
constexpr size_t kLogFileHeaderBytes = 8;
constexpr size_t kRecordHeaderBytes = 32;
constexpr size_t kRecordTrailerBytes = 4;
// Larger writes are split; bounds what a reader must hold for one record.
constexpr uint32_t kMaxRecordPayload = 1u << 20;

enum class RecordType : uint8_t {
  kData = 1,     // Output bytes of one stream.
  kGap = 2,      // Output the tether lost: payload is the u64 end offset.
  kRestart = 3,  // The tether's offsets restarted at 0 (a new VM run).
  // First record of a segment that continues a rotated one: offset is the
  // segment's base (logical positions in it are base + file position);
  // the payload holds the two stream ends it starts from (u64 stdout,
  // u64 stderr). Readers show nothing for it.
  kSegment = 4,
};

// Streams as in control.proto's StreamId.
constexpr uint8_t kStdout = 1;
constexpr uint8_t kStderr = 2;

struct RecordHeader {
  RecordType type = RecordType::kData;
  uint8_t stream = kStdout;  // 0 for kRestart.
  uint32_t length = 0;       // Payload bytes.
  int64_t time_ns = 0;       // CLOCK_REALTIME when attachd received it.
  uint64_t offset = 0;       // kData: stream offset of the first byte;
                             // kGap: first lost offset; kRestart: 0;
                             // kSegment: the segment's base.
};

// Where each stream of a session ends: the next offset attachd expects.
struct StreamEnds {
  uint64_t out = 0;
  uint64_t err = 0;
  uint64_t& For(uint8_t stream) { return stream == kStderr ? err : out; }
  uint64_t For(uint8_t stream) const { return stream == kStderr ? err : out; }
};

// Fills `out` (kRecordHeaderBytes) / (kRecordTrailerBytes).
void EncodeRecordHeader(const RecordHeader& h, char* out);
void EncodeRecordTrailer(uint32_t length, char* out);
// A kSegment record's 16-byte payload.
void EncodeSegmentPayload(const StreamEnds& ends, char* out);
uint32_t DecodeTrailer(const char* p);
// Checks magic, CRC and the type/stream/length rules of one header.
// kInvalidArgument naming the problem.
base::Result<RecordHeader> DecodeRecordHeader(const char* p);
// Total bytes a record with this payload length occupies.
inline uint64_t RecordBytes(uint32_t length) {
  return kRecordHeaderBytes + uint64_t{length} + kRecordTrailerBytes;
}

// A place in a log: a record, and how many bytes of its payload to skip.
struct LogPos {
  uint64_t record = kLogFileHeaderBytes;
  uint32_t skip = 0;
};

// Random-access bytes of a log: one file, all segments of a session's log
// (read_ahead.h), or memory (tests, fuzz). Positions are logical: in a log
// that was rotated, records keep the positions they had, and begin() is
// where the oldest record still kept starts.
class LogSource {
 public:
  virtual ~LogSource() = default;
  virtual uint64_t begin() const { return kLogFileHeaderBytes; }
  virtual uint64_t size() const = 0;
  // Reads exactly `n` bytes at `pos` into `buf` (pos + n <= size()).
  // kIoError only for a failing file.
  virtual base::Status ReadAt(uint64_t pos, char* buf, size_t n) = 0;
};

class MemorySource : public LogSource {
 public:
  explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}
  uint64_t size() const override { return bytes_.size(); }
  base::Status ReadAt(uint64_t pos, char* buf, size_t n) override;

 private:
  std::string_view bytes_;
};

// One record as found by a scan: its header and where it lies.
struct RecordRef {
  RecordHeader header;
  uint64_t pos = 0;         // File offset of the record header.
  uint64_t gap_end = 0;     // kGap only.
  StreamEnds segment_ends;  // kSegment only.
  uint64_t payload_pos() const { return pos + kRecordHeaderBytes; }
  uint64_t end_pos() const { return pos + RecordBytes(header.length); }
};

// Reads and checks the record at `pos` (header, bounds, trailer; for a gap
// its end offset) without the contiguity checks a scan adds. For readers
// that start in the middle of a log they know to be valid.
// kInvalidArgument "log record: ... at POS" for a torn or bad record.
base::Result<RecordRef> ReadRecordAt(LogSource* source, uint64_t pos);

// Walks records forward, checking each one against the stream ends of the
// records before it. Not copyable; the source must outlive it.
class RecordScanner {
 public:
  explicit RecordScanner(LogSource* source) : source_(source) {}

  // Checks the file header. kInvalidArgument when the file is not a log; a
  // file shorter than the header that is a prefix of it is reported as
  // torn via torn_header().
  base::Status Start();
  bool torn_header() const { return torn_header_; }

  // The next valid record, or false at the end of the valid prefix. Once it
  // returns false, problem() says why the scan stopped early ("" at a
  // clean end of file).
  base::Result<bool> Next(RecordRef* out);

  uint64_t valid_end() const { return pos_; }  // End of the valid prefix.
  const StreamEnds& ends() const { return ends_; }
  // The base of a segment that starts with a kSegment record, else 0.
  uint64_t base() const { return base_; }
  const std::string& problem() const { return problem_; }

 private:
  bool Stop(std::string why);

  LogSource* source_;
  uint64_t pos_ = 0;
  uint64_t base_ = 0;
  StreamEnds ends_;
  std::string problem_;
  bool torn_header_ = false;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CONTAINERS_LOG_FORMAT_H_
