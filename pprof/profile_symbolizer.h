// Endpoint-side symbolization of a stripped tether's profiles.
//
// The VM's /init has no symbol table (docs/pprof.md, "Symbols"): its
// profiles leave its locations as addresses, with the mapping's file name
// and GNU build id, and say has_functions: false. The endpoint keeps the
// same binary with its symbols as <dir>/<build id>/<file>
// (share/tether/symbols/, initramfs/build.sh). `go tool pprof` cannot use
// that layout itself: the pprof bundled with Go reads no build ids from
// local files, so it refuses every file for a mapping that has one. So
// `tetherctl pprof` names the functions before pprof sees the profile.
#ifndef TETHER_PPROF_PROFILE_SYMBOLIZER_H_
#define TETHER_PPROF_PROFILE_SYMBOLIZER_H_

#include <string>
#include <string_view>

#include "base/result.h"

namespace pprof {

struct SymbolizeStats {
  int mappings = 0;   // Mappings named from a symbol file.
  int locations = 0;  // Locations that got a function.
};

// `gzipped` is a gzipped profile.proto. For each mapping that says
// has_functions: false and carries a build id, looks for
// <dir>/<build id>/* in each directory of `search_path` (':'-separated,
// PPROF_BINARY_PATH's form), reads the first file whose own build id
// matches, and gives each of the mapping's locations without lines its
// function (demangled name; the mangled one as system_name). Returns the
// profile gzipped again; unchanged (the input bytes) when no mapping
// needed or found symbols. kInvalidArgument when `gzipped` is not a
// gzipped profile. Files that cannot be read are skipped, not errors.
base::Result<std::string> SymbolizeProfile(std::string_view gzipped,
                                           const std::string& search_path,
                                           SymbolizeStats* stats = nullptr);

}  // namespace pprof

#endif  // TETHER_PPROF_PROFILE_SYMBOLIZER_H_
