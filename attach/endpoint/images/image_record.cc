#include "attach/endpoint/images/image_record.h"

#include <nlohmann/json.hpp>

#include "attach/endpoint/images/sha256.h"
#include "guestinfo/json_dom.h"
#include "guestinfo/json_fields.h"

namespace attach {
namespace endpoint {
namespace {

using guestinfo::ObjectReader;
using nlohmann::json;

constexpr size_t kMaxList = 100000;

std::string Dump(const json& doc) {
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string EncodeImageRecord(const ImageRecord& r) {
  return Dump(json{{"version", 1},
                   {"id", r.id},
                   {"size", r.size},
                   {"disk_bytes", r.disk_bytes},
                   {"repo_digests", r.repo_digests},
                   {"loaded", r.loaded}});
}

base::Result<ImageRecord> DecodeImageRecord(std::string_view text) {
  TETHER_ASSIGN_OR_RETURN(json doc,
                          guestinfo::ParseJsonDocument(text, "image.json"));
  TETHER_ASSIGN_OR_RETURN(
      ObjectReader r,
      ObjectReader::Open(doc, "", {"version", "id", "size", "disk_bytes",
                                   "repo_digests", "loaded"}));
  int version = 1;
  TETHER_RETURN_IF_ERROR(r.Int("version", 1, 1, &version));
  ImageRecord out;
  TETHER_RETURN_IF_ERROR(r.RequiredString("id", &out.id));
  if (!IsSha256Digest(out.id)) {
    return base::Status::InvalidArgument("id: not a sha256 digest");
  }
  if (const json* v = r.Find("size")) {
    TETHER_RETURN_IF_ERROR(
        guestinfo::ReadUint(*v, r.Path("size"), 0, UINT64_MAX, &out.size));
  }
  if (const json* v = r.Find("disk_bytes")) {
    TETHER_RETURN_IF_ERROR(guestinfo::ReadUint(*v, r.Path("disk_bytes"), 0,
                                               UINT64_MAX, &out.disk_bytes));
  }
  TETHER_RETURN_IF_ERROR(
      r.StringList("repo_digests", kMaxList, &out.repo_digests));
  if (const json* v = r.Find("loaded")) {
    TETHER_RETURN_IF_ERROR(guestinfo::ReadInt(*v, r.Path("loaded"), 0,
                                              INT64_MAX, &out.loaded));
  }
  return out;
}

std::string EncodeTags(const std::map<std::string, std::string>& tags) {
  return Dump(json{{"version", 1}, {"tags", tags}});
}

base::Result<std::map<std::string, std::string>> DecodeTags(
    std::string_view text) {
  TETHER_ASSIGN_OR_RETURN(
      json doc, guestinfo::ParseJsonDocument(text, "repositories.json"));
  TETHER_ASSIGN_OR_RETURN(ObjectReader r,
                          ObjectReader::Open(doc, "", {"version", "tags"}));
  int version = 1;
  TETHER_RETURN_IF_ERROR(r.Int("version", 1, 1, &version));
  std::map<std::string, std::string> tags;
  const json* t = r.Find("tags");
  if (t == nullptr) return tags;
  if (!t->is_object()) {
    return base::Status::InvalidArgument("tags: expected an object");
  }
  for (auto it = t->begin(); it != t->end(); ++it) {
    if (!it->is_string() || !IsSha256Digest(it->get<std::string>())) {
      return base::Status::InvalidArgument("tags: bad image id for " +
                                           guestinfo::Quote(it.key()));
    }
    tags[it.key()] = it->get<std::string>();
  }
  return tags;
}

}  // namespace endpoint
}  // namespace attach
