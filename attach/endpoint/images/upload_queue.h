// The bytes of one upload on their way from the loop thread (which reads
// them from a client) to the worker thread (which stores and unpacks
// them). Bounded: Push says when the producer should pause, and the
// consumer's Pop reports when the queue has room again.
//
// Thread-safe.
#ifndef TETHER_ATTACH_ENDPOINT_IMAGES_UPLOAD_QUEUE_H_
#define TETHER_ATTACH_ENDPOINT_IMAGES_UPLOAD_QUEUE_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace attach {
namespace endpoint {

class UploadQueue {
 public:
  static constexpr size_t kHighWater = 8 << 20;
  static constexpr size_t kLowWater = 2 << 20;

  // `room` is called (from the consumer's thread) when the queue falls
  // below the low mark after a Push returned false.
  explicit UploadQueue(std::function<void()> room) : room_(std::move(room)) {}

  // Producer: appends `data`. False when the producer should pause until
  // `room` is called (the data was taken all the same).
  bool Push(std::string_view data);
  // Producer: no more data.
  void Close();
  // Either side: wakes the consumer for good; Pop then returns false.
  void Cancel();
  // Consumer: it has read all it wants; whatever else comes is dropped
  // (and the producer never pauses again).
  void Discard();
  bool cancelled() const;

  // Consumer: blocks for the next chunk. False at the end (`*chunk`
  // empty) or when cancelled.
  bool Pop(std::string* chunk);
  // Bytes pushed so far.
  size_t total() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> chunks_;
  size_t queued_ = 0;
  size_t total_ = 0;
  bool closed_ = false;
  bool cancelled_ = false;
  bool want_room_ = false;
  bool discard_ = false;
  std::function<void()> room_;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_IMAGES_UPLOAD_QUEUE_H_
