// Fuzzes an image layer as attachd reads it (images/layer_reader.h, gzip
// or plain tar through libarchive) and applies it to the merged tree
// (images/layer_tree.h): whiteouts, hard links, symlinks, the path and
// bomb checks. Layers are outside input (docker load, docker import).
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

#include "attach/endpoint/images/layer_reader.h"
#include "attach/endpoint/images/layer_tree.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  int fd = memfd_create("layer", MFD_CLOEXEC);
  if (fd < 0) return 0;
  base::UniqueFd file(fd);
  if (size > 0 && ::write(fd, data, size) != static_cast<ssize_t>(size)) {
    return 0;
  }
  auto reader = attach::endpoint::LayerReader::Open(std::move(file), true);
  if (!reader.ok()) return 0;
  attach::endpoint::LayerLimits limits;
  limits.max_entries = 10000;
  limits.max_bytes = 1 << 20;
  attach::endpoint::LayerTree tree(limits, 0);
  attach::endpoint::LayerEntry e;
  char buf[4096];
  for (;;) {
    base::Result<bool> more = (*reader)->Next(&e);
    if (!more.ok() || !*more) break;
    // A cleaned path never climbs out or starts with '/'.
    if (e.path.rfind("../", 0) == 0 || e.path == ".." ||
        (!e.path.empty() && e.path[0] == '/')) {
      std::abort();
    }
    (void)tree.Apply(e, 0, (*reader)->count() - 1);
    for (;;) {
      base::Result<size_t> n = (*reader)->Read(buf, sizeof(buf));
      if (!n.ok() || *n == 0) break;
    }
  }
  (void)(*reader)->Finish();
  (void)tree.ReachableBytes();
  (void)tree.DataByLayer(1);
  return 0;
}
