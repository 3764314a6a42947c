// Containers: list, create, inspect, kill, remove, resize.
#include <regex>

#include "attach/docker/time_format.h"
#include "attach/endpoint/api/create_spec.h"
#include "attach/endpoint/api/exec_store.h"
#include "attach/endpoint/api/filters.h"
#include "attach/endpoint/api/json_read.h"
#include "attach/endpoint/api/names.h"
#include "attach/endpoint/api/replies.h"
#include "attach/endpoint/api/routes.h"
#include "attach/endpoint/api/views.h"
#include "guestinfo/signal_names.h"

namespace attach {
namespace endpoint {
namespace api {
namespace {

using nlohmann::json;

// Create bodies are small; more is a mistake or an attack (413).
constexpr size_t kMaxCreateBody = 1 << 20;
// Tries at a fresh random name before giving up, as docker does.
constexpr int kNameTries = 8;

// The filters of GET /containers/json?filters={"name":{"web":true}}.
struct ListFilters {
  std::vector<std::string> names, ids, statuses, labels, ancestors;
};

base::Result<ListFilters> ParseFilters(const std::string& text) {
  TETHER_ASSIGN_OR_RETURN(
      FilterArgs args,
      ParseFilterArgs(text, {"name", "id", "status", "label", "ancestor"}));
  ListFilters f;
  f.names = FilterValues(args, "name");
  f.ids = FilterValues(args, "id");
  f.statuses = FilterValues(args, "status");
  f.labels = FilterValues(args, "label");
  f.ancestors = FilterValues(args, "ancestor");
  return f;
}

// docker's name filter is a regular expression searched in the name.
bool NameMatches(const std::string& pattern, const std::string& name) {
  try {
    return std::regex_search("/" + name, std::regex(pattern));
  } catch (const std::regex_error&) {
    return false;
  }
}

bool Passes(const ListFilters& f, const Container& c, const json& summary) {
  auto any = [](const std::vector<std::string>& want, auto pred) {
    if (want.empty()) return true;
    for (const std::string& w : want) {
      if (pred(w)) return true;
    }
    return false;
  };
  const ContainerRecord& r = c.record();
  json labels = summary.value("Labels", json::object());
  return any(f.names,
             [&](const std::string& w) { return NameMatches(w, r.name); }) &&
         any(f.ids,
             [&](const std::string& w) { return r.id.rfind(w, 0) == 0; }) &&
         any(f.statuses,
             [&](const std::string& w) { return c.state() == w; }) &&
         any(f.ancestors,
             [&](const std::string& w) {
               return summary.value("Image", "") == w ||
                      summary.value("ImageID", "") == w;
             }) &&
         std::all_of(f.labels.begin(), f.labels.end(),
                     [&](const std::string& w) {
                       size_t eq = w.find('=');
                       std::string key = w.substr(0, eq);
                       if (!labels.contains(key)) return false;
                       return eq == std::string::npos ||
                              labels[key] == w.substr(eq + 1);
                     });
}

std::string BuiltinId(const Call& call) {
  base::Result<const Image*> b = call.ctx->images->Find("busybox:latest");
  return b.ok() ? (*b)->id : "";
}

}  // namespace

void ContainerList(Call& call) {
  base::Result<ListFilters> filters = ParseFilters(call.Query("filters"));
  if (!filters.ok()) return ReplyStatus(*call.ex, filters.status());
  base::Result<int64_t> limit = call.QueryInt("limit", -1);
  if (!limit.ok()) return ReplyStatus(*call.ex, limit.status());
  bool all = call.QueryBool("all") || *limit > 0;
  int64_t now = docker::NowUnixNanos();
  std::string builtin = BuiltinId(call);
  json list = json::array();
  for (Container* c : call.ctx->ops->registry().All()) {
    if (*limit > 0 && static_cast<int64_t>(list.size()) >= *limit) break;
    if (!all && c->state() != "running") continue;
    json summary = ContainerSummary(*c, builtin, now);
    if (Passes(*filters, *c, summary)) list.push_back(std::move(summary));
  }
  ReplyJson(*call.ex, 200, list);
}

void ContainerCreate(Call& call) {
  auto ex = call.ex;
  ApiContext* ctx = call.ctx;
  std::string name = call.Query("name");
  if (!name.empty() && name[0] == '/') name.erase(0, 1);
  ex->ReadBody(kMaxCreateBody, [ex, ctx, name](const base::Status& read) {
    if (!read.ok()) return;  // The server has answered.
    base::Result<CreateBody> body = ParseCreateBody(ex->request().body);
    if (!body.ok()) return ReplyStatus(*ex, body.status());
    base::Result<const Image*> image = ctx->images->Find(body->image);
    if (!image.ok()) return ReplyStatus(*ex, image.status());
    MergeImageConfig((*image)->config, &*body);
    if (body->restart_policy != "" && body->restart_policy != "no") {
      return ReplyError(*ex, 400,
                        "restart policy \"" + body->restart_policy +
                            "\" is not supported by container VMs yet");
    }
    // The built-in image is the VM image's own root: no image id to keep.
    std::string image_id = (*image)->disk.empty() ? "" : (*image)->id;
    base::Result<Container*> c = base::Status::Internal("no name tried");
    for (int attempt = 0; attempt < kNameTries; ++attempt) {
      std::string n = name.empty() ? RandomName(attempt) : name;
      base::Result<ContainerRecord> record = RecordFor(*body, n, image_id);
      if (!record.ok()) return ReplyStatus(*ex, record.status());
      c = ctx->ops->Create(std::move(*record));
      bool clash =
          !c.ok() && c.status().code() == base::Status::Code::kConflict;
      if (!clash || !name.empty()) break;
    }
    if (!c.ok()) return ReplyStatus(*ex, c.status());
    ReplyJson(*ex, 201, json{{"Id", (*c)->id()}, {"Warnings", json::array()}});
  });
}

void ContainerInspect(Call& call) {
  Container* c = FindContainer(call, call.param(0));
  if (c == nullptr) return;
  ReplyJson(*call.ex, 200, api::ContainerInspect(*c, BuiltinId(call)));
}

void ContainerKill(Call& call) {
  Container* c = FindContainer(call, call.param(0));
  if (c == nullptr) return;
  std::string name = call.Query("signal");
  int signo = SIGKILL;
  if (!name.empty()) {
    base::Result<int> parsed = guestinfo::ParseSignal(name);
    if (!parsed.ok())
      return ReplyError(*call.ex, 400, "Invalid signal: " + name);
    signo = *parsed;
  }
  base::Status s = call.ctx->ops->Kill(c, call.param(0), signo);
  if (!s.ok()) return ReplyStatus(*call.ex, s);
  ReplyEmpty(*call.ex);
}

void ContainerRemove(Call& call) {
  Container* c = FindContainer(call, call.param(0));
  if (c == nullptr) return;
  std::string id = c->id();
  base::Status s = call.ctx->ops->Remove(c, call.QueryBool("force"));
  if (!s.ok()) return ReplyStatus(*call.ex, s);
  call.ctx->execs->ForgetContainer(id);
  ReplyEmpty(*call.ex);
}

void ContainerResize(Call& call) {
  Container* c = FindContainer(call, call.param(0));
  if (c == nullptr) return;
  base::Result<TerminalSize> size = QuerySize(call);
  if (!size.ok()) return ReplyStatus(*call.ex, size.status());
  if (c->state() == "exited") {
    return ReplyError(*call.ex, 409,
                      "Container " + c->id() + " is not running");
  }
  base::Status s =
      call.ctx->ops->Resize(c, kPrimarySession, size->rows, size->cols);
  if (!s.ok()) return ReplyStatus(*call.ex, s);
  ReplyEmpty(*call.ex, 200);
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
