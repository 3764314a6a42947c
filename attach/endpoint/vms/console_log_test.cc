// The tether's error line and exit record, out of a VM's serial console
// log.
#include "attach/endpoint/vms/console_log.h"

#include <gtest/gtest.h>

#include "attach/endpoint/containers/state_files.h"
#include "attach/endpoint/testing/test_util.h"

namespace attach {
namespace endpoint {
namespace {

TEST(LastTetherError, FindsTheLastErrorLine) {
  EXPECT_EQ(*LastTetherError("tether: error: first\r\n"
                             "[    1.2] kernel says\r\n"
                             "tether: error: config: hostname: invalid\r\n"
                             "tether: info: powering off\r\n"),
            "tether: error: config: hostname: invalid");
}

TEST(LastTetherError, AfterUnterminatedFirmwareOutput) {
  // What a real boot looks like: SeaBIOS's last line has no newline.
  EXPECT_EQ(*LastTetherError("\x1b" "c\x1b[?7lSeaBIOS\r\nBooting from ROM.."
                             "tether: error: fw_cfg opt/tether/config: bad"),
            "tether: error: fw_cfg opt/tether/config: bad");
}

TEST(LastTetherError, NoneWithoutOne) {
  EXPECT_FALSE(LastTetherError("").has_value());
  EXPECT_FALSE(LastTetherError("tether: warning: x\r\ntether: err\r\n")
                   .has_value());
}

TEST(LastTetherError, BoundedAndPrintable) {
  std::string line = "tether: error: " + std::string(5000, 'x');
  line[20] = '\x07';
  std::optional<std::string> e = LastTetherError(line);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->size(), 1000u);
  EXPECT_EQ((*e)[20], '?');
}

TEST(LastExitRecord, FindsTheLastValidRecord) {
  std::optional<guestinfo::ExitRecord> r = LastExitRecord(
      "tether: exit {\"session\":\"main\",\"exit_code\":1,\"signal\":0}\r\n"
      "tether: info: container exited with code 7; powering off\r\n"
      "tether: exit {\"session\":\"main\",\"exit_code\":7,\"signal\":0}\r\n"
      "[   12.3] reboot: Power down\r\n");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->session, "main");
  EXPECT_EQ(r->exit_code, 7);
  EXPECT_EQ(r->signal, 0);
}

TEST(LastExitRecord, JunkIsNotARecord) {
  const std::string good =
      "tether: exit {\"session\":\"main\",\"exit_code\":3,\"signal\":0}\n";
  // Junk after a valid record does not hide it, and is never believed.
  std::optional<guestinfo::ExitRecord> r = LastExitRecord(
      good + "tether: exit {\"session\":\"main\",\"exit_code\":9}\n" +
      "tether: exit garbage\n" +
      "xx tether: exit {\"session\":\"main\",\"exit_code\":5,\"signal\":0}\n" +
      "tether: exit {\"session\":\"main\",\"exit_code\":5,\"signal\":0}" +
      std::string(300, ' ') + "\n");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_FALSE(LastExitRecord("").has_value());
  EXPECT_FALSE(LastExitRecord("tether: exit \n\n").has_value());
}

TEST(ReadConsoleEnd, ReadsTheTailOfABigLog) {
  testing::TempDir dir;
  std::string path = dir.path() + "/console.log";
  std::string text =
      "tether: error: too early\n"
      "tether: exit {\"session\":\"main\",\"exit_code\":1,\"signal\":0}\n" +
      std::string(200 * 1024, 'k') + "\n" +
      "tether: error: the one\r\n"
      "tether: exit {\"session\":\"main\",\"exit_code\":137,\"signal\":9}\r\n"
      "[ 9.0] reboot: Power down\r\n";
  ASSERT_TRUE(WriteFileAtomic(path, text, 0600).ok());
  ConsoleEnd end = ReadConsoleEnd(path);
  EXPECT_EQ(*end.error, "tether: error: the one");
  ASSERT_TRUE(end.exit.has_value());
  EXPECT_EQ(end.exit->exit_code, 137);
  EXPECT_EQ(end.exit->signal, 9);
  ConsoleEnd missing = ReadConsoleEnd(dir.path() + "/missing");
  EXPECT_FALSE(missing.error.has_value());
  EXPECT_FALSE(missing.exit.has_value());
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
