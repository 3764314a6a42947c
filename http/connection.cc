// The request side of a connection: reading, parsing, dispatching, the
// request body and the timers. The answer side is connection_answer.cc.
#include "http/connection.h"

#include "base/log.h"
#include "http/hijacked_stream.h"

namespace http {
namespace {

// Unparsed input held while a request is being served: enough to see a
// client leave, little enough that pipelining costs nothing much.
constexpr size_t kInputHighWater = 64 * 1024;

}  // namespace

Connection::Connection(uv_loop_t* loop, const ServerOptions& options,
                       const Handler& handler, LinkOwner* owner,
                       std::shared_ptr<Transport> transport)
    : loop_(loop),
      options_(options),
      handler_(handler),
      owner_(owner),
      transport_(std::move(transport)),
      reader_(options.limits) {}

Connection::~Connection() {
  if (transport_) transport_->Close();
}

void Connection::Start(int reject_status) {
  int rc = uv_timer_init(loop_, timer_.get());
  if (rc != 0) return CloseNow(base::UvError("http: timer init", rc));
  timer_.MarkInitialized();
  timer_->data = this;
  transport_->Start(this);
  if (reject_status != 0) {
    return SendError(reject_status, "too many connections");
  }
  UpdateTimer();
}

void Connection::Abort() {
  CloseNow(base::Status::Unavailable("server closing"));
}

void Connection::OnTransportData(const char* data, size_t len) {
  std::shared_ptr<Connection> self = shared_from_this();
  if (in_pos_ == in_.size()) {
    in_.clear();
    in_pos_ = 0;
  } else if (in_pos_ > kInputHighWater) {
    in_.erase(0, in_pos_);
    in_pos_ = 0;
  }
  in_.append(data, len);
  Process();
}

void Connection::OnTransportEof() {
  std::shared_ptr<Connection> self = shared_from_this();
  eof_ = true;
  Process();
}

void Connection::Process() {
  if (in_process_) {
    again_ = true;
    return;
  }
  std::shared_ptr<Connection> self = shared_from_this();
  in_process_ = true;
  do {
    again_ = false;
    while (!closed_ && Step()) {
    }
  } while (again_ && !closed_);
  in_process_ = false;
  if (closed_ || shutting_down_) return;
  Exchange* ex = exchange_.get();
  if (eof_) {
    // Whatever could be served from the input has been; what is left
    // cannot complete.
    if (ex == nullptr) return ShutdownSoon();
    if (ex->answer_ == Exchange::Answer::kStreaming) {
      return CloseNow(
          base::Status::Unavailable("client closed the connection"));
    }
    bool wants_body =
        ex->body_ == Exchange::Body::kBuffer ||
        ex->body_ == Exchange::Body::kDiscard ||
        (ex->body_ == Exchange::Body::kStream && !ex->body_paused_);
    if (wants_body && !has_input()) {
      return FailBody(400, "client closed the connection inside the body");
    }
  }
  UpdateReading();
  UpdateTimer();
}

// One parser event. False when nothing more can happen until input
// arrives or the handler acts.
bool Connection::Step() {
  Exchange* ex = exchange_.get();
  if (ex != nullptr) {
    switch (ex->body_) {
      case Exchange::Body::kUnread:
      case Exchange::Body::kDone:
        return false;
      case Exchange::Body::kStream:
        if (ex->body_paused_) return false;
        break;
      case Exchange::Body::kBuffer:
      case Exchange::Body::kDiscard:
        break;
    }
  } else if (closing_) {
    return false;
  }
  if (!has_input()) return false;
  RequestReader::Step s =
      reader_.Feed(in_.data() + in_pos_, in_.size() - in_pos_);
  in_pos_ += s.consumed;
  switch (s.event) {
    case RequestReader::Event::kNeedMore:
      return false;
    case RequestReader::Event::kHead:
      Dispatch(reader_.TakeRequest());
      return true;
    case RequestReader::Event::kBody:
      OnBodyPiece(s.body);
      return true;
    case RequestReader::Event::kEnd:
      OnBodyEnd();
      return true;
    case RequestReader::Event::kError:
      LOG_DEBUG("http: %s: %d %s", transport_->peer().address.c_str(),
                reader_.error_status(), reader_.error().c_str());
      FailBody(reader_.error_status(), reader_.error());
      return false;
  }
  return false;
}

void Connection::Dispatch(Request request) {
  bool body = request.has_body();
  exchange_ = std::make_shared<Exchange>(weak_from_this(), std::move(request),
                                         transport_->peer());
  exchange_->start_ns_ = uv_hrtime();
  if (!body) {
    // Parse to the request's end (its last byte is already here) first.
    exchange_->body_ = Exchange::Body::kDiscard;
    deferred_dispatch_ = true;
    return;
  }
  std::shared_ptr<Exchange> ex = exchange_;
  handler_(ex);
}

void Connection::OnBodyPiece(std::string_view piece) {
  Exchange* ex = exchange_.get();
  ex->body_seen_ += piece.size();
  switch (ex->body_) {
    case Exchange::Body::kBuffer:
      if (ex->request_.body.size() + piece.size() > ex->body_limit_) {
        return FailBody(413, "request body larger than " +
                                 std::to_string(ex->body_limit_) + " bytes");
      }
      ex->request_.body.append(piece);
      return;
    case Exchange::Body::kStream:
      deadline_ = uv_now(loop_) + options_.timeouts.body_idle_ms;
      if (ex->sink_.on_data) ex->sink_.on_data(piece);
      return;
    case Exchange::Body::kDiscard:
      if (ex->body_seen_ > kMaxDiscard) {
        // Not worth reading on: the connection ends after the answer.
        closing_ = true;
        ex->body_ = Exchange::Body::kDone;
        MaybeFinish();
      }
      return;
    case Exchange::Body::kUnread:
    case Exchange::Body::kDone:
      return;
  }
}

void Connection::OnBodyEnd() {
  std::shared_ptr<Exchange> ex = exchange_;
  Exchange::Body was = ex->body_;
  ex->body_ = Exchange::Body::kDone;
  if (deferred_dispatch_) {
    deferred_dispatch_ = false;
    handler_(ex);
    return;
  }
  if (was == Exchange::Body::kBuffer) {
    auto done = std::move(ex->body_done_);
    ex->body_done_ = nullptr;
    if (done) done(base::Status::Ok());
  } else if (was == Exchange::Body::kStream) {
    BodySink sink = std::move(ex->sink_);
    ex->sink_ = BodySink();
    if (sink.on_end) sink.on_end(base::Status::Ok());
  }
  MaybeFinish();
}

void Connection::FailBody(int status, const std::string& reason) {
  std::shared_ptr<Exchange> ex = exchange_;
  if (!ex) return SendError(status, reason);
  auto done = std::move(ex->body_done_);
  BodySink sink = std::move(ex->sink_);
  ex->body_done_ = nullptr;
  ex->sink_ = BodySink();
  SendError(status, reason);
  base::Status why = base::Status::InvalidArgument(reason);
  if (done) done(why);
  if (sink.on_end) sink.on_end(why);
}

void Connection::ReadBody(Exchange* ex, size_t limit,
                          std::function<void(const base::Status&)> done) {
  if (closed_ || ex != exchange_.get()) {
    return done(base::Status::Unavailable("connection closed"));
  }
  if (ex->body_ == Exchange::Body::kDone) return done(base::Status::Ok());
  if (ex->body_ != Exchange::Body::kUnread) {
    return done(base::Status::Internal("request body already taken"));
  }
  std::shared_ptr<Connection> self = shared_from_this();
  ex->body_limit_ = limit;
  if (ex->request_.content_length && *ex->request_.content_length > limit) {
    std::string reason =
        "request body larger than " + std::to_string(limit) + " bytes";
    SendError(413, reason);
    return done(base::Status::InvalidArgument(reason));
  }
  ex->body_ = Exchange::Body::kBuffer;
  ex->body_done_ = std::move(done);
  Send100Continue(ex);
  Process();
}

void Connection::StreamBody(Exchange* ex, BodySink sink) {
  if (closed_ || ex != exchange_.get()) {
    if (sink.on_end)
      sink.on_end(base::Status::Unavailable("connection closed"));
    return;
  }
  if (ex->body_ == Exchange::Body::kDone) {
    if (sink.on_end) sink.on_end(base::Status::Ok());
    return;
  }
  if (ex->body_ != Exchange::Body::kUnread) {
    if (sink.on_end) {
      sink.on_end(base::Status::Internal("request body already taken"));
    }
    return;
  }
  std::shared_ptr<Connection> self = shared_from_this();
  ex->body_ = Exchange::Body::kStream;
  ex->sink_ = std::move(sink);
  deadline_ = uv_now(loop_) + options_.timeouts.body_idle_ms;
  Send100Continue(ex);
  Process();
}

void Connection::SetBodyPaused(Exchange* ex, bool paused) {
  if (closed_ || ex != exchange_.get() || ex->body_paused_ == paused) return;
  std::shared_ptr<Connection> self = shared_from_this();
  ex->body_paused_ = paused;
  if (!paused) deadline_ = uv_now(loop_) + options_.timeouts.body_idle_ms;
  if (in_process_) return;  // Process() looks again when it returns.
  Process();
}

void Connection::UpdateReading() {
  if (closed_ || shutting_down_ || !transport_) return;
  bool body_paused = exchange_ && exchange_->body_ == Exchange::Body::kStream &&
                     exchange_->body_paused_;
  bool want = !eof_ && !body_paused && in_.size() - in_pos_ < kInputHighWater;
  if (want == reading_) return;
  reading_ = want;
  if (want) {
    transport_->ResumeReading();
  } else {
    transport_->PauseReading();
  }
}

void Connection::UpdateTimer() {
  if (closed_ || !timer_.initialized()) return;
  Phase phase = Phase::kNone;
  Exchange* ex = exchange_.get();
  if (shutting_down_) {
    phase = Phase::kNone;
  } else if (ex == nullptr) {
    phase = reader_.in_head() || has_input() ? Phase::kHead : Phase::kIdle;
  } else if (ex->body_ == Exchange::Body::kBuffer ||
             ex->body_ == Exchange::Body::kDiscard) {
    phase = Phase::kBody;
  } else if (ex->body_ == Exchange::Body::kStream && !ex->body_paused_) {
    phase = Phase::kBodyIdle;
  }
  uint64_t now = uv_now(loop_);
  if (phase != phase_) {
    phase_ = phase;
    switch (phase) {
      case Phase::kIdle:
        deadline_ = now + options_.timeouts.idle_ms;
        break;
      case Phase::kHead:
        deadline_ = now + options_.timeouts.header_ms;
        break;
      case Phase::kBody:
        deadline_ = now + options_.timeouts.body_ms;
        break;
      case Phase::kBodyIdle:  // Set where the body starts or moves.
      case Phase::kNone:
        break;
    }
  }
  if (phase == Phase::kNone) {
    uv_timer_stop(timer_.get());
    return;
  }
  uv_timer_start(timer_.get(), &Connection::OnTimer,
                 deadline_ > now ? deadline_ - now : 0, 0);
}

void Connection::OnTimer(uv_timer_t* t) noexcept {
  std::shared_ptr<Connection> self =
      static_cast<Connection*>(t->data)->shared_from_this();
  switch (self->phase_) {
    case Phase::kIdle:
      return self->CloseNow(base::Status::Ok());
    case Phase::kHead:
      return self->SendError(408, "request headers not complete in time");
    case Phase::kBody:
      return self->FailBody(408, "request body not complete in time");
    case Phase::kBodyIdle:
      return self->FailBody(408, "request body stalled");
    case Phase::kNone:
      return;
  }
}

void Connection::OnTransportClosed(const base::Status& why) {
  std::shared_ptr<Connection> self = shared_from_this();
  CloseNow(why);
}

void Connection::ShutdownSoon() {
  if (closed_ || shutting_down_) return;
  shutting_down_ = true;
  UpdateTimer();
  transport_->Shutdown();  // OnTransportClosed follows.
}

void Connection::CloseNow(const base::Status& why) {
  if (closed_) return;
  std::shared_ptr<Connection> self = shared_from_this();
  closed_ = true;
  timer_.Close();
  if (transport_) transport_->Close();
  std::shared_ptr<Exchange> ex = std::move(exchange_);
  exchange_ = nullptr;
  if (ex && !ex->finished_) {
    ex->finished_ = true;
    ex->lost_ = true;
    Log(ex.get());
    base::Status lost =
        why.ok() ? base::Status::Unavailable("connection closed") : why;
    auto on_close = std::move(ex->on_close_);
    auto done = std::move(ex->body_done_);
    BodySink sink = std::move(ex->sink_);
    ex->on_drain_ = nullptr;
    if (done) done(lost);
    if (sink.on_end) sink.on_end(lost);
    if (on_close) on_close(lost);
  }
  owner_->Remove(this);
}

}  // namespace http
