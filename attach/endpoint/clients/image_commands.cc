#include "attach/endpoint/clients/image_commands.h"

#include <memory>

#include "attach/endpoint/clients/conn_sink.h"
#include "attach/endpoint/images/image_json.h"
#include "attach/endpoint/images/reference.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;

void SendLine(ClientConn* conn, const std::string& line) {
  pb::Response resp;
  resp.set_message(line);
  conn->Send(resp);
}

// A load or import: stdin frames into the upload, its progress and
// result back.
class UploadHandler : public ClientConn::Handler {
 public:
  UploadHandler(ClientConn* conn, bool quiet) : conn_(conn), quiet_(quiet) {}

  ImageUpload::Callbacks Callbacks() {
    ImageUpload::Callbacks cb;
    cb.progress = [this](const LoadProgress& p) {
      if (quiet_) return;
      pb::Response resp;
      pb::ImageProgress* out = resp.mutable_progress();
      out->set_id(p.id);
      out->set_status(p.status);
      out->set_current(p.current);
      out->set_total(p.total);
      conn_->Send(resp);
    };
    cb.writable = [this] { conn_->ResumeReading(); };
    cb.done = [this](base::Result<LoadResult> r) {
      if (!r.ok()) return conn_->FailWith(r.status().message());
      for (const std::string& line : r->lines) SendLine(conn_, line);
      SendDone(conn_);
    };
    return cb;
  }
  void set_upload(std::unique_ptr<ImageUpload> upload) {
    upload_ = std::move(upload);
  }

  void OnRequest(const pb::Request& req) override {
    if (req.has_stdin()) {
      if (!upload_->Write(req.stdin().data())) conn_->PauseReading();
    } else if (req.has_stdin_close()) {
      upload_->Finish();
    } else {
      conn_->FailWith("unexpected request during an image upload");
    }
  }

 private:
  ClientConn* conn_;
  bool quiet_;
  std::unique_ptr<ImageUpload> upload_;  // Cancelled when the client goes.
};

void StartUpload(ClientConn* conn, ContainerOps* ops, const pb::Request& req) {
  ImageStore* images = ops->context().images;
  if (images == nullptr) return conn->FailWith("this attachd keeps no images");
  auto h = std::make_unique<UploadHandler>(conn, req.load().quiet());
  base::Result<std::unique_ptr<ImageUpload>> upload =
      base::Status::Internal("no upload");
  if (req.has_load()) {
    upload = images->StartLoad(h->Callbacks());
  } else {
    ImportOptions o;
    o.tag = req.import_image().tag();
    o.changes.assign(req.import_image().changes().begin(),
                     req.import_image().changes().end());
    o.message = req.import_image().message();
    upload = images->StartImport(o, h->Callbacks());
  }
  if (!upload.ok()) return conn->FailWith(upload.status().message());
  h->set_upload(std::move(*upload));
  conn->SetHandler(std::move(h));
}

void ListImages(ClientConn* conn, const ImageStore& images) {
  for (const Image* image : images.All()) {
    pb::Response resp;
    pb::ImageSummary* s = resp.mutable_image();
    s->set_id(image->id);
    for (const std::string& t : image->repo_tags) s->add_repo_tags(t);
    s->set_created(image->created);
    s->set_size(image->size);
    if (!conn->Send(resp)) return;
  }
  SendDone(conn);
}

void RemoveImage(ClientConn* conn, ContainerOps* ops, ImageStore* images,
                 const pb::ImageRemoveRequest& req) {
  base::Result<std::vector<std::string>> lines = images->Remove(
      req.ref(), req.force(),
      [ops](const std::string& id) { return ops->ImageUsers(id); });
  if (!lines.ok()) return conn->FailWith(lines.status().message());
  for (const std::string& line : *lines) SendLine(conn, line);
  SendDone(conn);
}

void InspectImage(ClientConn* conn, const ImageStore& images,
                  const std::string& ref) {
  base::Result<const Image*> image = images.Find(ref);
  if (!image.ok()) return conn->FailWith(image.status().message());
  pb::Response resp;
  resp.set_image_json(ImageInspectJson(**image).dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace));
  conn->Send(resp);
  conn->Finish();
}

}  // namespace

bool DispatchImageCommand(ClientConn* conn, ContainerOps* ops,
                          const pb::Request& req) {
  ImageStore* images = ops->context().images;
  switch (req.req_case()) {
    case pb::Request::kLoad:
    case pb::Request::kImportImage:
      StartUpload(conn, ops, req);
      return true;
    case pb::Request::kImages:
    case pb::Request::kRmi:
    case pb::Request::kTag:
    case pb::Request::kImageInspect:
      break;
    default:
      return false;
  }
  if (images == nullptr) {
    conn->FailWith("this attachd keeps no images");
    return true;
  }
  if (req.has_images()) {
    ListImages(conn, *images);
  } else if (req.has_rmi()) {
    RemoveImage(conn, ops, images, req.rmi());
  } else if (req.has_tag()) {
    base::Status s = images->Tag(req.tag().source(), req.tag().target());
    if (s.ok()) {
      SendDone(conn);
    } else {
      conn->FailWith(s.message());
    }
  } else {
    InspectImage(conn, *images, req.image_inspect());
  }
  return true;
}

base::Result<ContainerRecord> RecordForCreate(const ContainerOps& ops,
                                              const pb::CreateRequest& req) {
  ContainerRecord r;
  r.name = req.name();
  r.tty = req.tty();
  r.open_stdin = req.open_stdin();
  r.attach_before_start = req.attach_before_start();
  r.env.assign(req.env().begin(), req.env().end());
  r.user = req.user();
  r.workdir = req.workdir();
  r.args.assign(req.args().begin(), req.args().end());
  r.endpoint = req.endpoint();
  r.memory_mb = req.memory_mb();
  r.auto_remove = req.auto_remove();
  r.network = req.network();
  for (const pb::PortBinding& p : req.ports()) {
    PortMapping m;
    m.host_ip = p.host_ip();
    if (p.host_port() > 65535 || p.container_port() > 65535) {
      return base::Status::InvalidArgument("Invalid port: out of range");
    }
    m.host_port = static_cast<uint16_t>(p.host_port());
    m.container_port = static_cast<uint16_t>(p.container_port());
    if (!p.proto().empty()) m.proto = p.proto();
    r.ports.push_back(m);
  }
  std::string image = req.image();
  ImageStore* images = ops.context().images;
  if (image.empty() && req.image_from_args() && !r.args.empty() &&
      images != nullptr && !LooksLikeImageId(r.args[0]) &&
      images->Find(r.args[0]).ok()) {
    image = r.args[0];
    r.args.erase(r.args.begin());
  }
  if (image.empty()) {
    if (req.publish_all() || req.entrypoint_set()) {
      return base::Status::InvalidArgument(
          "--entrypoint and -P need an image (--image)");
    }
    return r;
  }
  RunSpec spec;
  spec.cmd = r.args;
  spec.entrypoint.assign(req.entrypoint().begin(), req.entrypoint().end());
  spec.entrypoint_set = req.entrypoint_set();
  spec.env = r.env;
  spec.user = r.user;
  spec.workdir = r.workdir;
  TETHER_RETURN_IF_ERROR(ops.ApplyImage(image, spec, req.publish_all(), &r));
  return r;
}

}  // namespace endpoint
}  // namespace attach
