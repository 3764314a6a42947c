// liblzma for the static tether's libunwind, as stand-ins that decode
// nothing (docs/pprof.md, "Unwinding").
//
// libunwind calls liblzma for one thing only: a MiniDebugInfo section
// (.gnu_debugdata, an xz-compressed symbol table that some distributions
// add to stripped binaries). The tether has none, so linking liblzma
// bought 74 KB of code and a constructor that runs `cpuid` at every start
// (its CRC-64 picks an implementation), which traps to the hypervisor in
// a VM. pprof_link_static_unwinder() links these instead: each reports
// the input as not xz, and libunwind carries on with .eh_frame and the
// tether's own symbol table, as it does for any binary without that
// section.
#include <lzma.h>

extern "C" {

lzma_ret lzma_stream_footer_decode(lzma_stream_flags*, const uint8_t*) {
  return LZMA_FORMAT_ERROR;
}

lzma_ret lzma_stream_buffer_decode(uint64_t*, uint32_t, const lzma_allocator*,
                                   const uint8_t*, size_t*, size_t, uint8_t*,
                                   size_t*, size_t) {
  return LZMA_FORMAT_ERROR;
}

lzma_ret lzma_index_buffer_decode(lzma_index** i, uint64_t*,
                                  const lzma_allocator*, const uint8_t*,
                                  size_t*, size_t) {
  *i = nullptr;
  return LZMA_FORMAT_ERROR;
}

// Unreachable without a decoded index; defined for the link.
lzma_vli lzma_index_size(const lzma_index*) { return 0; }
lzma_vli lzma_index_uncompressed_size(const lzma_index*) { return 0; }
void lzma_index_end(lzma_index*, const lzma_allocator*) {}

}  // extern "C"
