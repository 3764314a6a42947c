// Images: list, inspect, load, import, tag, remove, and the pull that
// cannot reach a registry. The store (images/image_store.h) does the
// work; these routes speak docker's wire format for it.
#include <fnmatch.h>

#include "attach/endpoint/api/filters.h"
#include "attach/endpoint/api/replies.h"
#include "attach/endpoint/api/routes.h"
#include "attach/endpoint/api/upload_op.h"
#include "attach/endpoint/images/image_json.h"
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

// docker's reference filter (FamiliarMatch): a glob over "name:tag" or
// the name alone, '*' not crossing '/'.
bool ReferenceMatches(const std::string& pattern, const std::string& tag) {
  size_t slash = tag.rfind('/');
  size_t colon = tag.rfind(':');
  std::string name = colon != std::string::npos &&
                             (slash == std::string::npos || colon > slash)
                         ? tag.substr(0, colon)
                         : tag;
  return fnmatch(pattern.c_str(), tag.c_str(), FNM_PATHNAME) == 0 ||
         fnmatch(pattern.c_str(), name.c_str(), FNM_PATHNAME) == 0;
}

bool LabelsMatch(const std::vector<std::string>& want, const Image& image) {
  for (const std::string& w : want) {
    size_t eq = w.find('=');
    auto it = image.config.labels.find(w.substr(0, eq));
    if (it == image.config.labels.end()) return false;
    if (eq != std::string::npos && it->second != w.substr(eq + 1)) {
      return false;
    }
  }
  return true;
}

// The image a before/since filter names, as its creation time.
base::Result<int64_t> CreatedOf(const ImageStore& images,
                                const std::vector<std::string>& refs) {
  if (refs.empty()) return int64_t{-1};
  TETHER_ASSIGN_OR_RETURN(const Image* image, images.Find(refs.front()));
  return image->created;
}

// The answer to a pull: the image is here, or nowhere to get it from.
void AnswerPull(Call& call, const std::string& from) {
  std::string tag = call.Query("tag");
  std::string ref = tag.empty() ? from : from + ":" + tag;
  base::Result<std::string> name = NormalizeReference(ref);
  if (!name.ok()) return ReplyStatus(*call.ex, name.status());
  if (call.ctx->images->Find(ref).ok()) {
    // Nothing to fetch: what a registry would say for an image we have.
    http::Response r;
    static_cast<http::ResponseHead&>(r) = DockerHead(200, "application/json");
    r.body =
        DumpJson(json{{"status", "Status: Image is up to date for " + *name}}) +
        "\r\n";
    return call.ex->Respond(std::move(r));
  }
  // Never a 401: the CLI would ask the user to log in.
  ReplyError(*call.ex, 404,
             "pull access denied for " + *name + ": " + kNoRegistry);
}

// docker import FILE|- [REPO[:TAG]]: the CLI sends the tag inside `repo`
// and an empty `tag`; other clients split them.
void StartImport(Call& call) {
  if (call.Query("fromSrc") != "-") {
    return ReplyError(*call.ex, 400,
                      "attachd imports only an uploaded archive "
                      "(docker import FILE or -), not a URL: it reaches no "
                      "network");
  }
  ImportOptions o;
  o.tag = call.Query("repo");
  std::string tag = call.Query("tag");
  if (!o.tag.empty() && !tag.empty()) o.tag += ":" + tag;
  o.changes = call.QueryAll("changes");
  o.message = call.Query("message");
  auto op = std::make_unique<UploadOp>(call.ex, UploadOp::Kind::kImport,
                                       /*quiet=*/false);
  base::Result<std::unique_ptr<ImageUpload>> upload =
      call.ctx->images->StartImport(o, op->Callbacks());
  if (!upload.ok()) return ReplyStatus(*call.ex, upload.status());
  call.ctx->opset->Add(std::move(op))->Start(std::move(*upload));
}

}  // namespace

// docker images [-f dangling=|reference=|label=|before=|since=] [REPO]:
// with a reference filter, only the tags it matches are listed.
void ImageList(Call& call) {
  base::Result<FilterArgs> f =
      ParseFilterArgs(call.Query("filters"),
                      {"dangling", "reference", "label", "before", "since"});
  if (!f.ok()) return ReplyStatus(*call.ex, f.status());
  const std::vector<std::string>& refs = FilterValues(*f, "reference");
  const std::vector<std::string>& dangling = FilterValues(*f, "dangling");
  const ImageStore& images = *call.ctx->images;
  base::Result<int64_t> before = CreatedOf(images, FilterValues(*f, "before"));
  if (!before.ok()) return ReplyStatus(*call.ex, before.status());
  base::Result<int64_t> since = CreatedOf(images, FilterValues(*f, "since"));
  if (!since.ok()) return ReplyStatus(*call.ex, since.status());
  json list = json::array();
  for (const Image* image : images.All()) {
    if (!dangling.empty() &&
        (dangling.front() == "true") != image->repo_tags.empty()) {
      continue;
    }
    if (!LabelsMatch(FilterValues(*f, "label"), *image)) continue;
    if (*before >= 0 && image->created >= *before) continue;
    if (*since >= 0 && image->created <= *since) continue;
    json summary = ImageSummaryJson(*image);
    if (!refs.empty()) {
      json tags = json::array();
      for (const std::string& tag : image->repo_tags) {
        for (const std::string& pattern : refs) {
          if (ReferenceMatches(pattern, tag)) {
            tags.push_back(tag);
            break;
          }
        }
      }
      if (tags.empty()) continue;
      summary["RepoTags"] = std::move(tags);
    }
    summary["Containers"] = UsersOf(call, *image);
    list.push_back(std::move(summary));
  }
  ReplyJson(*call.ex, 200, list);
}

void ImageInspect(Call& call) {
  base::Result<const Image*> image = call.ctx->images->Find(call.param(0));
  if (!image.ok()) return ReplyStatus(*call.ex, image.status());
  ReplyJson(*call.ex, 200, ImageInspectJson(**image));
}

void ImageCreate(Call& call) {
  std::string from = call.Query("fromImage");
  if (!from.empty()) return AnswerPull(call, from);
  StartImport(call);
}

void ImageLoad(Call& call) {
  auto op = std::make_unique<UploadOp>(call.ex, UploadOp::Kind::kLoad,
                                       call.QueryBool("quiet"));
  base::Result<std::unique_ptr<ImageUpload>> upload =
      call.ctx->images->StartLoad(op->Callbacks());
  if (!upload.ok()) return ReplyStatus(*call.ex, upload.status());
  call.ctx->opset->Add(std::move(op))->Start(std::move(*upload));
}

void ImageTag(Call& call) {
  std::string target = call.Query("repo");
  std::string tag = call.Query("tag");
  if (target.empty()) {
    return ReplyError(*call.ex, 400,
                      "repository name must have at least "
                      "one component");
  }
  if (!tag.empty()) target += ":" + tag;
  base::Status s = call.ctx->images->Tag(call.param(0), target);
  if (!s.ok()) return ReplyStatus(*call.ex, s);
  ReplyEmpty(*call.ex, 201);
}

void ImageRemove(Call& call) {
  ContainerOps* ops = call.ctx->ops;
  base::Result<std::vector<std::string>> lines = call.ctx->images->Remove(
      call.param(0), call.QueryBool("force"),
      [ops](const std::string& id) { return ops->ImageUsers(id); });
  if (!lines.ok()) return ReplyStatus(*call.ex, lines.status());
  // The store's lines are the CLI's ("Untagged: x", "Deleted: sha256:..."):
  // the API sends them as {"Untagged": "x"}, which the CLI prints so.
  json out = json::array();
  for (const std::string& line : *lines) {
    size_t colon = line.find(": ");
    if (colon == std::string::npos) continue;
    out.push_back(json{{line.substr(0, colon), line.substr(colon + 2)}});
  }
  ReplyJson(*call.ex, 200, out);
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
