#include "attach/ctl/terminal_text.h"

#include <cstdio>

namespace attach {
namespace ctl {
namespace {

void Escape(unsigned char c, std::string* out) {
  char buf[5];
  std::snprintf(buf, sizeof(buf), "\\x%02x", c);
  *out += buf;
}

// Length of the valid UTF-8 sequence at `s[i]` and its code point, or 0.
// Overlong forms and surrogates are invalid (terminals differ on them).
size_t Utf8At(std::string_view s, size_t i, unsigned* cp) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
  if (c >= 0xf5 || n == 0 || i + n > s.size()) return 0;
  unsigned v = c & (0x7f >> n);
  for (size_t k = 1; k < n; ++k) {
    unsigned char d = static_cast<unsigned char>(s[i + k]);
    if ((d & 0xc0) != 0x80) return 0;
    v = (v << 6) | (d & 0x3f);
  }
  if ((n == 3 && (v < 0x800 || (v >= 0xd800 && v <= 0xdfff))) ||
      (n == 4 && (v < 0x10000 || v > 0x10ffff))) {
    return 0;
  }
  *cp = v;
  return n;
}

}  // namespace

std::string TerminalSafe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
        Escape(c, &out);
      } else {
        out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    unsigned cp = 0;
    size_t n = Utf8At(text, i, &cp);
    if (n == 0 || (cp >= 0x80 && cp <= 0x9f)) {
      // Invalid, or a C1 control spelled in UTF-8: each byte escaped.
      size_t len = n == 0 ? 1 : n;
      for (size_t k = 0; k < len; ++k) {
        Escape(static_cast<unsigned char>(text[i + k]), &out);
      }
      i += len;
      continue;
    }
    out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace ctl
}  // namespace attach
