// Review F14: guest-chosen text cannot drive the operator's terminal.
#include "attach/ctl/terminal_text.h"

#include <gtest/gtest.h>

namespace attach {
namespace ctl {
namespace {

TEST(TerminalSafe, EscapesControlsAndBadBytesKeepsUtf8) {
  EXPECT_EQ(TerminalSafe("exec: \"nope\": not found\n"),
            "exec: \"nope\": not found\n");
  EXPECT_EQ(TerminalSafe("\x1b]0;pwned\x07"), "\\x1b]0;pwned\\x07");
  EXPECT_EQ(TerminalSafe("a\x9b"
                         "31mb"),
            "a\\x9b31mb");  // Raw C1.
  EXPECT_EQ(TerminalSafe("a\xc2\x9b"
                         "b"),
            "a\\xc2\\x9bb");  // UTF-8 C1.
  EXPECT_EQ(TerminalSafe("caf\xc3\xa9 \xe2\x80\xa6"),
            "caf\xc3\xa9 \xe2\x80\xa6");
  EXPECT_EQ(TerminalSafe("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // Surrogate.
  EXPECT_EQ(TerminalSafe("\x7f\t"), "\\x7f\t");
}

}  // namespace
}  // namespace ctl
}  // namespace attach
