// Supervisor: the session table. Config sessions live as long as the
// supervisor; exec sessions (AddSession) until they are over and the
// endpoint has all of them (ReleaseSession, review F4), so that a health
// check exec'ed every 30 s does not grow PID 1 (two output rings per
// session) or its Hello without bound.
#include <algorithm>

#include "base/log.h"
#include "tether/supervisor.h"
#include "tether/supervisor_slot.h"

namespace tether {

base::Status Supervisor::AddSession(guestinfo::SessionConfig config,
                                    base::WindowSize window) {
  if (phase_ != Phase::kRunning) {
    return base::Status::InvalidArgument("container is stopping");
  }
  if (FindSession(config.id) != nullptr) {
    return base::Status::InvalidArgument("session " + config.id +
                                         " already exists");
  }
  config.primary = false;
  Slot& slot = AddSlot(std::move(config));
  slot.window = window;
  slot.exec = true;
  StartSession(slot);
  return base::Status::Ok();
}

bool Supervisor::ReleaseSession(const std::string& id) {
  Slot* slot = FindSlot(id);
  // Once done, sessions stay for the final state (Finish).
  if (phase_ == Phase::kDone) return false;
  if (slot == nullptr || !slot->exec || slot->held) return false;
  const Session& s = *slot->session;
  if (s.running() || s.output_open() ||
      (slot->restart_timer.initialized() &&
       uv_is_active(
           reinterpret_cast<uv_handle_t*>(slot->restart_timer.get())))) {
    return false;
  }
  slot->released = true;
  base::Status st = StartTimer(
      release_timer_, 0,
      [](uv_timer_t* t) { static_cast<Supervisor*>(t->data)->SweepReleased(); },
      this);
  if (!st.ok())
    LOG_WARN("release session %s: %s", id.c_str(), st.ToString().c_str());
  return true;
}

void Supervisor::SweepReleased() {
  slots_.erase(std::remove_if(slots_.begin(), slots_.end(),
                              [](const auto& x) { return x->released; }),
               slots_.end());
}

Supervisor::Slot* Supervisor::FindSlot(const std::string& id) {
  for (auto& slot : slots_) {
    if (!slot->released && slot->session->id() == id) return slot.get();
  }
  return nullptr;
}

Supervisor::Slot* Supervisor::FindByPid(pid_t pid) {
  for (auto& slot : slots_) {
    if (slot->session->pid() == pid) return slot.get();
  }
  return nullptr;
}

Supervisor::Slot* Supervisor::Primary() {
  for (auto& slot : slots_) {
    if (slot->session->primary()) return slot.get();
  }
  return nullptr;
}

Session* Supervisor::FindSession(const std::string& id) {
  Slot* slot = FindSlot(id);
  return slot ? slot->session.get() : nullptr;
}

std::vector<Session*> Supervisor::sessions() {
  std::vector<Session*> out;
  for (auto& slot : slots_) {
    if (!slot->released) out.push_back(slot->session.get());
  }
  return out;
}

}  // namespace tether
