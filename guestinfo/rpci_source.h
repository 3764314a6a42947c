// The config and state in VMware guestinfo variables, over RPCI.
//
//   guestinfo.tether.config           the config document, encoded per
//   guestinfo.tether.config.encoding  "", plain, base64 or gzip+base64
//   guestinfo.tether.state            written back by the tether (state.h)
//
// Any guest process can issue RPCI, so once the config is accepted
// Hide() overwrites guestinfo.tether.config with a single space (the host
// refuses empty values; cloud-init redacts the same way). A value that is
// only whitespace therefore reads as "cleared", not as a config.
#ifndef TETHER_GUESTINFO_RPCI_SOURCE_H_
#define TETHER_GUESTINFO_RPCI_SOURCE_H_

#include <memory>

#include "guestinfo/rpci.h"
#include "guestinfo/source.h"
#include "guestinfo/state.h"

namespace guestinfo {

inline constexpr char kConfigKey[] = "guestinfo.tether.config";
inline constexpr char kConfigEncodingKey[] = "guestinfo.tether.config.encoding";
inline constexpr char kStateKey[] = "guestinfo.tether.state";

// Name(): "vmware guestinfo.tether.config". Read(): kNotFound
// "vmware: no guestinfo.tether.config" (or "... was cleared after an
// earlier read"); decoding errors as "vmware guestinfo.tether.config:
// base64: ..."; transport errors from the channel. `channel` must outlive
// the source.
std::unique_ptr<ConfigSource> NewRpciSource(RpciChannel& channel);

// Publishes EncodeState() as guestinfo.tether.state. Hosts that forbid
// guest writes (isolation.tools.setinfo.disable) answer with an error,
// which Write returns. `channel` must outlive the sink.
class RpciStateSink : public StateSink {
 public:
  explicit RpciStateSink(RpciChannel& channel) : channel_(channel) {}
  base::Status Write(const GuestState& state) override;

 private:
  RpciChannel& channel_;
};

}  // namespace guestinfo

#endif  // TETHER_GUESTINFO_RPCI_SOURCE_H_
