#include "base/wipe.h"

#include <gtest/gtest.h>

namespace base {
namespace {

TEST(Wipe, ZeroesEveryOwnedByteIncludingSpareCapacity) {
  std::string s(100, 'k');
  s.resize(10);  // The bytes past size() are still the secret's.
  const char* data = s.data();
  const size_t capacity = s.capacity();
  Wipe(&s);
  EXPECT_TRUE(s.empty());
  ASSERT_EQ(s.data(), data);  // Same buffer: cleared, not reallocated.
  for (size_t i = 0; i < capacity; ++i) EXPECT_EQ(data[i], '\0') << i;
}

}  // namespace
}  // namespace base
