#include "attach/endpoint/containers/tether_config.h"

#include "guestinfo/config_codec.h"
#include "guestinfo/field_syntax.h"

namespace attach {
namespace endpoint {

guestinfo::Config TetherConfig(const ContainerRecord& record,
                               const std::string& host_key_sha256,
                               const std::string& identity_key) {
  guestinfo::Config c;
  c.version = guestinfo::kConfigVersion;
  c.id = record.id;
  c.name = record.name;
  // Docker names may hold '_' and '.', which hostnames may not.
  if (!record.hostname.empty()) {
    c.hostname = record.hostname;
  } else {
    c.hostname = guestinfo::CheckHostname(record.name).ok()
                     ? record.name
                     : record.id.substr(0, 12);
  }
  c.privileged = record.privileged;
  c.no_new_privileges = record.no_new_privileges;
  guestinfo::EndpointConfig ep;
  ep.address = record.endpoint;
  ep.host_key_sha256 = host_key_sha256;
  ep.identity_key = identity_key;
  c.endpoint = ep;
  guestinfo::SessionConfig s;
  s.id = kPrimarySession;
  s.primary = true;
  if (!record.args.empty()) s.path = record.args[0];
  s.args = record.args;
  s.env = record.env;
  if (!record.workdir.empty()) s.workdir = record.workdir;
  s.user = record.user;
  s.tty = record.tty;
  s.open_stdin = record.open_stdin;
  s.attach_before_start = record.attach_before_start;
  c.sessions.push_back(std::move(s));
  return c;
}

base::Result<std::string> TetherConfigJson(const ContainerRecord& record,
                                           const std::string& host_key_sha256,
                                           const std::string& identity_key) {
  std::string json = guestinfo::EncodeConfig(
      TetherConfig(record, host_key_sha256, identity_key));
  base::Result<guestinfo::Config> check = guestinfo::DecodeConfig(json);
  if (!check.ok()) return check.TakeStatus().Annotate("tether config");
  return json;
}

}  // namespace endpoint
}  // namespace attach
