// What attachd keeps of a tether's reports (review F1, F2, F13).
//
// A container VM's guest is untrusted: a root process in it can take over
// its tether and send any control message. These functions turn each
// report into the SessionRecord attachd keeps, bounded and clamped so that
// (a) EncodeStatus -> DecodeStatus reads back what was stored, and (b) the
// ContainerStatus of `inspect` and `ps` always fits in one client frame.
// They also say which reports a connection may make at all: only about
// sessions attachd knows, and at most so many new ones per Hello.
//
// Pure functions, no I/O; fuzzed by tests/fuzz/tether_report_fuzz.cc.
#ifndef TETHER_ATTACH_ENDPOINT_CONTAINERS_TETHER_REPORTS_H_
#define TETHER_ATTACH_ENDPOINT_CONTAINERS_TETHER_REPORTS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "attach/endpoint/containers/container_record.h"
#include "base/result.h"
#include "client.pb.h"
#include "control.pb.h"

namespace attach {
namespace endpoint {

// Per session: the arguments and error text kept in the status and shown
// by inspect. Longer ones are cut; a cut argument list ends with kCutMark.
constexpr size_t kMaxKeptArgsBytes = 4096;
constexpr size_t kMaxKeptErrorBytes = 1024;
constexpr char kCutMark[] = "...";
// Sessions one container keeps records of: the primary, the config's
// other sessions, running execs and the newest ended ones. A Hello may
// name at most kMaxNewSessionsPerHello sessions attachd does not know
// (the config's 64 and the 64 ended execs a tether may still list).
constexpr size_t kMaxSessionRecords = 256;
constexpr size_t kMaxNewSessionsPerHello = 128;
// Ended sessions other than the primary whose records are kept; older
// ones are forgotten (and their logs deleted) first.
constexpr size_t kMaxEndedRecords = 64;
// Execs running at once in one container; more are refused.
constexpr size_t kMaxRunningExecs = 64;

// `args` cut to at most kMaxKeptArgsBytes in all, NUL bytes replaced by
// U+FFFD (the status file holds no NUL).
std::vector<std::string> KeptArgs(std::vector<std::string> args);
// `text` cut to at most `max` bytes (kCutMark at the end when cut), NUL
// bytes replaced as in KeptArgs.
std::string KeptText(std::string_view text, size_t max);
// Values DecodeStatus accepts: pid 0..INT32_MAX (else 0), signal 0..1024
// (else 0), exit code -INT32_MAX..INT32_MAX (clamped), times >= 0.
int KeptPid(int64_t pid);
int KeptSignal(int64_t signal);
int KeptExitCode(int64_t code);
int64_t KeptTime(int64_t t);

// The record updates of each report. `end_pending` (Hello): the session
// ended while the tether was away but its output is still to come, so it
// counts as running until its SessionExited.
void RecordHello(const ::tether::attach::SessionInfo& info, bool end_pending,
                 SessionRecord* rec);
void RecordStarted(const ::tether::attach::SessionStarted& msg,
                   SessionRecord* rec);
void RecordExited(const ::tether::attach::SessionExited& msg,
                  SessionRecord* rec);
void RecordExecFailed(const ::tether::attach::ExecFailed& msg, int64_t now,
                      SessionRecord* rec);
// Whether two records say the same (an unchanged status is not written).
bool SameRecord(const SessionRecord& a, const SessionRecord& b);

// kInvalidArgument when `hello` names more sessions than a container may
// have, or more than kMaxNewSessionsPerHello that `status` does not know.
base::Status CheckHelloSessions(const ::tether::attach::Hello& hello,
                                const StatusRecord& status);

// Forgets the oldest ended sessions (not the primary) beyond
// kMaxEndedRecords, except those `keep` says to keep (a client still
// reads them); returns the ids forgotten.
template <typename Keep>
std::vector<std::string> PruneEnded(StatusRecord* status, Keep keep);

// Cuts `status` (args first, then error texts, then ended sessions) until
// it serialises to at most `budget` bytes.
void FitStatus(::tether::attach::ContainerStatus* status, size_t budget);

// The Response for a piece of a pprof answer, or kInvalidArgument when it
// would not fit in a client frame.
base::Result<::tether::attach::Response> PprofPieceResponse(
    const ::tether::attach::PprofResponse& piece);

// ---- template ----

std::vector<std::string> EndedOldestFirst(const StatusRecord& status);

template <typename Keep>
std::vector<std::string> PruneEnded(StatusRecord* status, Keep keep) {
  std::vector<std::string> ended = EndedOldestFirst(*status);
  std::vector<std::string> gone;
  for (size_t i = 0; i + kMaxEndedRecords < ended.size(); ++i) {
    if (keep(ended[i])) continue;
    gone.push_back(ended[i]);
  }
  if (gone.empty()) return gone;
  std::vector<SessionRecord>& s = status->sessions;
  for (const std::string& id : gone) {
    for (auto it = s.begin(); it != s.end(); ++it) {
      if (it->id == id) {
        s.erase(it);
        break;
      }
    }
  }
  return gone;
}

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CONTAINERS_TETHER_REPORTS_H_
