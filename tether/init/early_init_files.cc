#include "tether/init/early_init_files.h"

#include <algorithm>
#include <utility>

namespace tether {

std::string RenderHostname(const std::string& hostname) {
  return hostname + "\n";
}

std::string RenderHosts(const std::string& hostname,
                        const std::string& address) {
  return "127.0.0.1\tlocalhost\n"
         "::1\tlocalhost ip6-localhost ip6-loopback\n" +
         (address.empty() ? std::string("127.0.1.1") : address) + "\t" +
         hostname + "\n";
}

std::string RenderResolvConf(const std::vector<std::string>& nameservers) {
  std::string out;
  for (const std::string& ns : nameservers) out += "nameserver " + ns + "\n";
  return out;
}

std::string FirstAddress(const std::vector<guestinfo::NetworkConfig>& nets) {
  for (const guestinfo::NetworkConfig& net : nets) {
    if (net.addresses.empty()) continue;
    const std::string& cidr = net.addresses.front();
    return cidr.substr(0, cidr.find('/'));
  }
  return "";
}

std::vector<std::string> Nameservers(
    const std::vector<guestinfo::NetworkConfig>& nets) {
  std::vector<std::string> out;
  for (const guestinfo::NetworkConfig& net : nets) {
    for (const std::string& dns : net.dns) {
      if (std::find(out.begin(), out.end(), dns) == out.end()) {
        out.push_back(dns);
      }
    }
  }
  return out;
}

InitReport WriteEtcFiles(base::Os& os, const std::string& hostname,
                         const std::vector<guestinfo::NetworkConfig>& nets) {
  InitReport report;
  base::Status dir = os.MakeDir("/etc", 0755);
  if (!dir.ok()) {
    report.Add(std::move(dir).Annotate("write /etc files"), false);
    return report;
  }
  std::vector<std::pair<const char*, std::string>> files = {
      {"/etc/hostname", RenderHostname(hostname)},
      {"/etc/hosts", RenderHosts(hostname, FirstAddress(nets))},
  };
  std::vector<std::string> nameservers = Nameservers(nets);
  if (!nameservers.empty()) {
    files.emplace_back("/etc/resolv.conf", RenderResolvConf(nameservers));
  }
  for (const auto& [path, content] : files) {
    report.Add(os.WriteFile(path, content, 0644)
                   .Annotate(std::string("write ") + path),
               false);
  }
  return report;
}

}  // namespace tether
