// What a signed-in operator reads: the dashboard, /health,
// /containers.json, attachd's logs, a container's logs and the bundle.
#include <unistd.h>

#include <ctime>
#include <deque>

#include "attach/endpoint/admin/admin_portal.h"
#include "attach/endpoint/admin/bundle.h"
#include "attach/endpoint/admin/file_stream.h"
#include "attach/endpoint/admin/pages.h"
#include "attach/endpoint/admin/replies.h"
#include "attach/endpoint/api/logs_op.h"
#include "attach/endpoint/api/views.h"
#include "http/query.h"

namespace attach {
namespace endpoint {
namespace admin {
namespace {

using nlohmann::json;

std::string HostName() {
  char name[256] = {};
  if (::gethostname(name, sizeof(name) - 1) != 0) return "localhost";
  return name;
}

std::string ImageOf(const ContainerRecord& r) {
  std::string image = api::ContainerConfig(r).value("Image", "");
  if (!image.empty()) return image;
  return r.image.empty() ? "busybox:latest" : r.image;
}

// docker's boolean query values: absent or "", 0, no, false are false.
bool QueryBool(const std::map<std::string, std::string>& q,
               const std::string& key, bool fallback) {
  auto it = q.find(key);
  if (it == q.end()) return fallback;
  const std::string& v = it->second;
  return !(v.empty() || v == "0" || v == "no" || v == "false");
}

}  // namespace

json AdminPortal::HealthDoc() const {
  HealthInputs in;
  in.state_dir = state_dir_;
  in.image = deps_.image;
  if (deps_.listeners) in.listeners = deps_.listeners();
  in.listeners.push_back({"admin", options_.listen, server_ != nullptr});
  in.registry = deps_.registry;
  return CheckHealth(in);
}

json AdminPortal::ContainerList() const {
  json list = json::array();
  int64_t now = static_cast<int64_t>(std::time(nullptr));
  for (const Container* c : deps_.registry->All()) {
    const ContainerRecord& r = c->record();
    const SessionRecord* s = c->status().Find(kPrimarySession);
    std::string state = c->state();
    json j = {{"id", r.id},
              {"name", r.name},
              {"image", ImageOf(r)},
              {"state", state},
              {"connected", c->link() != nullptr},
              {"created", r.created_at}};
    if (s != nullptr) {
      j["started_at"] = s->started_at;
      j["finished_at"] = s->finished_at;
      if (s->exited) j["exit_code"] = s->exit_code;
      if (state == "running" && s->started_at > 0) {
        j["uptime_s"] = now - s->started_at;
      }
    }
    list.push_back(std::move(j));
  }
  return list;
}

void AdminPortal::Dashboard(const std::shared_ptr<http::Exchange>& ex,
                            const std::string& who) {
  DashboardFacts f;
  f.version = kAdminVersion;
  f.hostname = HostName();
  f.uptime_s = static_cast<int64_t>((MonotonicMs() - start_ms_) / 1000);
  f.who = who;
  f.health = HealthDoc();
  f.containers = ContainerList();
  Reply(*ex, 200, kHtml, DashboardPage(f));
}

void AdminPortal::Health(const std::shared_ptr<http::Exchange>& ex) {
  json doc = HealthDoc();
  // Monitoring that only looks at the status code sees failing as 503.
  int status = doc["status"] == "failing" ? 503 : 200;
  Reply(*ex, status, kJson,
        doc.dump(-1, ' ', false, json::error_handler_t::replace) + "\n");
}

void AdminPortal::ContainersJson(const std::shared_ptr<http::Exchange>& ex) {
  json doc = {{"uptime_s", (MonotonicMs() - start_ms_) / 1000},
              {"containers", ContainerList()}};
  Reply(*ex, 200, kJson,
        doc.dump(-1, ' ', false, json::error_handler_t::replace) + "\n");
}

void AdminPortal::SendFile(const std::shared_ptr<http::Exchange>& ex,
                           const std::string& path, bool security_only) {
  base::Result<OpenedFile> f = OpenLogFile(path);
  if (!f.ok()) {
    int status = f.status().code() == base::Status::Code::kNotFound ? 404 : 500;
    return Reply(*ex, status, kText, f.status().ToString() + "\n");
  }
  std::optional<uint64_t> length;
  if (!security_only) length = f->size;
  auto out = ex->StartStream(AdminHead(200, kText), length);
  if (ex->request().method == "HEAD") return out->End();
  auto* op = ops_.Add(
      std::make_unique<FileStreamOp>(loop_, std::move(*f), security_only));
  op->Start(std::move(out));
}

void AdminPortal::ContainerLogs(const std::shared_ptr<http::Exchange>& ex,
                                const std::string& ref) {
  base::Result<Container*> c = deps_.registry->Find(ref);
  if (!c.ok()) return Reply(*ex, 404, kText, c.status().message() + "\n");
  base::Result<std::map<std::string, std::string>> q =
      http::ParseQuery(ex->request().query);
  if (!q.ok()) return Reply(*ex, 400, kText, q.status().message() + "\n");
  api::StreamFormat format;
  format.plain = true;
  format.stdout = QueryBool(*q, "stdout", true);
  format.stderr = QueryBool(*q, "stderr", true);
  format.timestamps = QueryBool(*q, "timestamps", false);
  LogsOptions o;
  o.follow = QueryBool(*q, "follow", false);
  o.by_line = format.timestamps;
  auto tail = q->find("tail");
  if (tail != q->end() && !tail->second.empty() && tail->second != "all") {
    char* end = nullptr;
    long long n = std::strtoll(tail->second.c_str(), &end, 10);
    if (*end != '\0' || n < 0) {
      return Reply(*ex, 400, kText, "tail must be a number or all\n");
    }
    o.tail = n;
  }
  auto op = std::make_unique<api::LogsOp>(loop_, format);
  base::Result<std::unique_ptr<LogsFeed>> feed =
      LogsFeed::Open(op.get(), *c, o);
  if (!feed.ok()) return Reply(*ex, 500, kText, feed.status().message() + "\n");
  auto out = ex->StartStream(AdminHead(200, kText));
  if (ex->request().method == "HEAD") return out->End();
  ops_.Add(std::move(op))->Start(std::move(out), std::move(*feed));
}

void AdminPortal::ConsoleLog(const std::shared_ptr<http::Exchange>& ex,
                             const std::string& ref) {
  base::Result<Container*> c = deps_.registry->Find(ref);
  if (!c.ok()) return Reply(*ex, 404, kText, c.status().message() + "\n");
  SendFile(ex, (*c)->dir() + "/console.log", false);
}

void AdminPortal::Bundle(const std::shared_ptr<http::Exchange>& ex) {
  base::Result<std::unique_ptr<TarGzWriter>> tar = TarGzWriter::Create(1);
  if (!tar.ok()) return Reply(*ex, 500, kText, tar.status().message() + "\n");
  int64_t now = static_cast<int64_t>(std::time(nullptr));
  char stamp[32];
  struct tm tm;
  ::gmtime_r(&now, &tm);
  std::strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
  std::string top = std::string("attachd-logs-") + stamp + "/";
  std::deque<BundleEntry> entries;
  auto text = [&](const std::string& name, std::string body) {
    BundleEntry e;
    e.name = top + name;
    e.text = std::move(body);
    entries.push_back(std::move(e));
  };
  auto file = [&](const std::string& name, const std::string& path) {
    BundleEntry e;
    e.kind = BundleEntry::Kind::kFile;
    e.name = top + name;
    e.path = path;
    entries.push_back(std::move(e));
  };
  json containers = ContainerList();
  text("health.json",
       HealthDoc().dump(2, ' ', false, json::error_handler_t::replace) + "\n");
  text("containers.json",
       containers.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
  file("attachd.log.1", options_.log_file + ".1");
  file("attachd.log", options_.log_file);
  for (const char* name :
       {"api.log.1", "api.log", "admin.log.1", "admin.log"}) {
    file(name, state_dir_ + "/" + name);
  }
  for (const Container* c : deps_.registry->All()) {
    std::string dir = "containers/" + c->record().name.substr(0, 40) + "-" +
                      c->id().substr(0, 12) + "/";
    BundleEntry e;
    e.kind = BundleEntry::Kind::kSessionLog;
    e.name = top + dir + "output.log";
    e.container_id = c->id();
    entries.push_back(std::move(e));
    file(dir + "console.log", c->dir() + "/console.log");
    file(dir + "qemu.log", c->dir() + "/qemu.log");
  }
  http::ResponseHead head = AdminHead(200, "application/gzip");
  head.headers.push_back({"Content-Disposition",
                          std::string("attachment; filename=\"attachd-logs-") +
                              stamp + ".tar.gz\""});
  auto out = ex->StartStream(std::move(head));
  if (ex->request().method == "HEAD") return out->End();
  ops_.Add(std::make_unique<BundleOp>(loop_, deps_.registry, std::move(entries),
                                      std::move(*tar), now))
      ->Start(std::move(out));
}

}  // namespace admin
}  // namespace endpoint
}  // namespace attach
