// The detach key sequence of a tty attach/exec (docker's ctrl-p ctrl-q).
//
// Like docker, the sequence is matched in the bytes read from the local
// terminal, and only when the session is a tty: the keys are never sent,
// and a partial match is held back until the next byte shows whether it
// was the sequence. tetherctl matches them when it relays stdin itself;
// attachd does when tetherctl handed it the terminal (docs/protocol.md §6).
#ifndef TETHER_ATTACH_DETACH_KEYS_H_
#define TETHER_ATTACH_DETACH_KEYS_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"

namespace attach {

// ctrl-p ctrl-q.
inline const std::string& DefaultDetachKeys() {
  static const std::string keys("\x10\x11", 2);
  return keys;
}

// moby/term ToBytes: comma-separated keys, each a single character ("a",
// "+"), "ctrl-@", "ctrl-a".."ctrl-z", "ctrl-[", "ctrl-\", "ctrl-]",
// "ctrl-^", "ctrl-_" (lower case, as docker) or "DEL". An empty spec means
// the default. kInvalidArgument "Invalid detach keys (SPEC) provided" —
// the daemon's wording for the same mistake.
base::Result<std::string> ParseDetachKeys(std::string_view spec);

// Finds the detach sequence in a byte stream. Not thread-safe.
class EscapeFilter {
 public:
  explicit EscapeFilter(std::string keys) : keys_(std::move(keys)) {}

  // Scans `data` and appends to `forward` what may be sent on. Returns true
  // once the whole sequence was read: `forward` then holds only the bytes
  // that came before it, and the rest of `data` is dropped. A byte that
  // breaks a partial match releases the held bytes and is itself checked
  // as the start of a new match (so ctrl-p ctrl-p ctrl-q detaches, where
  // docker would forward all three).
  bool Feed(std::string_view data, std::string* forward);

  // At end of input: the held partial match, to be forwarded (docker drops
  // it; a lone trailing ctrl-p is still a keystroke).
  std::string TakeHeld();

 private:
  std::string keys_;  // Empty: never detach.
  size_t matched_ = 0;
};

}  // namespace attach

#endif  // TETHER_ATTACH_DETACH_KEYS_H_
