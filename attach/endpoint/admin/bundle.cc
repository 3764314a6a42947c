#include "attach/endpoint/admin/bundle.h"

#include "attach/endpoint/api/stream_client.h"
#include "attach/endpoint/containers/log_reader.h"
#include "base/log.h"

namespace attach {
namespace endpoint {
namespace admin {
namespace {

// Record headers sized per turn: a few milliseconds of reads at most.
constexpr size_t kSizeRecordsPerTurn = 4096;
// Output a feed may hand over per turn before yielding the loop.
constexpr size_t kFeedBytesPerTurn = 4 * kPieceBytes;

}  // namespace

BundleOp::~BundleOp() { feed_.reset(); }

bool BundleOp::below_low_mark() const {
  return has_room() && turn_bytes_ < kFeedBytesPerTurn;
}

bool BundleOp::SendOutput(uint8_t, std::string_view data, int64_t) {
  if (!open() || out().queued() > api::kHighMark) return false;
  size_t take = data.size() < tar_->remaining()
                    ? data.size()
                    : static_cast<size_t>(tar_->remaining());
  // Output past the size counted at the start belongs to the next bundle.
  if (!Flush(tar_->Write(data.substr(0, take)))) return false;
  turn_bytes_ += take;
  if (tar_->remaining() == 0) entry_done_ = true;
  return true;
}

void BundleOp::Fail(const std::string& why) {
  LOG_WARN("admin: bundle: %s: %s", entry_name_.c_str(), why.c_str());
  entry_done_ = true;  // The rest of the entry is padded.
}

void BundleOp::Produce() {
  turn_bytes_ = 0;
  switch (phase_) {
    case Phase::kNext:
      return NextEntry();
    case Phase::kFile: {
      uint64_t left = tar_->remaining();
      size_t n = left < kPieceBytes ? static_cast<size_t>(left) : kPieceBytes;
      base::Result<std::string> piece = ReadPiece(file_.fd.get(), file_pos_, n);
      // A file that shrank or failed is padded to its announced size.
      if (!piece.ok() || piece->empty()) return EndEntry();
      file_pos_ += piece->size();
      if (!Flush(tar_->Write(*piece))) return;
      if (tar_->remaining() == 0) EndEntry();
      return;
    }
    case Phase::kSizing:
      return SizeSessionLog();
    case Phase::kFeeding:
      if (entry_done_) return EndEntry();
      feed_->Pump();
      if (entry_done_) EndEntry();
      return;
  }
}

void BundleOp::NextEntry() {
  if (entries_.empty()) {
    if (Flush(tar_->Finish())) Finish();
    return;
  }
  BundleEntry e = std::move(entries_.front());
  entries_.pop_front();
  entry_name_ = e.name;
  switch (e.kind) {
    case BundleEntry::Kind::kText:
      if (!Flush(tar_->BeginFile(e.name, e.text.size(), now_s_, 0644))) return;
      if (!Flush(tar_->Write(e.text))) return;
      Flush(tar_->EndFile());
      return;
    case BundleEntry::Kind::kFile: {
      base::Result<OpenedFile> f = OpenLogFile(e.path);
      if (!f.ok()) return;  // Not there (yet): left out.
      file_ = std::move(*f);
      file_pos_ = 0;
      if (!Flush(tar_->BeginFile(e.name, file_.size, file_.mtime, 0644))) {
        return;
      }
      phase_ = Phase::kFile;
      return;
    }
    case BundleEntry::Kind::kSessionLog:
      return StartSessionLog(e);
  }
}

void BundleOp::StartSessionLog(const BundleEntry& e) {
  Container* c = registry_->FindById(e.container_id);
  if (c == nullptr) return;
  base::Result<Session*> s = c->GetSession(kPrimarySession);
  if (!s.ok()) return;
  container_id_ = e.container_id;
  size_limit_ = (*s)->log().size();
  size_pos_ = (*s)->log().begin();  // Rotated-away segments are gone.
  size_bytes_ = 0;
  phase_ = Phase::kSizing;
}

void BundleOp::SizeSessionLog() {
  // The container may have gone between turns.
  Container* c = registry_->FindById(container_id_);
  base::Result<Session*> s =
      c == nullptr ? base::Result<Session*>(base::Status::NotFound("gone"))
                   : c->GetSession(kPrimarySession);
  if (!s.ok()) {
    phase_ = Phase::kNext;
    return;
  }
  LogView source(&(*s)->log());  // Across the log's rotated segments.
  base::Result<bool> done = CountShownBytes(
      &source, size_limit_, kSizeRecordsPerTurn, &size_pos_, &size_bytes_);
  if (!done.ok()) {
    LOG_WARN("admin: bundle: %s: %s", entry_name_.c_str(),
             done.status().ToString().c_str());
    phase_ = Phase::kNext;
    return;
  }
  if (!*done) return;  // More next turn.
  if (!Flush(tar_->BeginFile(entry_name_, size_bytes_, now_s_, 0644))) return;
  entry_done_ = size_bytes_ == 0;
  phase_ = Phase::kFeeding;
  if (entry_done_) return;
  LogsOptions o;
  base::Result<std::unique_ptr<LogsFeed>> feed = LogsFeed::Open(this, c, o);
  if (!feed.ok()) {
    Fail(feed.status().ToString());
    return;
  }
  feed_ = std::move(*feed);
  feed_->Start();
}

void BundleOp::EndEntry() {
  if (!Flush(tar_->EndFile())) return;
  feed_.reset();
  file_ = OpenedFile();
  entry_done_ = false;
  phase_ = Phase::kNext;
}

bool BundleOp::Flush(const base::Status& s) {
  if (!s.ok()) {
    LOG_WARN("admin: bundle: %s", s.ToString().c_str());
    Finish();
    return false;
  }
  if (tar_->pending() > 0) out().Write(tar_->TakeOutput());
  return true;
}

}  // namespace admin
}  // namespace endpoint
}  // namespace attach
