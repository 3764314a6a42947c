// Bounds on everything guestinfo reads from outside the VM.
//
// The config comes from the hypervisor, a file or the kernel command line,
// so every count and size is capped before it can cost PID 1 memory or
// time; docs/config.md lists the same numbers. Changing one is a change to
// the documented schema.
#ifndef TETHER_GUESTINFO_LIMITS_H_
#define TETHER_GUESTINFO_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace guestinfo {

// A config document, and any payload decoded on the way to it (base64
// output, gzip output), is at most this large.
inline constexpr size_t kMaxConfigBytes = size_t{1} << 20;
// JSON nesting; the schema itself needs 4.
inline constexpr size_t kMaxJsonDepth = 32;

inline constexpr size_t kMaxSessions = 64;
inline constexpr size_t kMaxArgs = 4096;
inline constexpr size_t kMaxEnv = 4096;
inline constexpr size_t kMaxNetworks = 16;
inline constexpr size_t kMaxAddresses = 64;  // Per network.
inline constexpr size_t kMaxDns = 16;        // Per network.
inline constexpr size_t kMaxMounts = 64;
inline constexpr size_t kMaxMountOptions = 64;

inline constexpr int kMaxDebug = 3;
inline constexpr int kMaxStopTimeoutS = 3600;
inline constexpr int kMaxAttachTimeoutS = 86400;
// endpoint.drain_timeout_s and tether.drain_timeout_s=: a day at most.
inline constexpr int kMaxDrainTimeoutS = 86400;
inline constexpr uint64_t kMinOutputRingBytes = 4096;
inline constexpr uint64_t kMaxOutputRingBytes = uint64_t{1} << 30;
// random_seed, decoded: 256 bits make the kernel's generator ready; more
// than 4096 bits would be credited no further.
inline constexpr size_t kMinRandomSeedBytes = 32;
inline constexpr size_t kMaxRandomSeedBytes = 512;

}  // namespace guestinfo

#endif  // TETHER_GUESTINFO_LIMITS_H_
