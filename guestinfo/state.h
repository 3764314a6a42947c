// The guest's state as reported back to the hypervisor and the endpoint.
//
// The tether fills a GuestState as sessions start and exit and hands it to
// a StateSink: guestinfo.tether.state over RPCI in a VMware guest
// (rpci_source.h), a file in tests and tini-like use, or nothing. The JSON
// is documented in docs/config.md ("State write-back").
#ifndef TETHER_GUESTINFO_STATE_H_
#define TETHER_GUESTINFO_STATE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/os.h"
#include "base/status.h"

namespace guestinfo {

struct SessionState {
  std::string id;
  bool started = false;          // Has been started at least once.
  int pid = 0;                   // Of the current or last run; 0 = never.
  std::optional<int> exit_code;  // Set when the last run exited normally.
  int signal = 0;                // Signal that ended the last run, or 0.
  int restarts = 0;              // Restarts by the restart policy.
  int64_t started_at = 0;        // Epoch seconds of the last start; 0 never.
  int64_t finished_at = 0;       // Epoch seconds of the last exit; 0 none.
  std::string error;             // Last launch error, "" if none.
};

struct GuestState {
  std::string id;  // The container id (config id).
  std::vector<SessionState> sessions;
  std::vector<std::string> errors;  // Tether-level errors, oldest first.
};

// guestinfo values are small (the host caps a message at 64 KiB), so the
// encoding keeps the newest kMaxStateErrors errors and cuts every error
// string to kMaxStateString bytes ("..." marks a cut).
inline constexpr size_t kMaxStateErrors = 32;
inline constexpr size_t kMaxStateString = 256;

// One line of JSON: {"version":1,"id":...,"sessions":[...],"errors":[...]}.
// Never fails; bytes that are not UTF-8 become U+FFFD.
std::string EncodeState(const GuestState& state);

class StateSink {
 public:
  virtual ~StateSink() = default;
  // Publishes `state`, replacing what was published before. Errors are
  // worth a log line, never fatal: the container keeps running.
  virtual base::Status Write(const GuestState& state) = 0;
};

// Discards every state (no hypervisor to tell).
class NullStateSink : public StateSink {
 public:
  base::Status Write(const GuestState&) override { return base::Status::Ok(); }
};

// Writes EncodeState() to `path` through `os` (which must outlive the
// sink), mode 0644. Errors are Os::WriteFile's.
class FileStateSink : public StateSink {
 public:
  FileStateSink(base::Os& os, std::string path)
      : os_(os), path_(std::move(path)) {}
  base::Status Write(const GuestState& state) override;

 private:
  base::Os& os_;
  const std::string path_;
};

}  // namespace guestinfo

#endif  // TETHER_GUESTINFO_STATE_H_
