#include "attach/endpoint/certs/san_set.h"

#include <algorithm>
#include <cctype>
#include <tuple>

namespace attach {
namespace endpoint {
namespace certs {
namespace {

bool IpLess(const base::IpAddress& a, const base::IpAddress& b) {
  return std::tie(a.family, a.bytes) < std::tie(b.family, b.bytes);
}

bool IpEqual(const base::IpAddress& a, const base::IpAddress& b) {
  return a.family == b.family && a.bytes == b.bytes;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

bool IsLabel(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  for (char c : label) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      return false;
    }
  }
  return true;
}

}  // namespace

bool IsDnsName(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  if (name.substr(0, 2) == "*.") name.remove_prefix(2);
  size_t start = 0;
  for (;;) {
    size_t dot = name.find('.', start);
    if (!IsLabel(name.substr(start, dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

void SanSet::AddIp(const base::IpAddress& ip) {
  auto it = std::lower_bound(ips_.begin(), ips_.end(), ip, IpLess);
  if (it == ips_.end() || !IpEqual(*it, ip)) ips_.insert(it, ip);
}

base::Status SanSet::Add(std::string_view name) {
  base::Result<base::IpAddress> ip = base::ParseIpAddress(name);
  if (ip.ok()) {
    AddIp(*ip);
    return base::Status::Ok();
  }
  if (!IsDnsName(name)) {
    return base::Status::InvalidArgument("\"" + std::string(name) +
                                         "\" is neither an IP address nor a "
                                         "DNS name");
  }
  std::string lower = Lower(name);
  auto it = std::lower_bound(dns_.begin(), dns_.end(), lower);
  if (it == dns_.end() || *it != lower) dns_.insert(it, std::move(lower));
  return base::Status::Ok();
}

bool SanSet::Matches(std::string_view host) const {
  base::Result<base::IpAddress> ip = base::ParseIpAddress(host);
  if (ip.ok()) {
    return std::binary_search(ips_.begin(), ips_.end(), *ip, IpLess);
  }
  std::string lower = Lower(host);
  if (std::binary_search(dns_.begin(), dns_.end(), lower)) return true;
  // A wildcard covers exactly one leftmost label, as in Go's matchHostnames.
  size_t dot = lower.find('.');
  if (dot == std::string::npos || dot == 0) return false;
  return std::binary_search(dns_.begin(), dns_.end(), "*" + lower.substr(dot));
}

std::string SanSet::ToString() const {
  std::string out;
  for (const base::IpAddress& ip : ips_) {
    out += (out.empty() ? "IP:" : ", IP:") + ip.ToString();
  }
  for (const std::string& name : dns_) {
    out += (out.empty() ? "DNS:" : ", DNS:") + name;
  }
  return out;
}

bool SanSet::operator==(const SanSet& other) const {
  return dns_ == other.dns_ &&
         std::equal(ips_.begin(), ips_.end(), other.ips_.begin(),
                    other.ips_.end(), IpEqual);
}

}  // namespace certs
}  // namespace endpoint
}  // namespace attach
