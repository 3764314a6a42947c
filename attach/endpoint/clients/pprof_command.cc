#include "attach/endpoint/clients/pprof_command.h"

#include <memory>
#include <string>

#include "attach/endpoint/containers/tether_reports.h"
#include "base/uv_handle.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;

// One `tetherctl pprof` request, alive as long as its client connection.
class PprofHandler : public ClientConn::Handler {
 public:
  PprofHandler(uv_loop_t* loop, ClientConn* conn, Container* c)
      : loop_(loop), conn_(conn), container_(c) {}

  ~PprofHandler() override {
    if (container_ != nullptr) container_->pprof_calls().Cancel(id_);
  }

  void Start(const pb::PprofProxyRequest& req, uint64_t timeout_ms) {
    if (container_->link() == nullptr) {
      return Fail("Container " + container_->id().substr(0, 12) +
                  " is not connected: its tether is not dialed in");
    }
    id_ = container_->pprof_calls().Add(
        [this](const pb::PprofResponse& piece) { OnPiece(piece); },
        [this](const std::string& why) {
          container_ = nullptr;  // Gone or disconnected: nothing to cancel.
          Fail(why);
        });
    pb::Envelope env;
    pb::PprofRequest* out = env.mutable_pprof_request();
    out->set_id(id_);
    out->set_method(req.method());
    out->set_target(req.target());
    out->set_body(req.body());
    base::Status s = container_->SendControl(env);
    if (!s.ok()) return Fail(s.message());
    uv_timer_init(loop_, timer_.get());
    timer_.MarkInitialized();
    timer_->data = this;
    uv_timer_start(timer_.get(), &PprofHandler::OnTimeout, timeout_ms, 0);
  }

  void OnRequest(const pb::Request&) override {}  // Nothing follows.

 private:
  static void OnTimeout(uv_timer_t* t) noexcept {
    static_cast<PprofHandler*>(t->data)->Fail(
        "the container's tether did not answer the pprof request in time");
  }

  void OnPiece(const pb::PprofResponse& piece) {
    // The tether's frame may hold a piece the client's frame cannot.
    base::Result<pb::Response> resp = PprofPieceResponse(piece);
    if (!resp.ok()) return Fail(resp.status().message());
    conn_->Send(*resp);
    if (piece.last()) {
      Done();
      conn_->Finish();
    }
  }

  void Fail(const std::string& why) {
    Done();
    conn_->FailWith(why);
  }

  // The call is over: no more pieces, no timeout.
  void Done() {
    if (container_ != nullptr) container_->pprof_calls().Cancel(id_);
    container_ = nullptr;
    timer_.Close();
  }

  uv_loop_t* loop_;
  ClientConn* conn_;
  Container* container_;
  uint64_t id_ = 0;
  base::UvHandle<uv_timer_t> timer_;
};

}  // namespace

void StartPprof(uv_loop_t* loop, ClientConn* conn, Container* c,
                const pb::PprofProxyRequest& req, uint64_t timeout_ms) {
  auto handler = std::make_unique<PprofHandler>(loop, conn, c);
  PprofHandler* h = handler.get();
  conn->SetHandler(std::move(handler));
  h->Start(req, timeout_ms);
}

}  // namespace endpoint
}  // namespace attach
