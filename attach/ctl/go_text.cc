#include "attach/ctl/go_text.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace attach {
namespace ctl {
namespace {

constexpr char32_t kRuneError = 0xFFFD;

struct Rune {
  char32_t r;
  size_t width;  // Bytes consumed; 1 for an invalid byte (r = kRuneError).
};

// utf8.DecodeRuneInString: rejects overlong forms, surrogates and values
// past U+10FFFF, each invalid byte decoding alone as U+FFFD.
Rune DecodeRune(std::string_view s, size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return {c, 1};
  size_t n;
  char32_t r;
  char32_t min;
  if ((c & 0xE0) == 0xC0) {
    n = 2, r = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, r = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, r = c & 0x07, min = 0x10000;
  } else {
    return {kRuneError, 1};
  }
  if (i + n > s.size()) return {kRuneError, 1};
  for (size_t k = 1; k < n; ++k) {
    const unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return {kRuneError, 1};
    r = (r << 6) | (cc & 0x3F);
  }
  if (r < min || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) {
    return {kRuneError, 1};
  }
  return {r, n};
}

void AppendUtf8(char32_t r, std::string* out) {
  if (r < 0x80) {
    out->push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (r >> 6)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (r >> 12)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (r >> 18)));
    out->push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

bool IsPrintable(char32_t r) {
  if (r < 0x20 || r == 0x7F) return false;
  if (r < 0x7F) return true;
  if (r < 0xA0 || r == 0xAD) return false;
  if (r == 0x2028 || r == 0x2029 || r == 0xFEFF) return false;
  if (r >= 0xE000 && r <= 0xF8FF) return false;  // Private use.
  if ((r & 0xFFFE) == 0xFFFE) return false;      // Non-characters.
  if (r >= 0xFDD0 && r <= 0xFDEF) return false;
  return true;
}

// golang.org/x/text/width: EastAsianWide or EastAsianFullwidth. The main
// blocks only; everything else is one column.
size_t CharWidth(char32_t r) {
  static constexpr char32_t kWide[][2] = {
      {0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},
      {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
      {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE30, 0xFE4F},
      {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
      {0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD},
  };
  for (const auto& range : kWide) {
    if (r >= range[0] && r <= range[1]) return 2;
  }
  return 1;
}

void AppendHex(const char* prefix, int digits, uint32_t v, std::string* out) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%s%0*x", prefix, digits, v);
  *out += buf;
}

size_t RuneCount(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); i += DecodeRune(s, i).width) ++n;
  return n;
}

}  // namespace

std::string GoQuote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    Rune d = DecodeRune(s, i);
    if (d.r == kRuneError && d.width == 1) {
      AppendHex("\\x", 2, static_cast<unsigned char>(s[i]), &out);
    } else if (d.r == '"' || d.r == '\\') {
      out += '\\';
      out += static_cast<char>(d.r);
    } else if (IsPrintable(d.r)) {
      out.append(s.substr(i, d.width));
    } else {
      switch (d.r) {
        case '\a':
          out += "\\a";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\v':
          out += "\\v";
          break;
        default:
          if (d.r < 0x20 || d.r == 0x7F) {
            AppendHex("\\x", 2, d.r, &out);
          } else if (d.r < 0x10000) {
            AppendHex("\\u", 4, d.r, &out);
          } else {
            AppendHex("\\U", 8, d.r, &out);
          }
      }
    }
    i += d.width;
  }
  return out + "\"";
}

std::string Ellipsis(std::string_view s, size_t max_width) {
  if (max_width == 0) return "";
  std::vector<char32_t> runes;
  for (size_t i = 0; i < s.size();) {
    Rune d = DecodeRune(s, i);
    runes.push_back(d.r);
    i += d.width;
  }
  std::string out;
  if (max_width == 1) {
    if (!runes.empty()) AppendUtf8(runes[0], &out);
    return out;
  }
  // Go re-encodes the kept runes ([]rune -> string), so an invalid byte in
  // a truncated command comes out as U+FFFD; untruncated text is returned
  // byte for byte.
  size_t width = 0;
  for (size_t i = 0; i < runes.size(); ++i) {
    size_t w = CharWidth(runes[i]);
    if (width + w > max_width - 1) {
      size_t total = width;
      for (size_t k = i; k < runes.size(); ++k) total += CharWidth(runes[k]);
      if (total <= max_width) return std::string(s);
      if (i == 0) return std::string(s);  // Nothing fits; Go keeps s too.
      return out + "\u2026";
    }
    width += w;
    AppendUtf8(runes[i], &out);
  }
  return std::string(s);
}

std::string AlignColumns(const std::vector<std::vector<std::string>>& rows) {
  constexpr size_t kMinWidth = 10;
  constexpr size_t kPadding = 3;
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    // The last cell of a row is not tab-terminated: it takes no part in
    // column widths.
    for (size_t c = 0; c + 1 < row.size(); ++c) {
      if (widths.size() <= c) widths.push_back(kMinWidth);
      widths[c] = std::max(widths[c], RuneCount(row[c]) + kPadding);
    }
  }
  std::string out;
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      out += row[c];
      if (c + 1 < row.size()) out.append(widths[c] - RuneCount(row[c]), ' ');
    }
    out += '\n';
  }
  return out;
}

}  // namespace ctl
}  // namespace attach
