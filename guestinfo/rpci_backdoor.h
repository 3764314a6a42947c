// RPCI over VMware's backdoor I/O port: the real RpciChannel.
//
// The backdoor is `in %dx, %eax` with EAX = 0x564D5868 ("VMXh") and
// DX = 0x5658, which the hypervisor traps and answers in the registers.
// Messages use command 0x1E (open, send size, send payload 4 bytes at a
// time, receive size, receive payload, receive status, close) on a channel
// opened for protocol 0x49435052 ("RPCI"), as open-vm-tools' lib/message
// does. Only the low-bandwidth variant is used: it is always available
// (the Linux vmwgfx driver falls back to it too) and configs are small.
//
// BackdoorPort is the one register-level seam, so the message protocol is
// unit tested against an emulated host; the real port is created only for
// a VMware guest (vmware_detect.h).
#ifndef TETHER_GUESTINFO_RPCI_BACKDOOR_H_
#define TETHER_GUESTINFO_RPCI_BACKDOOR_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"
#include "guestinfo/rpci.h"
#include "guestinfo/vmware_detect.h"

namespace guestinfo {

inline constexpr uint32_t kBackdoorMagic = 0x564D5868;
inline constexpr uint16_t kBackdoorPort = 0x5658;

struct BackdoorRegs {
  uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0, esi = 0, edi = 0;
};

class BackdoorPort {
 public:
  virtual ~BackdoorPort() = default;
  // One backdoor call: loads the registers, traps, stores them back.
  virtual void Call(BackdoorRegs* regs) = 0;
};

// Each Send() opens a channel, sends the request, reads the reply (at most
// 2 * kMaxConfigBytes) and closes the channel, retrying the whole exchange
// up to 3 times when the host reports a checkpoint (VM snapshot/resume)
// in the middle. Errors are kUnavailable "vmware backdoor: ...". `port`
// must outlive the channel.
class BackdoorRpciChannel : public RpciChannel {
 public:
  explicit BackdoorRpciChannel(BackdoorPort& port) : port_(port) {}
  base::Result<std::string> Send(std::string_view request) override;

 private:
  BackdoorPort& port_;
};

// The real backdoor as an RpciChannel. Unless IsVmware(hypervisor), no
// backdoor instruction is ever executed and the result is kUnavailable
// "vmware: not a VMware guest (<DescribeHypervisor>)"; also kUnavailable
// on builds for CPUs without the backdoor (non-x86-64).
base::Result<std::unique_ptr<RpciChannel>> OpenVmwareRpci(
    const HypervisorId& hypervisor);

}  // namespace guestinfo

#endif  // TETHER_GUESTINFO_RPCI_BACKDOOR_H_
