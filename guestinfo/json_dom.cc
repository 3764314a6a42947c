#include "guestinfo/json_dom.h"

#include <string>
#include <utility>
#include <vector>

#include "guestinfo/json_fields.h"
#include "guestinfo/limits.h"

namespace guestinfo {
namespace {

using nlohmann::json;

// A DOM builder on nlohmann's public SAX interface. Invariant: stack_ holds
// the open containers, innermost last; paths_[i] is stack_[i]'s field path.
// Only the innermost container ever grows, so the pointers stay valid even
// when a parent array reallocates (it does so only after the child closed).
class StrictBuilder : public nlohmann::json_sax<json> {
 public:
  explicit StrictBuilder(std::string_view doc_name) : doc_name_(doc_name) {}

  bool null() override { return Put(json(nullptr)); }
  bool boolean(bool v) override { return Put(json(v)); }
  bool number_integer(number_integer_t v) override { return Put(json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return Put(json(v)); }
  bool number_float(number_float_t v, const string_t&) override {
    return Put(json(v));
  }
  bool string(string_t& v) override { return Put(json(std::move(v))); }
  bool binary(binary_t&) override { return Fail(doc_name_, "binary value"); }

  bool start_object(std::size_t) override {
    return Open(json(json::value_t::object));
  }
  bool start_array(std::size_t) override {
    return Open(json(json::value_t::array));
  }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }

  bool key(string_t& k) override {
    if (stack_.back()->contains(k)) {
      return Fail(FieldPath(paths_.back(), k), "duplicate key");
    }
    key_ = std::move(k);
    return true;
  }

  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    return Fail(doc_name_, "invalid JSON: " + CleanMessage(ex.what()));
  }

  json TakeRoot() { return std::move(root_); }
  base::Status TakeError() { return std::move(error_); }

 private:
  // The path the next value gets: a new key or the next array index.
  std::string NextPath() const {
    if (stack_.empty()) return std::string();
    const json& top = *stack_.back();
    return top.is_array() ? IndexPath(paths_.back(), top.size())
                          : FieldPath(paths_.back(), key_);
  }

  // Places `v` and returns where it now lives.
  json* Place(json v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    json& top = *stack_.back();
    if (top.is_array()) {
      top.push_back(std::move(v));
      return &top.back();
    }
    json& slot = top[key_];
    slot = std::move(v);
    return &slot;
  }

  bool Put(json v) {
    Place(std::move(v));
    return true;
  }

  bool Open(json container) {
    std::string path = NextPath();
    if (stack_.size() >= kMaxJsonDepth) {
      return Fail(
          path.empty() ? std::string(doc_name_) : path,
          "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    }
    stack_.push_back(Place(std::move(container)));
    paths_.push_back(std::move(path));
    return true;
  }

  bool Close() {
    stack_.pop_back();
    paths_.pop_back();
    return true;
  }

  bool Fail(std::string_view path, std::string_view problem) {
    if (error_.ok()) error_ = FieldError(path, problem);
    return false;  // Stops the parser.
  }

  // nlohmann's message without its "[json.exception.parse_error.101] "
  // prefix and without "; last read: '<token>'", which can be the start of
  // a secret string (an env value with a raw control character in it).
  static std::string CleanMessage(std::string msg) {
    size_t bracket = msg.find("] ");
    if (msg.rfind("[json.exception.", 0) == 0 && bracket != std::string::npos) {
      msg.erase(0, bracket + 2);
    }
    size_t token = msg.find("; last read: '");
    if (token != std::string::npos) {
      size_t expected = msg.rfind("; expected ");
      if (expected == std::string::npos || expected < token) {
        expected = msg.size();
      }
      msg.erase(token, expected - token);
    }
    return msg;
  }

  std::string_view doc_name_;
  json root_;
  std::vector<json*> stack_;
  std::vector<std::string> paths_;
  std::string key_;
  base::Status error_;
};

}  // namespace

base::Result<json> ParseJsonDocument(std::string_view text,
                                     std::string_view doc_name) {
  StrictBuilder builder(doc_name);
  bool ok = json::sax_parse(text, &builder);
  base::Status error = builder.TakeError();
  if (!error.ok()) return error;
  if (!ok) {
    return FieldError(doc_name, "invalid JSON");  // Not reached in practice.
  }
  return builder.TakeRoot();
}

}  // namespace guestinfo
