// Fuzzes the JSON documents of a docker save or OCI archive: manifest.json,
// index.json, image manifests and image configs
// (images/archive_manifest.h, images/image_config.h), and the archive
// planner with every member holding the input.
#include <cstdint>
#include <string>

#include "attach/endpoint/images/archive_manifest.h"
#include "attach/endpoint/images/image_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  using namespace attach::endpoint;
  (void)ParseDockerManifest(text);
  (void)ParseOciIndex(text);
  (void)ParseOciManifest(text);
  (void)ParseImageConfig(text);
  (void)ParseRfc3339(text);
  ArchiveMembers members;
  for (const char* name : {"manifest.json", "index.json", "oci-layout",
                           "config.json", "layer.tar"}) {
    members[name] = ArchiveMember{name, size, "sha256:" + std::string(64, '0'), ""};
  }
  members["link"] = ArchiveMember{"", 0, "", "link"};  // A symlink loop.
  ReadMember read = [&](const ArchiveMember&, size_t max) -> base::Result<std::string> {
    return text.substr(0, max);
  };
  (void)PlanArchive(members, read);
  members.erase("manifest.json");
  (void)PlanArchive(members, read);
  return 0;
}
