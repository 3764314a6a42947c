#include "attach/link/address.h"

#include <arpa/inet.h>
#include <linux/vm_sockets.h>
#include <netinet/in.h>

#include <cstring>

namespace attach {

base::Result<Address> ParseEndpointAddress(std::string_view text) {
  const std::string context = "endpoint address \"" + std::string(text) + "\"";
  base::Result<guestinfo::EndpointAddress> parsed =
      guestinfo::ParseEndpointAddress(text);
  if (!parsed.ok()) return parsed.TakeStatus().Annotate(context);

  // The syntax is guestinfo's (shared with the config validator); only the
  // conversion to a sockaddr is this file's.
  Address out;
  out.kind = parsed->kind;
  out.text = std::string(text);
  switch (parsed->kind) {
    case Address::Kind::kTcp: {
      // The syntax check above already proved the host numeric; inet_pton
      // now only fills in the bytes.
      if (parsed->host.find(':') == std::string::npos) {
        sockaddr_in sin{};
        sin.sin_family = AF_INET;
        sin.sin_port = htons(static_cast<uint16_t>(parsed->port));
        if (::inet_pton(AF_INET, parsed->host.c_str(), &sin.sin_addr) != 1) {
          return base::Status::InvalidArgument(context + ": bad IPv4 host");
        }
        std::memcpy(&out.sockaddr, &sin, sizeof(sin));
        out.sockaddr_len = sizeof(sin);
      } else {
        sockaddr_in6 sin6{};
        sin6.sin6_family = AF_INET6;
        sin6.sin6_port = htons(static_cast<uint16_t>(parsed->port));
        if (::inet_pton(AF_INET6, parsed->host.c_str(), &sin6.sin6_addr) != 1) {
          return base::Status::InvalidArgument(context + ": bad IPv6 host");
        }
        std::memcpy(&out.sockaddr, &sin6, sizeof(sin6));
        out.sockaddr_len = sizeof(sin6);
      }
      break;
    }
    case Address::Kind::kVsock: {
      sockaddr_vm svm{};
      svm.svm_family = AF_VSOCK;
      svm.svm_cid = parsed->cid;
      svm.svm_port = parsed->port;
      std::memcpy(&out.sockaddr, &svm, sizeof(svm));
      out.sockaddr_len = sizeof(svm);
      break;
    }
    case Address::Kind::kSerial:
      out.path = parsed->path;
      break;
  }
  return out;
}

}  // namespace attach
