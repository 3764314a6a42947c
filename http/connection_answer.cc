// The answer side of a connection: complete and streamed responses,
// hijacking, the server's own error answers, and finishing an exchange.
#include <cstdio>

#include "http/connection.h"
#include "http/hijacked_stream.h"

namespace http {
namespace {

// Below this a body is copied next to its head (one write, one packet or
// TLS record); above it the copy costs more than a second write.
constexpr size_t kCoalesceBytes = 16 * 1024;

bool AsksToClose(const Headers& headers) {
  for (const auto& h : headers) {
    if (HasToken(h.first, "connection") && HasToken(h.second, "close")) {
      return true;
    }
  }
  return false;
}

}  // namespace

size_t Connection::queued() const {
  return closed_ || !transport_ ? 0 : transport_->queued();
}

void Connection::Send(std::string bytes) {
  if (!closed_ && transport_) transport_->Write(std::move(bytes));
}

void Connection::Send100Continue(Exchange* ex) {
  const std::string* expect = ex->request_.Header("expect");
  if (expect != nullptr && HasToken(*expect, "100-continue") &&
      ex->request_.version_minor == 1 &&
      ex->answer_ == Exchange::Answer::kNone) {
    Send("HTTP/1.1 100 Continue\r\n\r\n");
  }
}

void Connection::DropBody(Exchange* ex) {
  switch (ex->body_) {
    case Exchange::Body::kDone:
    case Exchange::Body::kDiscard:
      return;
    case Exchange::Body::kUnread:
      if (ex->request_.Header("expect") != nullptr) {
        // The client waits for a 100 Continue that will not come.
        closing_ = true;
        ex->body_ = Exchange::Body::kDone;
        return;
      }
      break;
    case Exchange::Body::kBuffer:
    case Exchange::Body::kStream:
      break;
  }
  ex->body_done_ = nullptr;
  ex->sink_ = BodySink();
  ex->body_paused_ = false;
  const auto& length = ex->request_.content_length;
  if (length && *length - ex->body_seen_ > kMaxDiscard) {
    closing_ = true;
    ex->body_ = Exchange::Body::kDone;
  } else {
    ex->body_ = Exchange::Body::kDiscard;
  }
}

void Connection::Respond(Exchange* ex, Response response) {
  if (closed_ || ex != exchange_.get() ||
      ex->answer_ != Exchange::Answer::kNone) {
    return;
  }
  std::shared_ptr<Connection> self = shared_from_this();
  DropBody(ex);
  ex->status_ = response.status;
  ex->keep_alive_ =
      ex->request_.keep_alive && !closing_ && !AsksToClose(response.headers);
  if (!ex->keep_alive_) closing_ = true;
  bool body = StatusHasBody(response.status);
  std::string out = SerializeHead(response, ex->request_.version_minor,
                                  body ? Framing::kLength : Framing::kEmpty,
                                  response.body.size(), ex->keep_alive_);
  ex->answer_ = Exchange::Answer::kEnded;
  if (body && ex->request_.method != "HEAD") {
    ex->bytes_sent_ = response.body.size();
    if (response.body.size() < kCoalesceBytes) {
      out += response.body;
      Send(std::move(out));
    } else {
      Send(std::move(out));
      Send(std::move(response.body));
    }
  } else {
    Send(std::move(out));
  }
  MaybeFinish();
  Process();  // A body to drain, or the next request.
}

void Connection::StartStream(Exchange* ex, const ResponseHead& head,
                             std::optional<uint64_t> length) {
  if (closed_ || ex != exchange_.get() ||
      ex->answer_ != Exchange::Answer::kNone) {
    return;
  }
  std::shared_ptr<Connection> self = shared_from_this();
  if (ex->body_ == Exchange::Body::kUnread) DropBody(ex);
  const Request& req = ex->request_;
  ex->status_ = head.status;
  ex->keep_alive_ = req.keep_alive && !closing_ && !AsksToClose(head.headers);
  bool head_only = req.method == "HEAD";
  if (!StatusHasBody(head.status)) {
    ex->framing_ = Framing::kEmpty;
  } else if (length) {
    ex->framing_ = Framing::kLength;
    ex->length_ = *length;
  } else if (head_only) {
    ex->framing_ = Framing::kEmpty;  // What GET would get is unknown.
  } else if (req.version_minor == 1) {
    ex->framing_ = Framing::kChunked;
  } else {
    ex->framing_ = Framing::kClose;  // HTTP/1.0 has no chunks.
    ex->keep_alive_ = false;
  }
  if (!ex->keep_alive_) closing_ = true;
  Send(SerializeHead(head, req.version_minor, ex->framing_, ex->length_,
                     ex->keep_alive_));
  if (head_only) ex->framing_ = Framing::kEmpty;  // Writes are dropped.
  ex->answer_ = Exchange::Answer::kStreaming;
  Process();
}

void Connection::WriteBody(Exchange* ex, std::string data) {
  if (closed_ || ex != exchange_.get() ||
      ex->answer_ != Exchange::Answer::kStreaming || data.empty() ||
      ex->framing_ == Framing::kEmpty) {
    return;
  }
  if (ex->framing_ == Framing::kLength) {
    uint64_t room = ex->length_ - ex->bytes_sent_;
    if (room == 0) return;
    if (data.size() > room) data.resize(room);
  }
  ex->bytes_sent_ += data.size();
  if (ex->framing_ == Framing::kChunked) {
    char size_line[24];
    std::snprintf(size_line, sizeof(size_line), "%zx\r\n", data.size());
    if (data.size() < kCoalesceBytes) {
      Send(size_line + data + "\r\n");
    } else {
      Send(size_line);
      Send(std::move(data));
      Send("\r\n");
    }
  } else {
    Send(std::move(data));
  }
  if (queued() > ex->low_mark_) ex->above_mark_ = true;
}

void Connection::EndBody(Exchange* ex) {
  if (closed_ || ex != exchange_.get() ||
      ex->answer_ != Exchange::Answer::kStreaming) {
    return;
  }
  std::shared_ptr<Connection> self = shared_from_this();
  if (ex->framing_ == Framing::kChunked) Send("0\r\n\r\n");
  if (ex->framing_ == Framing::kClose ||
      (ex->framing_ == Framing::kLength && ex->bytes_sent_ < ex->length_)) {
    closing_ = true;  // Only the close can end (or cut) this body.
  }
  ex->answer_ = Exchange::Answer::kEnded;
  DropBody(ex);
  MaybeFinish();
  Process();
}

std::shared_ptr<HijackedStream> Connection::Hijack(Exchange* ex,
                                                   const ResponseHead& head) {
  AccessRecord record;
  record.peer = ex->peer_;
  record.method = ex->request_.method;
  record.target = ex->request_.target;
  record.status = head.status;
  auto dead = [&] {
    return std::make_shared<HijackedStream>(
        nullptr, std::string(), false, nullptr, record, ex->start_ns_, nullptr);
  };
  if (closed_ || ex != exchange_.get() ||
      ex->answer_ != Exchange::Answer::kNone) {
    return dead();
  }
  std::shared_ptr<Connection> self = shared_from_this();
  if (ex->body_ != Exchange::Body::kDone) {
    // The raw stream starts after the body; the handler must read it.
    FailBody(500, "hijacked before the request body was read");
    return dead();
  }
  Send(SerializeHead(head, ex->request_.version_minor, Framing::kRaw, 0, true));
  ex->answer_ = Exchange::Answer::kHijacked;
  ex->status_ = head.status;
  ex->finished_ = true;
  ex->on_close_ = nullptr;
  transport_->EnableKeepAlive(options_.timeouts.keepalive_s);
  auto stream = std::make_shared<HijackedStream>(
      std::move(transport_), in_.substr(in_pos_), eof_, owner_,
      std::move(record), ex->start_ns_, options_.access_log);
  transport_ = nullptr;
  in_.clear();
  in_pos_ = 0;
  closed_ = true;
  timer_.Close();
  exchange_.reset();
  owner_->Replace(this, stream);
  return stream;
}

void Connection::SendError(int status, const std::string& reason) {
  if (closed_) return;
  std::shared_ptr<Connection> self = shared_from_this();
  closing_ = true;
  deferred_dispatch_ = false;
  if (!exchange_) {
    exchange_ = std::make_shared<Exchange>(weak_from_this(), Request(),
                                           transport_->peer());
    exchange_->start_ns_ = uv_hrtime();
  }
  Exchange* ex = exchange_.get();
  ex->body_ = Exchange::Body::kDone;  // Nothing more is read.
  // Callers that owe the handler an answer (FailBody) took these first;
  // dropping them here also breaks cycles through captured exchanges.
  ex->body_done_ = nullptr;
  ex->sink_ = BodySink();
  if (ex->answer_ != Exchange::Answer::kNone) {
    return CloseNow(base::Status::InvalidArgument(reason));
  }
  Respond(ex, options_.error_page ? options_.error_page(status, reason)
                                  : Response::Text(status, reason + "\n"));
}

void Connection::CheckDrain(Exchange* ex) {
  if (!ex->above_mark_ || queued() > ex->low_mark_) return;
  ex->above_mark_ = false;
  if (ex->on_drain_) ex->on_drain_();
}

void Connection::OnTransportWritten() {
  std::shared_ptr<Connection> self = shared_from_this();
  if (exchange_) {
    std::shared_ptr<Exchange> ex = exchange_;
    CheckDrain(ex.get());
  }
  MaybeFinish();
}

void Connection::MaybeFinish() {
  Exchange* ex = exchange_.get();
  if (closed_ || ex == nullptr || ex->answer_ != Exchange::Answer::kEnded ||
      ex->body_ != Exchange::Body::kDone || transport_->queued() > 0) {
    return;
  }
  ex->finished_ = true;
  Log(ex);
  // Handlers often capture the exchange in these: drop them so nothing
  // keeps it (and through it, this connection's memory) alive.
  ex->on_close_ = nullptr;
  ex->on_drain_ = nullptr;
  ex->body_done_ = nullptr;
  ex->sink_ = BodySink();
  exchange_.reset();
  if (closing_) return ShutdownSoon();
  Process();  // The next request, if one is waiting.
}

void Connection::Log(Exchange* ex) {
  if (!options_.access_log) return;
  AccessRecord r;
  r.peer = ex->peer_;
  r.method = ex->request_.method;
  r.target = ex->request_.target;
  r.status = ex->status_;
  r.duration_us = (uv_hrtime() - ex->start_ns_) / 1000;
  r.bytes_sent = ex->bytes_sent_;
  options_.access_log(r);
}

}  // namespace http
