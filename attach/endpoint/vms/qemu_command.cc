#include "attach/endpoint/vms/qemu_command.h"

namespace attach {
namespace endpoint {
namespace {

// QemuOpts splits option lists at commas; a literal comma is written twice.
std::string EscapeOptValue(const std::string& value) {
  std::string out;
  for (char c : value) {
    out += c;
    if (c == ',') out += ',';
  }
  return out;
}

std::string FwCfgArg(const std::string& config_path) {
  return std::string("name=") + kFwCfgName +
         ",file=" + EscapeOptValue(config_path);
}

std::string BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path
                                                     : path.substr(slash + 1));
}

std::vector<std::string_view> SplitCmdline(std::string_view cmdline) {
  std::vector<std::string_view> argv;
  size_t start = 0;
  while (start < cmdline.size()) {
    size_t end = cmdline.find('\0', start);
    if (end == std::string_view::npos) end = cmdline.size();
    argv.push_back(cmdline.substr(start, end - start));
    start = end + 1;
  }
  return argv;
}

}  // namespace

std::string VmConfigPath(const std::string& dir) {
  return dir + "/config.json";
}
std::string VmConsolePath(const std::string& dir) {
  return dir + "/console.log";
}
std::string VmQemuLogPath(const std::string& dir) { return dir + "/qemu.log"; }
std::string VmPidfilePath(const std::string& dir) { return dir + "/qemu.pid"; }
std::string VmOverlayPath(const std::string& dir) {
  return dir + "/rootfs.qcow2";
}

std::string VmMac(const std::string& id) {
  std::string mac = "52:54:00";
  for (size_t i = 0; i < 6; i += 2) {
    mac += ":" + (i + 1 < id.size() ? id.substr(i, 2) : std::string("00"));
  }
  return mac;
}

std::vector<std::string> QemuArgv(const VmImage& image,
                                  const QemuLaunch& launch) {
  std::vector<std::string> a = {image.qemu, "-M", "pc"};
  if (launch.kvm) {
    // The host's CPU model: QEMU's default asks KVM for features some
    // hosts lack, and warns on every boot.
    a.insert(a.end(), {"-accel", "kvm", "-cpu", "host"});
  } else {
    a.insert(a.end(), {"-accel", "tcg"});
  }
  a.insert(a.end(),
           {"-m", std::to_string(launch.memory_mb), "-smp", "1", "-nodefaults",
            "-no-user-config", "-nographic", "-no-reboot", "-nic", "none"});
  a.insert(a.end(), {"-kernel", image.kernel, "-initrd", image.initrd,
                     "-append", kKernelAppend});
  // Appended to, not truncated, so attachd can cap the file while QEMU
  // writes it (vm_files.h).
  a.insert(a.end(), {"-chardev",
                     "file,id=console,append=on,path=" +
                         EscapeOptValue(VmConsolePath(launch.container_dir)),
                     "-serial", "chardev:console"});
  // The attach link: QEMU dials attachd and redials a second after attachd
  // went away, while the guest's port stays open.
  a.insert(a.end(),
           {"-device", "virtio-serial-pci", "-chardev",
            "socket,id=attach,host=" + launch.attach_host +
                ",port=" + std::to_string(launch.attach_port) + ",reconnect=1",
            "-device", "virtserialport,chardev=attach,name=org.tether.attach"});
  a.insert(a.end(), {"-fw_cfg", FwCfgArg(VmConfigPath(launch.container_dir))});
  if (!launch.root_disk.empty()) {
    a.insert(a.end(), {"-drive", "file=" + EscapeOptValue(launch.root_disk) +
                                     ",if=virtio,format=qcow2,discard=unmap"});
  }
  if (!launch.mac.empty()) {
    // slirp: NAT out through the host's sockets; each published port is a
    // hostfwd to the guest's fixed address.
    std::string netdev = "user,id=net0";
    for (const PortMapping& m : launch.forwards) {
      netdev += ",hostfwd=" + m.proto + ":" +
                (m.host_ip.empty() ? "0.0.0.0" : m.host_ip) + ":" +
                std::to_string(m.host_port) + "-" + kGuestAddress + ":" +
                std::to_string(m.container_port);
    }
    a.insert(a.end(), {"-netdev", netdev, "-device",
                       "virtio-net-pci,netdev=net0,mac=" + launch.mac});
  }
  if (launch.sandbox) {
    // QEMU 7.2 installs the filter before -runas changes user, so
    // elevateprivileges must allow that setuid; it denies it otherwise.
    std::string sandbox = "on,obsolete=deny,spawn=deny,resourcecontrol=deny";
    if (launch.run_as.empty()) sandbox += ",elevateprivileges=deny";
    a.insert(a.end(), {"-sandbox", sandbox});
  }
  if (!launch.run_as.empty()) a.insert(a.end(), {"-runas", launch.run_as});
  return a;
}

bool IsQemuFor(std::string_view cmdline, const std::string& config_path) {
  std::vector<std::string_view> argv = SplitCmdline(cmdline);
  if (argv.empty() || BaseName(argv[0]).rfind("qemu-system", 0) != 0) {
    return false;
  }
  const std::string want = FwCfgArg(config_path);
  for (size_t i = 1; i + 1 < argv.size(); ++i) {
    if (argv[i] == "-fw_cfg" && argv[i + 1] == want) return true;
  }
  return false;
}

uint16_t AttachPortOf(std::string_view cmdline) {
  constexpr std::string_view kChardev = "socket,id=attach,";
  for (std::string_view arg : SplitCmdline(cmdline)) {
    if (arg.substr(0, kChardev.size()) != kChardev) continue;
    size_t at = arg.find(",port=");
    if (at == std::string_view::npos) return 0;
    unsigned port = 0;
    for (char c : arg.substr(at + 6)) {
      if (c < '0' || c > '9') break;
      port = port * 10 + static_cast<unsigned>(c - '0');
      if (port > 65535) return 0;
    }
    return static_cast<uint16_t>(port);
  }
  return 0;
}

}  // namespace endpoint
}  // namespace attach
