#include "attach/detach_keys.h"

#include <gtest/gtest.h>

namespace attach {
namespace {

TEST(ParseDetachKeys, AcceptsDockerSyntax) {
  EXPECT_EQ(*ParseDetachKeys("ctrl-p,ctrl-q"), std::string("\x10\x11"));
  EXPECT_EQ(*ParseDetachKeys(""), DefaultDetachKeys());
  // The cases of moby/term's ascii_test.go.
  EXPECT_EQ(*ParseDetachKeys("ctrl-a,a"), std::string("\x01"
                                                      "a"));
  EXPECT_EQ(*ParseDetachKeys("ctrl-@,ctrl-[,~,ctrl-o"),
            std::string("\0\x1b~\x0f", 4));
  EXPECT_EQ(*ParseDetachKeys("DEL,+"), std::string("\x7f+"));
  EXPECT_EQ(*ParseDetachKeys("ctrl-\\,ctrl-_"), std::string("\x1c\x1f"));
}

TEST(ParseDetachKeys, RejectsWhatDockerRejects) {
  for (const char* bad :
       {"shift-z", "ctrl-P", "ctrl-", "ctrl-pp", "a,,b", "ctrl-p,"}) {
    base::Result<std::string> r = ParseDetachKeys(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().message(),
              std::string("Invalid detach keys (") + bad + ") provided");
  }
}

// Feeds `chunks` one by one; returns what was forwarded and whether (and
// after which chunk) the filter reported a detach.
struct FeedResult {
  std::string forwarded;
  int detached_at = -1;
};
FeedResult FeedAll(EscapeFilter& f, const std::vector<std::string>& chunks) {
  FeedResult r;
  for (size_t i = 0; i < chunks.size(); ++i) {
    if (f.Feed(chunks[i], &r.forwarded)) {
      r.detached_at = static_cast<int>(i);
      break;
    }
  }
  return r;
}

TEST(EscapeFilter, DetachesOnTheSequenceAndSwallowsIt) {
  EscapeFilter f(DefaultDetachKeys());
  FeedResult r = FeedAll(f, {"ls\r\x10\x11", "never seen"});
  EXPECT_EQ(r.forwarded, "ls\r");
  EXPECT_EQ(r.detached_at, 0);
}

TEST(EscapeFilter, SequenceMaySpanReads) {
  EscapeFilter f(DefaultDetachKeys());
  FeedResult r = FeedAll(f, {"a\x10",
                             "\x11"
                             "b"});
  EXPECT_EQ(r.forwarded, "a");
  EXPECT_EQ(r.detached_at, 1);
}

TEST(EscapeFilter, LoneCtrlPThenAnotherKeyForwardsBoth) {
  EscapeFilter f(DefaultDetachKeys());
  std::string out;
  EXPECT_FALSE(f.Feed("\x10", &out));
  EXPECT_EQ(out, "");  // Held: it may be the start of the sequence.
  EXPECT_FALSE(f.Feed("x", &out));
  EXPECT_EQ(out, "\x10x");
}

TEST(EscapeFilter, RepeatedCtrlPStillDetaches) {
  // ctrl-p is also "previous line" in shells: ^P ^P ^Q forwards one ^P and
  // detaches (docker would forward all three and stay attached).
  EscapeFilter f(DefaultDetachKeys());
  FeedResult r = FeedAll(f, {"\x10\x10\x11"});
  EXPECT_EQ(r.forwarded, "\x10");
  EXPECT_EQ(r.detached_at, 0);
}

TEST(EscapeFilter, HeldPrefixIsReleasedAtEndOfInput) {
  EscapeFilter f(DefaultDetachKeys());
  std::string out;
  EXPECT_FALSE(f.Feed("q\x10", &out));
  EXPECT_EQ(out, "q");
  EXPECT_EQ(f.TakeHeld(), "\x10");
  EXPECT_EQ(f.TakeHeld(), "");
}

TEST(EscapeFilter, SingleKeyAndCustomSequences) {
  EscapeFilter one("a");
  FeedResult r = FeedAll(one, {"xya"});
  EXPECT_EQ(r.forwarded, "xy");
  EXPECT_EQ(r.detached_at, 0);

  EscapeFilter three(*ParseDetachKeys("ctrl-a,b,c"));
  r = FeedAll(three, {"\x01"
                      "bx",
                      "\x01"
                      "b",
                      "c"});
  EXPECT_EQ(r.forwarded,
            "\x01"
            "bx");
  EXPECT_EQ(r.detached_at, 2);
}

TEST(EscapeFilter, EmptyKeysNeverDetach) {
  EscapeFilter f("");
  std::string out;
  EXPECT_FALSE(f.Feed("\x10\x11", &out));
  EXPECT_EQ(out, "\x10\x11");
}

}  // namespace
}  // namespace attach
