// The pprof tunnel's message conversions (docs/protocol.md §7): HTTP
// requests and responses to and from control.proto's PprofRequest and
// PprofResponse, for both of its ends: the tether, which serves tunnelled
// requests with its in-process handler, and tetherctl, which turns local
// HTTP requests into tunnelled ones.
#ifndef TETHER_PPROF_TUNNEL_H_
#define TETHER_PPROF_TUNNEL_H_

#include <cstddef>
#include <functional>
#include <string>

#include "control.pb.h"
#include "pprof/http_message.h"

namespace pprof {

// Body bytes per PprofResponse.
constexpr size_t kTunnelChunkBytes = 256 * 1024;
// Larger answers are cut off with a 502 rather than sent (real profiles
// are well below this).
constexpr size_t kTunnelMaxBody = 64u << 20;

using TunnelSend = std::function<void(tether::attach::PprofResponse)>;

// Tether side: serves `req` with `handler` (nullptr: pprof is off, which
// gets a 404 saying how to turn it on) and sends the answer as one or
// more PprofResponse pieces through `send`, possibly later. A request that
// is not a well-formed origin-form target gets a 400.
void ServeTunneled(Handler* handler, const tether::attach::PprofRequest& req,
                   TunnelSend send);

// Splits an answer into pieces for request `id`.
void SendTunneled(uint64_t id, const HttpResponse& resp,
                  const TunnelSend& send);

// tetherctl side: the request to tunnel (id left 0 for attachd to set).
tether::attach::PprofRequest ToTunnelRequest(const HttpRequest& req);

// Reassembles pieces into one HttpResponse.
class TunnelAssembler {
 public:
  // Adds a piece. Returns false when the answer grew beyond
  // kTunnelMaxBody.
  bool Add(const tether::attach::PprofResponse& piece);
  bool complete() const { return complete_; }
  HttpResponse Take();

 private:
  HttpResponse resp_;
  bool started_ = false;
  bool complete_ = false;
};

}  // namespace pprof

#endif  // TETHER_PPROF_TUNNEL_H_
