#include "attach/endpoint/containers/session.h"

#include <algorithm>

#include "attach/endpoint/containers/log_reader.h"

namespace attach {
namespace endpoint {
namespace {

// Stdin queued toward the tether: past the high mark writers pause their
// clients; below the low mark they resume.
constexpr size_t kStdinHigh = 1 << 20;
constexpr size_t kStdinLow = 256 * 1024;

}  // namespace

std::shared_ptr<const std::string> OutputEvent::Shared(
    int slot,
    const std::function<std::string(const OutputEvent&)>& make) const {
  std::shared_ptr<const std::string>& cached = shared_[slot];
  if (!cached) cached = std::make_shared<const std::string>(make(*this));
  return cached;
}

Session::~Session() { NotifyGone("session closed"); }

template <typename F>
void Session::ForEachObserver(F f) {
  ++notifying_;
  // Index-based: observers added during the walk are not notified this
  // time, removed ones are nulled rather than erased.
  for (size_t i = 0, n = observers_.size(); i < n; ++i) {
    if (observers_[i] != nullptr) f(observers_[i]);
  }
  if (--notifying_ == 0) {
    observers_.erase(std::remove(observers_.begin(), observers_.end(), nullptr),
                     observers_.end());
  }
}

base::Status Session::AppendOutput(uint8_t stream, const char* data, size_t len,
                                   int64_t time_ns) {
  idle_ticks = 0;
  uint64_t first_record = 0;
  TETHER_RETURN_IF_ERROR(
      log_->AppendData(stream, data, len, time_ns, &first_record));
  if (observer_count() == 0) return base::Status::Ok();
  // AppendData cut the bytes into records of kMaxRecordPayload; pieces of
  // kMaxOutputChunk (which divides it) never straddle two of them.
  static_assert(kMaxRecordPayload % kMaxOutputChunk == 0, "pieces straddle");
  size_t offset = 0;
  SplitOutput(std::string_view(data, len), false, [&](std::string_view piece) {
    LogPos pos;
    pos.record = first_record +
                 (offset / kMaxRecordPayload) * RecordBytes(kMaxRecordPayload);
    pos.skip = static_cast<uint32_t>(offset % kMaxRecordPayload);
    offset += piece.size();
    OutputEvent event(stream, piece, time_ns, pos);
    ForEachObserver([&](SessionObserver* o) { o->OnOutput(event); });
  });
  return base::Status::Ok();
}

void Session::AddObserver(SessionObserver* o) { observers_.push_back(o); }

void Session::RemoveObserver(SessionObserver* o) {
  auto it = std::find(observers_.begin(), observers_.end(), o);
  if (it == observers_.end()) return;
  if (notifying_ > 0) {
    *it = nullptr;
  } else {
    observers_.erase(it);
  }
}

size_t Session::observer_count() const {
  return observers_.size() -
         std::count(observers_.begin(), observers_.end(), nullptr);
}

size_t Session::holding_count() const {
  return static_cast<size_t>(std::count_if(
      observers_.begin(), observers_.end(),
      [](SessionObserver* o) { return o != nullptr && o->holds_container(); }));
}

void Session::NotifyEnd(int exit_code, const std::string& error) {
  ForEachObserver(
      [&](SessionObserver* o) { o->OnSessionEnd(exit_code, error); });
}

void Session::NotifyGone(const std::string& why) {
  ForEachObserver([&](SessionObserver* o) { o->OnContainerGone(why); });
}

void Session::NotifyHello() {
  ForEachObserver([](SessionObserver* o) { o->OnTetherHello(); });
}

void Session::WriteStdin(std::string_view data) {
  if (stdin_closing_) return;
  stdin_.append(data.data(), data.size());
  FlushStdin();
}

void Session::CloseStdin() {
  stdin_closing_ = true;
  FlushStdin();
}

bool Session::stdin_full() const {
  return stdin_.size() - stdin_head_ >= kStdinHigh;
}

void Session::SetSink(StdinSink* sink) {
  sink_ = sink;
  // A new channel is a new tether connection: EOF must reach it too.
  stdin_closed_ = false;
  FlushStdin();
}

void Session::FlushStdin() {
  if (sink_ != nullptr) {
    while (stdin_head_ < stdin_.size()) {
      size_t n = sink_->WriteStdin(stdin_.data() + stdin_head_,
                                   stdin_.size() - stdin_head_);
      if (n == 0) break;
      stdin_head_ += n;
    }
    if (stdin_head_ == stdin_.size()) {
      stdin_.clear();
      stdin_head_ = 0;
      if (stdin_closing_ && !stdin_closed_) {
        stdin_closed_ = true;
        sink_->CloseStdin();
      }
    } else if (stdin_head_ > kStdinLow) {
      stdin_.erase(0, stdin_head_);
      stdin_head_ = 0;
    }
  }
  bool full = stdin_full();
  if (stdin_was_full_ && stdin_.size() - stdin_head_ < kStdinLow) {
    stdin_was_full_ = false;
    ForEachObserver([](SessionObserver* o) { o->OnStdinReady(); });
  } else if (full) {
    stdin_was_full_ = true;
  }
}

}  // namespace endpoint
}  // namespace attach
