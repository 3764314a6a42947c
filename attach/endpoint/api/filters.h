// The `filters` query of list requests (docker ps -f, docker images -f):
// JSON of {"key": {"value": true}} or the old {"key": ["value"]}.
#ifndef TETHER_ATTACH_ENDPOINT_API_FILTERS_H_
#define TETHER_ATTACH_ENDPOINT_API_FILTERS_H_

#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include "base/result.h"

namespace attach {
namespace endpoint {
namespace api {

using FilterArgs = std::map<std::string, std::vector<std::string>>;

// Each key's values; empty text is no filter. kInvalidArgument "invalid
// filter 'x'" (dockerd's words) for a key not in `allowed` or a value of
// the wrong shape, and for malformed JSON.
base::Result<FilterArgs> ParseFilterArgs(
    const std::string& text, std::initializer_list<const char*> allowed);

// The values of `key` (none when absent).
const std::vector<std::string>& FilterValues(const FilterArgs& args,
                                             const std::string& key);

}  // namespace api
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_API_FILTERS_H_
