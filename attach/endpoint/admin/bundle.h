// GET /logs/bundle.tar.gz: every log an operator attaches to a bug report,
// in one tar.gz made while it downloads.
//
// Entries are produced one after another, each in bounded pieces at the
// client's pace (PacedOp), so memory stays flat whatever the logs weigh:
// what the answer's queue holds, zlib's state and one log record.
//
// - kText: a document made at request time (health.json, containers.txt).
// - kFile: a file attachd names (attachd.log, api.log, console.log, ...),
//   opened when its turn comes, sent as big as it was then; a file that
//   does not exist (yet) is left out.
// - kSessionLog: a container's output as `docker logs` prints it (both
//   streams in the order they arrived, lost output as gap notices),
//   read through the same LogsFeed as every other logs client. tar needs
//   each entry's size first: it is counted from the record headers up to
//   the log's end at that moment (CountShownBytes, a few thousand records
//   per turn), and output that arrives later is left for the next bundle.
//
// Loop thread only; owned by an api::OpSet.
#ifndef TETHER_ATTACH_ENDPOINT_ADMIN_BUNDLE_H_
#define TETHER_ATTACH_ENDPOINT_ADMIN_BUNDLE_H_

#include <deque>
#include <memory>
#include <string>

#include "attach/endpoint/admin/file_stream.h"
#include "attach/endpoint/admin/paced_op.h"
#include "attach/endpoint/admin/tar_gz.h"
#include "attach/endpoint/commands/logs_feed.h"
#include "attach/endpoint/containers/registry.h"

namespace attach {
namespace endpoint {
namespace admin {

struct BundleEntry {
  enum class Kind { kText, kFile, kSessionLog };
  Kind kind = Kind::kText;
  std::string name;          // Path inside the archive.
  std::string text;          // kText.
  std::string path;          // kFile.
  std::string container_id;  // kSessionLog: its primary session.
};

class BundleOp : public PacedOp, public LogsClient {
 public:
  // `registry` must outlive the op.
  BundleOp(uv_loop_t* loop, const Registry* registry,
           std::deque<BundleEntry> entries, std::unique_ptr<TarGzWriter> tar,
           int64_t now_s)
      : PacedOp(loop),
        registry_(registry),
        entries_(std::move(entries)),
        tar_(std::move(tar)),
        now_s_(now_s) {}
  ~BundleOp() override;

  // LogsClient, for kSessionLog entries.
  bool open() const override { return !finished() && !entry_done_; }
  bool below_low_mark() const override;
  bool SendOutput(uint8_t stream, std::string_view data,
                  int64_t time_ns) override;
  void Fail(const std::string& why) override;
  void OnLogsEnd() override { entry_done_ = true; }
  void OnGone(const std::string&) override { entry_done_ = true; }

 protected:
  void Produce() override;

 private:
  enum class Phase { kNext, kFile, kSizing, kFeeding };
  void NextEntry();
  void StartSessionLog(const BundleEntry& e);
  void SizeSessionLog();
  void EndEntry();
  // Moves compressed bytes to the answer; a tar error ends it.
  bool Flush(const base::Status& s);

  const Registry* registry_;
  std::deque<BundleEntry> entries_;
  std::unique_ptr<TarGzWriter> tar_;
  int64_t now_s_;
  Phase phase_ = Phase::kNext;
  std::string entry_name_;
  OpenedFile file_;  // kFile.
  uint64_t file_pos_ = 0;
  // kSessionLog: the container, where sizing is, the log's end then.
  std::string container_id_;
  uint64_t size_pos_ = 0;
  uint64_t size_limit_ = 0;
  uint64_t size_bytes_ = 0;
  std::unique_ptr<LogsFeed> feed_;
  bool entry_done_ = false;
  size_t turn_bytes_ = 0;  // Fed in this turn.
};

}  // namespace admin
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_ADMIN_BUNDLE_H_
