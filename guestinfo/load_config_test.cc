#include "guestinfo/load_config.h"

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "guestinfo/config_test_util.h"
#include "guestinfo/encoding.h"
#include "guestinfo/rpci_source.h"
#include "tests/fakes/fake_os.h"
#include "tests/fakes/fake_rpci.h"

namespace guestinfo {
namespace {

using Code = base::Status::Code;

constexpr char kFwCfgRaw[] =
    "/sys/firmware/qemu_fw_cfg/by_name/opt/tether/config/raw";
const HypervisorId kVmware{true, "VMwareVMware"};
const HypervisorId kKvm{true, "KVMKVMKVM"};

std::string ConfigNamed(const std::string& name) {
  nlohmann::json j = testing::MinimalConfig();
  j["name"] = name;
  return j.dump();
}

TEST(ParseSourceOverride, Forms) {
  EXPECT_EQ(ParseSourceOverride("")->kind, SourceKind::kAuto);
  EXPECT_EQ(ParseSourceOverride("quiet console=ttyS0\n")->kind,
            SourceKind::kAuto);
  EXPECT_EQ(ParseSourceOverride("quiet tether.source=vmware")->kind,
            SourceKind::kVmware);
  EXPECT_EQ(ParseSourceOverride("tether.source=fwcfg panic=-1\n")->kind,
            SourceKind::kFwCfg);
  base::Result<SourceChoice> file =
      ParseSourceOverride("a tether.source=file:/etc/t.json b");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->kind, SourceKind::kFile);
  EXPECT_EQ(file->path, "/etc/t.json");
  // Quotes group as in the kernel; the last occurrence wins.
  file = ParseSourceOverride(
      "tether.source=vmware \"tether.source=file:/a b.json\"");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->path, "/a b.json");
  // Similar names are not ours.
  EXPECT_EQ(ParseSourceOverride("xtether.source=bogus")->kind,
            SourceKind::kAuto);
}

TEST(ParseSourceOverride, MalformedIsNamed) {
  EXPECT_EQ(ParseSourceOverride("tether.source=qemu").status().ToString(),
            "tether.source: expected vmware, fwcfg or file:PATH, got \"qemu\"");
  EXPECT_EQ(ParseSourceOverride("tether.source=").status().ToString(),
            "tether.source: expected vmware, fwcfg or file:PATH, got \"\"");
  EXPECT_EQ(
      ParseSourceOverride("tether.source=file:t.json").status().ToString(),
      "tether.source: file path \"t.json\" is not absolute");
}

TEST(ParseDrainTimeoutOverride, Forms) {
  EXPECT_FALSE(ParseDrainTimeoutOverride("quiet console=ttyS0")->has_value());
  EXPECT_EQ(*ParseDrainTimeoutOverride("a tether.drain_timeout_s=0 b"), 0);
  // The last one wins, as for kernel parameters.
  EXPECT_EQ(*ParseDrainTimeoutOverride(
                "tether.drain_timeout_s=5 tether.drain_timeout_s=86400"),
            86400);
  for (const char* bad : {"tether.drain_timeout_s=", "tether.drain_timeout_s=-1",
                          "tether.drain_timeout_s=86401",
                          "tether.drain_timeout_s=1e3",
                          "tether.drain_timeout_s=99999999999999999999"}) {
    base::Result<std::optional<int>> r = ParseDrainTimeoutOverride(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_THAT(r.status().ToString(),
                ::testing::StartsWith("tether.drain_timeout_s: expected "
                                      "0..86400 seconds, got \""));
  }
}

class LoadConfigTest : public ::testing::Test {
 protected:
  LoadConfigTest() {
    options.cmdline = "";
    options.hypervisor = kKvm;
    options.rpci = &host;
  }
  base::Result<LoadedConfig> Load() { return LoadConfig(os, options); }

  fakes::FakeOs os;
  fakes::FakeRpci host;
  LoadOptions options;
};

TEST_F(LoadConfigTest, FwCfgOutsideVmware) {
  os.AddFile(kFwCfgRaw, ConfigNamed("fw"));
  host.values[kConfigKey] = ConfigNamed("vmw");  // Ignored: not VMware.
  base::Result<LoadedConfig> loaded = Load();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->config.name, "fw");
  EXPECT_EQ(loaded->kind, SourceKind::kFwCfg);
  EXPECT_EQ(loaded->origin, "fw_cfg opt/tether/config");
  EXPECT_TRUE(loaded->config.config_file.empty());  // /sys/firmware is.
  EXPECT_TRUE(host.requests.empty());
}

TEST_F(LoadConfigTest, VmwareFirstThenHidden) {
  options.hypervisor = kVmware;
  os.AddFile(kFwCfgRaw, ConfigNamed("fw"));
  host.values[kConfigKey] = *EncodePayload(ConfigNamed("vmw"), "gzip+base64");
  host.values[kConfigEncodingKey] = "gzip+base64";
  base::Result<LoadedConfig> loaded = Load();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->config.name, "vmw");
  EXPECT_EQ(loaded->kind, SourceKind::kVmware);
  EXPECT_EQ(loaded->origin, "vmware guestinfo.tether.config");
  EXPECT_EQ(host.values[kConfigKey], " ");
  EXPECT_TRUE(loaded->warnings.empty());
}

TEST_F(LoadConfigTest, HideFailureIsAWarning) {
  options.hypervisor = kVmware;
  host.values[kConfigKey] = ConfigNamed("vmw");
  host.read_only.insert(kConfigKey);
  base::Result<LoadedConfig> loaded = Load();
  ASSERT_TRUE(loaded.ok());
  EXPECT_THAT(loaded->warnings,
              ::testing::ElementsAre(
                  "vmware: hide config: guestinfo.tether.config: host "
                  "refused: \"Permission denied\""));
}

TEST_F(LoadConfigTest, VmwareWithoutConfigFallsBackToFwCfg) {
  options.hypervisor = kVmware;
  os.AddFile(kFwCfgRaw, ConfigNamed("fw"));
  base::Result<LoadedConfig> loaded = Load();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->config.name, "fw");
}

TEST_F(LoadConfigTest, NothingAnywhere) {
  options.hypervisor = kVmware;
  base::Result<LoadedConfig> loaded = Load();
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), Code::kNotFound);
  EXPECT_EQ(loaded.status().ToString(),
            "no config found: vmware: no guestinfo.tether.config; fw_cfg: no "
            "opt/tether/config (is qemu_fw_cfg loaded?)");
}

TEST_F(LoadConfigTest, ValidationErrorsNameTheSource) {
  nlohmann::json j = testing::MinimalConfig();
  j["sessions"][0].erase("path");
  os.AddFile(kFwCfgRaw, j.dump());
  EXPECT_EQ(Load().status().ToString(),
            "fw_cfg opt/tether/config: sessions[0].path: required");
}

TEST_F(LoadConfigTest, BrokenVmwareConfigDoesNotFallThrough) {
  options.hypervisor = kVmware;
  host.values[kConfigKey] = "{";
  os.AddFile(kFwCfgRaw, ConfigNamed("fw"));
  base::Result<LoadedConfig> loaded = Load();
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(loaded.status().ToString(),
              ::testing::StartsWith("vmware guestinfo.tether.config: config: "
                                    "invalid JSON"));
  EXPECT_EQ(host.values[kConfigKey], "{");  // Not hidden: not accepted.
}

TEST_F(LoadConfigTest, ConfigFileWinsOverEverything) {
  options.hypervisor = kVmware;
  options.cmdline = "tether.source=fwcfg";
  options.config_file = "/etc/t.json";
  os.AddFile("/etc/t.json", ConfigNamed("file"));
  host.values[kConfigKey] = ConfigNamed("vmw");
  os.AddFile(kFwCfgRaw, ConfigNamed("fw"));
  base::Result<LoadedConfig> loaded = Load();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->config.name, "file");
  EXPECT_EQ(loaded->kind, SourceKind::kFile);
  EXPECT_EQ(loaded->origin, "file /etc/t.json");
  // The sessions' mount namespaces hide it (tether/confinement.h).
  EXPECT_EQ(loaded->config.config_file, "/etc/t.json");
}

TEST_F(LoadConfigTest, ARelativeConfigFileIsHiddenByItsAbsolutePath) {
  char cwd[4096];
  ASSERT_NE(::getcwd(cwd, sizeof(cwd)), nullptr);
  options.config_file = "t.json";
  os.AddFile("t.json", ConfigNamed("file"));
  base::Result<LoadedConfig> loaded = Load();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->config.config_file, std::string(cwd) + "/t.json");
}

TEST_F(LoadConfigTest, MissingConfigFileIsFatal) {
  options.config_file = "/etc/t.json";
  os.AddFile(kFwCfgRaw, ConfigNamed("fw"));
  EXPECT_EQ(Load().status().ToString(),
            "file /etc/t.json: No such file or directory");
}

TEST_F(LoadConfigTest, CmdlineOverrideForcesOneSource) {
  options.hypervisor = kVmware;
  host.values[kConfigKey] = ConfigNamed("vmw");
  os.AddFile("/cfg.json", ConfigNamed("file"));
  os.AddFile("/proc/cmdline", "quiet tether.source=file:/cfg.json\n");
  options.cmdline.reset();  // Read from <proc_root>/cmdline.
  base::Result<LoadedConfig> loaded = Load();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->config.name, "file");
  EXPECT_EQ(loaded->config.config_file, "/cfg.json");

  options.cmdline = "tether.source=fwcfg";  // Forced, and absent: no fallback.
  EXPECT_EQ(Load().status().ToString(),
            "fw_cfg: no opt/tether/config (is qemu_fw_cfg loaded?)");
}

TEST_F(LoadConfigTest, ForcedVmwareOutsideVmwareNeverTouchesTheBackdoor) {
  options.cmdline = "tether.source=vmware";
  options.rpci = nullptr;  // Would be the real backdoor.
  base::Result<LoadedConfig> loaded = Load();
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), Code::kUnavailable);
  EXPECT_EQ(loaded.status().ToString(),
            "vmware: not a VMware guest (hypervisor \"KVMKVMKVM\") but "
            "tether.source=vmware");
}

TEST_F(LoadConfigTest, MalformedOverrideIsFatal) {
  options.cmdline = "tether.source=cloud";
  EXPECT_EQ(Load().status().code(), Code::kInvalidArgument);
}

TEST_F(LoadConfigTest, DrainTimeoutFromTheCommandLine) {
  os.AddFile(kFwCfgRaw, ConfigNamed("fw"));
  options.cmdline = "quiet tether.drain_timeout_s=42";
  base::Result<LoadedConfig> loaded = Load();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->cmdline_drain_timeout_s, 42);
  // A bad value does not stop the boot: the default applies.
  options.cmdline = "tether.drain_timeout_s=soon";
  loaded = Load();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_FALSE(loaded->cmdline_drain_timeout_s.has_value());
  ASSERT_EQ(loaded->warnings.size(), 1u);
  EXPECT_THAT(loaded->warnings[0], ::testing::HasSubstr("\"soon\""));
}

TEST_F(LoadConfigTest, NoProcMeansNoOverride) {
  options.cmdline.reset();
  os.AddFile(kFwCfgRaw, ConfigNamed("fw"));
  EXPECT_TRUE(Load().ok());
}

}  // namespace
}  // namespace guestinfo
