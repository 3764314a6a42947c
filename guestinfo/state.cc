#include "guestinfo/state.h"

#include <nlohmann/json.hpp>

namespace guestinfo {
namespace {

using ojson = nlohmann::ordered_json;

constexpr int kStateVersion = 1;

std::string Cut(const std::string& s) {
  if (s.size() <= kMaxStateString) return s;
  return s.substr(0, kMaxStateString - 3) + "...";
}

ojson SessionJson(const SessionState& s) {
  ojson j;
  j["id"] = Cut(s.id);
  j["started"] = s.started;
  j["pid"] = s.pid;
  if (s.exit_code) {
    j["exit_code"] = *s.exit_code;
  } else {
    j["exit_code"] = nullptr;
  }
  j["signal"] = s.signal;
  j["restarts"] = s.restarts;
  j["started_at"] = s.started_at;
  j["finished_at"] = s.finished_at;
  j["error"] = Cut(s.error);
  return j;
}

}  // namespace

std::string EncodeState(const GuestState& state) {
  ojson j;
  j["version"] = kStateVersion;
  j["id"] = Cut(state.id);
  ojson& sessions = j["sessions"] = ojson::array();
  for (const SessionState& s : state.sessions) {
    sessions.push_back(SessionJson(s));
  }
  ojson& errors = j["errors"] = ojson::array();
  size_t first = state.errors.size() > kMaxStateErrors
                     ? state.errors.size() - kMaxStateErrors
                     : 0;
  for (size_t i = first; i < state.errors.size(); ++i) {
    errors.push_back(Cut(state.errors[i]));
  }
  // A cut can split a UTF-8 sequence; `replace` keeps dump() from throwing.
  return j.dump(-1, ' ', false, ojson::error_handler_t::replace);
}

base::Status FileStateSink::Write(const GuestState& state) {
  return os_.WriteFile(path_, EncodeState(state) + "\n", 0644);
}

}  // namespace guestinfo
