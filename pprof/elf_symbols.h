// The function symbols and build id of an ELF file, for symbolizing our
// own stacks at response time. The tether is static and has no libelf in
// its image, and all that is needed is the section table, one symbol table
// and the build-id note, so this reads them with pread(2) and <elf.h>,
// checking every offset against the file size. Only 64-bit little-endian
// files (what this process runs from) are accepted.
#ifndef TETHER_PPROF_ELF_SYMBOLS_H_
#define TETHER_PPROF_ELF_SYMBOLS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"

namespace pprof {

struct ElfSymbol {
  uint64_t value = 0;  // Link-time address.
  uint64_t size = 0;   // 0 for some hand-written assembly.
  std::string name;    // Mangled, as in the file.
};

struct ElfSymbols {
  // Functions sorted by value, one per address (aliases dropped, a public
  // name preferred over a local or "__"-prefixed one).
  std::vector<ElfSymbol> functions;
  std::string build_id;  // Lower-case hex, or empty.
  bool from_symtab = false;  // false: only .dynsym was there (stripped).
  // ET_DYN (a PIE or shared object): loaded at a bias, so link-time
  // addresses follow from file offsets; ET_EXEC runs at its link addresses.
  bool position_independent = false;
};

// Reads `path`. kNotFound/kIoError when it cannot be opened or read,
// kInvalidArgument when it is not an ELF file this code understands or an
// offset points outside it. A file without any symbol table is not an
// error: `functions` is then empty.
base::Result<ElfSymbols> ReadElfSymbols(const std::string& path);

// The function containing `addr` (link-time address), or nullptr.
const ElfSymbol* FindFunction(const std::vector<ElfSymbol>& functions,
                              uint64_t addr);

}  // namespace pprof

#endif  // TETHER_PPROF_ELF_SYMBOLS_H_
