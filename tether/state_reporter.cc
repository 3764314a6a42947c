#include "tether/state_reporter.h"

#include <algorithm>
#include <cstddef>

#include "base/log.h"

namespace tether {

StateReporter::StateReporter(const guestinfo::Config& config,
                             guestinfo::StateSink& sink)
    : sink_(sink) {
  state_.id = config.id;
  for (const guestinfo::SessionConfig& sc : config.sessions) {
    guestinfo::SessionState s;
    s.id = sc.id;
    state_.sessions.push_back(s);
  }
  config_sessions_ = state_.sessions.size();
}

guestinfo::SessionState& StateReporter::Find(const Session& s) {
  for (guestinfo::SessionState& st : state_.sessions) {
    if (st.id == s.id()) return st;
  }
  // An exec session. The state keeps the latest kMaxExecStates of them,
  // as PID 1 keeps no more of them than it must (review F4): the oldest
  // finished one makes room.
  auto& all = state_.sessions;
  if (all.size() - config_sessions_ >= kMaxExecStates) {
    auto oldest = std::find_if(
        all.begin() + static_cast<std::ptrdiff_t>(config_sessions_), all.end(),
        [](const guestinfo::SessionState& st) { return st.finished_at != 0; });
    if (oldest != all.end()) all.erase(oldest);
  }
  guestinfo::SessionState fresh;
  fresh.id = s.id();
  all.push_back(fresh);
  return all.back();
}

void StateReporter::OnSessionStarted(const Session& s) {
  guestinfo::SessionState& st = Find(s);
  st.started = true;
  st.pid = s.pid();
  st.restarts = s.runs() - 1;
  st.started_at = s.started_at();
  st.finished_at = 0;
  st.exit_code.reset();
  st.signal = 0;
  st.error.clear();
  Publish();
}

void StateReporter::OnSessionExited(const Session& s) {
  guestinfo::SessionState& st = Find(s);
  st.restarts = s.runs() > 0 ? s.runs() - 1 : 0;
  st.finished_at = s.finished_at();
  st.signal = s.exit_signal();
  if (s.exit_signal() == 0) {
    st.exit_code = s.exit_code();
  } else {
    st.exit_code.reset();
  }
  st.error = s.error();
  if (!s.error().empty()) st.started_at = s.started_at();
  Publish();
}

void StateReporter::OnFinished(int) { Publish(); }

void StateReporter::AddError(const std::string& message) {
  state_.errors.push_back(message);
  Publish();
}

void StateReporter::Publish() {
  base::Status s = sink_.Write(state_);
  if (!s.ok() && !publish_failed_) {
    publish_failed_ = true;  // Once: a host that refuses will keep refusing.
    LOG_WARN("publish state: %s", s.ToString().c_str());
  }
}

}  // namespace tether
