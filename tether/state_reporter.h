// StateReporter: keeps the guest's GuestState current from supervisor
// events and publishes it to a StateSink (guestinfo.tether.state in a
// VMware guest). A failed publish is logged once per kind and never stops
// the container.
#ifndef TETHER_TETHER_STATE_REPORTER_H_
#define TETHER_TETHER_STATE_REPORTER_H_

#include <string>

#include "guestinfo/config.h"
#include "guestinfo/state.h"
#include "tether/supervisor.h"

namespace tether {

class StateReporter : public Supervisor::Observer {
 public:
  // `sink` must outlive the reporter.
  StateReporter(const guestinfo::Config& config, guestinfo::StateSink& sink);

  void OnSessionStarted(const Session& s) override;
  void OnSessionExited(const Session& s) override;
  void OnFinished(int exit_code) override;
  // A tether-level error (early init step, config) for the state's list.
  void AddError(const std::string& message);

  const guestinfo::GuestState& state() const { return state_; }

  // Exec sessions kept in the state (the config's sessions always are).
  static constexpr size_t kMaxExecStates = 64;

 private:
  guestinfo::SessionState& Find(const Session& s);
  void Publish();

  guestinfo::GuestState state_;
  size_t config_sessions_ = 0;  // The first entries of state_.sessions.
  guestinfo::StateSink& sink_;
  bool publish_failed_ = false;
};

}  // namespace tether

#endif  // TETHER_TETHER_STATE_REPORTER_H_
