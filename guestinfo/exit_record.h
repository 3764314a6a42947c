// The tether's last word on a container VM's console: how its primary
// session ended, as one line (docs/protocol.md §8):
//
//   tether: exit {"session":"main","exit_code":7,"signal":0}
//
// The attach link is how an exit normally reaches the endpoint. This line
// is the second path, for a VM that powers off while its endpoint is away
// for good: QEMU copies the serial console into the container's
// console.log, and attachd reads the record there when the VM is gone
// without its tether having reported (attach/endpoint/vms/console_log.h).
//
// Written by the tether (trusted format, untrusted writer: any root
// process in the guest can print to the console), read by attachd. The
// decoder is strict and takes nothing on trust: the exact prefix, one JSON
// object with exactly these three keys, a valid session id, an exit code
// in 0..255 and a signal in 0..64 that agree with each other.
#ifndef TETHER_GUESTINFO_EXIT_RECORD_H_
#define TETHER_GUESTINFO_EXIT_RECORD_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"

namespace guestinfo {

struct ExitRecord {
  std::string session;  // The primary's session id.
  int exit_code = 0;    // 0..255; 128+signal when a signal ended it.
  int signal = 0;       // 0 when it exited; else the signal, 1..64.
};

// "tether: exit ", what every record line starts with.
inline constexpr std::string_view kExitRecordPrefix = "tether: exit ";
// Longer lines are never records (the longest valid one is ~120 bytes).
inline constexpr size_t kMaxExitRecordLine = 256;

// The record's line, newline included. `r` must be valid (as Decode
// would accept it); the tether builds it from its own session state.
std::string EncodeExitRecord(const ExitRecord& r);

// One console line, without its "\n" (a trailing "\r" from the serial
// line discipline is allowed). kInvalidArgument naming the problem for
// anything that is not exactly a record. Never throws.
base::Result<ExitRecord> DecodeExitRecord(std::string_view line);

}  // namespace guestinfo

#endif  // TETHER_GUESTINFO_EXIT_RECORD_H_
