#include "attach/endpoint/certs/tls_material.h"

#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

#include "attach/endpoint/certs/client_env.h"
#include "attach/endpoint/certs/custom_set.h"
#include "attach/endpoint/certs/generated_set.h"

namespace attach {
namespace endpoint {
namespace certs {
namespace {

std::string HostName(const TlsOptions& options) {
  if (!options.hostname.empty()) return options.hostname;
  char buf[HOST_NAME_MAX + 1] = {};
  if (::gethostname(buf, sizeof(buf) - 1) != 0) return "";
  return buf;
}

// What the generated server certificate must name: every way a local or
// configured client may address attachd (docs/tls.md).
base::Result<SanSet> ServerNames(const TlsOptions& options,
                                 const ListenAddress& api,
                                 const std::string& hostname,
                                 std::vector<std::string>* warnings) {
  SanSet names;
  for (const char* local : {"127.0.0.1", "::1", "localhost"}) {
    TETHER_RETURN_IF_ERROR(names.Add(local));
  }
  if (IsDnsName(hostname)) {
    TETHER_RETURN_IF_ERROR(names.Add(hostname));
  } else if (!hostname.empty()) {
    warnings->push_back("the host name \"" + hostname +
                        "\" is not a DNS name; the server certificate "
                        "leaves it out (add names with --tls-san)");
  }
  if (!api.wildcard) TETHER_RETURN_IF_ERROR(names.Add(api.host));
  for (const std::string& extra : options.extra_names) {
    TETHER_RETURN_IF_ERROR(names.Add(extra).Annotate("--tls-san"));
  }
  return names;
}

base::Result<std::string> AbsolutePath(const std::string& dir) {
  char buf[PATH_MAX];
  if (::realpath(dir.c_str(), buf) == nullptr) {
    return base::Status::Io("state directory " + dir, errno);
  }
  return std::string(buf);
}

}  // namespace

base::Result<TlsMode> ParseTlsMode(std::string_view text) {
  for (TlsMode mode : {TlsMode::kVerify, TlsMode::kServer, TlsMode::kOff}) {
    if (text == TlsModeName(mode)) return mode;
  }
  return base::Status::InvalidArgument("--api-tls \"" + std::string(text) +
                                       "\": expected verify, server or off");
}

const char* TlsModeName(TlsMode mode) {
  switch (mode) {
    case TlsMode::kVerify:
      return "verify";
    case TlsMode::kServer:
      return "server";
    case TlsMode::kOff:
      return "off";
  }
  return "?";
}

std::string TlsMaterial::ConnectHint() const { return ConnectHintFor(*this); }

base::Result<TlsMaterial> PrepareTls(const std::string& state_dir,
                                     const TlsOptions& options) {
  TlsMaterial material;
  material.mode = options.mode;
  base::Result<ListenAddress> api = ParseListenAddress(options.api_address);
  if (!api.ok()) return api.TakeStatus().Annotate("--api");
  material.api = *api;
  material.docker_host = material.api.DockerHost();
  if (options.mode == TlsMode::kOff) {
    if (HasCustomFiles(options)) {
      return base::Status::InvalidArgument(
          "--tlscacert, --tlscert and --tlskey need --api-tls verify or "
          "server, not off");
    }
    return material;
  }
  const time_t now = std::time(nullptr);
  if (HasCustomFiles(options)) {
    return PrepareCustomSet(options, std::move(material), now);
  }
  const std::string hostname = HostName(options);
  TETHER_ASSIGN_OR_RETURN(
      material.server_names,
      ServerNames(options, material.api, hostname, &material.warnings));
  TETHER_ASSIGN_OR_RETURN(std::string dir, AbsolutePath(state_dir));
  return PrepareGeneratedSet(dir, hostname, std::move(material), now);
}

}  // namespace certs
}  // namespace endpoint
}  // namespace attach
