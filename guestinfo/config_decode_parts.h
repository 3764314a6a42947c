// Internal to the config decoder: the array sections, each in its own file
// (session_decode.cc, network_decode.cc). Callers use DecodeConfig.
//
// Each function reads the JSON value of its top-level field, validates it
// and the cross-entry rules (unique ids, one primary, unique MACs) and
// returns kInvalidArgument naming the path on the first problem.
#ifndef TETHER_GUESTINFO_CONFIG_DECODE_PARTS_H_
#define TETHER_GUESTINFO_CONFIG_DECODE_PARTS_H_

#include <nlohmann/json.hpp>
#include <vector>

#include "base/status.h"
#include "guestinfo/config.h"

namespace guestinfo {
namespace internal {

base::Status DecodeSessions(const nlohmann::json& value,
                            std::vector<SessionConfig>* out);
base::Status DecodeNetworks(const nlohmann::json& value,
                            std::vector<NetworkConfig>* out);
base::Status DecodeMounts(const nlohmann::json& value,
                          std::vector<MountConfig>* out);

}  // namespace internal
}  // namespace guestinfo

#endif  // TETHER_GUESTINFO_CONFIG_DECODE_PARTS_H_
