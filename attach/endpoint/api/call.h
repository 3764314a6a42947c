// One Docker API request as a route handler sees it: the exchange, what
// the router took from the path, the query, and attachd's state.
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_API_CALL_H_
#define TETHER_ATTACH_ENDPOINT_API_CALL_H_

#include <uv.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "attach/endpoint/commands/container_ops.h"
#include "attach/endpoint/images/image_store.h"
#include "http/exchange.h"

namespace attach {
namespace endpoint {
namespace api {

class ExecStore;
class OpSet;

// What `docker info` and `docker version` say about this host.
struct HostFacts {
  std::string hostname;
  std::string kernel;    // uname -r
  std::string os;        // PRETTY_NAME of /etc/os-release
  std::string root_dir;  // The state directory.
  int ncpu = 0;
  int64_t memory = 0;  // Bytes.
  bool kvm = false;
};

// attachd's parts the routes use; they outlive every call.
struct ApiContext {
  uv_loop_t* loop = nullptr;
  ContainerOps* ops = nullptr;
  ImageStore* images = nullptr;
  ExecStore* execs = nullptr;
  OpSet* opset = nullptr;
  HostFacts host;
  // What `docker info` warns about (an API without TLS).
  std::vector<std::string> warnings;
};

struct Call {
  ApiContext* ctx;
  std::shared_ptr<http::Exchange> ex;
  std::vector<std::string> params;  // The route's {} parts.
  std::string version;              // "1.41"; empty when unversioned.
  std::map<std::string, std::string> query;

  const std::string& param(size_t i) const { return params.at(i); }
  // The query value, or "" when absent.
  std::string Query(const std::string& key) const;
  // Every value of a repeated key, in order (the query was valid once
  // already, so nothing fails here).
  std::vector<std::string> QueryAll(const std::string& key) const;
  // dockerd's boolValue: absent, "", "0", "no", "false" and "none" (any
  // case) are false, everything else true.
  bool QueryBool(const std::string& key) const;
  // An integer query value; kInvalidArgument naming the key when it is
  // not one. `fallback` when absent or empty.
  base::Result<int64_t> QueryInt(const std::string& key,
                                 int64_t fallback) const;
};

struct TerminalSize {
  uint32_t rows = 0, cols = 0;
};
// ?h=ROWS&w=COLS of a resize; kInvalidArgument for a value that is not a
// size.
base::Result<TerminalSize> QuerySize(const Call& call);

// The container the path names (404 with docker's message is sent when
// it is not found: the caller just returns on nullptr).
Container* FindContainer(const Call& call, const std::string& ref);

}  // namespace api
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_API_CALL_H_
