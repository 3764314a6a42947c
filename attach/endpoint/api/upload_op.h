// POST /images/load and POST /images/create?fromSrc=- (docker load,
// docker import): the request body, streamed with back-pressure, into an
// ImageUpload, and its progress and result out as docker's JSON messages
// (pkg/jsonmessage), one per line:
//   {"status":"Loading layer","progressDetail":{...},"id":"<12 hex>"}
//   {"stream":"Loaded image: busybox:latest\n"}      (load)
//   {"status":"sha256:<id>"}                          (import)
//   {"errorDetail":{"message":M},"error":M}           (after the 200)
// The CLI renders these only for Content-Type application/json exactly.
//
// Loop thread only; owned by an OpSet. A client that goes away cancels
// the upload (nothing of it stays in the store).
#ifndef TETHER_ATTACH_ENDPOINT_API_UPLOAD_OP_H_
#define TETHER_ATTACH_ENDPOINT_API_UPLOAD_OP_H_

#include <memory>
#include <string>

#include "attach/endpoint/api/op_set.h"
#include "attach/endpoint/images/image_store.h"
#include "http/exchange.h"
#include "http/response_stream.h"

namespace attach {
namespace endpoint {
namespace api {

class UploadOp : public Op {
 public:
  enum class Kind { kLoad, kImport };
  // `quiet`: no progress messages (the CLI asks so when its output is not
  // a terminal).
  UploadOp(std::shared_ptr<http::Exchange> ex, Kind kind, bool quiet);
  ~UploadOp() override;

  // For ImageStore::StartLoad / StartImport.
  ImageUpload::Callbacks Callbacks();
  // Answers 200 and feeds the body into `upload`.
  void Start(std::unique_ptr<ImageUpload> upload);
  void Cancel() override { Finish(); }

 private:
  void OnBodyEnd(const base::Status& s);
  void OnDone(base::Result<LoadResult> result);
  void Fail(const std::string& message);
  // Ends the answer; the upload (cancelled unless it finished) goes with
  // the op on a later turn.
  void Finish();

  std::shared_ptr<http::Exchange> ex_;
  Kind kind_;
  bool quiet_;
  std::shared_ptr<http::ResponseStream> out_;
  std::unique_ptr<ImageUpload> upload_;
  bool finished_ = false;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace api
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_API_UPLOAD_OP_H_
