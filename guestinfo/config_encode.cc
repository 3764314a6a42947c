// Config -> JSON, in the field order of docs/config.md.
#include <nlohmann/json.hpp>
#include <string>

#include "guestinfo/base64.h"
#include "guestinfo/config_codec.h"
#include "guestinfo/signal_names.h"

namespace guestinfo {
namespace {

// Ordered so that a written config reads like the documentation.
using ojson = nlohmann::ordered_json;

constexpr char kRedacted[] = "<redacted>";

const char* RestartName(RestartPolicy policy) {
  switch (policy) {
    case RestartPolicy::kOnFailure:
      return "on-failure";
    case RestartPolicy::kAlways:
      return "always";
    case RestartPolicy::kNo:
      break;
  }
  return "no";
}

ojson EnvJson(const std::vector<std::string>& env, bool redact) {
  ojson out = ojson::array();
  for (const std::string& entry : env) {
    if (!redact) {
      out.push_back(entry);
      continue;
    }
    size_t eq = entry.find('=');
    out.push_back(eq == std::string::npos
                      ? std::string(kRedacted)
                      : entry.substr(0, eq + 1) + kRedacted);
  }
  return out;
}

ojson SessionJson(const SessionConfig& s, bool redact) {
  ojson j;
  j["id"] = s.id;
  j["primary"] = s.primary;
  j["path"] = s.path;
  j["args"] = s.args;
  j["env"] = EnvJson(s.env, redact);
  j["workdir"] = s.workdir;
  j["user"] = s.user;
  j["tty"] = s.tty;
  j["open_stdin"] = s.open_stdin;
  j["attach_before_start"] = s.attach_before_start;
  j["attach_timeout_s"] = s.attach_timeout_s;
  // A hand-built Config may hold a number SignalName does not know.
  const char* name = SignalName(s.stop_signal);
  if (*name != '\0') {
    j["stop_signal"] = name;
  } else {
    j["stop_signal"] = s.stop_signal;
  }
  j["stop_timeout_s"] = s.stop_timeout_s;
  j["restart"] = RestartName(s.restart);
  return j;
}

ojson NetworkJson(const NetworkConfig& n) {
  ojson j;
  j["mac"] = n.mac;
  j["addresses"] = n.addresses;
  j["gateway"] = n.gateway;
  j["dns"] = n.dns;
  j["mtu"] = n.mtu;
  return j;
}

// Whether a mount option's key names a credential (cifs password=,
// ceph secret=, credentials= files, tokens): its value is redacted.
bool SecretOptionKey(const std::string& key) {
  std::string k;
  for (char c : key) k += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  for (const char* word : {"pass", "secret", "cred", "token", "key"}) {
    if (k.find(word) != std::string::npos) return true;
  }
  return false;
}

ojson MountJson(const MountConfig& m, bool redact) {
  ojson j;
  j["source"] = m.source;
  j["target"] = m.target;
  j["fstype"] = m.fstype;
  ojson options = ojson::array();
  for (const std::string& o : m.options) {
    size_t eq = o.find('=');
    bool secret =
        redact && eq != std::string::npos && SecretOptionKey(o.substr(0, eq));
    options.push_back(secret ? o.substr(0, eq + 1) + kRedacted : o);
  }
  j["options"] = options;
  return j;
}

ojson ConfigJson(const Config& c, bool redact) {
  ojson j;
  j["version"] = kConfigVersion;
  j["id"] = c.id;
  j["name"] = c.name;
  j["hostname"] = c.hostname;
  j["debug"] = c.debug;
  if (c.endpoint) {
    ojson& e = j["endpoint"];
    e["address"] = c.endpoint->address;
    e["host_key_sha256"] = c.endpoint->host_key_sha256;
    e["identity_key"] = redact ? kRedacted : c.endpoint->identity_key;
    if (c.endpoint->drain_timeout_s) {
      e["drain_timeout_s"] = *c.endpoint->drain_timeout_s;
    }
  }
  ojson& sessions = j["sessions"] = ojson::array();
  for (const SessionConfig& s : c.sessions) {
    sessions.push_back(SessionJson(s, redact));
  }
  j["rootfs"] = {{"source", c.rootfs.source}, {"fstype", c.rootfs.fstype}};
  ojson& networks = j["networks"] = ojson::array();
  for (const NetworkConfig& n : c.networks) networks.push_back(NetworkJson(n));
  ojson& mounts = j["mounts"] = ojson::array();
  for (const MountConfig& m : c.mounts) mounts.push_back(MountJson(m, redact));
  ojson& limits = j["limits"] = ojson::object();
  if (c.limits.nofile) limits["nofile"] = *c.limits.nofile;
  j["pprof"] = {{"listen", c.pprof.listen}};
  j["output_ring_bytes"] = c.output_ring_bytes;
  // Only when set, so that documents written before they existed stay
  // byte for byte what they were.
  if (c.privileged) j["privileged"] = true;
  if (c.no_new_privileges) j["no_new_privileges"] = true;
  if (!c.random_seed.empty()) {
    j["random_seed"] = redact ? kRedacted : Base64Encode(c.random_seed);
  }
  return j;
}

std::string Dump(const ojson& j) {
  // `replace` rather than the default `strict`: a hand-built Config may
  // hold bytes that are not UTF-8, and strict would throw.
  return j.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";
}

}  // namespace

std::string EncodeConfig(const Config& config) {
  return Dump(ConfigJson(config, /*redact=*/false));
}

std::string EncodeConfigRedacted(const Config& config) {
  return Dump(ConfigJson(config, /*redact=*/true));
}

}  // namespace guestinfo
