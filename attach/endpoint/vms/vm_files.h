// Files and identities around a container VM's QEMU that attachd looks
// after (review F9, F11): the cap on console.log and qemu.log, which the
// guest and QEMU fill as they please, and the user QEMU drops to.
//
// Blocking calls on small files, on the loop.
#ifndef TETHER_ATTACH_ENDPOINT_VMS_VM_FILES_H_
#define TETHER_ATTACH_ENDPOINT_VMS_VM_FILES_H_

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "base/result.h"

namespace attach {
namespace endpoint {

// A console or QEMU log may grow to this before it is cut.
constexpr uint64_t kDefaultVmLogMaxBytes = 1 << 20;
// What a cut keeps in place: the tail attachd reads for the tether's exit
// record and error (console_log.h).
constexpr uint64_t kVmLogKeptTail = 64 * 1024;

// When the file at `path` (written with O_APPEND by QEMU) is larger than
// `max_bytes`: it is copied to PATH.1 (replacing the previous one), cut
// to its last kVmLogKeptTail bytes, and appended to from there. Bytes
// QEMU appends during the cut itself may be lost. Returns whether it cut.
bool CapVmLog(const std::string& path, uint64_t max_bytes);

// Empties `path` (creating it, 0600): a VM's console log at its start,
// so nothing of an earlier run is read as this run's.
base::Status ResetVmLog(const std::string& path);

// The user QEMU runs as: none (stays attachd's user) unless attachd runs
// as root (`euid` 0); then `wanted` ("root" to keep root, which is
// refused unless asked for), or by default "tether-qemu" when that user
// exists, else "nobody" (with a warning). kInvalidArgument for a user
// that does not exist.
base::Result<std::string> ResolveQemuUser(const std::string& wanted,
                                          uid_t euid);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_VMS_VM_FILES_H_
