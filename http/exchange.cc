#include "http/exchange.h"

#include "http/connection.h"
#include "http/hijacked_stream.h"
#include "http/response_stream.h"

namespace http {

Exchange::Exchange(std::weak_ptr<Connection> conn, Request request, Peer peer)
    : conn_(std::move(conn)),
      request_(std::move(request)),
      peer_(std::move(peer)) {}

bool Exchange::open() const {
  std::shared_ptr<Connection> c = conn_.lock();
  return !finished_ && c && !c->closed();
}

void Exchange::ReadBody(size_t limit,
                        std::function<void(const base::Status&)> done) {
  std::shared_ptr<Connection> c = conn_.lock();
  if (!c) return done(base::Status::Unavailable("connection closed"));
  c->ReadBody(this, limit, std::move(done));
}

void Exchange::StreamBody(BodySink sink) {
  std::shared_ptr<Connection> c = conn_.lock();
  if (c) return c->StreamBody(this, std::move(sink));
  if (sink.on_end) sink.on_end(base::Status::Unavailable("connection closed"));
}

void Exchange::PauseBody() {
  if (std::shared_ptr<Connection> c = conn_.lock())
    c->SetBodyPaused(this, true);
}

void Exchange::ResumeBody() {
  if (std::shared_ptr<Connection> c = conn_.lock()) {
    c->SetBodyPaused(this, false);
  }
}

void Exchange::Respond(Response response) {
  if (std::shared_ptr<Connection> c = conn_.lock()) {
    c->Respond(this, std::move(response));
  }
}

std::shared_ptr<ResponseStream> Exchange::StartStream(
    ResponseHead head, std::optional<uint64_t> length) {
  if (std::shared_ptr<Connection> c = conn_.lock()) {
    c->StartStream(this, head, length);
  }
  return std::make_shared<ResponseStream>(shared_from_this());
}

std::shared_ptr<HijackedStream> Exchange::Hijack(ResponseHead head) {
  if (std::shared_ptr<Connection> c = conn_.lock()) {
    return c->Hijack(this, head);
  }
  AccessRecord record;
  record.peer = peer_;
  return std::make_shared<HijackedStream>(nullptr, std::string(), false,
                                          nullptr, record, start_ns_, nullptr);
}

void Exchange::OnClose(std::function<void(const base::Status&)> on_close) {
  if (open()) {
    on_close_ = std::move(on_close);
  } else if (lost_ && on_close) {
    on_close(base::Status::Unavailable("connection closed"));
  }
}

}  // namespace http
