#include "attach/endpoint/images/image_upload.h"

#include <map>
#include <mutex>

#include "attach/endpoint/containers/state_files.h"
#include "attach/endpoint/images/image_store.h"

namespace attach {
namespace endpoint {

// What the loop side and the worker share. The worker keeps it alive
// past the ImageUpload when that goes first.
struct ImageUpload::Shared {
  explicit Shared(std::string dir)
      : job_dir(std::move(dir)), queue([this] { Notify(true); }) {}

  // Wakes the loop side (if it is still there).
  void Notify(bool want_room) {
    std::lock_guard<std::mutex> lock(mu);
    if (want_room) room = true;
    if (async != nullptr) uv_async_send(async);
  }

  std::string job_dir;
  UploadQueue queue;
  std::mutex mu;
  uv_async_t* async = nullptr;  // Null once the loop side is gone.
  std::map<std::string, LoadProgress> progress;  // Newest per layer.
  std::vector<std::string> order;                // Layers as first seen.
  bool room = false;
  bool finished = false;
  base::Result<std::vector<StagedImage>> result =
      base::Status::Internal("unfinished");
};

ImageUpload::ImageUpload(uv_loop_t* loop, ImageStore* store,
                         Callbacks callbacks, bool import)
    : store_(store), callbacks_(std::move(callbacks)), import_(import) {
  uv_async_init(loop, async_.get(), &ImageUpload::OnAsync);
  async_.MarkInitialized();
  async_->data = this;
}

base::Status ImageUpload::Start(
    std::function<base::Result<std::vector<StagedImage>>(const LoaderContext&)>
        work,
    LoaderContext ctx) {
  shared_ = std::make_shared<Shared>(ctx.job_dir);
  shared_->async = async_.get();
  std::shared_ptr<Shared> shared = shared_;
  ctx.queue = &shared->queue;
  ctx.build.cancelled = [raw = shared.get()] { return raw->queue.cancelled(); };
  ctx.progress = [raw = shared.get()](const LoadProgress& p) {
    {
      std::lock_guard<std::mutex> lock(raw->mu);
      if (raw->progress.count(p.id) == 0) raw->order.push_back(p.id);
      raw->progress[p.id] = p;
    }
    raw->Notify(false);
  };
  worker_ = std::thread([shared, work = std::move(work), ctx]() {
    base::Result<std::vector<StagedImage>> r = work(ctx);
    if (!r.ok()) (void)RemoveTree(shared->job_dir);
    std::lock_guard<std::mutex> lock(shared->mu);
    shared->result = std::move(r);
    shared->finished = true;
    if (shared->async != nullptr) uv_async_send(shared->async);
  });
  return base::Status::Ok();
}

ImageUpload::~ImageUpload() {
  if (shared_) {
    {
      std::lock_guard<std::mutex> lock(shared_->mu);
      shared_->async = nullptr;
    }
    shared_->queue.Cancel();
  }
  if (worker_.joinable()) {
    std::shared_ptr<Shared> shared = shared_;
    store_->Retire(std::move(worker_), shared_->job_dir, [shared] {
      std::lock_guard<std::mutex> lock(shared->mu);
      return shared->finished;
    });
  }
}

bool ImageUpload::Write(std::string_view data) {
  return shared_->queue.Push(data);
}

void ImageUpload::Finish() { shared_->queue.Close(); }

void ImageUpload::OnAsync(uv_async_t* h) noexcept {
  static_cast<ImageUpload*>(h->data)->Drain();
}

void ImageUpload::Drain() {
  std::vector<LoadProgress> progress;
  bool room = false, finished = false;
  {
    std::lock_guard<std::mutex> lock(shared_->mu);
    for (const std::string& id : shared_->order) {
      auto it = shared_->progress.find(id);
      if (it != shared_->progress.end()) progress.push_back(it->second);
    }
    shared_->progress.clear();
    shared_->order.clear();
    room = shared_->room;
    shared_->room = false;
    finished = shared_->finished;
  }
  for (const LoadProgress& p : progress) {
    if (callbacks_.progress) callbacks_.progress(p);
  }
  if (room && callbacks_.writable && !finished) callbacks_.writable();
  if (!finished || done_) return;
  done_ = true;
  worker_.join();  // It has finished: immediate.
  base::Result<std::vector<StagedImage>> staged =
      std::move(shared_->result);
  base::Result<LoadResult> result =
      staged.ok() ? store_->Commit(*staged, import_) : staged.status();
  (void)RemoveTree(shared_->job_dir);
  callbacks_.done(std::move(result));  // May destroy us.
}

}  // namespace endpoint
}  // namespace attach
