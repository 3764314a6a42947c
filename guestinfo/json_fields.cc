#include "guestinfo/json_fields.h"

#include <algorithm>
#include <limits>

namespace guestinfo {
namespace {

using nlohmann::json;

constexpr size_t kQuoteMax = 64;

bool IsPlainKey(std::string_view key) {
  if (key.empty() || key.size() > kQuoteMax) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::string Expected(std::string_view what, const json& v) {
  return "expected " + std::string(what) + ", got " + v.type_name();
}

template <typename V, typename B>
base::Status OutOfRange(std::string_view path, V value, B lo, B hi) {
  return FieldError(path, std::to_string(value) + " is out of range " +
                              std::to_string(lo) + ".." + std::to_string(hi));
}

}  // namespace

std::string FieldPath(std::string_view parent, std::string_view key) {
  std::string out(parent);
  if (IsPlainKey(key)) {
    if (!out.empty()) out += '.';
    out += key;
  } else {
    out += '[';
    out += Quote(key);
    out += ']';
  }
  return out;
}

std::string IndexPath(std::string_view parent, size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

std::string Quote(std::string_view value) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (size_t i = 0; i < value.size() && i < kQuoteMax; ++i) {
    unsigned char c = static_cast<unsigned char>(value[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      // Bytes, not characters: an error message must stay one clean line
      // even when the input is not UTF-8.
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
  if (value.size() > kQuoteMax) out += "...";
  return out;
}

base::Status FieldError(std::string_view path, std::string_view problem) {
  std::string msg(path);
  msg += ": ";
  msg += problem;
  return base::Status::InvalidArgument(std::move(msg));
}

base::Status ReadString(const json& v, std::string_view path,
                        std::string* out) {
  if (!v.is_string()) return FieldError(path, Expected("a string", v));
  const std::string& s = v.get_ref<const std::string&>();
  // Strings reach execve, mount and sethostname as C strings, where an
  // embedded NUL would silently cut them short.
  if (s.find('\0') != std::string::npos) {
    return FieldError(path, "contains a NUL byte");
  }
  *out = s;
  return base::Status::Ok();
}

base::Status ReadBool(const json& v, std::string_view path, bool* out) {
  if (!v.is_boolean()) return FieldError(path, Expected("a boolean", v));
  *out = v.get<bool>();
  return base::Status::Ok();
}

base::Status ReadInt(const json& v, std::string_view path, int64_t lo,
                     int64_t hi, int64_t* out) {
  if (!v.is_number_integer()) {
    return FieldError(path, Expected("an integer", v));
  }
  if (v.is_number_unsigned()) {
    uint64_t u = v.get<uint64_t>();
    // nlohmann types every non-negative literal as unsigned, so the lower
    // bound must be checked here too.
    if (hi < 0 || u > static_cast<uint64_t>(hi) ||
        (lo > 0 && u < static_cast<uint64_t>(lo))) {
      return OutOfRange(path, u, lo, hi);
    }
    *out = static_cast<int64_t>(u);
    return base::Status::Ok();
  }
  int64_t i = v.get<int64_t>();
  if (i < lo || i > hi) return OutOfRange(path, i, lo, hi);
  *out = i;
  return base::Status::Ok();
}

base::Status ReadUint(const json& v, std::string_view path, uint64_t lo,
                      uint64_t hi, uint64_t* out) {
  if (!v.is_number_integer()) {
    return FieldError(path, Expected("an integer", v));
  }
  // nlohmann stores non-negative literals as unsigned, so this is < 0.
  if (!v.is_number_unsigned()) {
    return OutOfRange(path, v.get<int64_t>(), lo, hi);
  }
  uint64_t u = v.get<uint64_t>();
  if (u < lo || u > hi) return OutOfRange(path, u, lo, hi);
  *out = u;
  return base::Status::Ok();
}

base::Status CheckArray(const json& v, std::string_view path, size_t max) {
  if (!v.is_array()) return FieldError(path, Expected("an array", v));
  if (v.size() > max) {
    return FieldError(path, std::to_string(v.size()) +
                                " entries exceed the limit of " +
                                std::to_string(max));
  }
  return base::Status::Ok();
}

base::Status ReadStringList(const json& v, std::string_view path, size_t max,
                            std::vector<std::string>* out) {
  TETHER_RETURN_IF_ERROR(CheckArray(v, path, max));
  std::vector<std::string> list(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    TETHER_RETURN_IF_ERROR(ReadString(v[i], IndexPath(path, i), &list[i]));
  }
  *out = std::move(list);
  return base::Status::Ok();
}

base::Status UniqueValues::Add(const std::string& value, std::string_view path,
                               std::string label) {
  auto [it, inserted] = seen_.emplace(value, std::move(label));
  if (inserted) return base::Status::Ok();
  return FieldError(path, "duplicate " + what_ + " " + Quote(value) +
                              " (also " + it->second + ")");
}

base::Result<ObjectReader> ObjectReader::Open(
    const json& value, std::string path,
    std::initializer_list<std::string_view> known) {
  if (!value.is_object()) {
    return FieldError(path.empty() ? "config" : path,
                      Expected("an object", value));
  }
  for (const auto& item : value.items()) {
    if (std::find(known.begin(), known.end(), item.key()) == known.end()) {
      return FieldError(FieldPath(path, item.key()), "unknown field");
    }
  }
  return ObjectReader(&value, std::move(path));
}

const json* ObjectReader::Find(std::string_view key) const {
  auto it = object_->find(key);
  if (it == object_->end() || it->is_null()) return nullptr;
  return &*it;
}

base::Status ObjectReader::String(std::string_view key,
                                  std::string* out) const {
  const json* v = Find(key);
  return v ? ReadString(*v, Path(key), out) : base::Status::Ok();
}

base::Status ObjectReader::RequiredString(std::string_view key,
                                          std::string* out) const {
  TETHER_RETURN_IF_ERROR(String(key, out));
  if (out->empty()) return FieldError(Path(key), "required");
  return base::Status::Ok();
}

base::Status ObjectReader::Bool(std::string_view key, bool* out) const {
  const json* v = Find(key);
  return v ? ReadBool(*v, Path(key), out) : base::Status::Ok();
}

base::Status ObjectReader::Int(std::string_view key, int lo, int hi,
                               int* out) const {
  const json* v = Find(key);
  if (v == nullptr) return base::Status::Ok();
  int64_t wide = 0;
  TETHER_RETURN_IF_ERROR(ReadInt(*v, Path(key), lo, hi, &wide));
  *out = static_cast<int>(wide);
  return base::Status::Ok();
}

base::Status ObjectReader::Uint(std::string_view key, uint64_t lo, uint64_t hi,
                                uint64_t* out) const {
  const json* v = Find(key);
  return v ? ReadUint(*v, Path(key), lo, hi, out) : base::Status::Ok();
}

base::Status ObjectReader::StringList(std::string_view key, size_t max,
                                      std::vector<std::string>* out) const {
  const json* v = Find(key);
  return v ? ReadStringList(*v, Path(key), max, out) : base::Status::Ok();
}

}  // namespace guestinfo
