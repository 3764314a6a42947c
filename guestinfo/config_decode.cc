#include <exception>
#include <string>

#include "base/wipe.h"
#include "guestinfo/base64.h"
#include "guestinfo/config_codec.h"
#include "guestinfo/config_decode_parts.h"
#include "guestinfo/field_syntax.h"
#include "guestinfo/json_dom.h"
#include "guestinfo/json_fields.h"
#include "guestinfo/limits.h"
#include "guestinfo/net_address.h"

namespace guestinfo {
namespace {

using base::Result;
using base::Status;
using nlohmann::json;

// fs.nr_open cannot be raised above this on 64-bit kernels, so a larger
// RLIMIT_NOFILE could never be applied.
constexpr uint64_t kMaxNofile = 2147483584;

// Checked before anything else: a newer schema may have fields this tether
// does not know, and "unsupported version" is the useful error then.
Status CheckVersion(const json& doc) {
  auto it = doc.find("version");
  if (it == doc.end() || it->is_null())
    return FieldError("version", "required");
  if (!it->is_number_integer()) {
    return FieldError(
        "version", std::string("expected an integer, got ") + it->type_name());
  }
  if (*it != kConfigVersion) {
    // dump() prints any integer, signed or not, and cannot throw for one.
    return FieldError("version", "unsupported version " + it->dump() +
                                     " (this tether reads version " +
                                     std::to_string(kConfigVersion) + ")");
  }
  return Status::Ok();
}

Status DecodeEndpoint(const json& value, EndpointConfig* out) {
  TETHER_ASSIGN_OR_RETURN(
      ObjectReader r,
      ObjectReader::Open(value, "endpoint",
                         {"address", "host_key_sha256", "identity_key",
                          "drain_timeout_s"}));
  TETHER_RETURN_IF_ERROR(r.RequiredString("address", &out->address));
  TETHER_RETURN_IF_ERROR(
      StatusAt(ParseEndpointAddress(out->address), r.Path("address")));
  // Both are required: without a pinned host key anyone on the path could
  // pose as the endpoint, and the endpoint accepts only key logins.
  TETHER_RETURN_IF_ERROR(
      r.RequiredString("host_key_sha256", &out->host_key_sha256));
  TETHER_RETURN_IF_ERROR(CheckHostKeyFingerprint(out->host_key_sha256)
                             .Annotate(r.Path("host_key_sha256")));
  TETHER_RETURN_IF_ERROR(r.RequiredString("identity_key", &out->identity_key));
  TETHER_RETURN_IF_ERROR(
      CheckIdentityKey(out->identity_key).Annotate(r.Path("identity_key")));
  if (r.Find("drain_timeout_s") != nullptr) {
    int v = 0;
    TETHER_RETURN_IF_ERROR(
        r.Int("drain_timeout_s", 0, kMaxDrainTimeoutS, &v));
    out->drain_timeout_s = v;
  }
  return Status::Ok();
}

Status DecodeRootfs(const json& value, RootfsConfig* out) {
  TETHER_ASSIGN_OR_RETURN(
      ObjectReader r,
      ObjectReader::Open(value, "rootfs", {"source", "fstype"}));
  TETHER_RETURN_IF_ERROR(r.String("source", &out->source));
  TETHER_RETURN_IF_ERROR(
      CheckRootfsSource(out->source).Annotate(r.Path("source")));
  TETHER_RETURN_IF_ERROR(r.String("fstype", &out->fstype));
  return CheckFsType(out->fstype).Annotate(r.Path("fstype"));
}

Status DecodeLimits(const json& value, LimitsConfig* out) {
  TETHER_ASSIGN_OR_RETURN(ObjectReader r,
                          ObjectReader::Open(value, "limits", {"nofile"}));
  if (r.Find("nofile") != nullptr) {
    uint64_t nofile = 0;
    TETHER_RETURN_IF_ERROR(r.Uint("nofile", 1, kMaxNofile, &nofile));
    out->nofile = nofile;
  }
  return Status::Ok();
}

Status DecodePprof(const json& value, PprofConfig* out) {
  TETHER_ASSIGN_OR_RETURN(ObjectReader r,
                          ObjectReader::Open(value, "pprof", {"listen"}));
  TETHER_RETURN_IF_ERROR(r.String("listen", &out->listen));
  if (out->listen.empty()) return Status::Ok();
  return StatusAt(ParseHostPort(out->listen), r.Path("listen"));
}

Status DecodeIdentity(const ObjectReader& r, Config* c) {
  TETHER_RETURN_IF_ERROR(r.RequiredString("id", &c->id));
  TETHER_RETURN_IF_ERROR(CheckContainerId(c->id).Annotate("id"));
  TETHER_RETURN_IF_ERROR(r.String("name", &c->name));
  if (!c->name.empty()) {
    TETHER_RETURN_IF_ERROR(CheckName(c->name).Annotate("name"));
  }
  TETHER_RETURN_IF_ERROR(r.String("hostname", &c->hostname));
  if (c->hostname.empty()) {
    // A docker name may hold '_' or '.', which a hostname label may not
    // (or may, but then means a domain); such names fall back to the id.
    bool name_ok = !c->name.empty() && c->name.find('.') == std::string::npos &&
                   CheckHostname(c->name).ok();
    c->hostname = name_ok ? c->name : c->id.substr(0, 12);
  }
  TETHER_RETURN_IF_ERROR(CheckHostname(c->hostname).Annotate("hostname"));
  return r.Int("debug", 0, kMaxDebug, &c->debug);
}

Status DecodeRandomSeed(const ObjectReader& r, Config* c) {
  std::string text;
  TETHER_RETURN_IF_ERROR(r.String("random_seed", &text));
  if (text.empty()) return Status::Ok();
  Result<std::string> seed = Base64Decode(text, kMaxRandomSeedBytes);
  base::Wipe(&text);
  if (!seed.ok()) return seed.TakeStatus().Annotate("random_seed");
  if (seed->size() < kMinRandomSeedBytes) {
    return FieldError("random_seed",
                      std::to_string(seed->size()) + " bytes; at least " +
                          std::to_string(kMinRandomSeedBytes) + " are needed");
  }
  c->random_seed = std::move(*seed);
  return Status::Ok();
}

// The DOM's copies of the secrets, which the Config now holds: zeroed
// before the DOM frees them (the seed is wiped from the Config too, once
// credited; docs/config.md).
void WipeSecrets(json* doc) {
  if (!doc->is_object()) return;
  auto wipe = [](json* v) {
    if (v != nullptr && v->is_string()) base::Wipe(v->get_ptr<std::string*>());
  };
  auto seed = doc->find("random_seed");
  if (seed != doc->end()) wipe(&*seed);
  auto endpoint = doc->find("endpoint");
  if (endpoint != doc->end() && endpoint->is_object()) {
    auto key = endpoint->find("identity_key");
    if (key != endpoint->end()) wipe(&*key);
  }
}

Status DecodeDocument(const json& doc, Config* c) {
  if (!doc.is_object()) {
    return FieldError(
        "config", std::string("expected an object, got ") + doc.type_name());
  }
  TETHER_RETURN_IF_ERROR(CheckVersion(doc));
  TETHER_ASSIGN_OR_RETURN(
      ObjectReader r,
      ObjectReader::Open(doc, "",
                         {"version", "id", "name", "hostname", "debug",
                          "endpoint", "sessions", "rootfs", "networks",
                          "mounts", "limits", "pprof", "output_ring_bytes",
                          "random_seed", "privileged", "no_new_privileges"}));
  c->version = kConfigVersion;
  TETHER_RETURN_IF_ERROR(DecodeIdentity(r, c));
  if (const json* v = r.Find("endpoint")) {
    c->endpoint.emplace();
    TETHER_RETURN_IF_ERROR(DecodeEndpoint(*v, &*c->endpoint));
  }
  const json* sessions = r.Find("sessions");
  if (sessions == nullptr) return FieldError("sessions", "required");
  TETHER_RETURN_IF_ERROR(internal::DecodeSessions(*sessions, &c->sessions));
  if (const json* v = r.Find("rootfs")) {
    TETHER_RETURN_IF_ERROR(DecodeRootfs(*v, &c->rootfs));
  }
  if (const json* v = r.Find("networks")) {
    TETHER_RETURN_IF_ERROR(internal::DecodeNetworks(*v, &c->networks));
  }
  if (const json* v = r.Find("mounts")) {
    TETHER_RETURN_IF_ERROR(internal::DecodeMounts(*v, &c->mounts));
  }
  if (const json* v = r.Find("limits")) {
    TETHER_RETURN_IF_ERROR(DecodeLimits(*v, &c->limits));
  }
  if (const json* v = r.Find("pprof")) {
    TETHER_RETURN_IF_ERROR(DecodePprof(*v, &c->pprof));
  }
  TETHER_RETURN_IF_ERROR(r.Uint("output_ring_bytes", kMinOutputRingBytes,
                                kMaxOutputRingBytes, &c->output_ring_bytes));
  TETHER_RETURN_IF_ERROR(r.Bool("privileged", &c->privileged));
  TETHER_RETURN_IF_ERROR(r.Bool("no_new_privileges", &c->no_new_privileges));
  return DecodeRandomSeed(r, c);
}

}  // namespace

Result<Config> DecodeConfig(std::string_view text) {
  if (text.size() > kMaxConfigBytes) {
    return FieldError("config", std::to_string(text.size()) +
                                    " bytes exceeds the 1 MiB limit");
  }
  // The JSON library may throw (bad_alloc; type errors would be our bug):
  // this is the boundary where that becomes a Status.
  try {
    TETHER_ASSIGN_OR_RETURN(json doc, ParseJsonDocument(text, "config"));
    Config config;
    Status decoded = DecodeDocument(doc, &config);
    WipeSecrets(&doc);
    if (!decoded.ok()) return decoded;
    return config;
  } catch (const std::exception& e) {
    return Status::Internal(std::string("config: ") + e.what());
  }
}

}  // namespace guestinfo
