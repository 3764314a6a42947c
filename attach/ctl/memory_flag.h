// The value of create/run's -m/--memory: a container VM's memory.
#ifndef TETHER_ATTACH_CTL_MEMORY_FLAG_H_
#define TETHER_ATTACH_CTL_MEMORY_FLAG_H_

#include <cstdint>
#include <string>

#include "base/result.h"

namespace attach {
namespace ctl {

// "" is 0 (attachd's default). A bare number is MiB (docker reads bytes,
// which no VM could boot in); a number with docker's units b, k, m or g
// (either case, "kb"/"mb"/"gb" too) is that many bytes, KiB, MiB or GiB,
// rounded up to whole MiB. kInvalidArgument with docker's flag wording
// for anything else or more than 2^32-1 MiB. attachd checks the range.
base::Result<uint32_t> ParseMemoryMb(const std::string& text);

}  // namespace ctl
}  // namespace attach

#endif  // TETHER_ATTACH_CTL_MEMORY_FLAG_H_
