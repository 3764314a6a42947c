#include "base/rtnetlink_linux.h"

#include <linux/if.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace base {
namespace {

// Builds one netlink message: the nlmsghdr, a fixed family header, then
// attributes, each padded to NLA alignment as the kernel requires.
class Message {
 public:
  Message(uint16_t type, uint16_t flags, const void* body, size_t body_len) {
    buf_.resize(NLMSG_SPACE(body_len));
    auto* h = reinterpret_cast<nlmsghdr*>(buf_.data());
    h->nlmsg_type = type;
    h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
    std::memcpy(buf_.data() + NLMSG_HDRLEN, body, body_len);
  }
  void Attr(uint16_t type, const void* data, size_t len) {
    size_t off = NLMSG_ALIGN(buf_.size());
    buf_.resize(off + RTA_SPACE(len));
    auto* rta = reinterpret_cast<rtattr*>(buf_.data() + off);
    rta->rta_type = type;
    rta->rta_len = static_cast<uint16_t>(RTA_LENGTH(len));
    std::memcpy(RTA_DATA(rta), data, len);
  }
  std::vector<uint8_t>& bytes() {
    reinterpret_cast<nlmsghdr*>(buf_.data())->nlmsg_len =
        static_cast<uint32_t>(buf_.size());
    return buf_;
  }

 private:
  std::vector<uint8_t> buf_;
};

}  // namespace

Result<RtNetlink> RtNetlink::Open() {
  UniqueFd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (!fd) return Status::Io("netlink socket", errno);
  sockaddr_nl local = {};
  local.nl_family = AF_NETLINK;
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&local), sizeof(local)) !=
      0) {
    return Status::Io("bind netlink socket", errno);
  }
  return RtNetlink(std::move(fd));
}

Status RtNetlink::Transact(std::vector<uint8_t>& msg, const std::string& what) {
  auto* h = reinterpret_cast<nlmsghdr*>(msg.data());
  h->nlmsg_seq = ++seq_;
  sockaddr_nl kernel = {};
  kernel.nl_family = AF_NETLINK;
  ssize_t n;
  do {
    n = ::sendto(fd_.get(), msg.data(), msg.size(), 0,
                 reinterpret_cast<sockaddr*>(&kernel), sizeof(kernel));
  } while (n < 0 && errno == EINTR);
  if (n < 0) return Status::Io(what + ": send", errno);

  alignas(nlmsghdr) uint8_t buf[8192];
  for (;;) {
    do {
      n = ::recv(fd_.get(), buf, sizeof(buf), 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return Status::Io(what + ": receive", errno);
    size_t left = static_cast<size_t>(n);
    for (auto* r = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(r, left);
         r = NLMSG_NEXT(r, left)) {
      if (r->nlmsg_seq != seq_) continue;  // A stale answer.
      if (r->nlmsg_type != NLMSG_ERROR) continue;
      if (r->nlmsg_len < NLMSG_LENGTH(sizeof(nlmsgerr))) {
        return Status::Io(what + ": short netlink error message", EPROTO);
      }
      const auto* err = static_cast<const nlmsgerr*>(NLMSG_DATA(r));
      if (err->error == 0) return Status::Ok();
      return Status::Io(what, -err->error);
    }
  }
}

Status RtNetlink::SetLink(int ifindex, int mtu, bool up) {
  ifinfomsg ifi = {};
  ifi.ifi_family = AF_UNSPEC;
  ifi.ifi_index = ifindex;
  if (up) {
    ifi.ifi_flags = IFF_UP;
    ifi.ifi_change = IFF_UP;
  }
  Message m(RTM_NEWLINK, 0, &ifi, sizeof(ifi));
  if (mtu > 0) {
    uint32_t v = static_cast<uint32_t>(mtu);
    m.Attr(IFLA_MTU, &v, sizeof(v));
  }
  return Transact(m.bytes(), "set link");
}

Status RtNetlink::AddAddress(int ifindex, const IpPrefix& prefix) {
  ifaddrmsg ifa = {};
  ifa.ifa_family = static_cast<uint8_t>(prefix.address.family);
  ifa.ifa_prefixlen = static_cast<uint8_t>(prefix.length);
  ifa.ifa_index = static_cast<uint32_t>(ifindex);
  ifa.ifa_scope = RT_SCOPE_UNIVERSE;
  Message m(RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, &ifa, sizeof(ifa));
  m.Attr(IFA_LOCAL, prefix.address.bytes.data(), prefix.address.size());
  m.Attr(IFA_ADDRESS, prefix.address.bytes.data(), prefix.address.size());
  return Transact(m.bytes(), "add address " + prefix.ToString());
}

Status RtNetlink::AddDefaultRoute(int ifindex, const IpAddress& gateway) {
  rtmsg rt = {};
  rt.rtm_family = static_cast<uint8_t>(gateway.family);
  rt.rtm_dst_len = 0;
  rt.rtm_table = RT_TABLE_MAIN;
  rt.rtm_protocol = RTPROT_BOOT;
  rt.rtm_scope = RT_SCOPE_UNIVERSE;
  rt.rtm_type = RTN_UNICAST;
  Message m(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, &rt, sizeof(rt));
  m.Attr(RTA_GATEWAY, gateway.bytes.data(), gateway.size());
  uint32_t oif = static_cast<uint32_t>(ifindex);
  m.Attr(RTA_OIF, &oif, sizeof(oif));
  return Transact(m.bytes(), "add default route via " + gateway.ToString());
}

}  // namespace base
