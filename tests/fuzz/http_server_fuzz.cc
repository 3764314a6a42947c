// Fuzzes the shared HTTP server's request handling (http/connection.h):
// one connection over an in-memory transport, fed the input in pieces
// whose size the first byte picks, with a handler that takes every path
// the Docker API and pprof use (buffered and streamed bodies with pauses,
// complete, deferred and streamed answers, hijacks with half-close) and
// writes that complete only every other piece, so pipelining waits on
// them. What must hold: no crash, no sanitizer report, no stuck loop.
#include <uv.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "http/connection.h"
#include "http/hijacked_stream.h"
#include "http/memory_transport.h"
#include "http/response_stream.h"

namespace {

using http::MemoryTransport;

// Work the handler leaves for later: deferred answers and resumes.
struct Later {
  std::vector<std::shared_ptr<http::Exchange>> answers;
  std::vector<std::shared_ptr<http::Exchange>> resumes;
};

void Hijack(const std::shared_ptr<http::Exchange>& ex) {
  http::ResponseHead head;
  head.status = 101;
  head.reason = "UPGRADED";
  head.headers = {{"Connection", "Upgrade"}, {"Upgrade", "tcp"}};
  std::shared_ptr<http::HijackedStream> s = ex->Hijack(head);
  http::HijackedStream* raw = s.get();
  http::HijackedStream::Callbacks cb;
  cb.on_data = [raw](std::string_view d) {
    raw->Write(std::string(d));
    if (d.size() % 3 == 0) raw->PauseReading();
  };
  cb.on_read_eof = [raw] {
    raw->Write("bye");
    raw->Close();
  };
  s->Start(std::move(cb));
}

http::Handler MakeHandler(Later* later) {
  return [later](std::shared_ptr<http::Exchange> ex) {
    const std::string& path = ex->request().path;
    char mode = path.size() > 1 ? path[1] : '-';
    switch (mode) {
      case 'b':  // Buffered JSON, answered at once.
        ex->ReadBody(1024, [ex](const base::Status& s) {
          if (s.ok())
            ex->Respond(http::Response::Text(200, ex->request().body));
        });
        return;
      case 's': {  // Streamed upload, paused on every piece.
        auto total = std::make_shared<size_t>(0);
        http::BodySink sink;
        sink.on_data = [ex, later, total](std::string_view piece) {
          *total += piece.size();
          ex->PauseBody();
          later->resumes.push_back(ex);
        };
        sink.on_end = [ex, total](const base::Status& s) {
          if (!s.ok()) return;
          auto stream = ex->StartStream(http::ResponseHead());
          stream->Write(std::to_string(*total));
          stream->End();
        };
        ex->StreamBody(std::move(sink));
        return;
      }
      case 'h':  // docker attach / exec start.
        ex->ReadBody(64, [ex](const base::Status& s) {
          if (s.ok()) Hijack(ex);
        });
        return;
      case 'w': {  // docker wait: head now, body later.
        ex->StartStream(http::ResponseHead())->Write("{}");
        later->answers.push_back(ex);
        return;
      }
      case 'd':  // Deferred complete answer, body unread.
        later->answers.push_back(ex);
        return;
      default:
        ex->Respond(http::Response::Text(404, "page not found"));
    }
  };
}

void RunLater(Later* later) {
  std::vector<std::shared_ptr<http::Exchange>> answers;
  answers.swap(later->answers);
  for (auto& ex : answers) {
    ex->Respond(http::Response::Text(200, "later"));
    ex->StartStream(http::ResponseHead());  // Ignored after an answer.
  }
  std::vector<std::shared_ptr<http::Exchange>> resumes;
  resumes.swap(later->resumes);
  for (auto& ex : resumes) ex->ResumeBody();
}

uv_loop_t* Loop() {
  static uv_loop_t* loop = [] {
    auto* l = new uv_loop_t;
    uv_loop_init(l);
    return l;
  }();
  return loop;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  uv_loop_t* loop = Loop();
  http::ServerOptions options;
  options.limits.max_target = 512;
  options.limits.max_header_bytes = 2048;
  options.limits.max_headers = 16;
  Later later;
  http::Handler handler = MakeHandler(&later);
  http::MemoryOwner owner;
  std::shared_ptr<MemoryTransport> transport =
      http::StartMemoryConnection(loop, options, handler, &owner);
  const char* in = reinterpret_cast<const char*>(data);
  size_t step = size > 0 ? 1 + data[0] % 97 : 1;
  size_t off = 0;
  for (int round = 0; off < size && round < 100000; ++round) {
    if (round % 2 == 1) transport->Drain();
    RunLater(&later);
    if (!transport->usable()) break;
    if (transport->paused()) {
      // The server stopped reading: it must get going once the answers
      // are out and the handler resumed, or the input is not needed.
      transport->Drain();
      RunLater(&later);
      if (transport->paused()) break;
      continue;
    }
    size_t n = std::min(step, size - off);
    transport->delegate()->OnTransportData(in + off, n);
    off += n;
  }
  if (transport->usable()) transport->delegate()->OnTransportEof();
  for (int i = 0; i < 8 && transport->usable(); ++i) {
    transport->Drain();
    RunLater(&later);
  }
  transport->FinishShutdown();
  // Whatever is still open closes the way Server::Close() does it.
  owner.AbortAll();
  later.answers.clear();
  later.resumes.clear();
  uv_run(loop, UV_RUN_NOWAIT);
  return 0;
}
