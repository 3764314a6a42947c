#include "attach/endpoint/commands/output_feed.h"

#include <utility>

#include "attach/frame.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;

}  // namespace

OutputFeed::OutputFeed(ClientConn* conn, Session* session, LogPos start,
                       Options options)
    : conn_(conn),
      session_(session),
      cursor_(session->log().fd(), start),
      options_(options) {}

void OutputFeed::Pump() {
  LogChunk chunk;
  while (!live_ && !finished_ && session_ != nullptr && !conn_->closed() &&
         conn_->below_low_mark()) {
    base::Result<bool> more = cursor_.Next(session_->log().size(), &chunk);
    if (!more.ok()) {
      Stop();
      conn_->FailWith(more.status().ToString());
      return;
    }
    if (!*more) {
      // At the end of the log in this loop turn: from here on, live output
      // is exactly what follows.
      if (finish_) {
        Finish();
      } else {
        live_ = true;
      }
      return;
    }
    const RecordHeader& h = chunk.header;
    if (h.type == RecordType::kData) {
      size_t sent = Emit(h.stream, chunk.data, h.time_ns);
      if (sent < chunk.data.size()) {
        chunk.pos.skip += static_cast<uint32_t>(sent);
        cursor_ = LogCursor(session_->log().fd(), chunk.pos);
        return;
      }
    } else if (h.type == RecordType::kGap && options_.gap_notices) {
      std::string notice = GapNotice(h.offset, chunk.gap_end);
      if (Emit(h.stream, notice, h.time_ns) < notice.size()) {
        cursor_ = LogCursor(session_->log().fd(), chunk.pos);
        return;
      }
    }
  }
}

void OutputFeed::OnOutput(const OutputEvent& event) {
  // While reading the file, live output is in the log ahead of the cursor.
  if (!live_ || finished_ || session_ == nullptr) return;
  // A shared frame, unless the output is cut at line ends or goes to a
  // handed-over terminal as bytes: then Emit.
  if (!options_.timestamps && !conn_->has_terminal()) {
    std::shared_ptr<const std::string> frame = event.Frame();
    if (conn_->HasRoom(frame->size())) {
      conn_->SendFrame(std::move(frame));
    } else {
      BackToFile(event.pos);
    }
    return;
  }
  size_t sent = Emit(event.stream, event.data, event.time_ns);
  if (sent < event.data.size()) {
    LogPos at = event.pos;
    at.skip += static_cast<uint32_t>(sent);
    BackToFile(at);
  }
}

void OutputFeed::End(std::function<void()> finish) {
  if (finished_ || finish_) return;
  finish_ = std::move(finish);
  if (live_) {
    Finish();
  } else {
    Pump();
  }
}

size_t OutputFeed::Emit(uint8_t stream, std::string_view data,
                        int64_t time_ns) {
  size_t sent = 0;
  bool full = false;
  SplitOutput(data, options_.timestamps, [&](std::string_view piece) {
    if (full) return;
    if (conn_->has_terminal()) {
      // A terminal takes the bytes themselves.
      if (!conn_->HasRoom(piece.size())) {
        full = true;
        return;
      }
      conn_->SendToTerminal(piece);
      sent += piece.size();
      return;
    }
    pb::Response resp;
    pb::Output* out = resp.mutable_output();
    out->set_stream(static_cast<pb::StreamId>(stream));
    out->set_data(piece.data(), piece.size());
    out->set_time_ns(time_ns);
    if (!conn_->HasRoom(resp.ByteSizeLong() + kFrameHeaderBytes)) {
      full = true;
      return;
    }
    conn_->Send(resp);
    sent += piece.size();
  });
  return sent;
}

void OutputFeed::BackToFile(LogPos at) {
  live_ = false;
  cursor_ = LogCursor(session_->log().fd(), at);
  Pump();
}

void OutputFeed::Finish() {
  if (finished_) return;
  finished_ = true;
  live_ = false;
  if (finish_) finish_();
}

}  // namespace endpoint
}  // namespace attach
