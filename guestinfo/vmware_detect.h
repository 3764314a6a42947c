// Is this a VMware guest? Decided from CPUID alone, before any backdoor
// instruction runs.
//
// The backdoor's `in` on port 0x5658 is only safe under VMware: anywhere
// else ring 3 without iopl(3) takes #GP, i.e. SIGSEGV in PID 1. So the
// real RPCI channel (rpci_backdoor.h) can only be opened with a
// HypervisorId for which IsVmware() holds. ReadHypervisorId() is the only
// CPUID call; tests build HypervisorId values by hand.
#ifndef TETHER_GUESTINFO_VMWARE_DETECT_H_
#define TETHER_GUESTINFO_VMWARE_DETECT_H_

#include <string>

namespace guestinfo {

struct HypervisorId {
  // CPUID leaf 1, ECX bit 31: "running under a hypervisor".
  bool present = false;
  // CPUID leaf 0x40000000, EBX ECX EDX as 12 characters with trailing NULs
  // removed: "VMwareVMware", "KVMKVMKVM", "TCGTCGTCGTCG", "Microsoft Hv".
  // Empty when !present.
  std::string vendor;
};

// Executes CPUID. On non-x86 builds returns {} (not a VMware guest).
HypervisorId ReadHypervisorId();

// present && vendor == "VMwareVMware".
bool IsVmware(const HypervisorId& id);

// For messages: "VMware", "no hypervisor", or the vendor quoted.
std::string DescribeHypervisor(const HypervisorId& id);

}  // namespace guestinfo

#endif  // TETHER_GUESTINFO_VMWARE_DETECT_H_
