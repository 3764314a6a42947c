#include "attach/endpoint/containers/log_format.h"

#include <zlib.h>

#include <cstring>

namespace attach {
namespace endpoint {
namespace {

constexpr char kRecordMagic[4] = {'T', 'R', 'E', 'C'};
constexpr size_t kCrcCovered = 28;  // The header bytes before the CRC.

void Put32(char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
void Put64(char* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
uint32_t Get32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}
uint64_t Get64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

uint32_t HeaderCrc(const char* p) {
  return static_cast<uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(p), kCrcCovered));
}

base::Status Bad(const std::string& why) {
  return base::Status::InvalidArgument("log record: " + why);
}

}  // namespace

void EncodeRecordHeader(const RecordHeader& h, char* out) {
  std::memcpy(out, kRecordMagic, 4);
  out[4] = static_cast<char>(h.type);
  out[5] = static_cast<char>(h.stream);
  out[6] = 0;
  out[7] = 0;
  Put32(out + 8, h.length);
  Put64(out + 12, static_cast<uint64_t>(h.time_ns));
  Put64(out + 20, h.offset);
  Put32(out + 28, HeaderCrc(out));
}

void EncodeRecordTrailer(uint32_t length, char* out) { Put32(out, length); }

void EncodeSegmentPayload(const StreamEnds& ends, char* out) {
  Put64(out, ends.out);
  Put64(out + 8, ends.err);
}

uint32_t DecodeTrailer(const char* p) { return Get32(p); }

base::Result<RecordHeader> DecodeRecordHeader(const char* p) {
  if (std::memcmp(p, kRecordMagic, 4) != 0) return Bad("bad magic");
  if (Get32(p + 28) != HeaderCrc(p)) return Bad("header checksum mismatch");
  if (p[6] != 0 || p[7] != 0) return Bad("unknown flags");
  RecordHeader h;
  h.type = static_cast<RecordType>(static_cast<unsigned char>(p[4]));
  h.stream = static_cast<uint8_t>(p[5]);
  h.length = Get32(p + 8);
  h.time_ns = static_cast<int64_t>(Get64(p + 12));
  h.offset = Get64(p + 20);
  bool stream_ok = h.stream == kStdout || h.stream == kStderr;
  switch (h.type) {
    case RecordType::kData:
      if (!stream_ok) return Bad("bad stream");
      if (h.length == 0 || h.length > kMaxRecordPayload) {
        return Bad("bad data length " + std::to_string(h.length));
      }
      break;
    case RecordType::kGap:
      if (!stream_ok) return Bad("bad stream");
      if (h.length != 8) return Bad("bad gap length");
      break;
    case RecordType::kRestart:
      if (h.stream != 0 || h.length != 0 || h.offset != 0) {
        return Bad("bad restart record");
      }
      break;
    case RecordType::kSegment:
      if (h.stream != 0 || h.length != 16) return Bad("bad segment record");
      break;
    default:
      return Bad("unknown type " + std::to_string(p[4]));
  }
  return h;
}

base::Status MemorySource::ReadAt(uint64_t pos, char* buf, size_t n) {
  if (pos > bytes_.size() || n > bytes_.size() - pos) {
    return base::Status::Internal("read past the end of a log");
  }
  std::memcpy(buf, bytes_.data() + pos, n);
  return base::Status::Ok();
}

base::Status RecordScanner::Start() {
  pos_ = 0;
  base_ = 0;
  ends_ = StreamEnds();
  problem_.clear();
  torn_header_ = false;
  uint64_t size = source_->size();
  char head[kLogFileHeaderBytes];
  size_t have = size < kLogFileHeaderBytes ? static_cast<size_t>(size)
                                           : kLogFileHeaderBytes;
  TETHER_RETURN_IF_ERROR(source_->ReadAt(0, head, have));
  if (std::memcmp(head, kLogFileMagic, have) != 0) {
    return base::Status::InvalidArgument("not a session log (bad magic)");
  }
  if (have < kLogFileHeaderBytes) {
    // Killed while creating the file: nothing was logged yet.
    torn_header_ = true;
    problem_ = "torn file header";
    return base::Status::Ok();
  }
  pos_ = kLogFileHeaderBytes;
  return base::Status::Ok();
}

bool RecordScanner::Stop(std::string why) {
  problem_ = std::move(why);
  return false;
}

base::Result<RecordRef> ReadRecordAt(LogSource* source, uint64_t pos) {
  const std::string at = " at " + std::to_string(pos);
  uint64_t size = source->size();
  if (pos > size || size - pos < kRecordHeaderBytes) {
    return Bad("torn header" + at);
  }
  char head[kRecordHeaderBytes];
  TETHER_RETURN_IF_ERROR(source->ReadAt(pos, head, sizeof(head)));
  base::Result<RecordHeader> h = DecodeRecordHeader(head);
  if (!h.ok()) {
    return base::Status::InvalidArgument(h.status().message() + at);
  }
  RecordRef ref;
  ref.header = *h;
  ref.pos = pos;
  if (size - pos < RecordBytes(h->length)) return Bad("torn record" + at);
  char trailer[kRecordTrailerBytes];
  TETHER_RETURN_IF_ERROR(source->ReadAt(ref.end_pos() - kRecordTrailerBytes,
                                        trailer, sizeof(trailer)));
  if (DecodeTrailer(trailer) != h->length) return Bad("trailer mismatch" + at);
  if (h->type == RecordType::kGap) {
    char end[8];
    TETHER_RETURN_IF_ERROR(source->ReadAt(ref.payload_pos(), end, 8));
    ref.gap_end = Get64(end);
    if (ref.gap_end <= h->offset) return Bad("empty gap" + at);
  } else if (h->type == RecordType::kSegment) {
    char ends[16];
    TETHER_RETURN_IF_ERROR(source->ReadAt(ref.payload_pos(), ends, 16));
    ref.segment_ends.out = Get64(ends);
    ref.segment_ends.err = Get64(ends + 8);
  }
  return ref;
}

base::Result<bool> RecordScanner::Next(RecordRef* out) {
  if (torn_header_ || !problem_.empty()) return false;
  if (pos_ == source_->size()) return false;
  base::Result<RecordRef> ref = ReadRecordAt(source_, pos_);
  if (!ref.ok()) {
    if (ref.status().code() != base::Status::Code::kInvalidArgument) {
      return ref.TakeStatus();
    }
    return Stop(ref.status().message());
  }
  const RecordHeader& h = ref->header;
  // Contiguity is what makes Welcome offsets exact: a record that does not
  // start where its stream ended cannot be trusted, nor anything after it.
  switch (h.type) {
    case RecordType::kData:
      if (h.offset != ends_.For(h.stream)) {
        return Stop("offset discontinuity at " + std::to_string(pos_));
      }
      ends_.For(h.stream) += h.length;
      break;
    case RecordType::kGap:
      if (h.offset != ends_.For(h.stream)) {
        return Stop("gap discontinuity at " + std::to_string(pos_));
      }
      ends_.For(h.stream) = ref->gap_end;
      break;
    case RecordType::kRestart:
      ends_ = StreamEnds();
      break;
    case RecordType::kSegment:
      // Only a segment's first record says where the segment starts.
      if (pos_ != kLogFileHeaderBytes) {
        return Stop("segment record inside a segment at " +
                    std::to_string(pos_));
      }
      base_ = h.offset;
      ends_ = ref->segment_ends;
      break;
  }
  pos_ = ref->end_pos();
  *out = *ref;
  return true;
}

}  // namespace endpoint
}  // namespace attach
