// The tether's error line, out of a VM's serial console log.
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

TEST(ConsoleError, ReadsTheTailOfABigLog) {
  testing::TempDir dir;
  std::string path = dir.path() + "/console.log";
  std::string text = "tether: error: too early\n" +
                     std::string(200 * 1024, 'k') + "\n" +
                     "tether: error: the one\r\n[ 9.0] reboot: Power down\r\n";
  ASSERT_TRUE(WriteFileAtomic(path, text, 0600).ok());
  EXPECT_EQ(*ConsoleError(path), "tether: error: the one");
  EXPECT_FALSE(ConsoleError(dir.path() + "/missing").has_value());
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
