// Line and field splitting shared by the passwd(5) and group(5) parsers.
//
// Both databases are colon-separated records, one per line. The container's
// copies are outside input: anything that is not a well-formed record is
// skipped and counted, never fatal, so one bad line cannot keep a session
// from starting as a user defined on a good line.
#ifndef TETHER_TETHER_USERS_ETC_RECORDS_H_
#define TETHER_TETHER_USERS_ETC_RECORDS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

namespace tether {

// What a parse skipped, for a debug log line.
struct ParseStats {
  size_t malformed = 0;             // Lines that were neither skipped
                                    // (blank, comment, NIS) nor a record.
  size_t first_malformed_line = 0;  // 1-based; 0 when none.
};

// The records of one parsed file and what was skipped.
template <typename Entry>
struct EtcFile {
  std::vector<Entry> entries;  // In file order; duplicates kept.
  ParseStats stats;
};

// Called with the fields of one record line; returns false when the record
// is malformed. The views point into the content given to ForEachRecord.
using RecordParser =
    std::function<bool(const std::vector<std::string_view>& fields)>;

// Splits `content` into lines (LF or CRLF, last line may lack its newline),
// trims blanks around each, skips blank lines, '#' comments and NIS '+'/'-'
// lines, splits the rest on ':' and hands them to `parse`. A line with more
// than `max_fields` fields is malformed without calling `parse`.
void ForEachRecord(std::string_view content, size_t max_fields,
                   const RecordParser& parse, ParseStats* stats);

// A user or group id: decimal digits only, 0..4294967294 (4294967295 is
// (uid_t)-1, which the kernel reserves). nullopt otherwise ("", "-1",
// "12abc", " 1", overflow).
std::optional<uint32_t> ParseId(std::string_view text);

}  // namespace tether

#endif  // TETHER_TETHER_USERS_ETC_RECORDS_H_
