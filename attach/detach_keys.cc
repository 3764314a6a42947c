#include "attach/detach_keys.h"

namespace attach {

base::Result<std::string> ParseDetachKeys(std::string_view spec) {
  if (spec.empty()) return DefaultDetachKeys();
  // Index = the control code: ctrl-@ is 0, ctrl-a is 1, ... ctrl-_ is 31.
  static constexpr const char* kCtrl[] = {
      "@", "a", "b", "c", "d", "e", "f",  "g", "h", "i", "j",
      "k", "l", "m", "n", "o", "p", "q",  "r", "s", "t", "u",
      "v", "w", "x", "y", "z", "[", "\\", "]", "^", "_"};
  std::string codes;
  size_t start = 0;
  for (;;) {
    size_t comma = spec.find(',', start);
    std::string_view key = spec.substr(
        start, comma == std::string_view::npos ? comma : comma - start);
    if (key.size() == 1) {
      codes += key[0];
    } else if (key == "DEL") {
      codes += '\x7f';
    } else {
      bool found = false;
      if (key.size() == 6 && key.substr(0, 5) == "ctrl-") {
        for (size_t code = 0; code < sizeof(kCtrl) / sizeof(kCtrl[0]); ++code) {
          if (key.substr(5) == kCtrl[code]) {
            codes += static_cast<char>(code);
            found = true;
            break;
          }
        }
      }
      if (!found) {
        return base::Status::InvalidArgument("Invalid detach keys (" +
                                             std::string(spec) + ") provided");
      }
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return codes;
}

bool EscapeFilter::Feed(std::string_view data, std::string* forward) {
  if (keys_.empty()) {
    forward->append(data);
    return false;
  }
  for (char c : data) {
    if (c == keys_[matched_]) {
      if (++matched_ == keys_.size()) {
        matched_ = 0;
        return true;
      }
      continue;
    }
    // Not the sequence after all: the held prefix was typed keys.
    forward->append(keys_, 0, matched_);
    matched_ = 0;
    if (c == keys_[0]) {
      matched_ = 1;  // keys_ has two or more bytes, or c had matched.
    } else {
      *forward += c;
    }
  }
  return false;
}

std::string EscapeFilter::TakeHeld() {
  std::string held = keys_.substr(0, matched_);
  matched_ = 0;
  return held;
}

}  // namespace attach
