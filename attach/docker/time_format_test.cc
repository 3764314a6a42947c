#include "attach/docker/time_format.h"

#include <gtest/gtest.h>

namespace attach {
namespace docker {
namespace {

constexpr int64_t kMs = 1000000;
constexpr int64_t kSec = kNanosPerSecond;
constexpr int64_t kMin = 60 * kSec;
constexpr int64_t kHour = 60 * kMin;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kWeek = 7 * kDay;
constexpr int64_t kMonth = 30 * kDay;
constexpr int64_t kYear = 365 * kDay;

// Every case of docker/go-units duration_test.go TestHumanDuration.
TEST(HumanDuration, MatchesGoUnits) {
  EXPECT_EQ(HumanDuration(450 * kMs), "Less than a second");
  EXPECT_EQ(HumanDuration(1 * kSec), "1 second");
  EXPECT_EQ(HumanDuration(45 * kSec), "45 seconds");
  EXPECT_EQ(HumanDuration(46 * kSec), "46 seconds");
  EXPECT_EQ(HumanDuration(59 * kSec), "59 seconds");
  EXPECT_EQ(HumanDuration(60 * kSec), "About a minute");
  EXPECT_EQ(HumanDuration(1 * kMin), "About a minute");
  EXPECT_EQ(HumanDuration(3 * kMin), "3 minutes");
  EXPECT_EQ(HumanDuration(35 * kMin), "35 minutes");
  EXPECT_EQ(HumanDuration(35 * kMin + 40 * kSec), "35 minutes");
  EXPECT_EQ(HumanDuration(45 * kMin), "45 minutes");
  EXPECT_EQ(HumanDuration(45 * kMin + 40 * kSec), "45 minutes");
  EXPECT_EQ(HumanDuration(46 * kMin), "46 minutes");
  EXPECT_EQ(HumanDuration(59 * kMin), "59 minutes");
  EXPECT_EQ(HumanDuration(1 * kHour), "About an hour");
  EXPECT_EQ(HumanDuration(1 * kHour + 29 * kMin), "About an hour");
  EXPECT_EQ(HumanDuration(1 * kHour + 31 * kMin), "2 hours");
  EXPECT_EQ(HumanDuration(1 * kHour + 59 * kMin), "2 hours");
  EXPECT_EQ(HumanDuration(3 * kHour), "3 hours");
  EXPECT_EQ(HumanDuration(3 * kHour + 29 * kMin), "3 hours");
  EXPECT_EQ(HumanDuration(3 * kHour + 31 * kMin), "4 hours");
  EXPECT_EQ(HumanDuration(3 * kHour + 59 * kMin), "4 hours");
  EXPECT_EQ(HumanDuration(3 * kHour + 60 * kMin), "4 hours");
  EXPECT_EQ(HumanDuration(24 * kHour), "24 hours");
  EXPECT_EQ(HumanDuration(1 * kDay + 12 * kHour), "36 hours");
  EXPECT_EQ(HumanDuration(2 * kDay), "2 days");
  EXPECT_EQ(HumanDuration(7 * kDay), "7 days");
  EXPECT_EQ(HumanDuration(13 * kDay + 5 * kHour), "13 days");
  EXPECT_EQ(HumanDuration(2 * kWeek), "2 weeks");
  EXPECT_EQ(HumanDuration(2 * kWeek + 4 * kDay), "2 weeks");
  EXPECT_EQ(HumanDuration(3 * kWeek), "3 weeks");
  EXPECT_EQ(HumanDuration(4 * kWeek), "4 weeks");
  EXPECT_EQ(HumanDuration(4 * kWeek + 3 * kDay), "4 weeks");
  EXPECT_EQ(HumanDuration(1 * kMonth), "4 weeks");
  EXPECT_EQ(HumanDuration(1 * kMonth + 2 * kWeek), "6 weeks");
  EXPECT_EQ(HumanDuration(2 * kMonth), "2 months");
  EXPECT_EQ(HumanDuration(2 * kMonth + 2 * kWeek), "2 months");
  EXPECT_EQ(HumanDuration(3 * kMonth), "3 months");
  EXPECT_EQ(HumanDuration(3 * kMonth + 1 * kWeek), "3 months");
  EXPECT_EQ(HumanDuration(5 * kMonth + 2 * kWeek), "5 months");
  EXPECT_EQ(HumanDuration(13 * kMonth), "13 months");
  EXPECT_EQ(HumanDuration(23 * kMonth), "23 months");
  EXPECT_EQ(HumanDuration(24 * kMonth), "24 months");
  EXPECT_EQ(HumanDuration(24 * kMonth + 2 * kWeek), "2 years");
  EXPECT_EQ(HumanDuration(3 * kYear + 2 * kMonth), "3 years");
}

TEST(HumanDuration, ClockSkewReadsAsLessThanASecond) {
  EXPECT_EQ(HumanDuration(-5 * kSec), "Less than a second");
  EXPECT_EQ(HumanDuration(999 * kMs), "Less than a second");
}

TEST(TimeFormat, Rfc3339NanoTrimsTheFraction) {
  // 2024-05-01T12:34:56Z is 1714566896.
  EXPECT_EQ(FormatRfc3339Nano(1714566896 * kSec), "2024-05-01T12:34:56Z");
  EXPECT_EQ(FormatRfc3339Nano(1714566896 * kSec + 500 * kMs),
            "2024-05-01T12:34:56.5Z");
  EXPECT_EQ(FormatRfc3339Nano(1714566896 * kSec + 123456789),
            "2024-05-01T12:34:56.123456789Z");
}

TEST(TimeFormat, Rfc3339NanoFixedKeepsNineDigits) {
  EXPECT_EQ(FormatRfc3339NanoFixed(1714566896 * kSec + 500 * kMs),
            "2024-05-01T12:34:56.500000000Z");
  EXPECT_EQ(FormatRfc3339NanoFixed(0), "1970-01-01T00:00:00.000000000Z");
}

TEST(TimeFormat, DockerTimeOfNeverIsGoZeroTime) {
  EXPECT_EQ(FormatDockerTime(0), "0001-01-01T00:00:00Z");
  EXPECT_EQ(FormatDockerTime(1714566896), "2024-05-01T12:34:56Z");
}

}  // namespace
}  // namespace docker
}  // namespace attach
