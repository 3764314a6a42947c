#include "pprof/cmdline.h"

#include <gtest/gtest.h>

namespace pprof {
namespace {

using Args = std::vector<std::string>;

TEST(Cmdline, RedactsSecretFlagValuesInBothForms) {
  EXPECT_EQ(RedactArgs({"attachd", "--identity-key=abc", "--key", "s3cret",
                        "--state-dir", "/var/lib/tether", "-v"}),
            (Args{"attachd", "--identity-key=<redacted>", "--key",
                  "<redacted>", "--state-dir", "/var/lib/tether", "-v"}));
  // A flag without '=' hides whatever follows it, even another flag.
  EXPECT_EQ(RedactArgs({"x", "--password", "--token=t", "-identity", "k"}),
            (Args{"x", "--password", "<redacted>", "-identity",
                  "<redacted>"}));
}

TEST(Cmdline, RedactsEnvStyleSecretsAndKeyBlocks) {
  EXPECT_EQ(
      RedactArgs({"tether", "--", "env", "DB_PASSWORD=hunter2",
                  "PATH=/bin", "API_TOKEN=t", "x=SECRET",
                  "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END"}),
      (Args{"tether", "--", "env", "DB_PASSWORD=<redacted>", "PATH=/bin",
            "API_TOKEN=<redacted>", "x=SECRET", "<redacted>"}));
}

TEST(Cmdline, KeepsOrdinaryArguments) {
  Args plain = {"tether", "--config", "/etc/c.json", "--", "sh", "-c",
                "echo a=b"};
  EXPECT_EQ(RedactArgs(plain), plain);
}

TEST(Cmdline, ReadsOwnArgs) {
  Args own = ReadOwnArgs();
  ASSERT_FALSE(own.empty());
  EXPECT_NE(own[0].find("pprof_test"), std::string::npos);
}

}  // namespace
}  // namespace pprof
