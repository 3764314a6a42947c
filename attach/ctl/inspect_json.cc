#include "attach/ctl/inspect_json.h"

#include "attach/docker/time_format.h"

namespace attach {
namespace ctl {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using tether::attach::ContainerStatus;
using tether::attach::SessionStatus;

std::string StringField(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

// The primary's runtime status, or null when attachd sent none.
const SessionStatus* PrimaryStatus(const ContainerStatus& c) {
  for (const SessionStatus& s : c.sessions()) {
    if (s.primary()) return &s;
  }
  return c.sessions_size() == 1 ? &c.sessions(0) : nullptr;
}

}  // namespace

base::Result<SessionFacts> PrimarySessionFacts(std::string_view config_json) {
  json doc = json::parse(config_json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return base::Status::InvalidArgument("config JSON does not parse");
  }
  auto sessions = doc.find("sessions");
  if (sessions == doc.end() || !sessions->is_array() || sessions->empty()) {
    return base::Status::InvalidArgument("config JSON has no sessions");
  }
  const json* primary = sessions->size() == 1 ? &sessions->front() : nullptr;
  for (const json& s : *sessions) {
    auto p = s.is_object() ? s.find("primary") : s.end();
    if (s.is_object() && p != s.end() && p->is_boolean() && p->get<bool>()) {
      primary = &s;
    }
  }
  if (primary == nullptr || !primary->is_object()) {
    return base::Status::InvalidArgument("config JSON has no primary session");
  }
  SessionFacts facts;
  auto env = primary->find("env");
  if (env != primary->end() && env->is_array()) {
    for (const json& e : *env) {
      if (e.is_string()) facts.env.push_back(e.get<std::string>());
    }
  }
  facts.user = StringField(*primary, "user");
  facts.workdir = StringField(*primary, "workdir");
  auto open = primary->find("open_stdin");
  facts.open_stdin =
      open != primary->end() && open->is_boolean() && open->get<bool>();
  return facts;
}

ordered_json InspectObject(const ContainerStatus& c,
                           const SessionFacts* facts) {
  std::vector<std::string> args(c.args().begin(), c.args().end());
  const SessionStatus* primary = PrimaryStatus(c);
  const bool running = c.state() == "running";

  ordered_json state;
  state["Status"] = c.state();
  state["Running"] = running;
  state["Paused"] = c.state() == "paused";
  state["Restarting"] = c.state() == "restarting";
  state["OOMKilled"] = false;
  state["Dead"] = c.state() == "dead";
  state["Pid"] = running && primary != nullptr ? primary->pid() : 0;
  state["ExitCode"] = c.exit_code();
  state["Error"] = primary != nullptr ? primary->error() : "";
  state["StartedAt"] = docker::FormatDockerTime(c.started_at());
  state["FinishedAt"] = docker::FormatDockerTime(c.finished_at());

  ordered_json config;
  config["User"] = facts != nullptr ? facts->user : "";
  config["Tty"] = c.tty();
  config["OpenStdin"] = facts != nullptr && facts->open_stdin;
  config["Env"] = facts != nullptr ? facts->env : std::vector<std::string>();
  config["Cmd"] = args;
  config["WorkingDir"] = facts != nullptr ? facts->workdir : "";

  ordered_json obj;
  obj["Id"] = c.id();
  obj["Created"] = docker::FormatDockerTime(c.created_at());
  obj["Path"] = args.empty() ? "" : args.front();
  obj["Args"] = args.empty()
                    ? std::vector<std::string>()
                    : std::vector<std::string>(args.begin() + 1, args.end());
  obj["State"] = std::move(state);
  obj["Name"] = "/" + c.name();
  obj["Config"] = std::move(config);
  return obj;
}

std::string RenderInspect(const std::vector<ordered_json>& objects) {
  if (objects.empty()) return "[]\n";
  ordered_json array = ordered_json::array();
  for (const ordered_json& o : objects) array.push_back(o);
  // replace: invalid UTF-8 becomes U+FFFD instead of a type_error throw.
  std::string text = array.dump(4, ' ', /*ensure_ascii=*/false,
                                ordered_json::error_handler_t::replace);
  // Go's encoding/json also escapes these for HTML safety. They can only
  // occur inside strings in the dumped text, so a byte rewrite is exact.
  std::string out;
  out.reserve(text.size() + 1);
  for (size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (ch == '<') {
      out += "\\u003c";
    } else if (ch == '>') {
      out += "\\u003e";
    } else if (ch == '&') {
      out += "\\u0026";
    } else if (ch == '\xe2' && i + 2 < text.size() && text[i + 1] == '\x80' &&
               (text[i + 2] == '\xa8' || text[i + 2] == '\xa9')) {
      out += text[i + 2] == '\xa8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += ch;
    }
  }
  return out + "\n";
}

}  // namespace ctl
}  // namespace attach
