// Symbolizer: program counters of this process to mappings and demangled
// function names, for profiles that need no binary to be read.
//
// Built at response time, never in a signal handler: it walks the loaded
// modules with dl_iterate_phdr (the static tether has exactly one, plus
// the vDSO), reads each module's ELF symbol table from its file
// (/proc/self/exe for the main program) and demangles with
// abi::__cxa_demangle. A module whose file cannot be read keeps its
// mapping and yields no names; pprof then shows addresses.
#ifndef TETHER_PPROF_SYMBOLIZER_H_
#define TETHER_PPROF_SYMBOLIZER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "pprof/elf_symbols.h"

namespace pprof {

// One executable segment of a loaded module.
struct Module {
  uintptr_t start = 0;  // Run-time addresses [start, limit).
  uintptr_t limit = 0;
  uint64_t file_offset = 0;
  uintptr_t bias = 0;   // Run-time minus link-time address.
  std::string path;     // As loaded; the main program's real path.
  std::string build_id;
  std::shared_ptr<const ElfSymbols> symbols;  // Shared between segments.
};

class Symbolizer {
 public:
  // The modules of this process. Never fails; see above.
  static std::unique_ptr<Symbolizer> ForThisProcess();
  // For tests: given modules.
  explicit Symbolizer(std::vector<Module> modules);

  const std::vector<Module>& modules() const { return modules_; }
  // The module segment holding `pc`, or nullptr.
  const Module* FindModule(uintptr_t pc) const;
  // The demangled name of the function holding `pc`, or "" when unknown.
  // Cached: each symbol is demangled once per Symbolizer.
  std::string FunctionName(uintptr_t pc) const;
  // The run-time start address of that function, or 0.
  uintptr_t FunctionStart(uintptr_t pc) const;

 private:
  const ElfSymbol* Find(uintptr_t pc, const Module** module) const;

  std::vector<Module> modules_;  // Sorted by start.
  mutable std::map<const ElfSymbol*, std::string> demangled_;
};

// "_ZN6tether10SupervisorC2Ev" -> "tether::Supervisor::Supervisor()";
// anything that is not a C++ name comes back unchanged.
std::string Demangle(const std::string& name);

}  // namespace pprof

#endif  // TETHER_PPROF_SYMBOLIZER_H_
