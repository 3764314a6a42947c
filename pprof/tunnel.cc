#include "pprof/tunnel.h"

#include <algorithm>

namespace pprof {

namespace pb = ::tether::attach;

void SendTunneled(uint64_t id, const HttpResponse& resp,
                  const TunnelSend& send) {
  std::string disposition;
  for (const auto& h : resp.headers) {
    if (h.first == "Content-Disposition") disposition = h.second;
  }
  size_t off = 0;
  do {
    pb::PprofResponse piece;
    piece.set_id(id);
    if (off == 0) {
      piece.set_status(static_cast<uint32_t>(resp.status));
      piece.set_content_type(resp.content_type);
      piece.set_content_disposition(disposition);
    }
    size_t n = std::min(kTunnelChunkBytes, resp.body.size() - off);
    piece.set_body(resp.body.substr(off, n));
    off += n;
    piece.set_last(off == resp.body.size());
    send(std::move(piece));
  } while (off < resp.body.size());
}

void ServeTunneled(Handler* handler, const pb::PprofRequest& req,
                   TunnelSend send) {
  const uint64_t id = req.id();
  if (handler == nullptr) {
    return SendTunneled(
        id,
        HttpResponse::Error(404,
                            "pprof is off in this container: set \"debug\" "
                            "to 2 or more, or pprof.listen, in its config"),
        send);
  }
  HttpRequest http;
  http.method = req.method();
  http.target = req.target();
  if (http.target.empty() || http.target[0] != '/' ||
      http.target.find_first_of("\r\n ") != std::string::npos) {
    return SendTunneled(id, HttpResponse::Error(400, "bad request target"),
                        send);
  }
  size_t q = http.target.find('?');
  http.path = http.target.substr(0, q);
  if (q != std::string::npos) http.query = http.target.substr(q + 1);
  http.body = req.body();
  handler->Serve(std::move(http), [id, send](HttpResponse resp) {
    SendTunneled(id, resp, send);
  });
}

pb::PprofRequest ToTunnelRequest(const HttpRequest& req) {
  pb::PprofRequest out;
  out.set_method(req.method);
  out.set_target(req.target);
  out.set_body(req.body);
  return out;
}

bool TunnelAssembler::Add(const pb::PprofResponse& piece) {
  if (!started_) {
    started_ = true;
    resp_.status = static_cast<int>(piece.status());
    resp_.content_type = piece.content_type();
    if (!piece.content_disposition().empty()) {
      resp_.headers.emplace_back("Content-Disposition",
                                 piece.content_disposition());
    }
    resp_.headers.emplace_back("X-Content-Type-Options", "nosniff");
  }
  if (resp_.body.size() + piece.body().size() > kTunnelMaxBody) return false;
  resp_.body += piece.body();
  complete_ = piece.last();
  return true;
}

HttpResponse TunnelAssembler::Take() {
  HttpResponse r = std::move(resp_);
  resp_ = HttpResponse();
  started_ = complete_ = false;
  return r;
}

}  // namespace pprof
