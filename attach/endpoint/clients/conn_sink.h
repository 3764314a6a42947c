// A tetherctl connection as the commands' OutputSink (commands/): output
// goes out as Response{output} frames, the live ones encoded once and
// shared by every client, or, on a terminal the client handed over, as
// the bytes themselves.
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_CLIENTS_CONN_SINK_H_
#define TETHER_ATTACH_ENDPOINT_CLIENTS_CONN_SINK_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "attach/endpoint/clients/client_conn.h"
#include "attach/endpoint/containers/session.h"

namespace attach {
namespace endpoint {

// Queues output on `conn` whole, or returns false when it does not fit.
bool SendConnOutput(ClientConn* conn, uint8_t stream, std::string_view data,
                    int64_t time_ns);
bool SendConnLive(ClientConn* conn, const OutputEvent& event);

// Implements OutputSink (as part of AttachClient or LogsClient) on a
// connection.
template <typename Client>
class ConnSink : public Client {
 public:
  explicit ConnSink(ClientConn* conn) : conn_(conn) {}

  bool open() const override { return !conn_->closed(); }
  bool below_low_mark() const override { return conn_->below_low_mark(); }
  bool SendOutput(uint8_t stream, std::string_view data,
                  int64_t time_ns) override {
    return SendConnOutput(conn_, stream, data, time_ns);
  }
  bool SendLive(const OutputEvent& event) override {
    return SendConnLive(conn_, event);
  }
  void Fail(const std::string& why) override { conn_->FailWith(why); }

 protected:
  ClientConn* conn_;
};

// Sends a final `done` and closes.
void SendDone(ClientConn* conn);
// Sends the exit code and closes.
void SendExitCode(ClientConn* conn, int code);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CLIENTS_CONN_SINK_H_
