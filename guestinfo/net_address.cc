#include "guestinfo/net_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "guestinfo/json_fields.h"

namespace guestinfo {

using base::Result;
using base::Status;

namespace {

enum class Family { kNone, kV4, kV6 };

Family NumericFamily(std::string_view text) {
  // inet_pton wants a C string; a copy also stops at our length, not at a
  // NUL inside the view.
  std::string s(text);
  if (s.size() != text.size() || s.find('\0') != std::string::npos) {
    return Family::kNone;
  }
  in6_addr buf;
  if (::inet_pton(AF_INET, s.c_str(), &buf) == 1) return Family::kV4;
  if (::inet_pton(AF_INET6, s.c_str(), &buf) == 1) return Family::kV6;
  return Family::kNone;
}

// Decimal digits only (no sign, no spaces), at most `max`.
bool ParseDecimal(std::string_view text, uint64_t max, uint64_t* out) {
  if (text.empty() || text.size() > 20) return false;
  uint64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (n > (max - digit) / 10) return false;
    n = n * 10 + digit;
  }
  *out = n;
  return true;
}

Status NotNumeric(std::string_view host) {
  return Status::InvalidArgument(
      Quote(host) +
      " is not a numeric IPv4 or [IPv6] address (the tether does no DNS)");
}

Result<uint32_t> ParsePort(std::string_view text, uint32_t max) {
  uint64_t port = 0;
  if (!ParseDecimal(text, max, &port) || port == 0) {
    return Status::InvalidArgument(
        "port " + Quote(text) + " is out of range 1.." + std::to_string(max));
  }
  return static_cast<uint32_t>(port);
}

}  // namespace

Status CheckNumericIp(std::string_view text) {
  if (NumericFamily(text) == Family::kNone) {
    return Status::InvalidArgument(Quote(text) +
                                   " is not a numeric IPv4 or IPv6 address");
  }
  return Status::Ok();
}

Status CheckCidr(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    return Status::InvalidArgument("expected ADDRESS/PREFIX, got " +
                                   Quote(text));
  }
  std::string_view addr = text.substr(0, slash);
  Family family = NumericFamily(addr);
  if (family == Family::kNone) {
    return Status::InvalidArgument(Quote(addr) +
                                   " is not a numeric IPv4 or IPv6 address");
  }
  const uint64_t max = family == Family::kV4 ? 32 : 128;
  uint64_t prefix = 0;
  std::string_view digits = text.substr(slash + 1);
  if (digits.size() > 3 || !ParseDecimal(digits, max, &prefix)) {
    return Status::InvalidArgument(
        "prefix length " + Quote(digits) + " is out of range 0.." +
        std::to_string(max) +
        (family == Family::kV4 ? " for IPv4" : " for IPv6"));
  }
  return Status::Ok();
}

Result<HostPort> ParseHostPort(std::string_view text) {
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return Status::InvalidArgument("expected HOST:PORT, got " + Quote(text));
  }
  std::string_view host = text.substr(0, colon);
  bool bracketed =
      host.size() >= 2 && host.front() == '[' && host.back() == ']';
  if (bracketed) host = host.substr(1, host.size() - 2);
  Family family = NumericFamily(host);
  // An unbracketed IPv6 host is ambiguous ("::1:80"), a bracketed IPv4 one
  // is not a form anyone writes; both are rejected.
  if (family == Family::kNone || (family == Family::kV6) != bracketed) {
    return NotNumeric(text.substr(0, colon));
  }
  HostPort out;
  out.host = std::string(host);
  TETHER_ASSIGN_OR_RETURN(uint32_t port,
                          ParsePort(text.substr(colon + 1), 65535));
  out.port = static_cast<uint16_t>(port);
  return out;
}

Result<EndpointAddress> ParseEndpointAddress(std::string_view text) {
  EndpointAddress out;
  if (text.rfind("tcp:", 0) == 0) {
    TETHER_ASSIGN_OR_RETURN(HostPort hp, ParseHostPort(text.substr(4)));
    out.kind = EndpointAddress::Kind::kTcp;
    out.host = std::move(hp.host);
    out.port = hp.port;
    return out;
  }
  if (text.rfind("vsock:", 0) == 0) {
    std::string_view rest = text.substr(6);
    size_t colon = rest.find(':');
    uint64_t cid = 0;
    // 0xffffffff is VMADDR_CID_ANY, which only a listener may use.
    if (colon == std::string_view::npos ||
        !ParseDecimal(rest.substr(0, colon), 0xfffffffe, &cid)) {
      return Status::InvalidArgument("expected vsock:CID:PORT, got " +
                                     Quote(text));
    }
    out.kind = EndpointAddress::Kind::kVsock;
    out.cid = static_cast<uint32_t>(cid);
    TETHER_ASSIGN_OR_RETURN(out.port,
                            ParsePort(rest.substr(colon + 1), 0xfffffffe));
    return out;
  }
  if (text.rfind("serial:", 0) == 0) {
    std::string_view path = text.substr(7);
    if (path.size() < 2 || path.front() != '/') {
      return Status::InvalidArgument("serial device " + Quote(path) +
                                     " is not an absolute path");
    }
    out.kind = EndpointAddress::Kind::kSerial;
    out.path = std::string(path);
    return out;
  }
  return Status::InvalidArgument(
      "expected tcp:HOST:PORT, vsock:CID:PORT or serial:PATH, got " +
      Quote(text));
}

Result<std::string> NormalizeMac(std::string_view text) {
  static const char kShape[] = "xx:xx:xx:xx:xx:xx";
  Status bad = Status::InvalidArgument(
      "expected a MAC address like 52:54:00:12:34:56, got " + Quote(text));
  if (text.size() != sizeof(kShape) - 1) return bad;
  std::string out(text);
  for (size_t i = 0; i < out.size(); ++i) {
    char& c = out[i];
    if (kShape[i] == ':') {
      if (c != ':') return bad;
    } else if (c >= 'A' && c <= 'F') {
      c = static_cast<char>(c - 'A' + 'a');
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return bad;
    }
  }
  return out;
}

}  // namespace guestinfo
