// Fuzzes what attachd keeps of each control message a tether sends
// (review F1, F2, F13): the Envelope is parsed as attachd parses it, every
// report goes through tether_reports.h, and then the invariants attachd
// relies on must hold: the status it would write decodes again, and the
// ContainerStatus of inspect fits a client frame.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "attach/endpoint/containers/tether_reports.h"
#include "attach/frame.h"
#include "control.pb.h"
#include "guestinfo/field_syntax.h"

namespace {

namespace pb = ::tether::attach;
using attach::endpoint::SessionRecord;
using attach::endpoint::StatusRecord;

SessionRecord* Known(StatusRecord* status, const std::string& id) {
  return status->Find(id);
}

void Apply(const pb::Envelope& env, StatusRecord* status) {
  namespace ep = attach::endpoint;
  switch (env.msg_case()) {
    case pb::Envelope::kHello:
      if (!ep::CheckHelloSessions(env.hello(), *status).ok()) return;
      for (const pb::SessionInfo& info : env.hello().sessions()) {
        // attachd loads (and so records) only sessions with valid ids.
        if (!guestinfo::CheckSessionId(info.id()).ok()) continue;
        ep::RecordHello(info, info.exited() && info.stdout_end() > 0,
                        &status->Get(info.id()));
      }
      break;
    case pb::Envelope::kSessionStarted:
      if (SessionRecord* r = Known(status, env.session_started().session_id()))
        ep::RecordStarted(env.session_started(), r);
      break;
    case pb::Envelope::kSessionExited:
      if (SessionRecord* r = Known(status, env.session_exited().session_id()))
        ep::RecordExited(env.session_exited(), r);
      break;
    case pb::Envelope::kExecFailed:
      if (SessionRecord* r = Known(status, env.exec_failed().session_id()))
        ep::RecordExecFailed(env.exec_failed(), 1, r);
      break;
    case pb::Envelope::kPprofResponse:
      (void)ep::PprofPieceResponse(env.pprof_response());
      break;
    default:
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace ep = attach::endpoint;
  // The input is several frames: a Hello first, then reports.
  attach::FrameReader reader;
  reader.Append(reinterpret_cast<const char*>(data), size);
  StatusRecord status;
  for (int i = 0; i < 64; ++i) {
    base::Result<std::optional<std::string>> frame = reader.Next();
    if (!frame.ok() || !frame->has_value()) break;
    pb::Envelope env;
    if (!attach::ParseFrame(**frame, &env, "control").ok()) continue;
    Apply(env, &status);
    (void)ep::PruneEnded(&status, [](const std::string&) { return false; });
  }
  if (status.sessions.size() > ep::kMaxSessionRecords) std::abort();
  // Review F13: what attachd writes, it reads back.
  std::string stored = ep::EncodeStatus(status);
  base::Result<StatusRecord> back = ep::DecodeStatus(stored);
  if (!back.ok()) {
    std::fprintf(stderr, "status does not read back: %s\n%s\n",
                 back.status().message().c_str(), stored.c_str());
    std::abort();
  }
  pb::ContainerStatus out;
  for (const SessionRecord& s : status.sessions) {
    pb::SessionStatus* st = out.add_sessions();
    st->set_id(s.id);
    st->set_error(s.error);
    for (const std::string& a : s.args) st->add_args(a);
  }
  ep::FitStatus(&out, attach::kMaxFrameBytes - 1024);
  if (out.ByteSizeLong() > attach::kMaxFrameBytes - 1024) std::abort();
  return 0;
}
