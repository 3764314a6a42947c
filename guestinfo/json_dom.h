// Strict JSON parsing for documents from outside the VM.
//
// nlohmann's DOM parser keeps the last of two equal keys and happily builds
// a million nested arrays. For a config both are silent surprises, so this
// builds the DOM itself from nlohmann's SAX events and rejects, with the
// field path, what the schema decoder could not see any more:
//   sessions[0].tty: duplicate key
//   sessions[0].env: nested deeper than 32 levels
//   config: invalid JSON: parse error at line 3, column 1: syntax error ...
// Parse errors never quote the offending token: it may be part of a secret.
#ifndef TETHER_GUESTINFO_JSON_DOM_H_
#define TETHER_GUESTINFO_JSON_DOM_H_

#include <nlohmann/json.hpp>
#include <string_view>

#include "base/result.h"

namespace guestinfo {

// Parses `text` as one JSON value. `doc_name` prefixes errors that concern
// the whole document ("config: invalid JSON: ..."). Never throws; errors
// are kInvalidArgument.
base::Result<nlohmann::json> ParseJsonDocument(std::string_view text,
                                               std::string_view doc_name);

}  // namespace guestinfo

#endif  // TETHER_GUESTINFO_JSON_DOM_H_
