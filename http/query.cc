#include "http/query.h"

namespace http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

base::Result<std::string> PercentDecode(std::string_view in,
                                        bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+' && plus_is_space) {
      out += ' ';
    } else if (c == '%') {
      int hi = i + 1 < in.size() ? HexValue(in[i + 1]) : -1;
      int lo = i + 2 < in.size() ? HexValue(in[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        std::string bad(in.substr(i, 3));
        return base::Status::InvalidArgument("bad escape \"" + bad + "\"");
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

base::Result<QueryPairs> ParseQueryPairs(std::string_view query) {
  QueryPairs out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view()
                                          : query.substr(amp + 1);
    if (part.empty()) continue;
    size_t eq = part.find('=');
    auto key = PercentDecode(part.substr(0, eq), true);
    if (!key.ok()) return key.TakeStatus().Annotate("query");
    std::string value;
    if (eq != std::string_view::npos) {
      auto v = PercentDecode(part.substr(eq + 1), true);
      if (!v.ok()) return v.TakeStatus().Annotate("query");
      value = std::move(*v);
    }
    out.emplace_back(std::move(*key), std::move(value));
  }
  return out;
}

base::Result<std::map<std::string, std::string>> ParseQuery(
    std::string_view query) {
  TETHER_ASSIGN_OR_RETURN(QueryPairs pairs, ParseQueryPairs(query));
  std::map<std::string, std::string> out;
  for (auto& [key, value] : pairs) {
    out.emplace(std::move(key), std::move(value));  // First one wins.
  }
  return out;
}

}  // namespace http
