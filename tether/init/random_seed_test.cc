#include "tether/init/random_seed.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "tests/fakes/fake_os.h"

namespace tether {
namespace {

TEST(CreditRandomSeed, CreditsTheSeedOnceAndWipesIt) {
  fakes::FakeOs os;
  std::string seed(32, '\x5a');
  InitReport r = CreditRandomSeed(os, &seed);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(os.entropy, (std::vector<std::string>{std::string(32, '\x5a')}));
  EXPECT_TRUE(seed.empty());
}

TEST(CreditRandomSeed, NoSeedNoCall) {
  fakes::FakeOs os;
  std::string seed;
  EXPECT_TRUE(CreditRandomSeed(os, &seed).warnings.empty());
  EXPECT_TRUE(os.entropy.empty());
}

TEST(CreditRandomSeed, AFailureIsAWarningAndTheSeedIsStillWiped) {
  fakes::FakeOs os;
  os.entropy_failure = base::Status::Io("credit the random seed", EPERM);
  std::string seed(40, '\x01');
  InitReport r = CreditRandomSeed(os, &seed);
  EXPECT_TRUE(r.ok());
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].message(),
            "random_seed: credit the random seed: Operation not permitted");
  EXPECT_TRUE(seed.empty());
}

}  // namespace
}  // namespace tether
