// Reading the small /proc files the profiler reports (a thread's comm, the
// command line), with open(2) and read(2) rather than std::ifstream: a
// file stream is the static tether's one user of libstdc++'s locale and
// stream machinery, about 300 KB linked for two reads (docs/vm-image.md,
// "A lean tether").
#ifndef TETHER_PPROF_PROC_FILE_H_
#define TETHER_PPROF_PROC_FILE_H_

#include <cstddef>
#include <string>

namespace pprof {

// Up to `max` bytes of `path`; what was read before an error, and "" when
// it cannot be opened. Any thread; blocks only as long as /proc does.
std::string ReadProcFile(const std::string& path, size_t max);

}  // namespace pprof

#endif  // TETHER_PPROF_PROC_FILE_H_
