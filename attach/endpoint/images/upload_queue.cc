#include "attach/endpoint/images/upload_queue.h"

namespace attach {
namespace endpoint {

bool UploadQueue::Push(std::string_view data) {
  std::lock_guard<std::mutex> lock(mu_);
  if (cancelled_ || closed_ || discard_) return true;
  if (!data.empty()) {
    chunks_.emplace_back(data);
    queued_ += data.size();
    total_ += data.size();
    cv_.notify_one();
  }
  if (queued_ < kHighWater) return true;
  want_room_ = true;
  return false;
}

void UploadQueue::Close() {
  std::lock_guard<std::mutex> lock(mu_);
  closed_ = true;
  cv_.notify_one();
}

void UploadQueue::Cancel() {
  std::lock_guard<std::mutex> lock(mu_);
  cancelled_ = true;
  chunks_.clear();
  queued_ = 0;
  cv_.notify_one();
}

void UploadQueue::Discard() {
  bool call_room = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    discard_ = true;
    chunks_.clear();
    queued_ = 0;
    call_room = want_room_;
    want_room_ = false;
  }
  if (call_room && room_) room_();
}

bool UploadQueue::cancelled() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cancelled_;
}

bool UploadQueue::Pop(std::string* chunk) {
  bool call_room = false;
  {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return cancelled_ || closed_ || !chunks_.empty(); });
    chunk->clear();
    if (cancelled_ || chunks_.empty()) return false;
    chunk->swap(chunks_.front());
    chunks_.pop_front();
    queued_ -= chunk->size();
    if (want_room_ && queued_ < kLowWater) {
      want_room_ = false;
      call_room = true;
    }
  }
  if (call_room && room_) room_();
  return true;
}

size_t UploadQueue::total() const {
  std::lock_guard<std::mutex> lock(mu_);
  return total_;
}

}  // namespace endpoint
}  // namespace attach
