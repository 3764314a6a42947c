// The QEMU command line of the VM contract, the re-adoption test on
// /proc/PID/cmdline, and pidfiles.
#include "attach/endpoint/vms/qemu_command.h"

#include <gtest/gtest.h>

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
      "-serial file:/s/c/abc/console.log -device virtio-serial-pci "
      "-chardev socket,id=attach,host=127.0.0.1,port=2377,reconnect=1 "
      "-device virtserialport,chardev=attach,name=org.tether.attach "
      "-fw_cfg name=opt/tether/config,file=/s/c/abc/config.json");
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
  // -fw_cfg is a QemuOpts list; -serial file: takes the path verbatim.
  EXPECT_NE(joined.find("file=/a,,b/config.json"), std::string::npos);
  EXPECT_NE(joined.find("-serial file:/a,b/console.log"), std::string::npos);
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

TEST(Pidfile, ParsesOnlyAPid) {
  EXPECT_EQ(*ParsePidfile("1234\n"), 1234);
  EXPECT_EQ(*ParsePidfile("7"), 7);
  for (const char* bad : {"", "\n", "0\n", "-5\n", "12a\n", "1 2\n",
                          "99999999999\n", "1234\n\n"}) {
    EXPECT_FALSE(ParsePidfile(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
