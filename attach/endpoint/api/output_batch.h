// One client's encoded output, gathered until the loop's next idle phase
// (a uv_idle handle, which also keeps the loop from blocking in poll while
// anything is gathered): the pieces of a session's output that arrive in
// one turn (several SSH packets, or a run of log records when the client
// is behind) leave as one write, and a run of one stream as one stdcopy
// frame of up to kMaxFrame bytes rather than a frame per piece. The
// docker CLI writes each frame to its stdout with one write(2) and wakes
// once per read, so fewer, larger frames are most of its cost per byte;
// an interactive session still sees every piece before the loop waits.
// (A uv_check handle would not do: output added by a timer or an idle
// callback would wait in the batch until the next I/O event.)
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_API_OUTPUT_BATCH_H_
#define TETHER_ATTACH_ENDPOINT_API_OUTPUT_BATCH_H_

#include <uv.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "attach/endpoint/api/stream_client.h"
#include "base/uv_handle.h"

namespace attach {
namespace endpoint {
namespace api {

// A frame's payload at most (the CLI buffers a whole frame before it
// writes it out), and the batch that is written at once, not at the end
// of the turn.
constexpr size_t kMaxFrame = 256 * 1024;
constexpr size_t kBatchFlush = 256 * 1024;

class OutputBatch {
 public:
  using Writer = std::function<void(std::string bytes)>;
  // `write` takes each batch; a null loop writes every piece at once.
  OutputBatch(uv_loop_t* loop, StreamFormat format, Writer write);
  ~OutputBatch() = default;
  OutputBatch(const OutputBatch&) = delete;
  OutputBatch& operator=(const OutputBatch&) = delete;

  // Adds the encoding of `data`, unless the bytes already queued
  // downstream (`queued`), this batch and `data` would pass kHighMark:
  // then it takes nothing and returns false.
  bool Add(uint8_t stream, std::string_view data, int64_t time_ns,
           size_t queued);
  // Writes a message from attachd after what is gathered.
  void Notice(const std::string& text);
  // Writes what is gathered now.
  void Flush();
  size_t size() const { return pending_.size(); }

 private:
  static void OnIdle(uv_idle_t* h) noexcept;

  OutputEncoder encoder_;
  Writer write_;
  base::UvHandle<uv_idle_t> idle_;
  std::string pending_;
  // Where the open stdcopy frame's header is in pending_, and its stream.
  size_t frame_at_ = 0;
  uint8_t frame_stream_ = 0;
};

}  // namespace api
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_API_OUTPUT_BATCH_H_
