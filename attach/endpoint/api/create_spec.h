// POST /containers/create: the body docker clients send (a container
// Config with HostConfig and NetworkingConfig inside), read and merged
// with the image's config exactly as dockerd merges them
// (daemon/create.go, merge()), into a ContainerRecord.
//
// Errors are kInvalidArgument (400) in docker's words where it has them.
#ifndef TETHER_ATTACH_ENDPOINT_API_CREATE_SPEC_H_
#define TETHER_ATTACH_ENDPOINT_API_CREATE_SPEC_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "attach/endpoint/containers/container_record.h"
#include "attach/endpoint/images/image_store.h"
#include "base/result.h"

namespace attach {
namespace endpoint {
namespace api {

// The create body as read, before the image is known.
struct CreateBody {
  std::string image;  // As typed: "busybox".
  std::string hostname;
  std::string user;
  std::string workdir;
  bool attach_stdin = false, attach_stdout = false, attach_stderr = false;
  bool tty = false, open_stdin = false, stdin_once = false;
  std::vector<std::string> env;
  std::vector<std::string> cmd;
  std::vector<std::string> entrypoint;
  bool entrypoint_set = false;  // Given, even as [] or [""] (a reset).
  std::map<std::string, std::string> labels;
  std::vector<std::string> exposed_ports;
  std::string stop_signal;
  int64_t stop_timeout = -1;  // Seconds; <0: docker's default (10).
  // HostConfig.
  bool auto_remove = false;
  bool privileged = false;
  bool no_new_privileges = false;  // SecurityOpt "no-new-privileges".
  int64_t memory = 0;              // Bytes; 0: attachd's default.
  std::string network_mode;
  std::string restart_policy;
  std::vector<PortMapping> port_bindings;  // PortBindings, in key order.
  bool publish_all = false;                // PublishAllPorts (-P).
};

// Reads the body. kInvalidArgument for malformed JSON and wrong types.
base::Result<CreateBody> ParseCreateBody(std::string_view body);

// dockerd's merge of the image's config into the request: user, env (the
// image's variables the request does not set), command (the image's Cmd
// only when neither Cmd nor Entrypoint is given; its Entrypoint unless the
// request set one), working directory, labels, exposed ports.
void MergeImageConfig(const ImageConfig& image, CreateBody* body);

// The record attachd keeps for the merged body (`name` from ?name=,
// `image_id` the image's id). Its ports are the bindings, and with -P
// every exposed port (the image's too) not bound yet, on a free host port. Its
// `api` field holds the Config and HostConfig docker's inspect shows.
// kInvalidArgument: no command, a relative working directory, memory out of the
// VM's range.
base::Result<ContainerRecord> RecordFor(const CreateBody& body,
                                        const std::string& name,
                                        const std::string& image_id);

}  // namespace api
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_API_CREATE_SPEC_H_
