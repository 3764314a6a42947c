// tetherctl's image commands on attachd.sock (client.proto): load and
// import (the tarball follows in StdinData frames, with backpressure:
// reading pauses while the worker is behind), images, rmi, tag and image
// inspect; and create's image and port fields.
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_CLIENTS_IMAGE_COMMANDS_H_
#define TETHER_ATTACH_ENDPOINT_CLIENTS_IMAGE_COMMANDS_H_

#include "attach/endpoint/clients/client_conn.h"
#include "attach/endpoint/commands/container_ops.h"
#include "client.pb.h"

namespace attach {
namespace endpoint {

// load, import_image, images, rmi, tag, image_inspect. False when `req`
// is none of them.
bool DispatchImageCommand(ClientConn* conn, ContainerOps* ops,
                          const ::tether::attach::Request& req);

// The record for a create request: its fields, then (with an image) the
// image's config merged in as dockerd merges it.
base::Result<ContainerRecord> RecordForCreate(
    const ContainerOps& ops, const ::tether::attach::CreateRequest& req);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CLIENTS_IMAGE_COMMANDS_H_
