#include "guestinfo/base64.h"

#include <cstdint>

namespace guestinfo {
namespace {

constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// The 6-bit value of an alphabet character, or -1.
int Sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool IsSpace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' ||
         c == '\f';
}

std::string Printable(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return std::string("'") + c + "'";
  static const char kHex[] = "0123456789abcdef";
  return std::string("byte 0x") + kHex[u >> 4] + kHex[u & 15];
}

}  // namespace

bool IsBase64Char(char c) { return Sextet(c) >= 0; }

std::string Base64Encode(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  auto byte = [&](size_t k) { return static_cast<uint8_t>(data[k]); };
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  size_t rest = data.size() - i;
  if (rest > 0) {
    uint32_t v = byte(i) << 16;
    if (rest == 2) v |= byte(i + 1) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

base::Result<std::string> Base64Decode(std::string_view text, size_t max_out) {
  std::string out;
  uint32_t acc = 0;  // Pending bits, most significant first.
  int bits = 0;      // How many of acc's low bits are pending.
  size_t sextets = 0;
  size_t padding = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (IsSpace(c)) continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    int v = Sextet(c);
    if (v < 0 || padding > 0) {
      return base::Status::InvalidArgument("base64: invalid character " +
                                           Printable(c) + " at offset " +
                                           std::to_string(i));
    }
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    ++sextets;
    if (bits >= 8) {
      bits -= 8;
      if (out.size() >= max_out) {
        return base::Status::InvalidArgument("base64: decoded data exceeds " +
                                             std::to_string(max_out) +
                                             " bytes");
      }
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  // One character of a final group carries 6 bits: less than a byte.
  size_t tail = sextets % 4;
  if (tail == 1)
    return base::Status::InvalidArgument("base64: truncated input");
  if (padding > 0 && tail + padding != 4) {
    return base::Status::InvalidArgument("base64: bad '=' padding");
  }
  return out;
}

}  // namespace guestinfo
