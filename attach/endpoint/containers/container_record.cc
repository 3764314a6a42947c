#include "attach/endpoint/containers/container_record.h"

#include <nlohmann/json.hpp>

#include "guestinfo/json_dom.h"
#include "guestinfo/json_fields.h"

namespace attach {
namespace endpoint {
namespace {

using guestinfo::ObjectReader;
using nlohmann::json;

constexpr int kInt32Max = 2147483647;
constexpr size_t kMaxList = 100000;
constexpr int kMaxMemoryMb = 1 << 20;

// Non-UTF-8 strings (args may hold any bytes) must not make dump() throw.
std::string Dump(const json& doc) {
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

base::Status Int64(const ObjectReader& r, std::string_view key, int64_t* out) {
  if (const json* v = r.Find(key)) {
    return guestinfo::ReadInt(*v, r.Path(key), INT64_MIN, INT64_MAX, out);
  }
  return base::Status::Ok();
}

base::Status Uint64(const ObjectReader& r, std::string_view key,
                    uint64_t* out) {
  int64_t v = 0;
  if (const json* j = r.Find(key)) {
    TETHER_RETURN_IF_ERROR(
        guestinfo::ReadInt(*j, r.Path(key), 0, INT64_MAX, &v));
  }
  *out = static_cast<uint64_t>(v);
  return base::Status::Ok();
}

json EncodeSession(const SessionRecord& s) {
  return json{{"id", s.id},
              {"primary", s.primary},
              {"tty", s.tty},
              {"open_stdin", s.open_stdin},
              {"running", s.running},
              {"exited", s.exited},
              {"exit_code", s.exit_code},
              {"signal", s.signal},
              {"pid", s.pid},
              {"started_at", s.started_at},
              {"finished_at", s.finished_at},
              {"args", s.args},
              {"error", s.error},
              {"stdout_end", s.stdout_end},
              {"stderr_end", s.stderr_end},
              {"log_end", s.log_end}};
}

base::Status DecodeSession(const json& v, std::string path, SessionRecord* s) {
  TETHER_ASSIGN_OR_RETURN(
      ObjectReader r,
      ObjectReader::Open(
          v, std::move(path),
          {"id", "primary", "tty", "open_stdin", "running", "exited",
           "exit_code", "signal", "pid", "started_at", "finished_at", "args",
           "error", "stdout_end", "stderr_end", "log_end"}));
  TETHER_RETURN_IF_ERROR(r.RequiredString("id", &s->id));
  TETHER_RETURN_IF_ERROR(r.Bool("primary", &s->primary));
  TETHER_RETURN_IF_ERROR(r.Bool("tty", &s->tty));
  TETHER_RETURN_IF_ERROR(r.Bool("open_stdin", &s->open_stdin));
  TETHER_RETURN_IF_ERROR(r.Bool("running", &s->running));
  TETHER_RETURN_IF_ERROR(r.Bool("exited", &s->exited));
  TETHER_RETURN_IF_ERROR(
      r.Int("exit_code", -kInt32Max, kInt32Max, &s->exit_code));
  TETHER_RETURN_IF_ERROR(r.Int("signal", 0, 1024, &s->signal));
  TETHER_RETURN_IF_ERROR(r.Int("pid", 0, kInt32Max, &s->pid));
  TETHER_RETURN_IF_ERROR(Int64(r, "started_at", &s->started_at));
  TETHER_RETURN_IF_ERROR(Int64(r, "finished_at", &s->finished_at));
  TETHER_RETURN_IF_ERROR(r.StringList("args", kMaxList, &s->args));
  TETHER_RETURN_IF_ERROR(Uint64(r, "stdout_end", &s->stdout_end));
  TETHER_RETURN_IF_ERROR(Uint64(r, "stderr_end", &s->stderr_end));
  TETHER_RETURN_IF_ERROR(Uint64(r, "log_end", &s->log_end));
  return r.String("error", &s->error);
}

json EncodePorts(const std::vector<PortMapping>& ports) {
  json list = json::array();
  for (const PortMapping& m : ports) {
    list.push_back(json{{"host_ip", m.host_ip},
                        {"host_port", m.host_port},
                        {"container_port", m.container_port},
                        {"proto", m.proto}});
  }
  return list;
}

base::Status DecodePorts(const ObjectReader& r, std::vector<PortMapping>* out) {
  const json* list = r.Find("ports");
  if (list == nullptr) return base::Status::Ok();
  TETHER_RETURN_IF_ERROR(guestinfo::CheckArray(*list, r.Path("ports"), 4096));
  for (size_t i = 0; i < list->size(); ++i) {
    TETHER_ASSIGN_OR_RETURN(
        ObjectReader p,
        ObjectReader::Open((*list)[i], guestinfo::IndexPath(r.Path("ports"), i),
                           {"host_ip", "host_port", "container_port", "proto"}));
    PortMapping m;
    int host = 0, port = 0;
    TETHER_RETURN_IF_ERROR(p.String("host_ip", &m.host_ip));
    TETHER_RETURN_IF_ERROR(p.Int("host_port", 0, 65535, &host));
    TETHER_RETURN_IF_ERROR(p.Int("container_port", 1, 65535, &port));
    TETHER_RETURN_IF_ERROR(p.String("proto", &m.proto));
    m.host_port = static_cast<uint16_t>(host);
    m.container_port = static_cast<uint16_t>(port);
    out->push_back(std::move(m));
  }
  return base::Status::Ok();
}

}  // namespace

std::string EncodeRecord(const ContainerRecord& c) {
  json doc{{"id", c.id},
           {"name", c.name},
           {"created", c.created_at},
           {"tty", c.tty},
           {"open_stdin", c.open_stdin},
           {"attach_before_start", c.attach_before_start},
           {"env", c.env},
           {"user", c.user},
           {"workdir", c.workdir},
           {"args", c.args},
           {"endpoint", c.endpoint},
           {"memory_mb", c.memory_mb},
           {"auto_remove", c.auto_remove},
           {"hostname", c.hostname},
           {"privileged", c.privileged},
           {"no_new_privileges", c.no_new_privileges},
           {"image", c.image},
           {"image_name", c.image_name},
           {"ports", EncodePorts(c.ports)},
           {"network", c.network}};
  if (!c.api.empty()) {
    json api = json::parse(c.api, nullptr, false);
    if (api.is_object()) doc["api"] = std::move(api);
  }
  return Dump(doc);
}

base::Result<ContainerRecord> DecodeRecord(std::string_view text) {
  TETHER_ASSIGN_OR_RETURN(json doc,
                          guestinfo::ParseJsonDocument(text, "config"));
  TETHER_ASSIGN_OR_RETURN(
      ObjectReader r,
      ObjectReader::Open(
          doc, "",
          {"id", "name", "created", "tty", "open_stdin", "attach_before_start",
           "env", "user", "workdir", "args", "endpoint", "memory_mb",
           "auto_remove", "hostname", "privileged", "no_new_privileges",
           "image", "image_name", "ports", "network", "api"}));
  ContainerRecord c;
  TETHER_RETURN_IF_ERROR(r.RequiredString("id", &c.id));
  TETHER_RETURN_IF_ERROR(r.RequiredString("name", &c.name));
  TETHER_RETURN_IF_ERROR(Int64(r, "created", &c.created_at));
  TETHER_RETURN_IF_ERROR(r.Bool("tty", &c.tty));
  TETHER_RETURN_IF_ERROR(r.Bool("open_stdin", &c.open_stdin));
  TETHER_RETURN_IF_ERROR(r.Bool("attach_before_start", &c.attach_before_start));
  TETHER_RETURN_IF_ERROR(r.StringList("env", kMaxList, &c.env));
  TETHER_RETURN_IF_ERROR(r.String("user", &c.user));
  TETHER_RETURN_IF_ERROR(r.String("workdir", &c.workdir));
  TETHER_RETURN_IF_ERROR(r.StringList("args", kMaxList, &c.args));
  TETHER_RETURN_IF_ERROR(r.RequiredString("endpoint", &c.endpoint));
  int memory = 0;
  TETHER_RETURN_IF_ERROR(r.Int("memory_mb", 0, kMaxMemoryMb, &memory));
  c.memory_mb = static_cast<uint32_t>(memory);
  TETHER_RETURN_IF_ERROR(r.Bool("auto_remove", &c.auto_remove));
  TETHER_RETURN_IF_ERROR(r.String("hostname", &c.hostname));
  TETHER_RETURN_IF_ERROR(r.Bool("privileged", &c.privileged));
  TETHER_RETURN_IF_ERROR(r.Bool("no_new_privileges", &c.no_new_privileges));
  TETHER_RETURN_IF_ERROR(r.String("image", &c.image));
  TETHER_RETURN_IF_ERROR(r.String("image_name", &c.image_name));
  TETHER_RETURN_IF_ERROR(DecodePorts(r, &c.ports));
  TETHER_RETURN_IF_ERROR(r.String("network", &c.network));
  if (const json* api = r.Find("api")) {
    if (!api->is_object()) {
      return base::Status::InvalidArgument(r.Path("api") +
                                           ": must be an object");
    }
    c.api = api->dump(-1, ' ', false, json::error_handler_t::replace);
  }
  return c;
}

SessionRecord* StatusRecord::Find(const std::string& id) {
  for (SessionRecord& s : sessions) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

const SessionRecord* StatusRecord::Find(const std::string& id) const {
  return const_cast<StatusRecord*>(this)->Find(id);
}

SessionRecord& StatusRecord::Get(const std::string& id) {
  if (SessionRecord* s = Find(id)) return *s;
  sessions.emplace_back();
  sessions.back().id = id;
  return sessions.back();
}

std::string EncodeStatus(const StatusRecord& status) {
  json list = json::array();
  for (const SessionRecord& s : status.sessions)
    list.push_back(EncodeSession(s));
  json doc{{"version", 1}, {"sessions", list}};
  if (!status.ports.empty()) doc["ports"] = EncodePorts(status.ports);
  return Dump(doc);
}

base::Result<StatusRecord> DecodeStatus(std::string_view text) {
  TETHER_ASSIGN_OR_RETURN(json doc,
                          guestinfo::ParseJsonDocument(text, "status"));
  TETHER_ASSIGN_OR_RETURN(ObjectReader r,
                          ObjectReader::Open(doc, "",
                                             {"version", "sessions", "ports"}));
  int version = 1;
  TETHER_RETURN_IF_ERROR(r.Int("version", 1, 1, &version));
  StatusRecord status;
  if (const json* list = r.Find("sessions")) {
    TETHER_RETURN_IF_ERROR(guestinfo::CheckArray(*list, "sessions", kMaxList));
    for (size_t i = 0; i < list->size(); ++i) {
      SessionRecord s;
      TETHER_RETURN_IF_ERROR(
          DecodeSession((*list)[i], guestinfo::IndexPath("sessions", i), &s));
      status.sessions.push_back(std::move(s));
    }
  }
  TETHER_RETURN_IF_ERROR(DecodePorts(r, &status.ports));
  return status;
}

std::string ContainerState(const StatusRecord& status) {
  const SessionRecord* primary = status.Find(kPrimarySession);
  if (primary == nullptr) return "created";
  if (primary->running) return "running";
  if (primary->exited) return "exited";
  return "created";
}

}  // namespace endpoint
}  // namespace attach
