// One session's output log on disk: the append-only writer attachd feeds
// from the tether's stream channel, and the reads clients use.
//
// Exactness is the point (docs/attachd.md): after any crash of attachd,
// opening the log cuts its current segment back to the last whole, valid
// record and recomputes each stream's end from the records, so the
// Welcome offsets it reports make the tether resend exactly the bytes that
// are missing.
//
// Size (review F9): the current segment, PATH, is rotated once it holds
// LogOptions::max_size bytes: PATH.1 is the newest rotated segment, and
// at most max_files - 1 are kept. A new segment starts with a kSegment
// record carrying the stream ends, so only the current segment is ever
// scanned. Positions are logical: a record keeps its position across
// rotations (PATH's records continue where PATH.1's ended), so readers
// walk all segments as one log; begin() moves forward as old segments go.
//
// Descriptors: the current segment's is opened by Open and may be closed
// when the session is idle (CloseFile) or when LogOptions::fds has more
// logs open than it allows; any later append or read reopens it without
// scanning (the file is attachd's alone), at the same position, so
// nothing written is lost and readers never notice. A rotated segment is
// kept open while a reader is in it, and closed with the current one.
//
// Single-threaded: the loop thread owns the writer; readers on the same
// thread see whole records only, because appends complete (or are cut
// back) before control returns to the loop. ScanLog alone runs on any
// thread: it only reads.
#ifndef TETHER_ATTACH_ENDPOINT_CONTAINERS_SESSION_LOG_H_
#define TETHER_ATTACH_ENDPOINT_CONTAINERS_SESSION_LOG_H_

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "attach/endpoint/containers/log_format.h"
#include "attach/endpoint/containers/read_ahead.h"
#include "base/result.h"
#include "base/unique_fd.h"

namespace attach {
namespace endpoint {

class LogFdCache;
class LogSyncer;

// docker's `local` log driver defaults: 20 MB a file, 5 files.
struct LogOptions {
  uint64_t max_size = 20u << 20;
  int max_files = 5;
  // A session's files may grow to this while slow readers pin them
  // (SessionLog::Pin); past it, rotation takes what they have not read, as
  // without a pin. It bounds what a client that never reads can cost.
  uint64_t max_pinned_bytes = 1ull << 30;
  // Where a rotated segment's descriptor goes to be fdatasync'd off the
  // loop. Null: it is closed, and the kernel writes it back in time.
  LogSyncer* syncer = nullptr;
  // Bounds the logs that hold descriptors at once (log_fd_cache.h); it
  // lives as long as any log given it. Null: no bound.
  std::shared_ptr<LogFdCache> fds;
};

// A rotated segment: logical positions [base + 8, base + size).
struct LogSegment {
  uint64_t base = 0;
  uint64_t size = 0;
};

// What reading a log's files found. Read-only, so it may run on a worker
// thread while the loop goes on; SessionLog::Open applies it.
struct LogScan {
  uint64_t file_size = 0;  // Of PATH (or PATH.next; see next_only).
  bool next_only = false;  // A rotation was cut short: PATH.next stands in.
  bool not_a_log = false;  // PATH is something else: moved aside.
  uint64_t valid_end = 0;  // File position where valid records end.
  uint64_t base = 0;
  StreamEnds ends;
  std::string problem;                // Why the scan stopped early.
  bool needs_segment_record = false;  // PATH continues rotated segments.
  std::vector<LogSegment> rotated;    // Oldest first.
  std::vector<int> stale;             // PATH.N not part of the chain.
};

// Scans PATH (and learns its rotated segments). kIoError for a file that
// cannot be read.
base::Result<LogScan> ScanLog(const std::string& path);

// EMFILE or ENFILE (behind `s`): a LogFdCache::Shed may make room.
bool OutOfDescriptors(const base::Status& s);
bool OutOfDescriptors(int err);

class SessionLog {
 public:
  // Opens or creates the log at `path` (mode 0600), applying `scan` (from
  // ScanLog; scanned now when null): a torn or invalid tail is cut (with a
  // warning naming what was cut), a file that is not a log is renamed to
  // PATH.corrupt and a new one started. A file that changed since `scan`
  // is kUnavailable (scan again); kIoError when it cannot be opened or
  // cut.
  static base::Result<std::unique_ptr<SessionLog>> Open(
      const std::string& path, LogOptions options = LogOptions(),
      const LogScan* scan = nullptr);
  ~SessionLog();
  SessionLog(const SessionLog&) = delete;
  SessionLog& operator=(const SessionLog&) = delete;
  // Deletes every file of the log at `path`.
  static void RemoveFiles(const std::string& path);

  const std::string& path() const { return path_; }
  // Logical end: where the next record goes. Readers read up to it.
  uint64_t size() const { return base_ + size_; }
  // Logical start of the oldest record kept.
  uint64_t begin() const;
  // The next offset of each stream: what a Welcome reports.
  const StreamEnds& ends() const { return ends_; }
  // Bytes on disk, all segments.
  uint64_t disk_bytes() const;

  // Appends `len` bytes of `stream` (kStdout/kStderr) as one record per
  // kMaxRecordPayload, consecutive from `*first_record` (when not null),
  // rotating first when the segment is full. On failure (disk full) the
  // segment is cut back to the last whole record and kIoError is
  // returned; ends() is unchanged.
  base::Status AppendData(uint8_t stream, const char* data, size_t len,
                          int64_t time_ns, uint64_t* first_record = nullptr);
  // Records that the stream's bytes from ends() to `end` are lost. A gap
  // that does not move the end forward is ignored.
  base::Status AppendGap(uint8_t stream, uint64_t end, int64_t time_ns);
  // Records that the tether's offsets restarted at zero (a new run of the
  // VM); both ends become 0.
  base::Status AppendRestart(int64_t time_ns);
  // Starts a new segment now (the container's quota needs the space).
  base::Status Rotate();
  // Deletes the oldest rotated segment; the bytes freed (0: none left, or
  // a pinned reader has not read all of it yet).
  uint64_t DropOldestSegment();

  // Readers that must not lose records to rotation: clients attached or
  // following whose output waits in the log because they read slower
  // than the container writes. A segment a pinned reader still needs is
  // kept past max_files (and the container's quota) until the reader has
  // read it or gone, up to LogOptions::max_pinned_bytes (docs/attachd.md);
  // without this the reader skipped what rotation took.
  // Each pin reports the lowest position it still needs (UINT64_MAX: none).
  // A reader more than max_pinned_bytes behind still loses output, but
  // hears of it (Lost), so it can say so as a kGap record would.
  class Pin {
   public:
    virtual ~Pin() = default;
    virtual uint64_t needed_from() const = 0;
    // Rotation is deleting bytes [from, to) of `stream` (offsets, as in a
    // kGap record; `time_ns` of the last record lost) that this reader
    // had not read. Called in order, per stream, before the segment's
    // file goes; must not touch the log.
    virtual void Lost(uint8_t /*stream*/, uint64_t /*from*/, uint64_t /*to*/,
                      int64_t /*time_ns*/) {}
  };
  void AddPin(Pin* pin);
  void RemovePin(const Pin* pin);  // No-op when absent.
  // Drops the segments past max_files no pin needs: a reader that caught
  // up lets go of what it held (also done at each rotation).
  void DropPastLimit();

  // Reads `n` bytes at logical `pos`, across segments. kNotFound when a
  // segment there is gone (rotated away while a reader was behind).
  base::Status ReadAt(uint64_t pos, char* buf, size_t n);

  // fdatasync(2) of the current segment (a clean stop); a closed one
  // with appends since the last TakeDirty is opened for it.
  base::Status Sync();
  // Appends since the last TakeDirty(): the background sync's cue.
  bool TakeDirty();
  // Closes the current segment's descriptor and a rotated segment's (an
  // idle or ended session, or LogFdCache making room).
  void CloseFile();
  // Whether it holds a descriptor (its current or a rotated segment's).
  bool file_open() const {
    return static_cast<bool>(fd_) || static_cast<bool>(rotated_fd_);
  }

 private:
  SessionLog(std::string path, LogOptions options)
      : path_(std::move(path)), options_(options) {}
  base::Status Apply(const LogScan& scan);
  base::Status EnsureOpen();
  // open(2) that, out of descriptors, has LogFdCache close other logs and
  // tries once more.
  int OpenFd(const std::string& path, int flags, mode_t mode = 0);
  // Tells LogFdCache this log has used its descriptors.
  void Touched();
  base::Status Append(const RecordHeader& h, const char* payload);
  base::Status MaybeRotate(size_t len);
  std::string SegmentPath(size_t index) const;  // rotated_[index].
  base::Status ReadRotated(size_t index, uint64_t pos, char* buf, size_t n);
  // Tells `pin` what of the stream offsets in logical [from, to) it loses.
  void ReportLost(Pin* pin, uint64_t from, uint64_t to);

  std::string path_;
  LogOptions options_;
  base::UniqueFd fd_;
  uint64_t base_ = 0;
  uint64_t size_ = 0;  // Bytes of whole records in the current segment.
  StreamEnds ends_;
  std::vector<LogSegment> rotated_;  // Oldest first.
  // One rotated segment open for reading, by its base.
  base::UniqueFd rotated_fd_;
  uint64_t rotated_fd_base_ = 0;
  std::vector<Pin*> pins_;
  bool dirty_ = false;
};

// A read-ahead view of a log for one reader (LogCursor, FindTailStart).
// The log must outlive it; bounds follow the log at each read.
class LogView : public ReadAheadSource {
 public:
  explicit LogView(SessionLog* log)
      : ReadAheadSource(log->begin(), log->size()), log_(log) {}
  void Refresh() { set_bounds(log_->begin(), log_->size()); }

 protected:
  base::Status RawRead(uint64_t pos, char* buf, size_t n) override {
    return log_->ReadAt(pos, buf, n);
  }

 private:
  SessionLog* log_;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CONTAINERS_SESSION_LOG_H_
