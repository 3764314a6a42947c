// Minimal rtnetlink requests for early init: link MTU/up, addresses and the
// default route. Each request is sent with NLM_F_ACK and waits for the
// kernel's answer, so a failure comes back as an errno, not a silent no-op.
// Only base/os_linux.cc uses this (the Os seam).
#ifndef TETHER_BASE_RTNETLINK_LINUX_H_
#define TETHER_BASE_RTNETLINK_LINUX_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/ip_address.h"
#include "base/status.h"
#include "base/unique_fd.h"

namespace base {

class RtNetlink {
 public:
  // Opens a NETLINK_ROUTE socket in the caller's network namespace.
  static Result<RtNetlink> Open();

  Status SetLink(int ifindex, int mtu, bool up);
  // NLM_F_EXCL off: an address already there is fine (idempotent init).
  Status AddAddress(int ifindex, const IpPrefix& prefix);
  Status AddDefaultRoute(int ifindex, const IpAddress& gateway);

 private:
  explicit RtNetlink(UniqueFd fd) : fd_(std::move(fd)) {}
  // Sends one request (header filled in here) and reads its ack.
  Status Transact(std::vector<uint8_t>& msg, const std::string& what);

  UniqueFd fd_;
  uint32_t seq_ = 0;
};

}  // namespace base

#endif  // TETHER_BASE_RTNETLINK_LINUX_H_
