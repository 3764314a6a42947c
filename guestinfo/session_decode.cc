// sessions[]: what the tether runs.
#include <string>

#include "guestinfo/config_decode_parts.h"
#include "guestinfo/field_syntax.h"
#include "guestinfo/json_fields.h"
#include "guestinfo/limits.h"
#include "guestinfo/signal_names.h"

namespace guestinfo {
namespace internal {
namespace {

using base::Result;
using base::Status;
using nlohmann::json;

// A name ("SIGTERM", "TERM", "term") or a number, as a string or a JSON
// integer: configs written by hand and by tools both read naturally.
Status DecodeStopSignal(const ObjectReader& r, int* out) {
  const json* v = r.Find("stop_signal");
  if (v == nullptr) return Status::Ok();
  const std::string path = r.Path("stop_signal");
  if (v->is_number_integer()) {
    int64_t n = 0;
    Status s = ReadInt(*v, path, 1, 31, &n);
    if (!s.ok()) return FieldError(path, "unknown signal " + v->dump());
    *out = static_cast<int>(n);
    return Status::Ok();
  }
  if (!v->is_string()) {
    return FieldError(path, std::string("expected a signal name or number, "
                                        "got ") +
                                v->type_name());
  }
  Result<int> signo = ParseSignal(v->get_ref<const std::string&>());
  TETHER_RETURN_IF_ERROR(StatusAt(signo, path));
  *out = *signo;
  return Status::Ok();
}

Status DecodeRestart(const ObjectReader& r, RestartPolicy* out) {
  if (r.Find("restart") == nullptr) return Status::Ok();
  std::string text;
  TETHER_RETURN_IF_ERROR(r.String("restart", &text));
  if (text == "no") {
    *out = RestartPolicy::kNo;
  } else if (text == "on-failure") {
    *out = RestartPolicy::kOnFailure;
  } else if (text == "always") {
    *out = RestartPolicy::kAlways;
  } else {
    return FieldError(
        r.Path("restart"),
        "expected \"no\", \"on-failure\" or \"always\", got " + Quote(text));
  }
  return Status::Ok();
}

// Env entries are checked by name only and never quoted: values are
// secrets as far as errors and logs are concerned.
Status DecodeEnv(const ObjectReader& r, std::vector<std::string>* env) {
  TETHER_RETURN_IF_ERROR(r.StringList("env", kMaxEnv, env));
  const std::string path = r.Path("env");
  // execve keeps both and getenv sees the first: surely not what the
  // writer meant, so say so instead of picking one.
  UniqueValues names("variable");
  for (size_t i = 0; i < env->size(); ++i) {
    Result<std::string> name = EnvName((*env)[i]);
    TETHER_RETURN_IF_ERROR(StatusAt(name, IndexPath(path, i)));
    TETHER_RETURN_IF_ERROR(
        names.Add(*name, IndexPath(path, i), IndexPath("env", i)));
  }
  return Status::Ok();
}

Status DecodeCommand(const ObjectReader& r, SessionConfig* s) {
  TETHER_RETURN_IF_ERROR(r.RequiredString("path", &s->path));
  if (r.Find("args") == nullptr) {
    s->args = {s->path};
  } else {
    TETHER_RETURN_IF_ERROR(r.StringList("args", kMaxArgs, &s->args));
    if (s->args.empty()) {
      return FieldError(r.Path("args"),
                        "must not be empty (omit it for the default [path])");
    }
  }
  TETHER_RETURN_IF_ERROR(DecodeEnv(r, &s->env));
  TETHER_RETURN_IF_ERROR(r.String("workdir", &s->workdir));
  TETHER_RETURN_IF_ERROR(
      CheckAbsolutePath(s->workdir).Annotate(r.Path("workdir")));
  TETHER_RETURN_IF_ERROR(r.String("user", &s->user));
  return CheckUserSpec(s->user).Annotate(r.Path("user"));
}

Status DecodeSession(const json& value, std::string path, SessionConfig* s) {
  TETHER_ASSIGN_OR_RETURN(
      ObjectReader r,
      ObjectReader::Open(value, std::move(path),
                         {"id", "primary", "path", "args", "env", "workdir",
                          "user", "tty", "open_stdin", "attach_before_start",
                          "attach_timeout_s", "stop_signal", "stop_timeout_s", "restart"}));
  TETHER_RETURN_IF_ERROR(r.RequiredString("id", &s->id));
  TETHER_RETURN_IF_ERROR(CheckSessionId(s->id).Annotate(r.Path("id")));
  TETHER_RETURN_IF_ERROR(r.Bool("primary", &s->primary));
  TETHER_RETURN_IF_ERROR(DecodeCommand(r, s));
  TETHER_RETURN_IF_ERROR(r.Bool("tty", &s->tty));
  TETHER_RETURN_IF_ERROR(r.Bool("open_stdin", &s->open_stdin));
  TETHER_RETURN_IF_ERROR(
      r.Bool("attach_before_start", &s->attach_before_start));
  TETHER_RETURN_IF_ERROR(r.Int("attach_timeout_s", 1, kMaxAttachTimeoutS,
                               &s->attach_timeout_s));
  TETHER_RETURN_IF_ERROR(DecodeStopSignal(r, &s->stop_signal));
  TETHER_RETURN_IF_ERROR(
      r.Int("stop_timeout_s", 0, kMaxStopTimeoutS, &s->stop_timeout_s));
  return DecodeRestart(r, &s->restart);
}

// Exactly one primary; a lone session is primary unless it says otherwise
// by omission, which would leave the VM with nothing to wait for.
Status CheckPrimary(std::vector<SessionConfig>* sessions) {
  std::vector<size_t> primaries;
  for (size_t i = 0; i < sessions->size(); ++i) {
    if ((*sessions)[i].primary) primaries.push_back(i);
  }
  if (primaries.empty() && sessions->size() == 1) {
    (*sessions)[0].primary = true;
    return Status::Ok();
  }
  if (primaries.empty()) return FieldError("sessions", "no primary session");
  if (primaries.size() > 1) {
    return FieldError("sessions",
                      "more than one primary session (" +
                          IndexPath("sessions", primaries[0]) + " and " +
                          IndexPath("sessions", primaries[1]) + ")");
  }
  return Status::Ok();
}

}  // namespace

Status DecodeSessions(const json& value, std::vector<SessionConfig>* out) {
  TETHER_RETURN_IF_ERROR(CheckArray(value, "sessions", kMaxSessions));
  if (value.empty()) {
    return FieldError("sessions", "at least one session is required");
  }
  std::vector<SessionConfig> sessions(value.size());
  UniqueValues ids("id");
  for (size_t i = 0; i < value.size(); ++i) {
    std::string path = IndexPath("sessions", i);
    TETHER_RETURN_IF_ERROR(DecodeSession(value[i], path, &sessions[i]));
    TETHER_RETURN_IF_ERROR(ids.Add(sessions[i].id, path + ".id", path));
  }
  TETHER_RETURN_IF_ERROR(CheckPrimary(&sessions));
  *out = std::move(sessions);
  return Status::Ok();
}

}  // namespace internal
}  // namespace guestinfo
