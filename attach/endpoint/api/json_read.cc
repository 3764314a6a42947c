#include "attach/endpoint/api/json_read.h"

namespace attach {
namespace endpoint {
namespace api {

using nlohmann::json;

namespace {

// Go's name for the JSON type it found.
const char* GoKind(const json& v) {
  switch (v.type()) {
    case json::value_t::string:
      return "string";
    case json::value_t::boolean:
      return "bool";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "number";
    case json::value_t::array:
      return "array";
    case json::value_t::object:
      return "object";
    default:
      return "value";
  }
}

}  // namespace

base::Result<json> ParseBody(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return json::object();
  }
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    // Parse again for the position: nlohmann reports it only by throwing,
    // and a throw must not leave this function.
    try {
      json again = json::parse(body);
      (void)again;
    } catch (const json::parse_error& e) {
      return base::Status::InvalidArgument(
          "invalid JSON: byte " + std::to_string(e.byte) + ": " +
          std::string(e.what()).substr(std::string(e.what()).rfind(": ") + 2));
    } catch (...) {
    }
    return base::Status::InvalidArgument("invalid JSON");
  }
  if (!doc.is_object()) {
    return base::Status::InvalidArgument(
        std::string("json: cannot unmarshal ") + GoKind(doc) +
        " into Go value of type object");
  }
  return doc;
}

const json* Fields::Find(const char* key) const {
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) return nullptr;
  return &*it;
}

base::Status Fields::TypeError(const char* key, const char* go_type) const {
  return base::Status::InvalidArgument(
      std::string("json: cannot unmarshal ") + GoKind(obj_.at(key)) +
      " into Go struct field " + where_ + "." + key + " of type " + go_type);
}

base::Status Fields::String(const char* key, std::string* out) const {
  const json* v = Find(key);
  if (v == nullptr) return base::Status::Ok();
  if (!v->is_string()) return TypeError(key, "string");
  *out = v->get<std::string>();
  return base::Status::Ok();
}

base::Status Fields::Bool(const char* key, bool* out) const {
  const json* v = Find(key);
  if (v == nullptr) return base::Status::Ok();
  if (!v->is_boolean()) return TypeError(key, "bool");
  *out = v->get<bool>();
  return base::Status::Ok();
}

base::Status Fields::Int(const char* key, int64_t* out) const {
  const json* v = Find(key);
  if (v == nullptr) return base::Status::Ok();
  if (v->is_number_integer()) {
    *out = v->get<int64_t>();
    return base::Status::Ok();
  }
  if (v->is_number_unsigned() && v->get<uint64_t>() <= INT64_MAX) {
    *out = static_cast<int64_t>(v->get<uint64_t>());
    return base::Status::Ok();
  }
  return TypeError(key, "int64");
}

base::Status Fields::StringList(const char* key, std::vector<std::string>* out,
                                bool* present) const {
  const json* v = Find(key);
  if (present != nullptr) *present = v != nullptr;
  if (v == nullptr) return base::Status::Ok();
  if (!v->is_array()) return TypeError(key, "[]string");
  out->clear();
  for (const json& item : *v) {
    if (!item.is_string()) {
      return base::Status::InvalidArgument(
          std::string("json: cannot unmarshal ") + GoKind(item) +
          " into Go struct field " + where_ + "." + key + " of type string");
    }
    out->push_back(item.get<std::string>());
  }
  return base::Status::Ok();
}

base::Status Fields::StrSlice(const char* key, std::vector<std::string>* out,
                              bool* present) const {
  const json* v = Find(key);
  if (v != nullptr && v->is_string()) {
    if (present != nullptr) *present = true;
    *out = {v->get<std::string>()};
    return base::Status::Ok();
  }
  return StringList(key, out, present);
}

base::Status Fields::StringMap(const char* key,
                               std::map<std::string, std::string>* out) const {
  const json* v = Find(key);
  if (v == nullptr) return base::Status::Ok();
  if (!v->is_object()) return TypeError(key, "map[string]string");
  out->clear();
  for (auto it = v->begin(); it != v->end(); ++it) {
    if (!it.value().is_string()) {
      return TypeError(key, "map[string]string");
    }
    (*out)[it.key()] = it.value().get<std::string>();
  }
  return base::Status::Ok();
}

base::Result<json> Fields::Object(const char* key) const {
  const json* v = Find(key);
  if (v == nullptr) return json::object();
  if (!v->is_object()) return TypeError(key, "struct");
  return *v;
}

base::Status Fields::KeySet(const char* key,
                            std::vector<std::string>* out) const {
  const json* v = Find(key);
  if (v == nullptr) return base::Status::Ok();
  if (!v->is_object()) return TypeError(key, "map[string]struct {}");
  out->clear();
  for (auto it = v->begin(); it != v->end(); ++it) out->push_back(it.key());
  return base::Status::Ok();
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
