// The sync preamble (docs/protocol.md §2): before SSH, the endpoint sends
// "TETHER-SYNC <16 hex>\n" until the tether echoes it, so byte streams that
// outlive a connection (serial lines) are resynchronised.
#ifndef TETHER_ATTACH_SYNC_PREAMBLE_H_
#define TETHER_ATTACH_SYNC_PREAMBLE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace attach {

constexpr char kSyncPrefix[] = "TETHER-SYNC ";
constexpr size_t kSyncMaxLine = 128;
constexpr size_t kSyncMaxScan = 64 * 1024;

// "TETHER-SYNC <nonce>\n" for a 16-hex-digit nonce.
std::string SyncLine(uint64_t nonce);

// Tether side: scans incoming bytes for a valid sync line.
class SyncScanner {
 public:
  struct Found {
    std::string line;    // The whole line with its '\n': echo it back.
    std::string rest;    // Bytes after the line (the start of SSH).
  };
  // Feeds bytes. Returns the line once one is complete and valid, nullopt
  // while none is, or kInvalidArgument when more than kSyncMaxScan bytes
  // passed without one ("sync preamble: no TETHER-SYNC line in 65536
  // bytes"). Garbage and over-long lines before it are discarded.
  base::Result<std::optional<Found>> Feed(std::string_view data);

 private:
  std::string line_;     // The current partial line.
  size_t scanned_ = 0;
  bool overlong_ = false;  // Discarding until the next '\n'.
};

// Endpoint side: waits for the echo of `expected` (a SyncLine), then for
// the client's "SSH-" banner, discarding everything else.
class SyncEchoWaiter {
 public:
  explicit SyncEchoWaiter(std::string expected)
      : expected_(std::move(expected)) {}
  // Returns the bytes from the banner on once the echo and "SSH-" were
  // seen; nullopt while waiting; kInvalidArgument after kSyncMaxScan bytes
  // without them.
  base::Result<std::optional<std::string>> Feed(std::string_view data);

 private:
  std::string expected_;
  std::string buf_;
  size_t scanned_ = 0;
  bool echoed_ = false;
};

}  // namespace attach

#endif  // TETHER_ATTACH_SYNC_PREAMBLE_H_
