#include "base/status.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "base/result.h"

namespace base {
namespace {

TEST(Status, OkHasNoMessage) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_EQ(s.error_number(), 0);
}

TEST(Status, IoMapsErrnoToCode) {
  EXPECT_EQ(Status::Io("open x", ENOENT).code(), Status::Code::kNotFound);
  EXPECT_EQ(Status::Io("open x", EACCES).code(),
            Status::Code::kPermissionDenied);
  EXPECT_EQ(Status::Io("open x", EIO).code(), Status::Code::kIoError);
  Status s = Status::Io("open x", ENOENT);
  EXPECT_EQ(s.error_number(), ENOENT);
  EXPECT_EQ(s.ToString(), "open x: No such file or directory");
}

TEST(Status, AnnotateAddsContextOutermostFirst) {
  Status s = Status::InvalidArgument("bad");
  s.Annotate("inner").Annotate("outer");
  EXPECT_EQ(s.message(), "outer: inner: bad");
  Status ok;
  ok.Annotate("ignored");
  EXPECT_TRUE(ok.ok());
}

TEST(Status, CopyIsDeep) {
  Status a = Status::NotFound("x");
  Status b = a;
  b.Annotate("y");
  EXPECT_EQ(a.message(), "x");
  EXPECT_EQ(b.message(), "y: x");
}

Result<int> Half(int v) {
  if (v % 2) return Status::InvalidArgument("odd");
  return v / 2;
}

Status Quarter(int v, int* out) {
  TETHER_ASSIGN_OR_RETURN(int h, Half(v));
  TETHER_ASSIGN_OR_RETURN(*out, Half(h));
  return Status::Ok();
}

TEST(Result, ValueOrStatus) {
  Result<int> r = Half(4);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 2);
  Result<int> e = Half(3);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().message(), "odd");
  int q = 0;
  EXPECT_TRUE(Quarter(8, &q).ok());
  EXPECT_EQ(q, 2);
  EXPECT_EQ(Quarter(6, &q).message(), "odd");
}

TEST(Result, OkStatusBecomesInternalError) {
  Result<int> r{Status::Ok()};
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInternal);
}

}  // namespace
}  // namespace base
