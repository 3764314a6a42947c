#include "attach/endpoint/api/upload_op.h"

#include <utility>

#include "attach/endpoint/api/replies.h"

namespace attach {
namespace endpoint {
namespace api {
namespace {

using nlohmann::json;

std::string Message(const json& j) { return DumpJson(j) + "\r\n"; }

}  // namespace

UploadOp::UploadOp(std::shared_ptr<http::Exchange> ex, Kind kind, bool quiet)
    : ex_(std::move(ex)), kind_(kind), quiet_(quiet) {}

UploadOp::~UploadOp() {
  // The upload first: cancelling it runs no callback into this op.
  upload_.reset();
}

ImageUpload::Callbacks UploadOp::Callbacks() {
  ImageUpload::Callbacks cb;
  std::weak_ptr<int> alive = alive_;
  cb.progress = [this, alive](const LoadProgress& p) {
    if (alive.expired() || finished_ || quiet_ || !out_) return;
    out_->Write(Message(
        json{{"status", p.status},
             {"progressDetail", {{"current", p.current}, {"total", p.total}}},
             {"id", p.id}}));
  };
  cb.writable = [this, alive] {
    if (!alive.expired() && !finished_) ex_->ResumeBody();
  };
  cb.done = [this, alive](base::Result<LoadResult> r) {
    if (!alive.expired()) OnDone(std::move(r));
  };
  return cb;
}

void UploadOp::Start(std::unique_ptr<ImageUpload> upload) {
  upload_ = std::move(upload);
  std::weak_ptr<int> alive = alive_;
  http::BodySink sink;
  sink.on_data = [this, alive](std::string_view piece) {
    if (alive.expired() || finished_) return;
    if (!upload_->Write(piece)) ex_->PauseBody();
  };
  sink.on_end = [this, alive](const base::Status& s) {
    if (!alive.expired()) OnBodyEnd(s);
  };
  // The body is claimed before the answer starts, which would discard it.
  ex_->StreamBody(std::move(sink));
  if (finished_) return;
  // dockerd answers at once and streams the rest: an error after this is
  // a message in the body, which the CLI prints with exit code 1.
  out_ = ex_->StartStream(DockerHead(200, "application/json"));
  out_->OnClose([this, alive](const base::Status&) {
    if (!alive.expired()) Finish();
  });
}

void UploadOp::OnBodyEnd(const base::Status& s) {
  if (finished_) return;
  if (s.ok()) return upload_->Finish();
  // A torn upload stores nothing: the upload is cancelled with the op.
  Fail("the upload ended early: " + s.message());
}

void UploadOp::OnDone(base::Result<LoadResult> r) {
  if (finished_) return;
  if (!r.ok()) return Fail(r.status().message());
  if (kind_ == Kind::kImport) {
    for (const std::string& id : r->ids) {
      out_->Write(Message(json{{"status", id}}));
    }
  } else {
    for (const std::string& line : r->lines) {
      out_->Write(Message(json{{"stream", line + "\n"}}));
    }
  }
  Finish();
}

void UploadOp::Fail(const std::string& message) {
  if (!out_) {
    // Before the answer started (a body that ended at once).
    ReplyError(*ex_, 400, message);
  } else if (out_->open()) {
    out_->Write(Message(
        json{{"errorDetail", {{"message", message}}}, {"error", message}}));
  }
  Finish();
}

void UploadOp::Finish() {
  if (finished_) return;
  finished_ = true;
  if (out_) out_->End();
  Done();
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
