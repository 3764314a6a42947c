// networks[] and mounts[]: what early init sets up before any session.
#include <string>

#include "guestinfo/config_decode_parts.h"
#include "guestinfo/field_syntax.h"
#include "guestinfo/json_fields.h"
#include "guestinfo/limits.h"
#include "guestinfo/net_address.h"

namespace guestinfo {
namespace internal {
namespace {

using base::Result;
using base::Status;
using nlohmann::json;

// Below 68 bytes IPv4 itself breaks (RFC 791); 0 leaves the device alone.
constexpr int kMinMtu = 68;

Status CheckEach(const std::vector<std::string>& list, const std::string& path,
                 Status (*check)(std::string_view)) {
  for (size_t i = 0; i < list.size(); ++i) {
    TETHER_RETURN_IF_ERROR(check(list[i]).Annotate(IndexPath(path, i)));
  }
  return Status::Ok();
}

Status DecodeNetwork(const json& value, std::string path, NetworkConfig* n) {
  TETHER_ASSIGN_OR_RETURN(
      ObjectReader r,
      ObjectReader::Open(value, std::move(path),
                         {"mac", "addresses", "gateway", "dns", "mtu"}));
  std::string mac;
  TETHER_RETURN_IF_ERROR(r.RequiredString("mac", &mac));
  Result<std::string> normal = NormalizeMac(mac);
  TETHER_RETURN_IF_ERROR(StatusAt(normal, r.Path("mac")));
  n->mac = *normal;
  TETHER_RETURN_IF_ERROR(
      r.StringList("addresses", kMaxAddresses, &n->addresses));
  TETHER_RETURN_IF_ERROR(
      CheckEach(n->addresses, r.Path("addresses"), &CheckCidr));
  TETHER_RETURN_IF_ERROR(r.String("gateway", &n->gateway));
  if (!n->gateway.empty()) {
    TETHER_RETURN_IF_ERROR(
        CheckNumericIp(n->gateway).Annotate(r.Path("gateway")));
  }
  TETHER_RETURN_IF_ERROR(r.StringList("dns", kMaxDns, &n->dns));
  TETHER_RETURN_IF_ERROR(CheckEach(n->dns, r.Path("dns"), &CheckNumericIp));
  TETHER_RETURN_IF_ERROR(r.Int("mtu", 0, 65535, &n->mtu));
  if (n->mtu != 0 && n->mtu < kMinMtu) {
    return FieldError(r.Path("mtu"),
                      std::to_string(n->mtu) +
                          " is out of range 68..65535 (or 0 to keep the "
                          "device's MTU)");
  }
  return Status::Ok();
}

Status DecodeMount(const json& value, std::string path, MountConfig* m) {
  TETHER_ASSIGN_OR_RETURN(
      ObjectReader r,
      ObjectReader::Open(value, std::move(path),
                         {"source", "target", "fstype", "options"}));
  TETHER_RETURN_IF_ERROR(r.String("source", &m->source));
  TETHER_RETURN_IF_ERROR(r.RequiredString("target", &m->target));
  // The target is joined to the container's root; ".." could leave it.
  TETHER_RETURN_IF_ERROR(
      CheckContainedPath(m->target).Annotate(r.Path("target")));
  TETHER_RETURN_IF_ERROR(r.String("fstype", &m->fstype));
  if (!m->fstype.empty()) {
    TETHER_RETURN_IF_ERROR(CheckFsType(m->fstype).Annotate(r.Path("fstype")));
  }
  TETHER_RETURN_IF_ERROR(
      r.StringList("options", kMaxMountOptions, &m->options));
  return CheckEach(m->options, r.Path("options"), &CheckMountOption);
}

}  // namespace

Status DecodeNetworks(const json& value, std::vector<NetworkConfig>* out) {
  TETHER_RETURN_IF_ERROR(CheckArray(value, "networks", kMaxNetworks));
  std::vector<NetworkConfig> networks(value.size());
  // NICs are found by MAC: two entries for one NIC cannot both apply.
  UniqueValues macs("mac");
  for (size_t i = 0; i < value.size(); ++i) {
    std::string path = IndexPath("networks", i);
    TETHER_RETURN_IF_ERROR(DecodeNetwork(value[i], path, &networks[i]));
    TETHER_RETURN_IF_ERROR(macs.Add(networks[i].mac, path + ".mac", path));
  }
  *out = std::move(networks);
  return Status::Ok();
}

Status DecodeMounts(const json& value, std::vector<MountConfig>* out) {
  TETHER_RETURN_IF_ERROR(CheckArray(value, "mounts", kMaxMounts));
  std::vector<MountConfig> mounts(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    TETHER_RETURN_IF_ERROR(
        DecodeMount(value[i], IndexPath("mounts", i), &mounts[i]));
  }
  *out = std::move(mounts);
  return Status::Ok();
}

}  // namespace internal
}  // namespace guestinfo
