#include "guestinfo/state.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/fakes/fake_os.h"

namespace guestinfo {
namespace {

GuestState Sample() {
  GuestState state;
  state.id = "abc";
  SessionState running;
  running.id = "web";
  running.started = true;
  running.pid = 42;
  running.started_at = 1700000000;
  SessionState exited = running;
  exited.id = "job";
  exited.exit_code = 3;
  exited.restarts = 2;
  exited.finished_at = 1700000100;
  SessionState killed = running;
  killed.id = "old";
  killed.signal = 9;
  killed.error = "exec \"/x\": not found";
  state.sessions = {running, exited, killed};
  state.errors = {"mount /data: No such device"};
  return state;
}

TEST(EncodeState, DocumentedShape) {
  std::string text = EncodeState(Sample());
  EXPECT_EQ(text.find('\n'), std::string::npos);  // One line.
  nlohmann::json j = nlohmann::json::parse(text);
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["id"], "abc");
  ASSERT_EQ(j["sessions"].size(), 3u);
  const nlohmann::json& web = j["sessions"][0];
  EXPECT_EQ(web["id"], "web");
  EXPECT_EQ(web["started"], true);
  EXPECT_EQ(web["pid"], 42);
  EXPECT_TRUE(web["exit_code"].is_null());
  EXPECT_EQ(web["signal"], 0);
  EXPECT_EQ(web["restarts"], 0);
  EXPECT_EQ(web["started_at"], 1700000000);
  EXPECT_EQ(web["finished_at"], 0);
  EXPECT_EQ(web["error"], "");
  EXPECT_EQ(j["sessions"][1]["exit_code"], 3);
  EXPECT_EQ(j["sessions"][1]["restarts"], 2);
  EXPECT_EQ(j["sessions"][2]["signal"], 9);
  EXPECT_EQ(j["sessions"][2]["error"], "exec \"/x\": not found");
  EXPECT_EQ(j["errors"], nlohmann::json({"mount /data: No such device"}));
}

TEST(EncodeState, KeepsNewestErrorsAndCutsLongStrings) {
  GuestState state;
  for (int i = 0; i < 40; ++i) state.errors.push_back("e" + std::to_string(i));
  state.errors.push_back(std::string(1000, 'x') + "\xff");
  nlohmann::json j = nlohmann::json::parse(EncodeState(state));
  ASSERT_EQ(j["errors"].size(), kMaxStateErrors);
  EXPECT_EQ(j["errors"][0], "e9");
  std::string last = j["errors"].back();
  EXPECT_EQ(last.size(), kMaxStateString);
  EXPECT_EQ(last.substr(last.size() - 3), "...");
}

TEST(StateSinks, FileAndNull) {
  fakes::FakeOs os;
  FileStateSink file(os, "/run/tether/state.json");
  ASSERT_TRUE(file.Write(Sample()).ok());
  EXPECT_EQ(os.files["/run/tether/state.json"], EncodeState(Sample()) + "\n");
  NullStateSink null;
  EXPECT_TRUE(null.Write(Sample()).ok());
}

}  // namespace
}  // namespace guestinfo
