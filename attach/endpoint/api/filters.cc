#include "attach/endpoint/api/filters.h"

#include "attach/endpoint/api/json_read.h"

namespace attach {
namespace endpoint {
namespace api {

using nlohmann::json;

base::Result<FilterArgs> ParseFilterArgs(
    const std::string& text, std::initializer_list<const char*> allowed) {
  FilterArgs out;
  if (text.empty()) return out;
  TETHER_ASSIGN_OR_RETURN(json doc, ParseBody(text));
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    bool known = false;
    for (const char* key : allowed) known |= it.key() == key;
    if (!known || !(it->is_object() || it->is_array())) {
      return base::Status::InvalidArgument("invalid filter '" + it.key() + "'");
    }
    std::vector<std::string>& into = out[it.key()];
    if (it->is_object()) {
      for (auto v = it->begin(); v != it->end(); ++v) into.push_back(v.key());
    } else {
      for (const json& v : *it) {
        if (v.is_string()) into.push_back(v.get<std::string>());
      }
    }
  }
  return out;
}

const std::vector<std::string>& FilterValues(const FilterArgs& args,
                                             const std::string& key) {
  static const std::vector<std::string> kNone;
  auto it = args.find(key);
  return it == args.end() ? kNone : it->second;
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
