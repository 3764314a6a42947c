// Reading session logs back for clients (`logs`, `logs --tail N`,
// `logs -f`): finding where the last N lines begin, walking records from
// there, and cutting output into the chunks a client receives.
#ifndef TETHER_ATTACH_ENDPOINT_CONTAINERS_LOG_READER_H_
#define TETHER_ATTACH_ENDPOINT_CONTAINERS_LOG_READER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "attach/endpoint/containers/log_format.h"
#include "attach/endpoint/containers/session_log.h"
#include "base/result.h"

namespace attach {
namespace endpoint {

// Where the last `lines` lines of output begin, counting lines of both
// streams together as docker does; a last line without its newline counts.
// The whole log (from source->begin()) when it holds fewer lines. Walks
// backwards from the end through the record trailers, reading only what
// it needs, and at most `max_bytes` of output: a log with fewer lines
// than asked in that much starts where the walk stopped, so a request
// never reads more than that on the loop (review F9).
// kInvalidArgument when the records do not chain up (not a valid log).
constexpr uint64_t kMaxTailScanBytes = 16 << 20;
base::Result<LogPos> FindTailStart(LogSource* source, uint64_t lines,
                                   uint64_t max_bytes = kMaxTailScanBytes);

// One record read back: data (with any skip applied), or a gap.
struct LogChunk {
  RecordHeader header;
  LogPos pos;            // Where `data` begins.
  std::string data;      // kData payload.
  uint64_t gap_end = 0;  // kGap.
};

// Reads records forward from a LogPos. The SessionLog must outlive the
// cursor. A cursor left behind by rotation (its records deleted) goes on
// from the oldest record kept.
class LogCursor {
 public:
  LogCursor(SessionLog* log, LogPos start) : source_(log), pos_(start) {}
  // The next record that ends at or before `limit` (the log's size now), or
  // false when the cursor has reached `limit`.
  base::Result<bool> Next(uint64_t limit, LogChunk* out);
  uint64_t position() const { return pos_.record; }

 private:
  LogView source_;
  LogPos pos_;
};

// How many bytes a plain reading of the log shows between `*pos` (a
// record boundary) and `limit`: data payloads plus a GapNotice line per
// gap, what an OutputFeed with gap notices and no time bounds sends.
// Reads headers only, at most `max_records` of them per call, so a huge
// log is sized in bounded steps: adds to `*bytes`, moves `*pos`, and
// returns true once `*pos` has reached `limit`. kInvalidArgument for a
// record that is not valid, kIoError for a failing file.
base::Result<bool> CountShownBytes(LogSource* source, uint64_t limit,
                                   size_t max_records, uint64_t* pos,
                                   uint64_t* bytes);

// The most a single Output message carries, well under the frame limit.
constexpr size_t kMaxOutputChunk = 256 * 1024;

// Calls `emit` with consecutive pieces of `data`: at most kMaxOutputChunk
// bytes each and, when `by_line`, never past a newline (so a client can put
// a timestamp before each line).
void SplitOutput(std::string_view data, bool by_line,
                 const std::function<void(std::string_view)>& emit);

// The line `logs` shows where output was lost.
std::string GapNotice(uint64_t begin, uint64_t end);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CONTAINERS_LOG_READER_H_
