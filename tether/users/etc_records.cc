#include "tether/users/etc_records.h"

namespace tether {
namespace {

constexpr uint64_t kMaxId = 4294967294u;

std::string_view Trim(std::string_view s) {
  const char* kBlanks = " \t\r";
  size_t begin = s.find_first_not_of(kBlanks);
  if (begin == std::string_view::npos) return {};
  size_t end = s.find_last_not_of(kBlanks);
  return s.substr(begin, end - begin + 1);
}

// Splits on ':' into at most max_fields + 1 views, so a line of a million
// colons costs no more than a well-formed one.
std::vector<std::string_view> SplitFields(std::string_view line,
                                          size_t max_fields) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (fields.size() <= max_fields) {
    size_t colon = line.find(':', start);
    if (colon == std::string_view::npos) {
      fields.push_back(line.substr(start));
      break;
    }
    fields.push_back(line.substr(start, colon - start));
    start = colon + 1;
  }
  return fields;
}

}  // namespace

void ForEachRecord(std::string_view content, size_t max_fields,
                   const RecordParser& parse, ParseStats* stats) {
  size_t line_number = 0;
  while (!content.empty()) {
    ++line_number;
    size_t nl = content.find('\n');
    std::string_view line = Trim(content.substr(0, nl));
    content = nl == std::string_view::npos ? std::string_view()
                                           : content.substr(nl + 1);
    if (line.empty() || line[0] == '#' || line[0] == '+' || line[0] == '-') {
      continue;
    }
    std::vector<std::string_view> fields = SplitFields(line, max_fields);
    if (fields.size() <= max_fields && parse(fields)) continue;
    if (stats->malformed++ == 0) stats->first_malformed_line = line_number;
  }
}

std::optional<uint32_t> ParseId(std::string_view text) {
  if (text.empty()) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
    // Checked per digit, so "000...0001" is fine and no length overflows.
    if (value > kMaxId) return std::nullopt;
  }
  return static_cast<uint32_t>(value);
}

}  // namespace tether
