// RPCI: the guest-to-host command channel of VMware's backdoor, as text.
//
// A request is a command line ("info-get guestinfo.tether.config"); the
// reply starts with "1 " on success (the rest is the value) or "0 " on
// failure (the rest is the host's reason, e.g. "0 No value found"). The
// transport is behind RpciChannel so this logic is tested against an
// in-process fake (tests/fakes/fake_rpci.h); the real transport is the
// backdoor port (rpci_backdoor.h).
#ifndef TETHER_GUESTINFO_RPCI_H_
#define TETHER_GUESTINFO_RPCI_H_

#include <string>
#include <string_view>

#include "base/result.h"
#include "base/status.h"

namespace guestinfo {

class RpciChannel {
 public:
  virtual ~RpciChannel() = default;
  // Sends one request and returns the host's raw reply. Errors are
  // transport failures only (kUnavailable: no channel, host closed it).
  // Called on the tether's loop thread; blocks for the round trip only.
  virtual base::Result<std::string> Send(std::string_view request) = 0;
};

// "1 VALUE" -> VALUE ("1" alone -> ""). "0 No value found" -> kNotFound;
// "0 REASON" -> kUnavailable "host refused: REASON"; anything else ->
// kInvalidArgument "malformed RPCI reply ...". Reasons are quoted and cut.
base::Result<std::string> ParseRpciReply(std::string_view reply);

// `info-get KEY`: the value of guestinfo variable `key` (which has no
// spaces). kNotFound "KEY: No value found" when unset; other errors carry
// the key as context too.
base::Result<std::string> InfoGet(RpciChannel& channel, std::string_view key);

// `info-set KEY VALUE`. VALUE may not contain NUL (the host treats it as a
// C string) and cannot be empty in practice: VMware rejects an empty set,
// so callers that mean "clear" write a single space, as cloud-init does.
base::Status InfoSet(RpciChannel& channel, std::string_view key,
                     std::string_view value);

}  // namespace guestinfo

#endif  // TETHER_GUESTINFO_RPCI_H_
