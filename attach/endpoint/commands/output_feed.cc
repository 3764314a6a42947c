#include "attach/endpoint/commands/output_feed.h"

#include <utility>

namespace attach {
namespace endpoint {

OutputFeed::OutputFeed(OutputSink* sink, Session* session, LogPos start,
                       Options options)
    : sink_(sink),
      session_(session),
      cursor_(&session->log(), start),
      options_(options) {
  session_->log().AddPin(this);
}

void OutputFeed::Stop() {
  if (session_ != nullptr) session_->log().RemovePin(this);
  session_ = nullptr;
}

uint64_t OutputFeed::needed_from() const {
  if (live_ || finished_) return UINT64_MAX;
  return cursor_.position();
}

void OutputFeed::Lost(uint8_t stream, uint64_t from, uint64_t to,
                      int64_t time_ns) {
  if (!options_.gap_notices || !InTimeBounds(time_ns)) return;
  // Rotation reports a segment at a time: one line says a run of them.
  for (auto it = lost_.rbegin(); it != lost_.rend(); ++it) {
    if (it->stream != stream) continue;
    if (it->to == from && it->text.empty()) {
      it->to = to;
      it->time_ns = time_ns;
      return;
    }
    break;
  }
  lost_.push_back(Notice{stream, from, to, time_ns, std::string()});
}

bool OutputFeed::SendLostNotices() {
  while (!lost_.empty()) {
    Notice& n = lost_.front();
    if (n.text.empty()) n.text = GapNotice(n.from, n.to);
    size_t sent = Emit(n.stream, n.text, n.time_ns);
    if (sent < n.text.size()) {
      n.text.erase(0, sent);
      return false;
    }
    lost_.pop_front();
  }
  return true;
}

void OutputFeed::Pump() {
  LogChunk chunk;
  while (!live_ && !finished_ && session_ != nullptr && sink_->open() &&
         sink_->below_low_mark()) {
    // What rotation took from this reader is said before what follows it.
    if (!SendLostNotices()) return;
    base::Result<bool> more = cursor_.Next(session_->log().size(), &chunk);
    if (!more.ok()) {
      Stop();
      sink_->Fail(more.status().ToString());
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
      // What this feed held past the log's limit can go now.
      if (session_ != nullptr) session_->log().DropPastLimit();
      return;
    }
    const RecordHeader& h = chunk.header;
    if (h.type == RecordType::kData) {
      size_t sent = Emit(h.stream, chunk.data, h.time_ns);
      if (sent < chunk.data.size()) {
        chunk.pos.skip += static_cast<uint32_t>(sent);
        cursor_ = LogCursor(&session_->log(), chunk.pos);
        return;
      }
    } else if (h.type == RecordType::kGap && options_.gap_notices &&
               InTimeBounds(h.time_ns)) {
      std::string notice = GapNotice(h.offset, chunk.gap_end);
      if (Emit(h.stream, notice, h.time_ns) < notice.size()) {
        cursor_ = LogCursor(&session_->log(), chunk.pos);
        return;
      }
    }
  }
}

void OutputFeed::OnOutput(const OutputEvent& event) {
  // While reading the file, live output is in the log ahead of the cursor.
  if (!live_ || finished_ || session_ == nullptr) return;
  // Whole and shared, unless it must be cut at line ends or filtered.
  bool plain =
      !options_.by_line && options_.since_ns == 0 && options_.until_ns == 0;
  if (plain) {
    if (!sink_->SendLive(event)) BackToFile(event.pos);
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
  if (!InTimeBounds(time_ns)) return data.size();
  size_t sent = 0;
  bool full = false;
  SplitOutput(data, options_.by_line, [&](std::string_view piece) {
    if (full) return;
    if (!sink_->SendOutput(stream, piece, time_ns)) {
      full = true;
      return;
    }
    sent += piece.size();
  });
  return sent;
}

bool OutputFeed::InTimeBounds(int64_t time_ns) const {
  return time_ns >= options_.since_ns &&
         (options_.until_ns == 0 || time_ns <= options_.until_ns);
}

void OutputFeed::BackToFile(LogPos at) {
  live_ = false;
  cursor_ = LogCursor(&session_->log(), at);
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
