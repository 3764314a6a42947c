#include "tether/users/etc_records.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tether {
namespace {

TEST(ParseId, AcceptsDecimalInRange) {
  EXPECT_EQ(ParseId("0"), 0u);
  EXPECT_EQ(ParseId("1000"), 1000u);
  EXPECT_EQ(ParseId("0001000"), 1000u);
  EXPECT_EQ(ParseId("4294967294"), 4294967294u);
}

TEST(ParseId, RejectsEverythingElse) {
  for (const char* bad : {"", "-1", "+1", "12abc", " 1", "1 ", "0x10",
                          "4294967295", "99999999999999999999999", "1.0"}) {
    EXPECT_EQ(ParseId(bad), std::nullopt) << bad;
  }
}

// Collects the records ForEachRecord hands out, accepting all of them.
std::vector<std::vector<std::string>> Records(std::string_view content,
                                              size_t max_fields,
                                              ParseStats* stats) {
  std::vector<std::vector<std::string>> out;
  ForEachRecord(
      content, max_fields,
      [&out](const std::vector<std::string_view>& fields) {
        out.emplace_back(fields.begin(), fields.end());
        return fields[0] != "bad";
      },
      stats);
  return out;
}

TEST(ForEachRecord, SkipsBlankCommentAndNisLines) {
  ParseStats stats;
  auto records = Records(
      "# comment\n\n   \n  # indented comment\n+nisuser\n-@netgroup\n"
      "+:::\na:b\r\n\tc:d  \ne:f",
      4, &stats);
  std::vector<std::vector<std::string>> want = {
      {"a", "b"}, {"c", "d"}, {"e", "f"}};
  EXPECT_EQ(records, want);
  EXPECT_EQ(stats.malformed, 0u);
  EXPECT_EQ(stats.first_malformed_line, 0u);
}

TEST(ForEachRecord, CountsMalformedWithFirstLineNumber) {
  ParseStats stats;
  auto records = Records("ok\n\nbad:1\nx:y:z\nbad\n", 2, &stats);
  // "x:y:z" has too many fields and never reaches the parser.
  std::vector<std::vector<std::string>> want = {{"ok"}, {"bad", "1"}, {"bad"}};
  EXPECT_EQ(records, want);
  EXPECT_EQ(stats.malformed, 3u);
  EXPECT_EQ(stats.first_malformed_line, 3u);
}

TEST(ForEachRecord, KeepsEmptyFields) {
  ParseStats stats;
  auto records = Records("a::c:\n", 4, &stats);
  std::vector<std::vector<std::string>> want = {{"a", "", "c", ""}};
  EXPECT_EQ(records, want);
}

TEST(ForEachRecord, ManyColonsCostNoMoreThanTheLimit) {
  ParseStats stats;
  auto records = Records(std::string(1 << 20, ':'), 7, &stats);
  EXPECT_TRUE(records.empty());
  EXPECT_EQ(stats.malformed, 1u);
}

}  // namespace
}  // namespace tether
