#include "tether/init/network.h"

#include <sys/socket.h>

#include <cctype>

#include "tether/init/device_wait.h"

namespace tether {
namespace {

constexpr char kSysNet[] = "/sys/class/net";
constexpr int kPollMs = 10;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

base::Status ConfigureOne(base::Os& os, const std::string& ifname,
                          const guestinfo::NetworkConfig& net,
                          InitReport& report) {
  TETHER_RETURN_IF_ERROR(os.SetLinkMtuUp(ifname, net.mtu));
  bool have_v4 = false, have_v6 = false;
  for (const std::string& text : net.addresses) {
    base::Result<base::IpPrefix> prefix = base::ParseIpPrefix(text);
    if (!prefix.ok()) {
      report.Add(prefix.TakeStatus(), false);
      continue;
    }
    base::Status s = os.AddAddress(ifname, *prefix);
    if (!s.ok()) {
      report.Add(std::move(s), false);
      continue;
    }
    (prefix->address.family == AF_INET ? have_v4 : have_v6) = true;
  }
  if (net.gateway.empty()) return base::Status::Ok();
  TETHER_ASSIGN_OR_RETURN(base::IpAddress gw,
                          base::ParseIpAddress(net.gateway));
  // The kernel refuses a gateway it cannot reach ("Network is
  // unreachable"); say which address family is missing instead.
  if ((gw.family == AF_INET && !have_v4) || (gw.family == AF_INET6 && !have_v6)) {
    return base::Status::InvalidArgument(
        "gateway " + net.gateway + " has no address of its family on " + ifname);
  }
  return os.AddDefaultRoute(ifname, gw);
}

}  // namespace

base::Result<std::string> FindInterfaceByMac(base::Os& os,
                                             const std::string& mac) {
  base::Result<std::vector<std::string>> names = os.ListDir(kSysNet);
  if (!names.ok()) return names.TakeStatus();
  const std::string want = Lower(mac);
  for (const std::string& name : *names) {
    base::Result<std::string> address =
        os.ReadFile(std::string(kSysNet) + "/" + name + "/address", 128);
    if (address.ok() && Lower(*address) == want) return name;
  }
  return base::Status::NotFound("no network interface with MAC " + mac);
}

InitReport ConfigureNetworks(base::Os& os,
                             const std::vector<guestinfo::NetworkConfig>& nets,
                             int64_t timeout_ms) {
  InitReport report;
  const int64_t deadline = os.NowMs() + timeout_ms;
  for (size_t i = 0; i < nets.size(); ++i) {
    const guestinfo::NetworkConfig& net = nets[i];
    const std::string where = "networks[" + std::to_string(i) + "] (" + net.mac + ")";
    base::Result<std::string> ifname = FindBefore(
        os, deadline, kPollMs, [&] { return FindInterfaceByMac(os, net.mac); });
    if (!ifname.ok()) {
      report.Add(ifname.TakeStatus().Annotate(where), false);
      continue;
    }
    InitReport one;
    base::Status s = ConfigureOne(os, *ifname, net, one);
    one.Add(std::move(s), false);
    for (base::Status& w : one.warnings) {
      report.Add(std::move(w.Annotate(where + " on " + *ifname)), false);
    }
  }
  return report;
}

}  // namespace tether
