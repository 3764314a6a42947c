#include "attach/endpoint/images/archive_manifest.h"

#include <nlohmann/json.hpp>

#include "attach/endpoint/images/layer_path.h"
#include "attach/endpoint/images/reference.h"
#include "attach/endpoint/images/sha256.h"
#include "guestinfo/json_fields.h"

namespace attach {
namespace endpoint {
namespace {

using nlohmann::json;

constexpr size_t kMaxJson = 16 << 20;
constexpr size_t kMaxImages = 1000;
constexpr size_t kMaxLayers = 1000;
constexpr int kMaxLinkHops = 8;
constexpr int kMaxIndexDepth = 4;

const char kOciManifest[] = "application/vnd.oci.image.manifest.v1+json";
const char kDockerManifest[] =
    "application/vnd.docker.distribution.manifest.v2+json";
const char kOciIndex[] = "application/vnd.oci.image.index.v1+json";
const char kDockerList[] =
    "application/vnd.docker.distribution.manifest.list.v2+json";

base::Result<json> ParseJson(std::string_view text, const std::string& what) {
  json doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded()) {
    return base::Status::InvalidArgument(what + ": invalid JSON");
  }
  return doc;
}

std::string StrField(const json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}

base::Result<OciDescriptor> ReadDescriptor(const json& d,
                                           const std::string& path) {
  if (!d.is_object()) return guestinfo::FieldError(path, "expected an object");
  OciDescriptor out;
  out.media_type = StrField(d, "mediaType");
  out.digest = StrField(d, "digest");
  if (!IsSha256Digest(out.digest)) {
    return guestinfo::FieldError(path + ".digest", "not a sha256 digest");
  }
  auto size = d.find("size");
  if (size != d.end() && size->is_number_integer()) {
    out.size = size->get<int64_t>();
  }
  auto ann = d.find("annotations");
  if (ann != d.end() && ann->is_object()) {
    out.ref_name = StrField(*ann, "org.opencontainers.image.ref.name");
    out.image_name = StrField(*ann, "io.containerd.image.name");
  }
  auto platform = d.find("platform");
  if (platform != d.end() && platform->is_object()) {
    out.os = StrField(*platform, "os");
    out.architecture = StrField(*platform, "architecture");
  }
  return out;
}

// Follows symlinks between members (Docker >= 25 links layer.tar into
// blobs/); names are cleaned and may not climb out of the archive.
base::Result<const ArchiveMember*> Resolve(const ArchiveMembers& members,
                                           const std::string& name) {
  std::string current = name;
  for (int hop = 0; hop <= kMaxLinkHops; ++hop) {
    base::Result<std::vector<std::string>> parts = CleanLayerPath(current);
    if (!parts.ok()) {
      return base::Status::InvalidArgument("\"" + name + "\": " +
                                           parts.status().message());
    }
    auto it = members.find(JoinPath(*parts));
    if (it == members.end()) {
      return base::Status::InvalidArgument("\"" + name +
                                           "\" is not in the archive");
    }
    if (it->second.link.empty()) return &it->second;
    std::string dir = JoinPath(*parts);
    dir = dir.find('/') == std::string::npos ? "" : dir.substr(0, dir.rfind('/'));
    const std::string& target = it->second.link;
    current = target[0] == '/' ? target : (dir.empty() ? "" : dir + "/") + target;
  }
  return base::Status::InvalidArgument("\"" + name + "\": too many symlinks");
}

// A blob by digest, checked against it.
base::Result<const ArchiveMember*> Blob(const ArchiveMembers& members,
                                        const std::string& digest) {
  TETHER_ASSIGN_OR_RETURN(const ArchiveMember* m,
                          Resolve(members, "blobs/sha256/" + digest.substr(7)));
  if (m->digest != digest) {
    return base::Status::InvalidArgument("blob " + digest +
                                         ": its content does not match");
  }
  return m;
}

// The config, its id, and the layers matched with its diff ids.
base::Status FillPlan(const ArchiveMember& config,
                      const std::vector<const ArchiveMember*>& layers,
                      const ReadMember& read, ImagePlan* plan) {
  TETHER_ASSIGN_OR_RETURN(plan->config_blob, read(config, kMaxJson));
  plan->id = "sha256:" + Sha256Hex(plan->config_blob);
  TETHER_ASSIGN_OR_RETURN(plan->meta, ParseImageConfig(plan->config_blob));
  if (plan->meta.diff_ids.size() != layers.size()) {
    return base::Status::InvalidArgument(
        "the image config lists " + std::to_string(plan->meta.diff_ids.size()) +
        " layers, the manifest " + std::to_string(layers.size()));
  }
  for (size_t i = 0; i < layers.size(); ++i) {
    plan->layers.push_back(
        LayerSource{layers[i]->file, layers[i]->digest, plan->meta.diff_ids[i]});
    plan->layer_sizes.push_back(layers[i]->size);
  }
  return base::Status::Ok();
}

base::Result<std::vector<ImagePlan>> PlanDocker(const ArchiveMembers& members,
                                                const ArchiveMember& manifest,
                                                const ReadMember& read) {
  TETHER_ASSIGN_OR_RETURN(std::string text, read(manifest, kMaxJson));
  TETHER_ASSIGN_OR_RETURN(std::vector<DockerManifestEntry> entries,
                          ParseDockerManifest(text));
  std::vector<ImagePlan> plans;
  for (size_t i = 0; i < entries.size(); ++i) {
    const DockerManifestEntry& e = entries[i];
    std::string where = "manifest.json[" + std::to_string(i) + "]";
    ImagePlan plan;
    base::Result<const ArchiveMember*> config = Resolve(members, e.config);
    if (!config.ok()) return config.TakeStatus().Annotate(where + ".Config");
    std::vector<const ArchiveMember*> layers;
    for (const std::string& l : e.layers) {
      base::Result<const ArchiveMember*> m = Resolve(members, l);
      if (!m.ok()) return m.TakeStatus().Annotate(where + ".Layers");
      layers.push_back(*m);
    }
    base::Status s = FillPlan(**config, layers, read, &plan);
    if (!s.ok()) return s.Annotate(where);
    for (const std::string& tag : e.repo_tags) {
      base::Result<std::string> name = NormalizeReference(tag);
      if (!name.ok() || name->find('@') != std::string::npos) {
        return base::Status::InvalidArgument(where + ".RepoTags: invalid tag \"" +
                                             tag + "\"");
      }
      plan.tags.push_back(*name);
    }
    plans.push_back(std::move(plan));
  }
  return plans;
}

// Adds the image(s) `d` names: a manifest, or an index to descend.
base::Status AddOci(const ArchiveMembers& members, const OciDescriptor& d,
                    const ReadMember& read, int depth,
                    std::vector<ImagePlan>* plans) {
  TETHER_ASSIGN_OR_RETURN(const ArchiveMember* blob, Blob(members, d.digest));
  TETHER_ASSIGN_OR_RETURN(std::string text, read(*blob, kMaxJson));
  if (d.media_type == kOciIndex || d.media_type == kDockerList) {
    if (depth >= kMaxIndexDepth) {
      return base::Status::InvalidArgument("indexes nested too deeply");
    }
    TETHER_ASSIGN_OR_RETURN(std::vector<OciDescriptor> list,
                            ParseOciIndex(text));
    for (OciDescriptor& m : list) {
      bool ours = (m.os.empty() || m.os == "linux") &&
                  (m.architecture.empty() || m.architecture == "amd64");
      if (!ours) continue;
      if (m.image_name.empty()) m.image_name = d.image_name;
      if (m.ref_name.empty()) m.ref_name = d.ref_name;
      return AddOci(members, m, read, depth + 1, plans);
    }
    return base::Status::InvalidArgument("index " + d.digest +
                                         ": no linux/amd64 image");
  }
  if (!d.media_type.empty() && d.media_type != kOciManifest &&
      d.media_type != kDockerManifest) {
    return base::Status::InvalidArgument("unsupported media type \"" +
                                         d.media_type + "\"");
  }
  TETHER_ASSIGN_OR_RETURN(std::vector<OciDescriptor> parts,
                          ParseOciManifest(text));
  TETHER_ASSIGN_OR_RETURN(const ArchiveMember* config,
                          Blob(members, parts[0].digest));
  std::vector<const ArchiveMember*> layers;
  for (size_t i = 1; i < parts.size(); ++i) {
    TETHER_ASSIGN_OR_RETURN(const ArchiveMember* l,
                            Blob(members, parts[i].digest));
    layers.push_back(l);
  }
  ImagePlan plan;
  TETHER_RETURN_IF_ERROR(FillPlan(*config, layers, read, &plan));
  std::string name = d.image_name;
  if (name.empty() && d.ref_name.find_first_of(":/") != std::string::npos) {
    name = d.ref_name;
  }
  base::Result<std::string> ref =
      name.empty() ? base::Result<std::string>(base::Status::NotFound(""))
                   : NormalizeReference(name);
  if (ref.ok() && ref->find('@') == std::string::npos) {
    plan.tags.push_back(*ref);
    plan.repo_digests.push_back(ref->substr(0, ref->rfind(':')) + "@" +
                                d.digest);
  }
  plans->push_back(std::move(plan));
  return base::Status::Ok();
}

base::Result<std::vector<ImagePlan>> PlanOci(const ArchiveMembers& members,
                                             const ArchiveMember& index,
                                             const ReadMember& read) {
  TETHER_ASSIGN_OR_RETURN(std::string text, read(index, kMaxJson));
  TETHER_ASSIGN_OR_RETURN(std::vector<OciDescriptor> list,
                          ParseOciIndex(text));
  std::vector<ImagePlan> plans;
  for (size_t i = 0; i < list.size(); ++i) {
    base::Status s = AddOci(members, list[i], read, 0, &plans);
    if (!s.ok()) {
      return s.Annotate("index.json manifests[" + std::to_string(i) + "]");
    }
  }
  return plans;
}

}  // namespace

base::Result<std::vector<DockerManifestEntry>> ParseDockerManifest(
    std::string_view text) {
  TETHER_ASSIGN_OR_RETURN(json doc, ParseJson(text, "manifest.json"));
  if (!doc.is_array() || doc.empty() || doc.size() > kMaxImages) {
    return base::Status::InvalidArgument(
        "manifest.json: expected a list of 1 to 1000 images");
  }
  std::vector<DockerManifestEntry> out;
  for (size_t i = 0; i < doc.size(); ++i) {
    std::string path = guestinfo::IndexPath("manifest.json", i);
    const json& e = doc[i];
    if (!e.is_object()) return guestinfo::FieldError(path, "expected an object");
    DockerManifestEntry m;
    auto config = e.find("Config");
    if (config == e.end()) return guestinfo::FieldError(path + ".Config", "required");
    TETHER_RETURN_IF_ERROR(
        guestinfo::ReadString(*config, path + ".Config", &m.config));
    auto tags = e.find("RepoTags");
    if (tags != e.end() && !tags->is_null()) {
      TETHER_RETURN_IF_ERROR(guestinfo::ReadStringList(
          *tags, path + ".RepoTags", kMaxImages, &m.repo_tags));
    }
    auto layers = e.find("Layers");
    if (layers == e.end()) return guestinfo::FieldError(path + ".Layers", "required");
    TETHER_RETURN_IF_ERROR(guestinfo::ReadStringList(
        *layers, path + ".Layers", kMaxLayers, &m.layers));
    out.push_back(std::move(m));
  }
  return out;
}

base::Result<std::vector<OciDescriptor>> ParseOciIndex(std::string_view text) {
  TETHER_ASSIGN_OR_RETURN(json doc, ParseJson(text, "index"));
  auto list = doc.is_object() ? doc.find("manifests") : doc.end();
  if (!doc.is_object() || list == doc.end() || !list->is_array() ||
      list->empty() || list->size() > kMaxImages) {
    return base::Status::InvalidArgument(
        "index: expected 1 to 1000 manifests");
  }
  std::vector<OciDescriptor> out;
  for (size_t i = 0; i < list->size(); ++i) {
    TETHER_ASSIGN_OR_RETURN(
        OciDescriptor d,
        ReadDescriptor((*list)[i], guestinfo::IndexPath("manifests", i)));
    out.push_back(std::move(d));
  }
  return out;
}

base::Result<std::vector<OciDescriptor>> ParseOciManifest(
    std::string_view text) {
  TETHER_ASSIGN_OR_RETURN(json doc, ParseJson(text, "manifest"));
  if (!doc.is_object() || !doc.contains("config") || !doc.contains("layers") ||
      !doc["layers"].is_array() || doc["layers"].size() > kMaxLayers) {
    return base::Status::InvalidArgument(
        "manifest: expected a config and up to 1000 layers");
  }
  std::vector<OciDescriptor> out;
  TETHER_ASSIGN_OR_RETURN(OciDescriptor config,
                          ReadDescriptor(doc["config"], "manifest.config"));
  out.push_back(std::move(config));
  const json& layers = doc["layers"];
  for (size_t i = 0; i < layers.size(); ++i) {
    TETHER_ASSIGN_OR_RETURN(
        OciDescriptor d,
        ReadDescriptor(layers[i], guestinfo::IndexPath("manifest.layers", i)));
    out.push_back(std::move(d));
  }
  return out;
}

base::Result<std::vector<ImagePlan>> PlanArchive(const ArchiveMembers& members,
                                                 const ReadMember& read) {
  auto manifest = members.find("manifest.json");
  if (manifest != members.end()) {
    return PlanDocker(members, manifest->second, read);
  }
  auto index = members.find("index.json");
  if (index != members.end() && members.count("oci-layout") != 0) {
    return PlanOci(members, index->second, read);
  }
  if (members.count("repositories") != 0) {
    return base::Status::InvalidArgument(
        "this archive has only the legacy `repositories` file (docker save "
        "from before Docker 1.10); save it again with a newer docker");
  }
  return base::Status::InvalidArgument(
      "not a docker save archive: no manifest.json, and no oci-layout with "
      "index.json");
}

}  // namespace endpoint
}  // namespace attach
