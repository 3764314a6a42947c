// The text forms of the profiles (debug=1, debug=2), the index page and
// the symbol lookup, in the layouts Go's net/http/pprof uses, so people
// and tools that know Go's read them the same way.
#ifndef TETHER_PPROF_TEXT_PROFILES_H_
#define TETHER_PPROF_TEXT_PROFILES_H_

#include <string>
#include <vector>

#include "pprof/heap_profiler.h"
#include "pprof/symbolizer.h"
#include "pprof/threads.h"

namespace pprof {

// Legacy heap text: "heap profile: N: B [N: B] @ heap/RATE", then each
// bucket with its stack as "#\t0xADDR\tfunction+0xOFF" lines.
std::string HeapText(const HeapSnapshot& snapshot, const Symbolizer& symbols);

// "goroutine profile: total N" and threads grouped by identical stacks.
std::string ThreadsText(const std::vector<ThreadStack>& threads,
                        const Symbolizer& symbols);
// debug=2: every thread by itself, like Go's full goroutine dump.
std::string ThreadsFullText(const std::vector<ThreadStack>& threads,
                            const Symbolizer& symbols);
// "threadcreate profile: total N" with the creation stacks.
std::string ThreadCreateText(const std::vector<ThreadCreation>& creations,
                             int threads_now, const Symbolizer& symbols);

struct IndexEntry {
  std::string name;
  int64_t count = -1;  // -1: no count column value.
  std::string description;
};
// The HTML index page.
std::string IndexPage(const std::string& program,
                      const std::vector<IndexEntry>& entries);

// The /debug/pprof/symbol answer to "0x1+0x2..." (Go's format: the
// "num_symbols: 1" line, then "0xADDR name" per address it knows).
std::string SymbolLookup(const std::string& input, const Symbolizer& symbols);

}  // namespace pprof

#endif  // TETHER_PPROF_TEXT_PROFILES_H_
