#include "guestinfo/exit_record.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace guestinfo {
namespace {

using ::testing::HasSubstr;

TEST(ExitRecord, EncodesTheDocumentedLine) {
  EXPECT_EQ(EncodeExitRecord({"main", 7, 0}),
            "tether: exit {\"session\":\"main\",\"exit_code\":7,\"signal\":0}\n");
}

TEST(ExitRecord, RoundTrips) {
  for (const ExitRecord& r : {ExitRecord{"main", 0, 0}, ExitRecord{"main", 255, 0},
                              ExitRecord{"web.1", 137, 9},
                              ExitRecord{"a", 192, 64}}) {
    std::string line = EncodeExitRecord(r);
    ASSERT_EQ(line.back(), '\n');
    line.pop_back();
    base::Result<ExitRecord> back = DecodeExitRecord(line);
    ASSERT_TRUE(back.ok()) << line << ": " << back.status().ToString();
    EXPECT_EQ(back->session, r.session);
    EXPECT_EQ(back->exit_code, r.exit_code);
    EXPECT_EQ(back->signal, r.signal);
  }
}

TEST(ExitRecord, AcceptsTheSerialCarriageReturn) {
  base::Result<ExitRecord> r = DecodeExitRecord(
      "tether: exit {\"signal\":0,\"exit_code\":3,\"session\":\"main\"}\r");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exit_code, 3);
}

TEST(ExitRecord, RejectsJunk) {
  const std::string ok = R"({"session":"main","exit_code":7,"signal":0})";
  struct Case {
    std::string line;
    std::string why;
  };
  const Case cases[] = {
      {"", "not a \"tether: exit \" line"},
      {"tether: info: exit " + ok, "not a \"tether: exit \" line"},
      {" tether: exit " + ok, "not a \"tether: exit \" line"},
      {"tether: exit " + ok + " trailing", "expected one JSON object"},
      {"tether: exit " + ok + "\r\r", "expected one JSON object"},
      {"tether: exit " + ok + " ", "expected one JSON object"},
      {"tether: exit  " + ok, "expected one JSON object"},
      {"tether: exit {\"session\":\"main\"} {}", "invalid JSON"},
      {"tether: exit [1,2]", "expected one JSON object"},
      {"tether: exit {}", "session: required"},
      {"tether: exit {\"session\":\"main\",\"exit_code\":7}", "signal: required"},
      {"tether: exit {\"session\":\"main\",\"signal\":0}", "exit_code: required"},
      {"tether: exit {\"exit_code\":7,\"signal\":0}", "session: required"},
      {R"(tether: exit {"session":"main","exit_code":7,"signal":0,"x":1})",
       "x: unknown field"},
      {R"(tether: exit {"session":"main","exit_code":7,"exit_code":7,"signal":0})",
       "duplicate key"},
      {R"(tether: exit {"session":"../x","exit_code":7,"signal":0})", "session"},
      {R"(tether: exit {"session":"main","exit_code":256,"signal":0})",
       "out of range"},
      {R"(tether: exit {"session":"main","exit_code":-1,"signal":0})",
       "out of range"},
      {R"(tether: exit {"session":"main","exit_code":7.0,"signal":0})",
       "exit_code"},
      {R"(tether: exit {"session":"main","exit_code":"7","signal":0})",
       "exit_code"},
      {R"(tether: exit {"session":"main","exit_code":137,"signal":65})",
       "out of range"},
      {R"(tether: exit {"session":"main","exit_code":7,"signal":9})",
       "not 128+signal"},
      {"tether: exit {\"session\":\"" + std::string(300, 'a') +
           "\",\"exit_code\":7,\"signal\":0}",
       "longer than 256 bytes"},
  };
  for (const Case& c : cases) {
    base::Result<ExitRecord> r = DecodeExitRecord(c.line);
    ASSERT_FALSE(r.ok()) << c.line;
    EXPECT_EQ(r.status().code(), base::Status::Code::kInvalidArgument);
    EXPECT_THAT(r.status().message(), HasSubstr(c.why)) << c.line;
  }
}

}  // namespace
}  // namespace guestinfo
