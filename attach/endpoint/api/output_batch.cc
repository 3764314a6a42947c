#include "attach/endpoint/api/output_batch.h"

#include <utility>

#include "attach/endpoint/api/stdcopy.h"

namespace attach {
namespace endpoint {
namespace api {
namespace {

// What a timestamp adds to a piece at most ("2006-01-02T15:04:05.
// 000000000Z ").
constexpr size_t kTimestampRoom = 40;
// A batch's first buffer: a few pieces without growing, and served from
// malloc's heap rather than a fresh mmap.
constexpr size_t kFirstReserve = 64 * 1024;

}  // namespace

OutputBatch::OutputBatch(uv_loop_t* loop, StreamFormat format, Writer write)
    : encoder_(format), write_(std::move(write)) {
  if (loop != nullptr && uv_idle_init(loop, idle_.get()) == 0) {
    idle_.MarkInitialized();
    idle_->data = this;
  }
}

bool OutputBatch::Add(uint8_t stream, std::string_view data, int64_t time_ns,
                      size_t queued) {
  size_t room = data.size() + kStdcopyHeader +
                (encoder_.format().timestamps ? kTimestampRoom : 0);
  if (queued + pending_.size() + room > kHighMark) return false;
  std::string scratch;
  std::string_view text = encoder_.Text(stream, data, time_ns, &scratch);
  if (text.empty()) return true;
  if (pending_.empty()) pending_.reserve(kFirstReserve);
  uint8_t frame = encoder_.FrameStream(stream);
  if (frame != 0) {
    bool fresh =
        pending_.empty() || frame != frame_stream_ ||
        pending_.size() - frame_at_ - kStdcopyHeader + text.size() > kMaxFrame;
    if (fresh) {
      frame_at_ = pending_.size();
      frame_stream_ = frame;
      AppendStdcopyHeader(&pending_, frame, 0);
    }
    size_t payload = pending_.size() - frame_at_ - kStdcopyHeader;
    SetStdcopySize(&pending_, frame_at_,
                   static_cast<uint32_t>(payload + text.size()));
  }
  pending_.append(text.data(), text.size());
  if (pending_.size() >= kBatchFlush || !idle_.initialized()) {
    Flush();
  } else {
    uv_idle_start(idle_.get(), &OutputBatch::OnIdle);
  }
  return true;
}

void OutputBatch::Notice(const std::string& text) {
  Flush();
  write_(encoder_.Notice(text));
}

void OutputBatch::Flush() {
  if (idle_.initialized()) uv_idle_stop(idle_.get());
  if (pending_.empty()) return;
  std::string bytes;
  bytes.swap(pending_);
  write_(std::move(bytes));
}

void OutputBatch::OnIdle(uv_idle_t* h) noexcept {
  static_cast<OutputBatch*>(h->data)->Flush();
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
