#include "pprof/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>
#include <vector>

#include "base/log.h"
#include "guestinfo/net_address.h"

namespace pprof {

// One client connection. Shared ownership: the server's map holds it, and
// each libuv callback holds a reference while it runs, so a connection
// that closes itself mid-callback dies only when the callback returns.
// Responders hold weak references: a late answer to a closed connection is
// dropped.
class HttpServer::Connection
    : public std::enable_shared_from_this<HttpServer::Connection> {
 public:
  explicit Connection(HttpServer* server)
      : server_(server), parser_(server->options_.limits) {}

  base::Status Start(uv_stream_t* listener) {
    int rc = uv_tcp_init(server_->loop_, tcp_.get());
    if (rc != 0) return base::UvError("pprof: tcp init", rc);
    tcp_.MarkInitialized();
    tcp_->data = this;
    rc = uv_accept(listener, reinterpret_cast<uv_stream_t*>(tcp_.get()));
    if (rc != 0) return base::UvError("pprof: accept", rc);
    rc = uv_timer_init(server_->loop_, timer_.get());
    if (rc != 0) return base::UvError("pprof: timer", rc);
    timer_.MarkInitialized();
    timer_->data = this;
    ResumeReading();
    ArmTimer();
    return base::Status::Ok();
  }

  // Too many connections: say so and go.
  void RejectBusy() {
    StopReading();
    Write(SerializeResponse(
              HttpResponse::Error(503, "too many pprof connections"), false,
              false));
    closing_ = true;
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    timer_.Close();
    tcp_.Close();
    server_->Remove(this);
  }

 private:
  struct WriteReq {
    uv_write_t req;
    std::string data;
    std::weak_ptr<Connection> conn;
  };

  static void OnAlloc(uv_handle_t* h, size_t, uv_buf_t* buf) noexcept {
    Connection* c = static_cast<Connection*>(h->data);
    buf->base = c->read_buf_;
    buf->len = sizeof(c->read_buf_);
  }

  static void OnRead(uv_stream_t* s, ssize_t n, const uv_buf_t*) noexcept {
    std::shared_ptr<Connection> self =
        static_cast<Connection*>(s->data)->shared_from_this();
    if (n > 0) {
      self->in_.append(self->read_buf_, static_cast<size_t>(n));
      self->Process();
    } else if (n < 0) {
      // EOF or a reset: answer what already arrived, then close.
      self->StopReading();
      self->eof_ = true;
      self->Process();
      if (!self->busy_ && self->writes_ == 0) self->Close();
    }
  }

  static void OnWritten(uv_write_t* req, int status) noexcept {
    std::unique_ptr<WriteReq> w(reinterpret_cast<WriteReq*>(req));
    std::shared_ptr<Connection> self = w->conn.lock();
    if (!self || self->closed_) return;
    --self->writes_;
    if (status < 0) return self->Close();
    if (self->writes_ == 0 && (self->closing_ || self->eof_) && !self->busy_) {
      self->Close();
    }
  }

  static void OnTimer(uv_timer_t* t) noexcept {
    std::shared_ptr<Connection> self =
        static_cast<Connection*>(t->data)->shared_from_this();
    if (self->busy_ || self->closing_) return;
    if (self->parser_.in_request() || !self->in_.empty()) {
      self->StopReading();
      self->Write(SerializeResponse(
          HttpResponse::Error(408, "request not complete in time"), false,
          false));
      self->closing_ = true;
    } else {
      self->Close();  // Idle keep-alive connection.
    }
  }

  void ResumeReading() {
    if (reading_ || closed_ || eof_) return;
    int rc = uv_read_start(reinterpret_cast<uv_stream_t*>(tcp_.get()),
                           &Connection::OnAlloc, &Connection::OnRead);
    reading_ = rc == 0;
    if (rc != 0) Close();
  }

  void StopReading() {
    if (!reading_ || closed_) return;
    uv_read_stop(reinterpret_cast<uv_stream_t*>(tcp_.get()));
    reading_ = false;
  }

  void ArmTimer() {
    if (closed_) return;
    if (busy_ || closing_) {
      uv_timer_stop(timer_.get());
      return;
    }
    bool partial = parser_.in_request() || !in_.empty();
    uv_timer_start(timer_.get(), &Connection::OnTimer,
                   partial ? server_->options_.request_timeout_ms
                           : server_->options_.idle_timeout_ms,
                   0);
  }

  // Parses and dispatches buffered requests, one at a time. Re-entrant
  // calls (a handler answering synchronously) only mark more work.
  void Process() {
    if (in_process_) return;
    in_process_ = true;
    while (!busy_ && !closed_ && !closing_ && !in_.empty()) {
      RequestParser::Outcome out = parser_.Feed(in_.data(), in_.size());
      in_.erase(0, out.consumed);
      if (out.state == RequestParser::State::kNeedMore) break;
      if (out.state == RequestParser::State::kError) {
        LOG_DEBUG("pprof: %d %s", parser_.error_status(),
                  parser_.error().c_str());
        StopReading();
        Write(SerializeResponse(
            HttpResponse::Error(parser_.error_status(), parser_.error()),
            false, false));
        closing_ = true;
        break;
      }
      Dispatch(parser_.TakeRequest());
    }
    in_process_ = false;
    if (!busy_ && !closing_) ResumeReading();
    ArmTimer();
  }

  void Dispatch(HttpRequest req) {
    busy_ = true;
    StopReading();  // Pipelined requests wait in the socket.
    bool keep_alive = req.keep_alive;
    bool head = req.method == "HEAD";
    std::weak_ptr<Connection> weak = shared_from_this();
    server_->handler_->Serve(
        std::move(req), [weak, keep_alive, head](HttpResponse resp) {
          std::shared_ptr<Connection> self = weak.lock();
          if (self) self->Answer(resp, keep_alive, head);
        });
  }

  void Answer(const HttpResponse& resp, bool keep_alive, bool head) {
    if (closed_ || !busy_) return;
    busy_ = false;
    keep_alive = keep_alive && !eof_;
    Write(SerializeResponse(resp, keep_alive, head));
    if (!keep_alive) {
      closing_ = true;
      ArmTimer();
      return;
    }
    if (!in_process_) Process();
  }

  void Write(std::string bytes) {
    if (closed_) return;
    auto* w = new WriteReq();
    w->data = std::move(bytes);
    w->conn = shared_from_this();
    uv_buf_t buf = uv_buf_init(w->data.data(),
                               static_cast<unsigned>(w->data.size()));
    int rc = uv_write(&w->req, reinterpret_cast<uv_stream_t*>(tcp_.get()),
                      &buf, 1, &Connection::OnWritten);
    if (rc != 0) {
      delete w;
      Close();
      return;
    }
    ++writes_;
  }

  HttpServer* server_;
  base::UvHandle<uv_tcp_t> tcp_;
  base::UvHandle<uv_timer_t> timer_;
  RequestParser parser_;
  char read_buf_[16384];
  std::string in_;         // Received, not yet parsed.
  bool busy_ = false;      // A request is with the handler.
  bool closing_ = false;   // Close once the writes are out.
  bool eof_ = false;       // The client finished sending.
  bool closed_ = false;
  bool reading_ = false;
  bool in_process_ = false;
  size_t writes_ = 0;      // uv_write requests in flight.
};

base::Result<ListenAddress> ParseListenAddress(std::string_view text) {
  ListenAddress out;
  out.text = std::string(text);
  // guestinfo's syntax (numeric hosts, bracketed IPv6) plus port 0.
  std::string probe(text);
  bool any_port =
      probe.size() > 2 && probe.compare(probe.size() - 2, 2, ":0") == 0;
  if (any_port) probe.replace(probe.size() - 1, 1, "1");
  base::Result<guestinfo::HostPort> hp = guestinfo::ParseHostPort(probe);
  if (!hp.ok()) {
    return hp.TakeStatus().Annotate("pprof listen address \"" + out.text +
                                    "\"");
  }
  uint16_t port = any_port ? 0 : hp->port;
  if (hp->host.find(':') != std::string::npos) {
    auto* a6 = reinterpret_cast<sockaddr_in6*>(&out.addr);
    a6->sin6_family = AF_INET6;
    a6->sin6_port = htons(port);
    inet_pton(AF_INET6, hp->host.c_str(), &a6->sin6_addr);
    out.loopback = IN6_IS_ADDR_LOOPBACK(&a6->sin6_addr);
  } else {
    auto* a4 = reinterpret_cast<sockaddr_in*>(&out.addr);
    a4->sin_family = AF_INET;
    a4->sin_port = htons(port);
    inet_pton(AF_INET, hp->host.c_str(), &a4->sin_addr);
    out.loopback = (ntohl(a4->sin_addr.s_addr) >> 24) == 127;
  }
  return out;
}

HttpServer::HttpServer(uv_loop_t* loop, Handler* handler,
                       ServerOptions options)
    : loop_(loop), handler_(handler), options_(options) {}

HttpServer::~HttpServer() { Close(); }

base::Status HttpServer::Listen(std::string_view address) {
  TETHER_ASSIGN_OR_RETURN(ListenAddress addr, ParseListenAddress(address));
  int rc = uv_tcp_init(loop_, listener_.get());
  if (rc != 0) return base::UvError("pprof: tcp init", rc);
  listener_.MarkInitialized();
  listener_->data = this;
  const auto* sa = reinterpret_cast<const sockaddr*>(&addr.addr);
  rc = uv_tcp_bind(listener_.get(), sa, 0);
  if (rc == 0) {
    rc = uv_listen(reinterpret_cast<uv_stream_t*>(listener_.get()), 64,
                   &HttpServer::OnConnection);
  }
  if (rc != 0) {
    listener_.Close();
    return base::UvError("pprof: listen on " + addr.text, rc);
  }
  sockaddr_storage bound{};
  int len = sizeof(bound);
  uv_tcp_getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&bound),
                     &len);
  port_ = ntohs(bound.ss_family == AF_INET6
                    ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                    : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  if (!addr.loopback) {
    LOG_WARN("pprof: serving on non-loopback %s: profiles and the command "
             "line are reachable from the network",
             addr.text.c_str());
  }
  return base::Status::Ok();
}

void HttpServer::Close() {
  listener_.Close();
  std::map<Connection*, std::shared_ptr<Connection>> conns;
  conns.swap(conns_);
  for (auto& entry : conns) entry.second->Close();
}

void HttpServer::OnConnection(uv_stream_t* server, int status) noexcept {
  HttpServer* self = static_cast<HttpServer*>(server->data);
  if (status < 0) {
    LOG_DEBUG("pprof: accept: %s", uv_strerror(status));
    return;
  }
  self->Accept();
}

void HttpServer::Accept() {
  auto conn = std::make_shared<Connection>(this);
  bool full = conns_.size() >= options_.max_connections;
  conns_.emplace(conn.get(), conn);
  base::Status s =
      conn->Start(reinterpret_cast<uv_stream_t*>(listener_.get()));
  if (!s.ok()) {
    LOG_DEBUG("%s", s.ToString().c_str());
    conn->Close();
    return;
  }
  if (full) conn->RejectBusy();
}

void HttpServer::Remove(Connection* c) { conns_.erase(c); }

}  // namespace pprof
