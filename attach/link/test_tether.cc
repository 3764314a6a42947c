#include "attach/link/test_tether.h"

namespace attach {
namespace testing {

void FakeTether::Add(const std::string& id, size_t ring_capacity) {
  Session& s = sessions[id];
  for (auto& ring : s.rings) {
    ring = std::make_unique<tether::OutputRing>(ring_capacity);
  }
}

void FakeTether::Write(const std::string& id, int stream,
                       const std::string& data) {
  sessions[id].rings[stream - 1]->Append(data.data(), data.size());
  written_[{id, stream}] += data;
}

tether::attach::SessionExited FakeTether::Exit(const std::string& id,
                                               int code) {
  Session& s = sessions[id];
  s.exited = true;
  s.exit_code = code;
  tether::attach::SessionExited msg;
  msg.set_session_id(id);
  msg.set_exit_code(code);
  msg.set_stdout_end(s.rings[0]->end_offset());
  msg.set_stderr_end(s.rings[1]->end_offset());
  return msg;
}

tether::attach::Hello FakeTether::MakeHello() {
  tether::attach::Hello hello;
  for (const auto& entry : sessions) {
    if (entry.second.released) continue;
    auto* info = hello.add_sessions();
    info->set_id(entry.first);
    info->set_running(!entry.second.exited);
    info->set_exited(entry.second.exited);
    info->set_exit_code(entry.second.exit_code);
    info->set_stdout_end(entry.second.rings[0]->end_offset());
    info->set_stderr_end(entry.second.rings[1]->end_offset());
  }
  return hello;
}

OutputChunk FakeTether::ReadOutput(const std::string& session,
                                   tether::attach::StreamId stream,
                                   uint64_t offset, size_t max_len) {
  tether::OutputRing::Chunk c =
      sessions[session].rings[stream - 1]->Read(offset, max_len);
  return OutputChunk{c.gap, c.offset, std::move(c.data)};
}

uint64_t FakeTether::OutputEnd(const std::string& session,
                               tether::attach::StreamId stream) {
  auto it = sessions.find(session);
  return it == sessions.end() ? 0 : it->second.rings[stream - 1]->end_offset();
}

void FakeTether::OnAcked(const std::string& session,
                         tether::attach::StreamId stream, uint64_t offset) {
  sessions[session].acked[stream - 1] = offset;
}

size_t FakeTether::StdinRoom(const std::string& session) {
  const Session& s = sessions[session];
  if (s.stdin_limit == SIZE_MAX) return SIZE_MAX;
  return s.stdin_limit > s.stdin_data.size()
             ? s.stdin_limit - s.stdin_data.size()
             : 0;
}

void FakeTether::OnStdin(const std::string& session, std::string_view data) {
  sessions[session].stdin_data.append(data.data(), data.size());
}

bool FakeTether::OnSessionDone(const std::string& session) {
  done.push_back(session);
  if (release_when_done) sessions[session].released = true;
  return release_when_done;
}

void FakeTether::OnStdinClosed(const std::string& session) {
  sessions[session].stdin_closed = true;
}

void FakeTether::OnControl(const tether::attach::Envelope& msg) {
  controls.push_back(msg);
  if (on_control) on_control(msg);
}

void FakeTether::OnConnected(bool connected) {
  connected_events.push_back(connected);
}

}  // namespace testing
}  // namespace attach
