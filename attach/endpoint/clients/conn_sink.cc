#include "attach/endpoint/clients/conn_sink.h"

#include <memory>

#include "attach/frame.h"
#include "client.pb.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;

// This transport's slot among an OutputEvent's shared encodings.
constexpr int kFrameSlot = 0;

pb::Response OutputResponse(uint8_t stream, std::string_view data,
                            int64_t time_ns) {
  pb::Response resp;
  pb::Output* out = resp.mutable_output();
  out->set_stream(static_cast<pb::StreamId>(stream));
  out->set_data(data.data(), data.size());
  out->set_time_ns(time_ns);
  return resp;
}

}  // namespace

bool SendConnOutput(ClientConn* conn, uint8_t stream, std::string_view data,
                    int64_t time_ns) {
  if (conn->has_terminal()) {
    // A terminal takes the bytes themselves.
    return conn->HasRoom(data.size()) && conn->SendToTerminal(data);
  }
  pb::Response resp = OutputResponse(stream, data, time_ns);
  if (!conn->HasRoom(resp.ByteSizeLong() + kFrameHeaderBytes)) return false;
  return conn->Send(resp);
}

bool SendConnLive(ClientConn* conn, const OutputEvent& event) {
  if (conn->has_terminal()) {
    return SendConnOutput(conn, event.stream, event.data, event.time_ns);
  }
  std::shared_ptr<const std::string> frame =
      event.Shared(kFrameSlot, [](const OutputEvent& e) {
        return EncodeFrame(OutputResponse(e.stream, e.data, e.time_ns));
      });
  if (!conn->HasRoom(frame->size())) return false;
  return conn->SendFrame(std::move(frame));
}

void SendDone(ClientConn* conn) {
  pb::Response resp;
  resp.set_done(true);
  conn->Send(resp);
  conn->Finish();
}

void SendExitCode(ClientConn* conn, int code) {
  pb::Response resp;
  resp.set_exit_code(code);
  conn->Send(resp);
  conn->Finish();
}

}  // namespace endpoint
}  // namespace attach
