#include "attach/endpoint/images/image_json.h"

namespace attach {
namespace endpoint {
namespace {

using nlohmann::json;

// The Config object: the blob's own when there is one, so inspect shows
// every field the image has; else built from what attachd knows.
json ConfigObject(const Image& image) {
  if (!image.config_blob.empty()) {
    json blob = json::parse(image.config_blob, nullptr, false);
    if (blob.is_object() && blob.contains("config") &&
        blob["config"].is_object()) {
      return blob["config"];
    }
  }
  const ImageConfig& c = image.config;
  json ports = json::object();
  for (const std::string& p : c.exposed_ports) ports[p] = json::object();
  return json{{"Env", c.env},
              {"Cmd", c.cmd.empty() ? json(nullptr) : json(c.cmd)},
              {"Entrypoint",
               c.entrypoint.empty() ? json(nullptr) : json(c.entrypoint)},
              {"WorkingDir", c.workdir},
              {"User", c.user},
              {"ExposedPorts", ports.empty() ? json(nullptr) : ports},
              {"Labels", c.labels.empty() ? json(nullptr) : json(c.labels)}};
}

}  // namespace

json ImageInspectJson(const Image& image) {
  json data = json::object();
  if (!image.disk.empty()) data["BaseDisk"] = image.disk;
  return json{
      {"Id", image.id},
      {"RepoTags", image.repo_tags},
      {"RepoDigests", image.repo_digests},
      {"Parent", ""},
      {"Comment", image.comment},
      {"Created", image.created_text.empty() ? "0001-01-01T00:00:00Z"
                                             : image.created_text},
      {"Container", ""},
      {"ContainerConfig", json::object()},
      {"DockerVersion", ""},
      {"Author", image.author},
      {"Config", ConfigObject(image)},
      {"Architecture", image.architecture},
      {"Os", image.os},
      {"Size", image.size},
      {"VirtualSize", image.size},
      {"GraphDriver",
       {{"Name", image.disk.empty() ? "initramfs" : "tether-ext4"},
        {"Data", data}}},
      {"RootFS", {{"Type", "layers"}, {"Layers", image.layers}}},
      {"Metadata", {{"LastTagTime", "0001-01-01T00:00:00Z"}}}};
}

json ImageSummaryJson(const Image& image) {
  json tags = image.repo_tags.empty() ? json::array({"<none>:<none>"})
                                      : json(image.repo_tags);
  json digests = image.repo_digests.empty() ? json::array({"<none>@<none>"})
                                            : json(image.repo_digests);
  return json{{"Id", image.id},
              {"ParentId", ""},
              {"RepoTags", tags},
              {"RepoDigests", digests},
              {"Created", image.created},
              {"Size", image.size},
              {"VirtualSize", image.size},
              {"SharedSize", -1},
              {"Labels", image.config.labels.empty()
                             ? json(nullptr)
                             : json(image.config.labels)},
              {"Containers", -1}};
}

}  // namespace endpoint
}  // namespace attach
