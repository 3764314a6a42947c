// The QEMU command line of the VM contract, the re-adoption test on
// /proc/PID/cmdline, and pidfiles.
#include "attach/endpoint/vms/qemu_command.h"
#include "attach/endpoint/vms/vm_ports.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "attach/endpoint/containers/state_files.h"
#include "attach/endpoint/testing/test_util.h"
#include "attach/endpoint/vms/vm_files.h"
#include "attach/endpoint/vms/vm_process.h"

namespace attach {
namespace endpoint {
namespace {

std::string Join(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

std::string Cmdline(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& a : argv) out += a + '\0';
  return out;
}

QemuLaunch Launch(const std::string& dir) {
  QemuLaunch l;
  l.container_dir = dir;
  l.attach_host = "127.0.0.1";
  l.attach_port = 2377;
  return l;
}

VmImage Image() {
  VmImage image;
  image.kernel = "/img/vmlinux";
  image.initrd = "/img/initramfs.cpio.lz4";
  return image;
}

TEST(QemuArgv, FollowsTheVmContract) {
  EXPECT_EQ(
      Join(QemuArgv(Image(), Launch("/s/c/abc"))),
      "qemu-system-x86_64 -M pc -accel tcg -m 256 -smp 1 -nodefaults "
      "-no-user-config -nographic -no-reboot -nic none -kernel /img/vmlinux "
      "-initrd /img/initramfs.cpio.lz4 -append console=ttyS0 quiet panic=-1 "
      "cryptomgr.notests tsc=reliable no_timer_check i8042.noaux acpi=noirq "
      "-chardev file,id=console,append=on,path=/s/c/abc/console.log "
      "-serial chardev:console -device virtio-serial-pci "
      "-chardev socket,id=attach,host=127.0.0.1,port=2377,reconnect=1 "
      "-device virtserialport,chardev=attach,name=org.tether.attach "
      "-fw_cfg name=opt/tether/config,file=/s/c/abc/config.json "
      "-sandbox on,obsolete=deny,spawn=deny,resourcecontrol=deny,"
      "elevateprivileges=deny");
}

// Review F11: seccomp always; with -runas the filter must let QEMU's own
// setuid through (QEMU 7.2 installs it first), so only then is
// elevateprivileges left allowed.
TEST(QemuArgv, SandboxAndRunas) {
  QemuLaunch l = Launch("/d");
  l.run_as = "tether-qemu";
  std::string argv = Join(QemuArgv(Image(), l));
  EXPECT_NE(argv.find(" -sandbox on,obsolete=deny,spawn=deny,"
                      "resourcecontrol=deny -runas tether-qemu"),
            std::string::npos)
      << argv;
  l.sandbox = false;
  l.run_as.clear();
  argv = Join(QemuArgv(Image(), l));
  EXPECT_EQ(argv.find("-sandbox"), std::string::npos);
  EXPECT_EQ(argv.find("-runas"), std::string::npos);
}

TEST(QemuArgv, KvmAndMemory) {
  QemuLaunch l = Launch("/d");
  l.kvm = true;
  l.memory_mb = 1024;
  std::string argv = Join(QemuArgv(Image(), l));
  EXPECT_NE(argv.find(" -accel kvm -cpu host -m 1024 "), std::string::npos)
      << argv;
  EXPECT_EQ(argv.find("tcg"), std::string::npos);
}

TEST(QemuArgv, CommasInPathsAreDoubledInsideOptionLists) {
  std::vector<std::string> argv = QemuArgv(Image(), Launch("/a,b"));
  std::string joined = Join(argv);
  // -fw_cfg and -chardev are QemuOpts lists.
  EXPECT_NE(joined.find("file=/a,,b/config.json"), std::string::npos);
  EXPECT_NE(joined.find("path=/a,,b/console.log"), std::string::npos);
  EXPECT_TRUE(IsQemuFor(Cmdline(argv), "/a,b/config.json"));
}

TEST(IsQemuFor, AcceptsOnlyThisContainersQemu) {
  std::vector<std::string> argv = QemuArgv(Image(), Launch("/s/c/abc"));
  EXPECT_TRUE(IsQemuFor(Cmdline(argv), "/s/c/abc/config.json"));
  argv[0] = "/usr/bin/qemu-system-x86_64";
  EXPECT_TRUE(IsQemuFor(Cmdline(argv), "/s/c/abc/config.json"));
  // Another container's VM.
  EXPECT_FALSE(IsQemuFor(Cmdline(argv), "/s/c/abd/config.json"));
  // A recycled pid: some other program, even one naming the file.
  EXPECT_FALSE(IsQemuFor(Cmdline({"/bin/cat", "-fw_cfg",
                                  "name=opt/tether/config,file=/s/c/abc/"
                                  "config.json"}),
                         "/s/c/abc/config.json"));
  EXPECT_FALSE(IsQemuFor("", "/s/c/abc/config.json"));
  EXPECT_FALSE(IsQemuFor(std::string("qemu-system-x86_64\0-fw_cfg", 26),
                         "/s/c/abc/config.json"));
}

TEST(AttachPortOf, ReadsTheChardevPort) {
  QemuLaunch l = Launch("/d");
  l.attach_port = 40123;
  EXPECT_EQ(AttachPortOf(Cmdline(QemuArgv(Image(), l))), 40123);
  EXPECT_EQ(AttachPortOf(Cmdline({"qemu-system-x86_64", "-m", "1"})), 0);
}

TEST(QemuArgv, RootDiskAndPublishedPorts) {
  QemuLaunch l = Launch("/d");
  l.root_disk = "/s/c,1/rootfs.qcow2";
  l.mac = VmMac("0a1b2c3d");
  PortMapping web;
  web.host_ip = "127.0.0.1";
  web.host_port = 8080;
  web.container_port = 80;
  PortMapping dns;
  dns.host_port = 5353;
  dns.container_port = 53;
  dns.proto = "udp";
  l.forwards = {web, dns};
  std::string argv = Cmdline(QemuArgv(Image(), l));
  constexpr char kDrive[] =
      "-drive\0file=/s/c,,1/rootfs.qcow2,if=virtio,format=qcow2,discard=unmap";
  EXPECT_NE(argv.find(std::string(kDrive, sizeof(kDrive) - 1)),
            std::string::npos);
  EXPECT_NE(argv.find("user,id=net0,hostfwd=tcp:127.0.0.1:8080-10.0.2.15:80,"
                      "hostfwd=udp:0.0.0.0:5353-10.0.2.15:53"),
            std::string::npos);
  EXPECT_NE(argv.find("virtio-net-pci,netdev=net0,mac=52:54:00:0a:1b:2c"),
            std::string::npos);
  EXPECT_EQ(Cmdline(QemuArgv(Image(), Launch("/d"))).find("-netdev"),
            std::string::npos);
}

TEST(BindPorts, PicksFreePortsAndRefusesTakenOnes) {
  PortMapping any;
  any.host_ip = "127.0.0.1";
  any.container_port = 80;
  base::Result<std::vector<PortMapping>> bound = BindPorts({any});
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  EXPECT_NE((*bound)[0].host_port, 0);
  // Taken by a listener here: docker's words, before any QEMU.
  base::UniqueFd taken(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(taken.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(::listen(taken.get(), 1), 0);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(::getsockname(taken.get(), reinterpret_cast<sockaddr*>(&addr), &len), 0);
  PortMapping fixed = any;
  fixed.host_port = ntohs(addr.sin_port);
  bound = BindPorts({fixed});
  ASSERT_FALSE(bound.ok());
  EXPECT_EQ(bound.status().code(), base::Status::Code::kConflict);
  EXPECT_EQ(bound.status().message(),
            "Bind for 127.0.0.1:" + std::to_string(fixed.host_port) +
                " failed: port is already allocated");
  PortMapping v6 = any;
  v6.host_ip = "::1";
  EXPECT_EQ(BindPorts({v6}).status().code(),
            base::Status::Code::kInvalidArgument);
}

TEST(Pidfile, ParsesOnlyAPid) {
  EXPECT_EQ(*ParsePidfile("1234\n"), 1234);
  EXPECT_EQ(*ParsePidfile("7"), 7);
  for (const char* bad : {"", "\n", "0\n", "-5\n", "12a\n", "1 2\n",
                          "99999999999\n", "1234\n\n"}) {
    EXPECT_FALSE(ParsePidfile(bad).ok()) << bad;
  }
}

// Review F9: the guest may flood ttyS0; console.log is cut to its tail
// (where the tether's exit record is) with the part before in .1.
TEST(VmFiles, ConsoleLogIsCutToItsTail) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/console.log";
  ASSERT_TRUE(ResetVmLog(path).ok());
  std::string big(3 << 20, 'y');
  big += "tether: exit 7\n";
  ASSERT_TRUE(WriteFileAtomic(path, big, 0600).ok());
  EXPECT_FALSE(CapVmLog(path, big.size()));
  EXPECT_TRUE(CapVmLog(path, 1 << 20));
  base::Result<std::string> now = ReadFile(path, 4 << 20);
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->size(), kVmLogKeptTail);
  EXPECT_EQ(now->substr(now->size() - 15), "tether: exit 7\n");
  EXPECT_EQ(ReadFile(path + ".1", 4 << 20)->size(), big.size());
}

// Review F11: QEMU leaves root where attachd is root.
TEST(VmFiles, QemuUserOnlyChangesForRoot) {
  EXPECT_EQ(*ResolveQemuUser("", 1000), "");
  EXPECT_EQ(*ResolveQemuUser("root", 0), "");
  EXPECT_FALSE(ResolveQemuUser("no-such-user-here", 0).ok());
  base::Result<std::string> def = ResolveQemuUser("", 0);
  ASSERT_TRUE(def.ok());
  EXPECT_TRUE(*def == "tether-qemu" || *def == "nobody") << *def;
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
