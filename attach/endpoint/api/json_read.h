// Reading the JSON bodies docker clients send, with Go's leniency and
// clear errors: a missing field or a `null` leaves the default (as Go's
// encoding/json does), a field of the wrong type is an error naming it in
// Go's words ("json: cannot unmarshal number into Go struct field
// Config.Env of type []string"), unknown fields are ignored.
#ifndef TETHER_ATTACH_ENDPOINT_API_JSON_READ_H_
#define TETHER_ATTACH_ENDPOINT_API_JSON_READ_H_

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace attach {
namespace endpoint {
namespace api {

// Parses a request body; an empty body is an empty object. kInvalidArgument
// "invalid JSON: ..." (with the parser's position) or "... must be a JSON
// object".
base::Result<nlohmann::json> ParseBody(std::string_view body);

// Field readers over one JSON object; `where` names it in errors
// ("Config", "HostConfig").
class Fields {
 public:
  Fields(const nlohmann::json& obj, std::string where)
      : obj_(obj), where_(std::move(where)) {}

  base::Status String(const char* key, std::string* out) const;
  base::Status Bool(const char* key, bool* out) const;
  base::Status Int(const char* key, int64_t* out) const;
  // A string list; `present` tells a missing or null field from [] (docker
  // treats them differently for Entrypoint).
  base::Status StringList(const char* key, std::vector<std::string>* out,
                          bool* present = nullptr) const;
  // Cmd and Entrypoint may be one string too (docker's StrSlice).
  base::Status StrSlice(const char* key, std::vector<std::string>* out,
                        bool* present = nullptr) const;
  base::Status StringMap(const char* key,
                         std::map<std::string, std::string>* out) const;
  // A nested object (null or missing: an empty one).
  base::Result<nlohmann::json> Object(const char* key) const;
  // The keys of an object of objects ({"80/tcp": {}}).
  base::Status KeySet(const char* key, std::vector<std::string>* out) const;

 private:
  // The field when present and not null.
  const nlohmann::json* Find(const char* key) const;
  base::Status TypeError(const char* key, const char* go_type) const;

  const nlohmann::json& obj_;
  std::string where_;
};

}  // namespace api
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_API_JSON_READ_H_
