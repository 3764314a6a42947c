// Standard base64 (RFC 4648 section 4), both ways.
//
// Decoding is for text an operator produced (`base64 -w0`, cloud-init
// tooling, `ssh-keygen`): ASCII whitespace anywhere is skipped and the
// trailing '=' padding may be omitted. Anything else outside the alphabet,
// padding in the middle, or a dangling single character is an error.
#ifndef TETHER_GUESTINFO_BASE64_H_
#define TETHER_GUESTINFO_BASE64_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"

namespace guestinfo {

// With '=' padding, no line breaks.
std::string Base64Encode(std::string_view data);

// kInvalidArgument "base64: invalid character '*' at offset 12",
// "base64: truncated input", "base64: bad '=' padding", or, when the output
// would exceed `max_out`, "base64: decoded data exceeds N bytes".
base::Result<std::string> Base64Decode(std::string_view text,
                                       size_t max_out = std::string::npos);

// True for the 64 alphabet characters (not '=').
bool IsBase64Char(char c);

}  // namespace guestinfo

#endif  // TETHER_GUESTINFO_BASE64_H_
