// Reading a session log's files back after a start or a crash: the
// recovery scan of the current segment and the chain of rotated segments
// before it (session_log.h). Read-only, so it may run off the loop.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "attach/endpoint/containers/session_log.h"
#include "base/unique_fd.h"

namespace attach {
namespace endpoint {
namespace {

// Rotated files looked for: more than any max_files in use, so files of a
// larger earlier setting are found (and trimmed).
constexpr int kMaxSegmentFiles = 64;

struct Scanned {
  bool exists = false;
  bool not_a_log = false;
  uint64_t file_size = 0;
  uint64_t valid_end = 0;
  uint64_t base = 0;
  StreamEnds ends;
  std::string problem;
};

// The recovery scan of one segment file: every record checked from the
// start (header CRC, type rules, contiguity, trailer).
base::Result<Scanned> ScanFile(const std::string& path) {
  Scanned out;
  base::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) {
    if (errno == ENOENT) return out;
    return base::Status::Io("open " + path, errno);
  }
  out.exists = true;
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return base::Status::Io("stat", errno);
  out.file_size = static_cast<uint64_t>(st.st_size);
  if (out.file_size == 0) return out;
  FileSource source(fd.get(), out.file_size);
  RecordScanner scanner(&source);
  base::Status s = scanner.Start();
  if (s.code() == base::Status::Code::kInvalidArgument) {
    out.not_a_log = true;
    out.problem = s.message();
    return out;
  }
  TETHER_RETURN_IF_ERROR(s);
  RecordRef ref;
  for (;;) {
    base::Result<bool> more = scanner.Next(&ref);
    if (!more.ok()) return more.TakeStatus();
    if (!*more) break;
  }
  out.valid_end = scanner.valid_end();
  out.base = scanner.base();
  out.ends = scanner.ends();
  out.problem = scanner.problem();
  return out;
}

// A rotated segment's base (from its first record) and size, without a
// scan: rotated segments were whole when they were rotated.
bool ReadSegment(const std::string& path, LogSegment* seg) {
  base::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  struct stat st;
  if (!fd || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  seg->size = static_cast<uint64_t>(st.st_size);
  if (seg->size < kLogFileHeaderBytes) return false;
  FileSource source(fd.get(), seg->size);
  RecordScanner scanner(&source);
  RecordRef ref;
  if (!scanner.Start().ok()) return false;
  base::Result<bool> first = scanner.Next(&ref);
  seg->base = first.ok() && *first ? scanner.base() : 0;
  return true;
}

}  // namespace

base::Result<LogScan> ScanLog(const std::string& path) {
  LogScan scan;
  TETHER_ASSIGN_OR_RETURN(Scanned cur, ScanFile(path));
  if (!cur.exists) {
    // A rotation cut short after PATH became PATH.1: PATH.next is whole.
    TETHER_ASSIGN_OR_RETURN(Scanned next, ScanFile(path + ".next"));
    if (next.exists && !next.not_a_log) {
      cur = next;
      scan.next_only = true;
    }
  }
  scan.file_size = cur.file_size;
  scan.not_a_log = cur.not_a_log;
  scan.valid_end = cur.valid_end;
  scan.base = cur.base;
  scan.ends = cur.ends;
  scan.problem = cur.problem;
  // Rotated segments, newest (PATH.1) first on disk; an unreadable one
  // has no size.
  std::vector<LogSegment> newest_first;
  for (int k = 1; k <= kMaxSegmentFiles; ++k) {
    LogSegment seg;
    std::string name = path + "." + std::to_string(k);
    struct stat st;
    if (::lstat(name.c_str(), &st) != 0) break;
    if (!ReadSegment(name, &seg)) seg = LogSegment();
    newest_first.push_back(seg);
  }
  // A current segment with no records of its own (torn as it was made)
  // continues the newest rotated one: its ends come from that one's scan.
  bool empty = cur.valid_end <= kLogFileHeaderBytes && cur.base == 0;
  if (empty && !newest_first.empty() && newest_first[0].size > 0) {
    TETHER_ASSIGN_OR_RETURN(Scanned last, ScanFile(path + ".1"));
    if (!last.not_a_log && last.valid_end == newest_first[0].size) {
      scan.base =
          newest_first[0].base + newest_first[0].size - kLogFileHeaderBytes;
      scan.ends = last.ends;
      scan.needs_segment_record = true;
      if (scan.valid_end < kLogFileHeaderBytes) scan.valid_end = 0;
    }
  }
  // Only the chain that leads up to the current segment counts; anything
  // else (unreadable, a log restarted by hand) is stale.
  uint64_t expect = scan.base + kLogFileHeaderBytes;
  size_t chained = 0;
  for (const LogSegment& seg : newest_first) {
    if (seg.size == 0 || seg.base + seg.size != expect) break;
    expect = seg.base + kLogFileHeaderBytes;
    ++chained;
    if (seg.base == 0) break;  // The log's first segment.
  }
  for (size_t i = chained; i < newest_first.size(); ++i) {
    scan.stale.push_back(static_cast<int>(i) + 1);
  }
  for (size_t i = chained; i-- > 0;) scan.rotated.push_back(newest_first[i]);
  return scan;
}

void SessionLog::RemoveFiles(const std::string& path) {
  (void)::unlink(path.c_str());
  (void)::unlink((path + ".next").c_str());
  for (int k = 1; k <= kMaxSegmentFiles; ++k) {
    std::string name = path + "." + std::to_string(k);
    if (::unlink(name.c_str()) != 0 && errno == ENOENT) break;
  }
}

}  // namespace endpoint
}  // namespace attach
