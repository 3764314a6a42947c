#include "attach/endpoint/images/image_config.h"

#include <ctime>
#include <nlohmann/json.hpp>

#include "attach/endpoint/images/sha256.h"
#include "guestinfo/json_fields.h"

namespace attach {
namespace endpoint {
namespace {

using nlohmann::json;

constexpr size_t kMaxList = 100000;
constexpr size_t kMaxLayers = 1000;

const json* Field(const json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

base::Status Str(const json& obj, const char* key, std::string path,
                 std::string* out) {
  const json* v = Field(obj, key);
  return v ? guestinfo::ReadString(*v, path, out) : base::Status::Ok();
}

base::Status List(const json& obj, const char* key, std::string path,
                  std::vector<std::string>* out) {
  const json* v = Field(obj, key);
  return v ? guestinfo::ReadStringList(*v, path, kMaxList, out)
           : base::Status::Ok();
}

// {"80/tcp": {}} -> its keys.
base::Status Keys(const json& obj, const char* key, std::string path,
                  std::vector<std::string>* out) {
  const json* v = Field(obj, key);
  if (v == nullptr) return base::Status::Ok();
  if (!v->is_object()) return guestinfo::FieldError(path, "expected an object");
  for (auto it = v->begin(); it != v->end(); ++it) out->push_back(it.key());
  return base::Status::Ok();
}

base::Status Labels(const json& obj, std::map<std::string, std::string>* out) {
  const json* v = Field(obj, "Labels");
  if (v == nullptr) return base::Status::Ok();
  if (!v->is_object()) {
    return guestinfo::FieldError("config.Labels", "expected an object");
  }
  for (auto it = v->begin(); it != v->end(); ++it) {
    if (!it->is_string()) {
      return guestinfo::FieldError("config.Labels",
                                   "expected string values");
    }
    (*out)[it.key()] = it->get<std::string>();
  }
  return base::Status::Ok();
}

base::Status ReadRunConfig(const json& c, ImageConfig* out) {
  TETHER_RETURN_IF_ERROR(List(c, "Env", "config.Env", &out->env));
  TETHER_RETURN_IF_ERROR(List(c, "Cmd", "config.Cmd", &out->cmd));
  TETHER_RETURN_IF_ERROR(
      List(c, "Entrypoint", "config.Entrypoint", &out->entrypoint));
  TETHER_RETURN_IF_ERROR(
      Str(c, "WorkingDir", "config.WorkingDir", &out->workdir));
  TETHER_RETURN_IF_ERROR(Str(c, "User", "config.User", &out->user));
  TETHER_RETURN_IF_ERROR(
      Keys(c, "ExposedPorts", "config.ExposedPorts", &out->exposed_ports));
  return Labels(c, &out->labels);
}

base::Status Parse(const json& doc, ImageMeta* m) {
  if (!doc.is_object()) return base::Status::InvalidArgument("not an object");
  TETHER_RETURN_IF_ERROR(Str(doc, "architecture", "architecture",
                             &m->architecture));
  TETHER_RETURN_IF_ERROR(Str(doc, "os", "os", &m->os));
  TETHER_RETURN_IF_ERROR(Str(doc, "created", "created", &m->created));
  TETHER_RETURN_IF_ERROR(Str(doc, "author", "author", &m->author));
  if (!m->created.empty()) {
    base::Result<int64_t> t = ParseRfc3339(m->created);
    if (t.ok()) m->created_unix = *t;
  }
  if (const json* c = Field(doc, "config")) {
    if (!c->is_object()) {
      return guestinfo::FieldError("config", "expected an object");
    }
    TETHER_RETURN_IF_ERROR(ReadRunConfig(*c, &m->config));
  }
  const json* rootfs = Field(doc, "rootfs");
  if (rootfs == nullptr || !rootfs->is_object()) {
    return guestinfo::FieldError("rootfs", "required object missing");
  }
  const json* ids = Field(*rootfs, "diff_ids");
  if (ids != nullptr) {
    TETHER_RETURN_IF_ERROR(guestinfo::ReadStringList(
        *ids, "rootfs.diff_ids", kMaxLayers, &m->diff_ids));
  }
  for (size_t i = 0; i < m->diff_ids.size(); ++i) {
    if (!IsSha256Digest(m->diff_ids[i])) {
      return guestinfo::FieldError(guestinfo::IndexPath("rootfs.diff_ids", i),
                                   "not a sha256 digest");
    }
  }
  if (const json* h = Field(doc, "history")) {
    if (h->is_array() && !h->empty()) {
      (void)Str(h->back(), "comment", "history[].comment", &m->comment);
    }
  }
  return base::Status::Ok();
}

int Digits(std::string_view s, size_t at, size_t n, bool* ok) {
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') {
      *ok = false;
      return 0;
    }
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

base::Result<ImageMeta> ParseImageConfig(std::string_view blob) {
  json doc = json::parse(blob.begin(), blob.end(), nullptr, false);
  if (doc.is_discarded()) {
    return base::Status::InvalidArgument("image config: invalid JSON");
  }
  ImageMeta m;
  base::Status s = Parse(doc, &m);
  if (!s.ok()) return s.Annotate("image config");
  return m;
}

base::Result<int64_t> ParseRfc3339(std::string_view t) {
  bool ok = t.size() >= 20 && t[4] == '-' && t[7] == '-' &&
            (t[10] == 'T' || t[10] == 't' || t[10] == ' ') && t[13] == ':' &&
            t[16] == ':';
  struct tm tm = {};
  tm.tm_year = Digits(t, 0, 4, &ok) - 1900;
  tm.tm_mon = Digits(t, 5, 2, &ok) - 1;
  tm.tm_mday = Digits(t, 8, 2, &ok);
  tm.tm_hour = Digits(t, 11, 2, &ok);
  tm.tm_min = Digits(t, 14, 2, &ok);
  tm.tm_sec = Digits(t, 17, 2, &ok);
  size_t i = 19;
  if (ok && i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
  }
  int64_t offset = 0;
  if (!ok || i >= t.size()) return base::Status::InvalidArgument("bad time");
  if (t[i] == 'Z' || t[i] == 'z') {
    ++i;
  } else if ((t[i] == '+' || t[i] == '-') && i + 6 == t.size() &&
             t[i + 3] == ':') {
    offset = (Digits(t, i + 1, 2, &ok) * 60 + Digits(t, i + 4, 2, &ok)) * 60;
    if (t[i] == '-') offset = -offset;
    i += 6;
  }
  if (!ok || i != t.size() || tm.tm_mon < 0 || tm.tm_mon > 11) {
    return base::Status::InvalidArgument("bad time");
  }
  return static_cast<int64_t>(timegm(&tm)) - offset;
}

std::string FormatRfc3339(int64_t unix_seconds) {
  time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm;
  gmtime_r(&t, &tm);
  char buf[32];
  strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string ImportConfigBlob(const ImageConfig& c, const std::string& diff_id,
                             int64_t created, const std::string& comment) {
  json config = json::object();
  if (!c.env.empty()) config["Env"] = c.env;
  if (!c.cmd.empty()) config["Cmd"] = c.cmd;
  if (!c.entrypoint.empty()) config["Entrypoint"] = c.entrypoint;
  if (!c.workdir.empty()) config["WorkingDir"] = c.workdir;
  if (!c.user.empty()) config["User"] = c.user;
  if (!c.exposed_ports.empty()) {
    json ports = json::object();
    for (const std::string& p : c.exposed_ports) ports[p] = json::object();
    config["ExposedPorts"] = ports;
  }
  if (!c.labels.empty()) config["Labels"] = c.labels;
  std::string when = FormatRfc3339(created);
  json doc = {
      {"architecture", "amd64"},
      {"os", "linux"},
      {"created", when},
      {"config", config},
      {"rootfs", {{"type", "layers"}, {"diff_ids", {diff_id}}}},
      {"history",
       {{{"created", when},
         {"comment", comment.empty() ? "Imported from -" : comment}}}}};
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace endpoint
}  // namespace attach
