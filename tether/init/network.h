// NIC configuration by MAC address (DESIGN §4): the hypervisor's device
// order decides interface names, so the config names NICs by MAC and the
// tether finds each one under /sys/class/net, then sets its MTU, brings it
// up, adds its addresses and the default route over rtnetlink.
#ifndef TETHER_TETHER_INIT_NETWORK_H_
#define TETHER_TETHER_INIT_NETWORK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/os.h"
#include "guestinfo/config.h"
#include "tether/init/init_report.h"

namespace tether {

// The interface whose MAC is `mac` (lower case), or kNotFound.
base::Result<std::string> FindInterfaceByMac(base::Os& os,
                                             const std::string& mac);

// Waits up to `timeout_ms` for every configured MAC to appear (virtio_net
// may still be probing). Every failure is a warning naming the MAC and the
// step: a container can run without its network, and the warning tells
// the user why it has none.
InitReport ConfigureNetworks(base::Os& os,
                             const std::vector<guestinfo::NetworkConfig>& nets,
                             int64_t timeout_ms);

}  // namespace tether

#endif  // TETHER_TETHER_INIT_NETWORK_H_
