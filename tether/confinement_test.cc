// What a session's spawn is asked to do about confinement: the policy
// (ConfinementFor), and that it reaches every spawn, execs included.
#include "tether/confinement.h"

#include <gtest/gtest.h>
#include <linux/capability.h>
#include <signal.h>

#include "tests/fakes/fake_os.h"
#include "tests/fakes/loop_runner.h"
#include "tether/supervisor.h"

namespace tether {
namespace {

bool Has(uint64_t caps, int cap) { return (caps >> cap) & 1; }

TEST(Confinement, DockersDefaultCapabilitiesAndNothingElse) {
  const int kept[] = {
      CAP_CHOWN,   CAP_DAC_OVERRIDE, CAP_FSETID,           CAP_FOWNER,
      CAP_MKNOD,   CAP_NET_RAW,      CAP_SETGID,           CAP_SETUID,
      CAP_SETFCAP, CAP_SETPCAP,      CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT,
      CAP_KILL,    CAP_AUDIT_WRITE};
  uint64_t expected = 0;
  for (int cap : kept) expected |= uint64_t{1} << cap;
  EXPECT_EQ(kDockerDefaultCapabilities, expected);
  for (int cap : {CAP_SYS_ADMIN, CAP_SYS_RAWIO, CAP_SYS_PTRACE, CAP_SYS_MODULE,
                  CAP_DAC_READ_SEARCH, CAP_NET_ADMIN, CAP_SYS_BOOT,
                  CAP_SYS_TIME, CAP_MAC_ADMIN, CAP_BPF}) {
    EXPECT_FALSE(Has(kDockerDefaultCapabilities, cap)) << cap;
  }
}

TEST(Confinement, DefaultHidesTheSourcesAndLimitsCapabilities) {
  guestinfo::Config config;
  config.config_file = "/etc/tether/config.json";
  base::Confinement c = ConfinementFor(config);
  EXPECT_TRUE(c.new_mount_namespace);
  EXPECT_EQ(c.masked_paths, (std::vector<std::string>{
                                "/sys/firmware", "/etc/tether/config.json"}));
  EXPECT_TRUE(c.limit_capabilities);
  EXPECT_EQ(c.capabilities, kDockerDefaultCapabilities);
  EXPECT_FALSE(c.no_new_privs);  // Only where docker sets it.
}

TEST(Confinement, FwCfgOnlyWithoutAConfigFile) {
  base::Confinement c = ConfinementFor(guestinfo::Config());
  EXPECT_EQ(c.masked_paths, std::vector<std::string>{"/sys/firmware"});
}

TEST(Confinement, PrivilegedGetsEverythingBackButNoNewPrivsStays) {
  guestinfo::Config config;
  config.privileged = true;
  config.no_new_privileges = true;
  config.config_file = "/cfg.json";
  base::Confinement c = ConfinementFor(config);
  EXPECT_FALSE(c.new_mount_namespace);
  EXPECT_TRUE(c.masked_paths.empty());
  EXPECT_FALSE(c.limit_capabilities);
  EXPECT_TRUE(c.no_new_privs);
}

// Every spawn of a supervisor carries the container's confinement: the
// primary, a restart and a docker exec alike.
TEST(Confinement, EverySessionSpawnIsConfined) {
  uv_loop_t loop;
  ASSERT_EQ(uv_loop_init(&loop), 0);
  fakes::FakeOs os;
  guestinfo::Config config;
  config.no_new_privileges = true;
  config.config_file = "/run/cfg.json";
  guestinfo::SessionConfig main;
  main.id = "main";
  main.primary = true;
  main.path = "/bin/main";
  main.workdir = "";
  main.restart = guestinfo::RestartPolicy::kOnFailure;
  config.sessions.push_back(main);
  {
    Supervisor sup(&loop, os, config, Supervisor::Options(), nullptr, nullptr);
    ASSERT_TRUE(sup.Start().ok());
    guestinfo::SessionConfig exec = main;
    exec.id = "exec1";
    ASSERT_TRUE(sup.AddSession(exec, {}).ok());
    os.QueueExit(100, fakes::FakeOs::Exited(1));  // Restarted on failure.
    sup.OnSignal(SIGCHLD);
    ASSERT_TRUE(fakes::RunUntil(&loop, [&] { return os.spawned.size() == 3; }));
    for (const base::SpawnSpec& spec : os.spawned) {
      EXPECT_TRUE(spec.confine.new_mount_namespace);
      EXPECT_EQ(spec.confine.masked_paths,
                (std::vector<std::string>{"/sys/firmware", "/run/cfg.json"}));
      EXPECT_TRUE(spec.confine.limit_capabilities);
      EXPECT_EQ(spec.confine.capabilities, kDockerDefaultCapabilities);
      EXPECT_TRUE(spec.confine.no_new_privs);
    }
    EXPECT_FALSE(os.dumpable);
    os.QueueExit(101, fakes::FakeOs::Exited(0));
    os.QueueExit(102, fakes::FakeOs::Exited(0));
    sup.OnSignal(SIGCHLD);
    ASSERT_TRUE(fakes::RunUntil(&loop, [&] { return sup.finished(); }));
  }
  EXPECT_EQ(fakes::DrainAndClose(&loop), 0);
}

}  // namespace
}  // namespace tether
