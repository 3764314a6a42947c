#include "attach/endpoint/containers/log_reader.h"

#include <cstring>

namespace attach {
namespace endpoint {

base::Result<LogPos> FindTailStart(LogSource* source, uint64_t lines,
                                   uint64_t max_bytes) {
  const uint64_t begin = source->begin();
  uint64_t pos = source->size();
  if (lines == 0 || pos <= begin) return LogPos{pos < begin ? begin : pos, 0};
  uint64_t seen = 0;
  uint64_t walked = 0;
  bool at_last_byte = true;  // A final '\n' ends the last line, not a new one.
  std::string payload;
  while (pos > begin) {
    if (pos - begin < kRecordHeaderBytes + kRecordTrailerBytes) {
      return base::Status::InvalidArgument("log: records do not chain up");
    }
    char trailer[kRecordTrailerBytes];
    TETHER_RETURN_IF_ERROR(
        source->ReadAt(pos - kRecordTrailerBytes, trailer, sizeof(trailer)));
    uint32_t length = DecodeTrailer(trailer);
    if (length > kMaxRecordPayload || RecordBytes(length) > pos - begin) {
      return base::Status::InvalidArgument("log: records do not chain up");
    }
    uint64_t rec = pos - RecordBytes(length);
    TETHER_ASSIGN_OR_RETURN(RecordRef ref, ReadRecordAt(source, rec));
    if (ref.header.type == RecordType::kData) {
      payload.resize(length);
      TETHER_RETURN_IF_ERROR(
          source->ReadAt(ref.payload_pos(), &payload[0], length));
      for (size_t i = length; i-- > 0;) {
        bool skip = at_last_byte;
        at_last_byte = false;
        if (payload[i] != '\n' || skip) continue;
        if (++seen == lines) return LogPos{rec, static_cast<uint32_t>(i + 1)};
      }
      walked += length;
    }
    pos = rec;
    if (walked >= max_bytes) return LogPos{rec, 0};
  }
  return LogPos{begin, 0};
}

base::Result<bool> LogCursor::Next(uint64_t limit, LogChunk* out) {
  source_.Refresh();
  if (pos_.record < source_.begin()) pos_ = LogPos{source_.begin(), 0};
  if (pos_.record >= limit) return false;
  source_.set_bounds(source_.begin(), limit);
  base::Result<RecordRef> read = ReadRecordAt(&source_, pos_.record);
  if (!read.ok() && read.status().code() == base::Status::Code::kNotFound) {
    // Rotated away while this reader was behind.
    source_.Refresh();
    pos_ = LogPos{source_.begin(), 0};
    source_.set_bounds(source_.begin(), limit);
    read = ReadRecordAt(&source_, pos_.record);
  }
  TETHER_ASSIGN_OR_RETURN(RecordRef ref, std::move(read));
  out->header = ref.header;
  out->pos = pos_;
  out->gap_end = ref.gap_end;
  out->data.clear();
  if (ref.header.type == RecordType::kData && pos_.skip < ref.header.length) {
    out->data.resize(ref.header.length - pos_.skip);
    TETHER_RETURN_IF_ERROR(source_.ReadAt(ref.payload_pos() + pos_.skip,
                                          &out->data[0], out->data.size()));
  }
  pos_ = LogPos{ref.end_pos(), 0};
  return true;
}

base::Result<bool> CountShownBytes(LogSource* source, uint64_t limit,
                                   size_t max_records, uint64_t* pos,
                                   uint64_t* bytes) {
  for (size_t i = 0; i < max_records; ++i) {
    if (*pos >= limit) return true;
    TETHER_ASSIGN_OR_RETURN(RecordRef ref, ReadRecordAt(source, *pos));
    if (ref.end_pos() > limit) {
      return base::Status::InvalidArgument("log: record runs past the end");
    }
    if (ref.header.type == RecordType::kData) {
      *bytes += ref.header.length;
    } else if (ref.header.type == RecordType::kGap) {
      *bytes += GapNotice(ref.header.offset, ref.gap_end).size();
    }
    *pos = ref.end_pos();
  }
  return *pos >= limit;
}

void SplitOutput(std::string_view data, bool by_line,
                 const std::function<void(std::string_view)>& emit) {
  while (!data.empty()) {
    size_t n = data.size() < kMaxOutputChunk ? data.size() : kMaxOutputChunk;
    if (by_line) {
      const void* nl = std::memchr(data.data(), '\n', n);
      if (nl != nullptr) n = static_cast<const char*>(nl) - data.data() + 1;
    }
    emit(data.substr(0, n));
    data.remove_prefix(n);
  }
}

std::string GapNotice(uint64_t begin, uint64_t end) {
  return "[attachd: " + std::to_string(end - begin) +
         " bytes of output lost (offsets " + std::to_string(begin) + ".." +
         std::to_string(end) + ")]\n";
}

}  // namespace endpoint
}  // namespace attach
