// JSON <-> Config (config.h), version 1 of the schema in docs/config.md.
//
// DecodeConfig is the only way a Config is built from outside input: it
// parses strictly (duplicate keys, unknown fields and over-deep nesting are
// errors), applies the documented defaults and validates every field. The
// first problem found is returned as kInvalidArgument whose message starts
// with the field path:
//   sessions[0].stop_signal: unknown signal "SIGFOO"
//   sessions: no primary session
//   version: unsupported version 2 (this tether reads version 1)
// Messages never contain identity_key or env entries.
//
// The encoders never fail and never throw; strings that are not UTF-8 are
// written with U+FFFD in their place.
#ifndef TETHER_GUESTINFO_CONFIG_CODEC_H_
#define TETHER_GUESTINFO_CONFIG_CODEC_H_

#include <string>
#include <string_view>

#include "base/result.h"
#include "guestinfo/config.h"

namespace guestinfo {

// The version DecodeConfig reads and EncodeConfig writes.
inline constexpr int kConfigVersion = 1;

// Decodes and validates a config document of at most kMaxConfigBytes.
// Defaults it fills in: hostname (name if that is a valid hostname, else
// the first 12 digits of id), args ({path}), and primary (true for a lone
// session that does not say). kInternal only if the JSON library throws
// (out of memory).
base::Result<Config> DecodeConfig(std::string_view json);

// The config as a document DecodeConfig accepts and decodes to the same
// Config (every field written, defaults included). For writing configs
// (tetherctl run); contains the identity key and env values.
std::string EncodeConfig(const Config& config);

// EncodeConfig with endpoint.identity_key and every env value replaced by
// "<redacted>" ("PATH=<redacted>"). For logs, `inspect` and pprof's
// cmdline: the only encoding of a config that may leave the guest or reach
// a console. Not meant to decode back to a usable config.
std::string EncodeConfigRedacted(const Config& config);

}  // namespace guestinfo

#endif  // TETHER_GUESTINFO_CONFIG_CODEC_H_
