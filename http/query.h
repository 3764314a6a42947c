// Decoding of request targets: percent-escapes and
// application/x-www-form-urlencoded queries. Pure functions.
#ifndef TETHER_HTTP_QUERY_H_
#define TETHER_HTTP_QUERY_H_

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace http {

// Every key and value of "a=1&b=x%20y&a=2" in order, repeated keys
// too (docker's `changes=` of an import). kInvalidArgument names a
// malformed escape ("query: bad escape \"%zz\"").
using QueryPairs = std::vector<std::pair<std::string, std::string>>;
base::Result<QueryPairs> ParseQueryPairs(std::string_view query);

// Decodes "a=1&b=x%20y". The first value of a repeated key wins, as Go's
// FormValue does. kInvalidArgument names a malformed escape ("query: bad
// escape \"%zz\"").
base::Result<std::map<std::string, std::string>> ParseQuery(
    std::string_view query);

// Percent-decoding; `plus_is_space` for query components.
// kInvalidArgument for a '%' not followed by two hex digits.
base::Result<std::string> PercentDecode(std::string_view in,
                                        bool plus_is_space);

}  // namespace http

#endif  // TETHER_HTTP_QUERY_H_
