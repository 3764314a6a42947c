// Images: list, inspect, remove, and the pull that cannot reach a
// registry. Loading and importing come with the image store's loaders.
#include "attach/endpoint/api/replies.h"
#include "attach/endpoint/api/routes.h"
#include "attach/endpoint/api/views.h"
#include "attach/endpoint/images/reference.h"

namespace attach {
namespace endpoint {
namespace api {
namespace {

using nlohmann::json;

// Containers that run `image` (the built-in one when it has no disk).
int UsersOf(const Call& call, const Image& image) {
  int n = 0;
  for (Container* c : call.ctx->ops->registry().All()) {
    const std::string& id = c->record().image;
    if (id == image.id || (id.empty() && image.disk.empty())) ++n;
  }
  return n;
}

}  // namespace

void ImageList(Call& call) {
  json list = json::array();
  for (const Image* image : call.ctx->images->All()) {
    list.push_back(ImageSummary(*image, UsersOf(call, *image)));
  }
  ReplyJson(*call.ex, 200, list);
}

void ImageInspect(Call& call) {
  base::Result<const Image*> image = call.ctx->images->Find(call.param(0));
  if (!image.ok()) return ReplyStatus(*call.ex, image.status());
  ReplyJson(*call.ex, 200, api::ImageInspect(**image));
}

void ImageCreate(Call& call) {
  std::string from = call.Query("fromImage");
  if (from.empty()) {
    return ReplyError(*call.ex, 501,
                      "docker import is not available on this attachd yet");
  }
  std::string tag = call.Query("tag");
  std::string ref = tag.empty() ? from : from + ":" + tag;
  base::Result<const Image*> image = call.ctx->images->Find(ref);
  if (image.ok()) {
    // Nothing to fetch: what a registry would say for an image we have.
    base::Result<std::string> name = NormalizeReference(ref);
    http::Response r;
    static_cast<http::ResponseHead&>(r) = DockerHead(200, "application/json");
    r.body = DumpJson(json{{"status", "Status: Image is up to date for " +
                                          (name.ok() ? *name : ref)}}) +
             "\r\n";
    return call.ex->Respond(std::move(r));
  }
  // Never a 401: the CLI would ask the user to log in.
  base::Result<std::string> name = NormalizeReference(ref);
  if (!name.ok()) return ReplyStatus(*call.ex, name.status());
  ReplyError(*call.ex, 404,
             "pull access denied for " + *name +
                 ": attachd reaches no registry; bring images in with "
                 "'docker load' or 'docker import'");
}

void ImageRemove(Call& call) {
  base::Result<const Image*> image = call.ctx->images->Find(call.param(0));
  if (!image.ok()) return ReplyStatus(*call.ex, image.status());
  if ((*image)->disk.empty()) {
    return ReplyError(*call.ex, 409,
                      "conflict: unable to remove " + call.param(0) +
                          ": it is the VM image's own root file system");
  }
  ReplyError(*call.ex, 501, "image removal is not available yet");
}

void ImageLoad(Call& call) {
  ReplyError(*call.ex, 501, "docker load is not available on this attachd yet");
}

void ImageTag(Call& call) {
  ReplyError(*call.ex, 501, "docker tag is not available on this attachd yet");
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
