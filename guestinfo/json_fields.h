// Typed, path-aware reads of a decoded JSON document.
//
// The config decoder reads every field through these helpers so that each
// error names the field's path ("sessions[0].tty: expected a boolean, got
// string") and an object with a key nobody asked about is rejected up front
// (docs/config.md explains why unknown fields are errors).
//
// JSON null is treated as an absent field. No function here throws; all
// errors are kInvalidArgument. Values are never echoed in type errors, so a
// secret in the wrong place does not end up in a log.
#ifndef TETHER_GUESTINFO_JSON_FIELDS_H_
#define TETHER_GUESTINFO_JSON_FIELDS_H_

#include <cstdint>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/status.h"

namespace guestinfo {

// "parent.key", or "key" at the root. A key that is not a plain identifier
// is shown quoted and truncated: parent["we ird"].
std::string FieldPath(std::string_view parent, std::string_view key);
// "parent[index]".
std::string IndexPath(std::string_view parent, size_t index);
// A value shown in an error: double-quoted, non-printable bytes escaped,
// cut to 64 bytes. Never pass secrets (identity_key, env entries).
std::string Quote(std::string_view value);
// kInvalidArgument "path: problem".
base::Status FieldError(std::string_view path, std::string_view problem);

// The outcome of a syntax check, with "path: " prefixed when it failed.
template <typename T>
base::Status StatusAt(const base::Result<T>& result, std::string_view path) {
  if (result.ok()) return base::Status::Ok();
  return base::Status(result.status()).Annotate(std::string(path));
}

// Reads of one JSON value at `path`.
base::Status ReadString(const nlohmann::json& v, std::string_view path,
                        std::string* out);
base::Status ReadBool(const nlohmann::json& v, std::string_view path,
                      bool* out);
// Integers in lo..hi; floats ("1.5", "1e3") are not integers.
base::Status ReadInt(const nlohmann::json& v, std::string_view path, int64_t lo,
                     int64_t hi, int64_t* out);
base::Status ReadUint(const nlohmann::json& v, std::string_view path,
                      uint64_t lo, uint64_t hi, uint64_t* out);
// An array of at most `max` strings.
base::Status ReadStringList(const nlohmann::json& v, std::string_view path,
                            size_t max, std::vector<std::string>* out);
// Checks that `v` is an array of at most `max` elements.
base::Status CheckArray(const nlohmann::json& v, std::string_view path,
                        size_t max);

// Finds repeats among the entries of an array, for rules such as "session
// ids are unique". Not thread-safe; one instance per array.
class UniqueValues {
 public:
  // `what` names the value in errors: "id", "mac", "variable".
  explicit UniqueValues(std::string what) : what_(std::move(what)) {}
  // OK the first time `value` is seen, remembering `label` ("sessions[0]")
  // for it; after that kInvalidArgument
  //   <path>: duplicate <what> "<value>" (also <label of the first>)
  base::Status Add(const std::string& value, std::string_view path,
                   std::string label);

 private:
  std::string what_;
  std::map<std::string, std::string> seen_;
};

// One JSON object of the schema. Holds a pointer into the document, which
// must outlive the reader. Getters leave *out untouched when the field is
// absent, so callers preset defaults.
class ObjectReader {
 public:
  // kInvalidArgument when `value` is not an object or has a key outside
  // `known` ("sessions[0].argz: unknown field").
  static base::Result<ObjectReader> Open(
      const nlohmann::json& value, std::string path,
      std::initializer_list<std::string_view> known);

  const std::string& path() const { return path_; }
  std::string Path(std::string_view key) const { return FieldPath(path_, key); }
  // The field's value, or nullptr when absent or null.
  const nlohmann::json* Find(std::string_view key) const;

  base::Status String(std::string_view key, std::string* out) const;
  // Absent, null or "" is "path: required".
  base::Status RequiredString(std::string_view key, std::string* out) const;
  base::Status Bool(std::string_view key, bool* out) const;
  // Narrowing is safe: lo and hi bound the value.
  base::Status Int(std::string_view key, int lo, int hi, int* out) const;
  base::Status Uint(std::string_view key, uint64_t lo, uint64_t hi,
                    uint64_t* out) const;
  base::Status StringList(std::string_view key, size_t max,
                          std::vector<std::string>* out) const;

 private:
  ObjectReader(const nlohmann::json* object, std::string path)
      : object_(object), path_(std::move(path)) {}

  const nlohmann::json* object_;
  std::string path_;
};

}  // namespace guestinfo

#endif  // TETHER_GUESTINFO_JSON_FIELDS_H_
