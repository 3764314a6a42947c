#include "pprof/endpoints.h"

#include "base/log.h"
#include "pprof/cmdline.h"
#include "pprof/heap_profiler.h"
#include "pprof/profile_builder.h"
#include "pprof/symbolizer.h"
#include "pprof/text_profiles.h"

namespace pprof {
namespace {

// The goroutine profile: one sample per thread stack, labelled with the
// thread's id and name; a thread whose stack could not be taken shows as
// one synthetic frame.
std::string EncodeThreads(const std::vector<ThreadStack>& threads,
                          const Symbolizer& symbols) {
  ProfileBuilder b;
  b.AddSampleType("goroutine", "count");
  b.SetPeriod("goroutine", "count", 1);
  for (const ThreadStack& t : threads) {
    std::vector<ProfileBuilder::Label> labels(2);
    labels[0].key = "thread";
    labels[0].str = t.name.empty() ? "?" : t.name;
    labels[1].key = "tid";
    labels[1].num = t.tid;
    if (t.captured) {
      b.AddStack(t.stack.data(), t.stack.size(), {1}, labels);
    } else {
      b.AddSample({b.NamedLocation("[stack not captured]")}, {1}, labels);
    }
  }
  return b.Finish(symbols);
}

std::string EncodeThreadCreate(const std::vector<ThreadCreation>& creations,
                               const Symbolizer& symbols) {
  ProfileBuilder b;
  b.AddSampleType("threadcreate", "count");
  b.SetPeriod("threadcreate", "count", 1);
  b.AddSample({b.NamedLocation("[main thread]")}, {1});
  for (const ThreadCreation& c : creations) {
    b.AddStack(c.stack.data(), c.stack.size(), {c.count});
  }
  if (!ThreadHooksLinked()) {
    b.AddComment("no pthread_create hook in this binary");
  }
  return b.Finish(symbols);
}

int64_t ThreadsCreated() {
  int64_t n = 1;
  for (const ThreadCreation& c : ThreadCreations()) n += c.count;
  return n;
}

}  // namespace

Endpoints::Endpoints(uv_loop_t* loop, EndpointsOptions options)
    : options_(std::move(options)), cpu_(loop), threads_(loop) {}

Endpoints::~Endpoints() = default;

void Endpoints::Serve(HttpRequest request, Responder respond) {
  Routed r = RouteRequest(request, options_.limits);
  switch (r.route) {
    case Route::kError: {
      HttpResponse resp = HttpResponse::Error(r.status, r.error);
      if (r.status == 405) resp.headers.emplace_back("Allow", "GET, HEAD");
      return respond(std::move(resp));
    }
    case Route::kIndex:
      return ServeIndex(std::move(respond));
    case Route::kProfile:
      return ServeProfile(r, std::move(respond));
    case Route::kHeap:
      return ServeHeap(r, false, std::move(respond));
    case Route::kAllocs:
      return ServeHeap(r, true, std::move(respond));
    case Route::kGoroutine:
      return ServeThreads(r, std::move(respond));
    case Route::kThreadCreate:
      return ServeThreadCreate(r, std::move(respond));
    case Route::kCmdline:
      return ServeCmdline(r, std::move(respond));
    case Route::kSymbol: {
      auto symbols = Symbolizer::ForThisProcess();
      return respond(
          HttpResponse::Text(SymbolLookup(r.symbol_input, *symbols)));
    }
  }
}

void Endpoints::ServeProfile(const Routed& r, Responder respond) {
  uint64_t ms = static_cast<uint64_t>(r.seconds) * 1000;
  bool capped = r.capped;
  base::Status s = cpu_.Start(ms, r.hz, [respond, capped](CpuProfile p) {
    auto symbols = Symbolizer::ForThisProcess();
    HttpResponse resp =
        HttpResponse::Profile(EncodeCpuProfile(p, *symbols), "profile");
    if (capped) resp.headers.emplace_back("X-Pprof-Seconds-Capped", "1");
    respond(std::move(resp));
  });
  if (s.ok()) {
    LOG_INFO("pprof: CPU profile for %d s at %d Hz", r.seconds, r.hz);
    return;
  }
  int status = s.code() == base::Status::Code::kUnavailable ? 409 : 500;
  respond(HttpResponse::Error(
      status, "Could not enable CPU profiling: " + s.message()));
}

void Endpoints::ServeHeap(const Routed& r, bool allocs, Responder respond) {
  HeapSnapshot snap = SnapshotHeap();
  auto symbols = Symbolizer::ForThisProcess();
  if (r.debug > 0) return respond(HttpResponse::Text(HeapText(snap, *symbols)));
  respond(HttpResponse::Profile(EncodeHeapProfile(snap, *symbols, allocs),
                                allocs ? "allocs" : "heap"));
}

void Endpoints::ServeThreads(const Routed& r, Responder respond) {
  int debug = r.debug;
  threads_.Dump([respond, debug](std::vector<ThreadStack> threads) {
    auto symbols = Symbolizer::ForThisProcess();
    if (debug == 1) {
      return respond(HttpResponse::Text(ThreadsText(threads, *symbols)));
    }
    if (debug == 2) {
      return respond(HttpResponse::Text(ThreadsFullText(threads, *symbols)));
    }
    respond(HttpResponse::Profile(EncodeThreads(threads, *symbols),
                                  "goroutine"));
  });
}

void Endpoints::ServeThreadCreate(const Routed& r, Responder respond) {
  std::vector<ThreadCreation> creations = ThreadCreations();
  if (r.debug > 0) {
    // The text form also says how many threads run now.
    threads_.Dump([respond, creations](std::vector<ThreadStack> threads) {
      auto symbols = Symbolizer::ForThisProcess();
      respond(HttpResponse::Text(ThreadCreateText(
          creations, static_cast<int>(threads.size()), *symbols)));
    });
    return;
  }
  auto symbols = Symbolizer::ForThisProcess();
  respond(HttpResponse::Profile(EncodeThreadCreate(creations, *symbols),
                                "threadcreate"));
}

void Endpoints::ServeCmdline(const Routed& r, Responder respond) {
  std::vector<std::string> args = RedactArgs(ReadOwnArgs());
  std::string body;
  if (r.debug == 0) {
    // Go's form: the arguments separated by NUL bytes.
    for (size_t i = 0; i < args.size(); ++i) {
      if (i > 0) body += '\0';
      body += args[i];
    }
  } else {
    for (const std::string& a : args) body += a + "\n";
    if (options_.describe) body += "\n" + options_.describe();
  }
  respond(HttpResponse::Text(std::move(body)));
}

void Endpoints::ServeIndex(Responder respond) {
  HeapSnapshot heap = SnapshotHeap();
  int64_t stacks = static_cast<int64_t>(heap.buckets.size());
  std::vector<IndexEntry> entries = {
      {"allocs", stacks,
       "A sampling of all past memory allocations (malloc and operator new)"},
      {"cmdline", -1,
       "The command line invocation of the current program, secrets "
       "redacted"},
      {"goroutine", -1,
       "Stack traces of all current threads (this program has no "
       "goroutines; threads take their place)"},
      {"heap", stacks,
       "A sampling of memory allocations of live objects. You can specify "
       "the gc GET parameter for Go compatibility; it is ignored."},
      {"profile", -1,
       "CPU profile. You can specify the duration in the seconds GET "
       "parameter (default 30, at most 60). After you get the profile file, "
       "use the go tool pprof command to investigate the profile."},
      {"symbol", -1, "Maps program counters to function names"},
      {"threadcreate", ThreadsCreated(),
       "Stack traces that led to the creation of new OS threads"},
  };
  HttpResponse resp;
  resp.content_type = "text/html; charset=utf-8";
  resp.body = IndexPage(options_.program, entries);
  respond(std::move(resp));
}

}  // namespace pprof
