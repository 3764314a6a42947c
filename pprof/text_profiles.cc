#include "pprof/text_profiles.h"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <map>

namespace pprof {
namespace {

std::string Hex(uintptr_t v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%#" PRIxPTR, v);
  return buf;
}

// "#\t0x4a1b2c\ttether::Supervisor::Start()+0x1c\n" per frame.
std::string FrameLines(const std::vector<uintptr_t>& stack,
                       const Symbolizer& symbols) {
  std::string out;
  for (uintptr_t pc : stack) {
    out += "#\t" + Hex(pc) + "\t";
    std::string name = symbols.FunctionName(pc);
    if (name.empty()) {
      out += "?";
    } else {
      out += name + "+" + Hex(pc - symbols.FunctionStart(pc));
    }
    out += "\n";
  }
  return out;
}

std::string AddressList(const std::vector<uintptr_t>& stack) {
  std::string out = "@";
  for (uintptr_t pc : stack) out += " " + Hex(pc);
  return out + "\n";
}

std::string HtmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string HeapText(const HeapSnapshot& snapshot, const Symbolizer& symbols) {
  int64_t in_n = 0, in_b = 0, all_n = 0, all_b = 0;
  std::string body;
  for (const HeapBucket& b : snapshot.buckets) {
    auto inuse = ScaleHeapSample(b.alloc_count - b.free_count,
                                 b.alloc_bytes - b.free_bytes, snapshot.rate);
    auto alloc = ScaleHeapSample(b.alloc_count, b.alloc_bytes, snapshot.rate);
    in_n += inuse.first;
    in_b += inuse.second;
    all_n += alloc.first;
    all_b += alloc.second;
    body += std::to_string(inuse.first) + ": " + std::to_string(inuse.second) +
            " [" + std::to_string(alloc.first) + ": " +
            std::to_string(alloc.second) + "] " + AddressList(b.stack) +
            FrameLines(b.stack, symbols) + "\n";
  }
  std::string head = "heap profile: " + std::to_string(in_n) + ": " +
                     std::to_string(in_b) + " [" + std::to_string(all_n) +
                     ": " + std::to_string(all_b) + "] @ heap/" +
                     std::to_string(snapshot.rate) + "\n";
  if (!snapshot.hooked) head += "# no allocation hook in this binary\n";
  return head + "\n" + body;
}

std::string ThreadsText(const std::vector<ThreadStack>& threads,
                        const Symbolizer& symbols) {
  std::map<std::vector<uintptr_t>, int> groups;
  int unknown = 0;
  for (const ThreadStack& t : threads) {
    if (t.captured) {
      ++groups[t.stack];
    } else {
      ++unknown;
    }
  }
  std::string out =
      "goroutine profile: total " + std::to_string(threads.size()) + "\n";
  for (const auto& g : groups) {
    out += std::to_string(g.second) + " " + AddressList(g.first) +
           FrameLines(g.first, symbols) + "\n";
  }
  if (unknown > 0) {
    out += std::to_string(unknown) + " @\n#\t(stack not captured)\n\n";
  }
  return out;
}

std::string ThreadsFullText(const std::vector<ThreadStack>& threads,
                            const Symbolizer& symbols) {
  std::string out;
  for (const ThreadStack& t : threads) {
    out += "thread " + std::to_string(t.tid) + " (" + t.name + ")" +
           (t.main ? " [main]" : "") + ":\n";
    if (!t.captured) out += "\t(stack not captured)\n";
    for (uintptr_t pc : t.stack) {
      std::string name = symbols.FunctionName(pc);
      out += (name.empty() ? "?" : name) + "\n\t" + Hex(pc) + "\n";
    }
    out += "\n";
  }
  return out;
}

std::string ThreadCreateText(const std::vector<ThreadCreation>& creations,
                             int threads_now, const Symbolizer& symbols) {
  int64_t total = 1;  // The main thread, which no pthread_create made.
  for (const ThreadCreation& c : creations) total += c.count;
  std::string out = "threadcreate profile: total " + std::to_string(total) +
                    " (" + std::to_string(threads_now) + " running now)\n";
  out += "1 @\n#\t[main thread]\n\n";
  for (const ThreadCreation& c : creations) {
    out += std::to_string(c.count) + " " + AddressList(c.stack) +
           FrameLines(c.stack, symbols) + "\n";
  }
  return out;
}

std::string IndexPage(const std::string& program,
                      const std::vector<IndexEntry>& entries) {
  std::string out =
      "<html>\n<head>\n<title>/debug/pprof/</title>\n</head>\n<body>\n"
      "/debug/pprof/ (" + HtmlEscape(program) + ")<br>\n<br>\n"
      "<p>Set debug=1 as a query parameter to export in legacy text "
      "format</p>\n<br>\nTypes of profiles available:\n<table>\n"
      "<thead><td>Count</td><td>Profile</td></thead>\n";
  for (const IndexEntry& e : entries) {
    std::string link = e.name == "profile" || e.name == "symbol" ||
                               e.name == "cmdline"
                           ? e.name
                           : e.name + "?debug=1";
    out += "<tr><td>" + (e.count >= 0 ? std::to_string(e.count) : "") +
           "</td><td><a href='" + link + "'>" + HtmlEscape(e.name) +
           "</a></td></tr>\n";
  }
  out +=
      "</table>\n<a href=\"goroutine?debug=2\">full goroutine stack "
      "dump</a>\n<br>\n<p>\nProfile Descriptions:\n<ul>\n";
  for (const IndexEntry& e : entries) {
    out += "<li><div class=profile-name>" + HtmlEscape(e.name) +
           ": </div> " + HtmlEscape(e.description) + "</li>\n";
  }
  return out + "</ul>\n</p>\n</body>\n</html>\n";
}

std::string SymbolLookup(const std::string& input, const Symbolizer& symbols) {
  std::string out = "num_symbols: 1\n";
  size_t start = 0;
  while (start <= input.size()) {
    size_t plus = input.find('+', start);
    if (plus == std::string::npos) plus = input.size();
    std::string word = input.substr(start, plus - start);
    start = plus + 1;
    if (word.empty() || word.size() > 24) continue;
    char* end = nullptr;
    errno = 0;
    unsigned long long pc = std::strtoull(word.c_str(), &end, 0);
    if (errno != 0 || end == nullptr || *end != '\0' || pc == 0) continue;
    std::string name = symbols.FunctionName(static_cast<uintptr_t>(pc));
    if (!name.empty()) out += Hex(static_cast<uintptr_t>(pc)) + " " + name + "\n";
  }
  return out;
}

}  // namespace pprof
